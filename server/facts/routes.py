"""Customer and quick-fact endpoints."""

from __future__ import annotations

from datetime import datetime, timezone

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.params import FromPath, JSONBody, Parameter, RawBody
from sqlmodel import Session

from server.dependencies import AUTHENTICATED, CurrentUser, DbSession, expected_version
from server.errors import Conflict
from server.facts import customers, service
from server.facts.bulk import upsert_file
from server.facts.merging import merge_customer
from server.facts.presenters import present_customer, present_customers, present_facts
from server.facts.restriction import restrict_customer
from server.facts.schemas import (CustomerAccessUpdate, CustomerCreate, CustomerMerge, CustomerUpdate, FactCreate,
                                  FactUpdate)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def stale_days(request: Request) -> int:
    return request.app.state.settings.fact_stale_days


def fact_response(request: Request, session: Session, fact, user: CurrentUser, status_code: int = 200) -> Response:
    return Response(present_facts(session, [fact], user, stale_days=stale_days(request))[0],
                    status_code=status_code, headers={"ETag": f'"{fact.version}"'})


CSV_TYPES = {"text/csv", "application/csv", "text/comma-separated-values"}


def customer_response(session: Session, customer, status_code: int = 200) -> Response:
    return Response(present_customer(session, customer), status_code=status_code,
                    headers={"ETag": f'"{customer.version}"'})


class CustomerController(Controller):
    path = "/api/customers"
    dependencies = AUTHENTICATED
    tags = ["customers"]

    @get("/", sync_to_thread=True)
    def find(self, db_session: DbSession, user: CurrentUser,
             q: str = Parameter(default="", max_length=200)) -> list[dict]:
        return present_customers(db_session, service.find_customers(db_session, q, user=user))

    @get("/{customer_id:int}", sync_to_thread=True)
    def read(self, customer_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> dict:
        return present_customer(db_session, service.readable_customer(db_session, user, customer_id))

    @post("/", sync_to_thread=True)
    def create(self, data: JSONBody[CustomerCreate], db_session: DbSession, user: CurrentUser) -> Response:
        customer = customers.create_customer(db_session, actor=user, **data.model_dump())
        return customer_response(db_session, customer, status_code=201)

    @post("/bulk", sync_to_thread=True, status_code=200)
    def bulk(self, body: RawBody, request: Request, db_session: DbSession, user: CurrentUser) -> dict:
        """Admins only: JSON (a list of customers) or CSV (Content-Type text/csv); see bulk.py."""
        is_csv = request.headers.get("content-type", "").split(";")[0].strip().lower() in CSV_TYPES
        return upsert_file(db_session, actor=user, content=body, is_csv=is_csv).as_dict()

    @put("/{customer_id:int}", sync_to_thread=True)
    def update(self, customer_id: FromPath[int], data: JSONBody[CustomerUpdate], request: Request,
               db_session: DbSession, user: CurrentUser) -> Response:
        try:
            customer = customers.update_customer(db_session, actor=user, customer_id=customer_id,
                                                 expected_version=expected_version(request),
                                                 **data.model_dump(exclude_unset=True) | {"name": data.name})
        except Conflict as conflict:
            conflict.detail["current"] = present_customer(db_session, conflict.detail["current"])
            raise
        return customer_response(db_session, customer)

    @delete("/{customer_id:int}", sync_to_thread=True)
    def remove(self, customer_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        """Admins only: its addresses, handles and facts go with it."""
        customers.delete_customer(db_session, actor=user, customer_id=customer_id)

    @post("/{customer_id:int}/merge", sync_to_thread=True, status_code=200)
    def merge(self, customer_id: FromPath[int], data: JSONBody[CustomerMerge], db_session: DbSession,
              user: CurrentUser) -> Response:
        """Admins only: everything of this customer moves to `into`, which is answered."""
        return customer_response(db_session, merge_customer(db_session, actor=user, customer_id=customer_id,
                                                            into_id=data.into))

    @put("/{customer_id:int}/access", sync_to_thread=True)
    def restrict(self, customer_id: FromPath[int], data: JSONBody[CustomerAccessUpdate], db_session: DbSession,
                 user: CurrentUser) -> dict:
        """Admins only; the answer names the groups, not the customer: the admin need not read it."""
        groups = restrict_customer(db_session, actor=user, customer_id=customer_id, groups=data.groups)
        return {"customer_id": customer_id, "groups": groups}

    @get("/{customer_id:int}/facts", sync_to_thread=True)
    def facts(self, customer_id: FromPath[int], request: Request, db_session: DbSession,
              user: CurrentUser) -> list[dict]:
        return present_facts(db_session, service.list_facts(db_session, customer_id, user=user), user,
                             stale_days=stale_days(request))

    @post("/{customer_id:int}/facts", sync_to_thread=True)
    def add_fact(self, customer_id: FromPath[int], data: JSONBody[FactCreate], request: Request,
                 db_session: DbSession, user: CurrentUser) -> Response:
        fact = service.add_fact(db_session, actor=user, customer_id=customer_id, text=data.text,
                                pinned=data.pinned, remind_at=data.remind_at, expires_at=_utc(data.expires_at))
        return fact_response(request, db_session, fact, user, status_code=201)


def _present_current(request: Request, session: Session, conflict: Conflict, user: CurrentUser) -> None:
    conflict.detail["current"] = present_facts(session, [conflict.detail["current"]], user,
                                               stale_days=stale_days(request))[0]


class FactController(Controller):
    path = "/api/facts"
    dependencies = AUTHENTICATED
    tags = ["customers"]

    @put("/{fact_id:int}", sync_to_thread=True)
    def update(self, fact_id: FromPath[int], data: JSONBody[FactUpdate], request: Request, db_session: DbSession,
               user: CurrentUser) -> Response:
        """Each of text, pinned, remind_at and expires_at is optional: what is left out stays."""
        sent = data.model_fields_set
        changes = {name: getattr(data, name) for name in ("remind_at", "expires_at") if name in sent}
        if "expires_at" in changes:
            changes["expires_at"] = _utc(changes["expires_at"])
        try:
            fact = service.update_fact(db_session, actor=user, fact_id=fact_id,
                                       expected_version=expected_version(request), text=data.text,
                                       pinned=data.pinned, **changes)
        except Conflict as conflict:
            _present_current(request, db_session, conflict, user)
            raise
        return fact_response(request, db_session, fact, user)

    @post("/{fact_id:int}/confirm", sync_to_thread=True, status_code=200)
    def confirm(self, fact_id: FromPath[int], request: Request, db_session: DbSession, user: CurrentUser) -> Response:
        """The fact still holds as it is. If-Match is optional here: when sent, a fact changed
        since is a 409 as for an edit; the version stays, as a confirmation changes no words."""
        sent = expected_version(request) if "if-match" in request.headers else None
        try:
            fact = service.confirm_fact(db_session, actor=user, fact_id=fact_id, expected_version=sent)
        except Conflict as conflict:
            _present_current(request, db_session, conflict, user)
            raise
        return fact_response(request, db_session, fact, user)

    @delete("/{fact_id:int}", sync_to_thread=True)
    def remove(self, fact_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        service.delete_fact(db_session, actor=user, fact_id=fact_id)
