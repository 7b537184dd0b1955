"""Customers and their quick facts: find a customer as you type, read and keep their facts,
create or correct a customer's name, addresses and domains, and (admins) restrict a key
account to groups. A customer the viewer may not read is a 404 on every page here."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from sqlmodel import Session, select

from server.accounts.models import Group, User
from server.accounts.service import users_by_id
from server.dependencies import DbSession
from server.editor.customer_import_pages import CustomerImportPages
from server.editor.forms import FormData, checked, text, texts
from server.editor.pages import fragment, page, redirect
from server.editor.viewer import PAGE_DEPENDENCIES, Viewer
from server.errors import Conflict, Invalid, NotFound
from server.facts import customers, service
from server.facts.models import Customer, QuickFact
from server.facts.restriction import restrict_customer, restricted_to_names
from server.http_errors import status_of
from server.markdown import render_markdown
from server.policies.facts import can_delete_customer, can_delete_fact, can_import_customers, can_restrict_customer

_SPLIT = re.compile(r"[\s,;]+")


def _list(value: str) -> list[str]:
    """Addresses or domains typed one per line, or separated by commas."""
    return [v for v in _SPLIT.split(value[:40_000]) if v]


def _lines(value: str) -> list[str]:
    """Handles typed one per line (a chat name may hold spaces and commas)."""
    return [v.strip() for v in value[:40_000].splitlines() if v.strip()]


def _date(data: dict, name: str) -> date | None:
    value = text(data, name).strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Invalid("Choose a date such as 2027-03-03.", code="invalid_date") from None


def _version(data: dict) -> int:
    value = text(data, "version")
    if not value.isdigit() or len(value) > 12:
        raise Invalid("The form lost the version it started from; reload the page and try again.")
    return int(value)


def _fact_of(session: Session, viewer: User, customer_id: int, fact_id: int) -> QuickFact:
    """A fact under the customer in the address, so one customer's page never edits another's."""
    fact = service.readable_fact(session, viewer, fact_id)
    if fact.customer_id != customer_id:
        raise NotFound(f"There is no quick fact {fact_id}.")
    return fact


def _is_htmx_search(request: Request) -> bool:
    # A history restore asks for the whole page, even though htmx marks it as its own request.
    return request.headers.get("hx-request") == "true" and not request.headers.get("hx-history-restore-request")


def _customer_page(request: Request, session: Session, viewer: User, customer: Customer, *,
                   status_code: int = 200, problem: dict | None = None, new_fact: dict | None = None,
                   access_error: str = "") -> Response:
    """The customer's page, which `customer` the viewer reads (the callers asked); `problem`
    puts a message (and what the user typed) at one fact."""
    facts = service.list_facts(session, customer.id, user=viewer)
    people = users_by_id(session, [f.author_id for f in facts] + [f.updated_by_id for f in facts]
                         + [f.confirmed_by_id for f in facts])
    stale_days = request.app.state.settings.fact_stale_days
    can_restrict = can_restrict_customer(viewer)
    return page(request, session, viewer, "customers/customer.html", section="customers", customer=customer,
                emails=service.customer_emails(session, customer.id), status_code=status_code,
                handles=service.customer_handles(session, customer.id),
                domains=service.customer_domains(session, customer.id), facts=facts, people=people,
                expired={f.id for f in facts if service.is_expired(f)},
                stale={f.id for f in facts if service.is_stale(f, stale_days)},
                rendered={f.id: render_markdown(f.text) for f in facts},
                can_delete={f.id for f in facts if can_delete_fact(viewer, f, reads_customer=True)},
                can_delete_customer=can_delete_customer(viewer, reads_customer=True),
                restricted_to=restricted_to_names(session, customer.id), can_restrict=can_restrict,
                groups=list(session.exec(select(Group.name).order_by(Group.name))) if can_restrict else [],
                access_error=access_error,
                problem=problem or {}, new_fact=new_fact or {"text": "", "error": ""}, max_fact=service.MAX_FACT)


def _form(request: Request, session: Session, viewer: User, customer: Customer | None, draft: dict, *,
          error: str = "", status_code: int = 200, theirs: dict | None = None) -> Response:
    return page(request, session, viewer, "customers/form.html", section="customers", customer=customer,
                draft=draft, error=error, status_code=status_code, theirs=theirs)


def _saved_draft(session: Session, customer: Customer) -> dict:
    session.refresh(customer)
    return {"name": customer.name, "emails": "\n".join(service.customer_emails(session, customer.id)),
            "domains": "\n".join(service.customer_domains(session, customer.id)),
            "handles": "\n".join(service.customer_handles(session, customer.id))}


def _draft(data: dict) -> dict:
    return {"name": text(data, "name")[:1000], "emails": text(data, "emails")[:40_000],
            "domains": text(data, "domains")[:40_000], "handles": text(data, "handles")[:40_000]}


LIST_LIMIT = 50


class CustomerPages(Controller):
    dependencies = PAGE_DEPENDENCIES
    include_in_schema = False

    @get("/customers", sync_to_thread=True)
    def customer_list(self, request: Request, db_session: DbSession, viewer: Viewer,
                      q: FromQuery[str] = "") -> Response:
        found = service.find_customers(db_session, q[:200], limit=LIST_LIMIT + 1, user=viewer)
        context = {"found": found[:LIST_LIMIT], "more": len(found) > LIST_LIMIT, "q": q[:200],
                   "can_import": can_import_customers(viewer),
                   "addresses": customers.customer_addresses(db_session, [c.id for c in found])}
        response = (fragment("customers/_results.html", **context) if _is_htmx_search(request) else
                    page(request, db_session, viewer, "customers/list.html", section="customers", **context))
        response.headers["Vary"] = "HX-Request"
        return response

    @get("/customers/new", sync_to_thread=True)
    def new(self, request: Request, db_session: DbSession, viewer: Viewer, name: FromQuery[str] = "") -> Response:
        return _form(request, db_session, viewer, None, {"name": name[:200], "emails": "", "domains": "",
                                                         "handles": ""})

    @post("/customers", sync_to_thread=True)
    def create(self, request: Request, data: FormData, db_session: DbSession, viewer: Viewer) -> Response:
        draft = _draft(data)
        try:
            customer = customers.create_customer(db_session, actor=viewer, name=draft["name"],
                                                 emails=_list(draft["emails"]), domains=_list(draft["domains"]),
                                                 handles=_lines(draft["handles"]))
        except Invalid as refused:
            db_session.rollback()
            return _form(request, db_session, viewer, None, draft, error=refused.message, status_code=400)
        return redirect(f"/customers/{customer.id}", f"Customer “{customer.name}” created.")

    @get("/customers/{customer_id:int}", sync_to_thread=True)
    def customer_page(self, request: Request, customer_id: FromPath[int], db_session: DbSession,
                      viewer: Viewer) -> Response:
        customer = service.readable_customer(db_session, viewer, customer_id)
        return _customer_page(request, db_session, viewer, customer)

    @get("/customers/{customer_id:int}/edit", sync_to_thread=True)
    def edit(self, request: Request, customer_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        customer = service.readable_customer(db_session, viewer, customer_id)
        return _form(request, db_session, viewer, customer, _saved_draft(db_session, customer))

    @post("/customers/{customer_id:int}/edit", sync_to_thread=True)
    def save(self, request: Request, customer_id: FromPath[int], data: FormData, db_session: DbSession,
             viewer: Viewer) -> Response:
        customer = service.readable_customer(db_session, viewer, customer_id)
        draft = _draft(data)
        try:
            customers.update_customer(db_session, actor=viewer, customer_id=customer.id, name=draft["name"],
                                      emails=_list(draft["emails"]), domains=_list(draft["domains"]),
                                      handles=_lines(draft["handles"]) if "handles" in data else None,
                                      expected_version=_version(data))
        except Conflict as conflict:
            db_session.rollback()
            return _form(request, db_session, viewer, conflict.detail["current"], draft, status_code=409,
                         theirs=_saved_draft(db_session, conflict.detail["current"]))
        except Invalid as refused:
            db_session.rollback()
            return _form(request, db_session, viewer, customer, draft, error=refused.message, status_code=400)
        return redirect(f"/customers/{customer_id}", "Customer saved.")

    @post("/customers/{customer_id:int}/delete", sync_to_thread=True)
    def delete(self, customer_id: FromPath[int], db_session: DbSession, viewer: Viewer) -> Response:
        name = customers.delete_customer(db_session, actor=viewer, customer_id=customer_id)
        return redirect("/customers", f"Customer “{name}” deleted, with its addresses and quick facts.")

    @post("/customers/{customer_id:int}/access", sync_to_thread=True)
    def restrict(self, request: Request, customer_id: FromPath[int], data: FormData, db_session: DbSession,
                 viewer: Viewer) -> Response:
        """Admins choose the groups that alone read the customer; none ticked opens it to everyone."""
        try:
            groups = restrict_customer(db_session, actor=viewer, customer_id=customer_id,
                                       groups=texts(data, "groups"))
        except Invalid as refused:
            db_session.rollback()
            if not service.reads_customer(db_session, viewer, customer_id):
                raise  # an admin managing a customer hidden from them gets the message alone
            customer = service.readable_customer(db_session, viewer, customer_id)
            return _customer_page(request, db_session, viewer, customer, status_code=400,
                                  access_error=refused.message)
        name = service.get_customer(db_session, customer_id).name
        if not groups:
            return redirect(f"/customers/{customer_id}", f"Every member can read “{name}” now.")
        said = f"Only members of {', '.join(groups)} can read “{name}” now."
        if service.reads_customer(db_session, viewer, customer_id):
            return redirect(f"/customers/{customer_id}", said)
        return redirect("/customers", f"{said} You are in none of them, so it is hidden from you too: "
                        "to open it again, add yourself to one.")

    @post("/customers/{customer_id:int}/facts", sync_to_thread=True)
    def add_fact(self, request: Request, customer_id: FromPath[int], data: FormData, db_session: DbSession,
                 viewer: Viewer) -> Response:
        customer = service.readable_customer(db_session, viewer, customer_id)
        typed = text(data, "text")[:service.MAX_FACT + 1000]
        try:
            until = _date(data, "expires_at")
            service.add_fact(db_session, actor=viewer, customer_id=customer.id, text=typed,
                             pinned=checked(data, "pinned"), remind_at=_date(data, "remind_at"),
                             expires_at=datetime.combine(until, time.min, tzinfo=timezone.utc) if until else None)
        except Invalid as refused:
            db_session.rollback()
            return _customer_page(request, db_session, viewer, customer, status_code=400,
                                  new_fact={"text": typed, "error": refused.message})
        return redirect(f"/customers/{customer_id}#facts", "Quick fact added.")

    @post("/customers/{customer_id:int}/facts/{fact_id:int}", sync_to_thread=True)
    def change_fact(self, request: Request, customer_id: FromPath[int], fact_id: FromPath[int], data: FormData,
                    db_session: DbSession, viewer: Viewer) -> Response:
        """One form action per fact change: 'save' (its text), 'pin', 'unpin', 'remind', 'clear_reminder',
        'confirm' (it still holds as it is; refused, like the others, if it changed since the page was opened)."""
        customer = service.readable_customer(db_session, viewer, customer_id)
        action, typed = text(data, "action"), text(data, "text")[:service.MAX_FACT + 1000]
        try:
            _fact_of(db_session, viewer, customer.id, fact_id)
        except NotFound:
            if action != "save":
                raise
            return _customer_page(request, db_session, viewer, customer, status_code=404, new_fact={
                "text": typed, "error": "Someone deleted that quick fact meanwhile; you can add it again."})
        try:
            changes = {"save": lambda: {"text": typed}, "pin": lambda: {"pinned": True},
                       "unpin": lambda: {"pinned": False}, "remind": lambda: {"remind_at": _reminder(data)},
                       "clear_reminder": lambda: {"remind_at": None}}
            if action == "confirm":
                fact = service.confirm_fact(db_session, actor=viewer, fact_id=fact_id, expected_version=_version(data))
            elif action in changes:
                fact = service.update_fact(db_session, actor=viewer, fact_id=fact_id,
                                           expected_version=_version(data), **changes[action]())
            else:
                raise Invalid("Choose what to do with the fact.", code="invalid_action")
        except Conflict:
            db_session.rollback()
            return _customer_page(request, db_session, viewer, customer, status_code=409, problem={
                "fact_id": fact_id, "conflict": True, "text": typed if action == "save" else None,
                "message": "Someone changed this fact after you opened the page. Their version is shown; "
                           + ("your text is kept below, so you can save it over theirs or discard it."
                              if action == "save" else "nothing was changed, so try again if you still want to.")})
        except Invalid as refused:
            db_session.rollback()
            return _customer_page(request, db_session, viewer, customer, status_code=status_of(refused), problem={
                "fact_id": fact_id, "message": refused.message, "text": typed if action == "save" else None})
        return redirect(f"/customers/{customer_id}#fact-{fact.id}", _DONE[action](fact))

    @post("/customers/{customer_id:int}/facts/{fact_id:int}/delete", sync_to_thread=True)
    def delete_fact(self, customer_id: FromPath[int], fact_id: FromPath[int], db_session: DbSession,
                    viewer: Viewer) -> Response:
        _fact_of(db_session, viewer, customer_id, fact_id)
        service.delete_fact(db_session, actor=viewer, fact_id=fact_id)
        return redirect(f"/customers/{customer_id}#facts", "Quick fact deleted.")


def _reminder(data: dict) -> date:
    chosen = _date(data, "remind_at")
    if chosen is None:
        raise Invalid("Choose the day to be reminded on, or clear the reminder.", code="invalid_date")
    return chosen


_DONE = {"save": lambda f: "Quick fact saved.", "pin": lambda f: "Pinned: it shows first.",
         "unpin": lambda f: "Unpinned.", "clear_reminder": lambda f: "Reminder cleared.",
         "confirm": lambda f: "Confirmed: it still holds.",
         "remind": lambda f: f"Reminder set for {f.remind_at:%-d %b %Y}: it comes up in its author's queue then."}

ROUTES = [CustomerPages, CustomerImportPages]
