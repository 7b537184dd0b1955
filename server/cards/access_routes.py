"""A collection's access list over the API: read it, add or change a line, remove one, and
restrict or open the collection. Admins and the collection's owners only."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody
from sqlmodel import Field, Session, SQLModel

from server.cards import access_lists
from server.cards.presenters import collection_summary
from server.db import one_action
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.presenting import timestamp, user_summary


class GrantCreate(SQLModel):
    """A user by email address or a group by name, and the role they get."""

    user_email: str | None = Field(default=None, max_length=320)
    group: str | None = Field(default=None, max_length=200)
    role: str = Field(max_length=20)


class RestrictedChange(SQLModel):
    restricted: bool


def present_grant(line: access_lists.GrantLine) -> dict:
    return {"id": line.grant.id, "role": line.grant.role, "user": user_summary(line.user),
            "group": {"id": line.group.id, "name": line.group.name} if line.group else None,
            "created_at": timestamp(line.grant.created_at)}


def present_restricted(collection) -> dict:
    return {"collection": collection_summary(collection), "restricted": collection.restricted}


def present_access(found: access_lists.AccessList) -> dict:
    return {**present_restricted(found.collection), "owner": user_summary(found.owner),
            "grants": [present_grant(line) for line in found.lines]}


def _change(session: Session, slug: str, change, *, actor, **arguments):
    """An access-list change to the collection named by `slug`: the look-up and the change in
    one transaction."""
    with one_action(session):
        collection = access_lists.collection_named(session, actor=actor, slug=slug)
        return change(session, actor=actor, collection_id=collection.id, **arguments)


class AccessController(Controller):
    path = "/api/collections/{slug:str}"
    dependencies = AUTHENTICATED
    tags = ["collections"]

    @get("/access", sync_to_thread=True)
    def read(self, slug: FromPath[str], db_session: DbSession, user: CurrentUser) -> dict:
        collection = access_lists.collection_named(db_session, actor=user, slug=slug)
        return present_access(access_lists.list_access(db_session, actor=user, collection_id=collection.id))

    @post("/access", sync_to_thread=True, status_code=200)
    def add(self, slug: FromPath[str], data: JSONBody[GrantCreate], db_session: DbSession, user: CurrentUser) -> dict:
        line = _change(db_session, slug, access_lists.grant_named, actor=user, role=data.role,
                       user_email=data.user_email or "", group_name=data.group or "")
        return present_grant(line)

    @delete("/access/{grant_id:int}", sync_to_thread=True)
    def remove(self, slug: FromPath[str], grant_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        _change(db_session, slug, access_lists.revoke, actor=user, grant_id=grant_id)

    @put("/restricted", sync_to_thread=True)
    def restrict(self, slug: FromPath[str], data: JSONBody[RestrictedChange], db_session: DbSession,
                 user: CurrentUser) -> dict:
        return present_restricted(_change(db_session, slug, access_lists.set_restricted, actor=user,
                                          restricted=data.restricted))
