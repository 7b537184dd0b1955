"""Groups, deactivating users, reminder preferences, and the trust score."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, Parameter
from sqlmodel import Field, SQLModel, select

from server.accounts import group_deletion, groups
from server.accounts.models import Group
from server.cards.service import readable_collection_ids
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.presenting import user_summary
from server.verification import trust


class GroupCreate(SQLModel):
    name: str = Field(max_length=200)


class MemberAdd(SQLModel):
    email: str = Field(max_length=320)


class Preferences(SQLModel):
    digest: Literal["daily", "weekly"]


class PeopleController(Controller):
    path = "/api"
    dependencies = AUTHENTICATED
    tags = ["accounts"]

    @get("/groups", sync_to_thread=True)
    def list_groups(self, db_session: DbSession, user: CurrentUser) -> list[dict]:
        return [{"id": g.id, "name": g.name, "members": [user_summary(m) for m in groups.members_of(db_session, g.id)]}
                for g in db_session.exec(select(Group).order_by(Group.name))]

    @post("/groups", sync_to_thread=True, status_code=201)
    def create_group(self, data: JSONBody[GroupCreate], db_session: DbSession, user: CurrentUser) -> dict:
        group = groups.create_group(db_session, actor=user, name=data.name)
        return {"id": group.id, "name": group.name, "members": []}

    @put("/groups/{group_id:int}", sync_to_thread=True)
    def rename_group(self, group_id: FromPath[int], data: JSONBody[GroupCreate], db_session: DbSession,
                     user: CurrentUser) -> dict:
        group = groups.rename_group(db_session, actor=user, group_id=group_id, name=data.name)
        return {"id": group.id, "name": group.name,
                "members": [user_summary(m) for m in groups.members_of(db_session, group.id)]}

    @delete("/groups/{group_id:int}", sync_to_thread=True)
    def delete_group(self, group_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        group_deletion.delete_group(db_session, actor=user, group_id=group_id)

    @post("/groups/{group_id:int}/members", sync_to_thread=True, status_code=204)
    def add_member(self, group_id: FromPath[int], data: JSONBody[MemberAdd], db_session: DbSession,
                   user: CurrentUser) -> None:
        groups.add_member(db_session, actor=user, group_id=group_id, email=data.email)

    @delete("/groups/{group_id:int}/members/{user_id:int}", sync_to_thread=True)
    def remove_member(self, group_id: FromPath[int], user_id: FromPath[int], db_session: DbSession,
                      user: CurrentUser) -> None:
        groups.remove_member(db_session, actor=user, group_id=group_id, user_id=user_id)

    @post("/users/{user_id:int}/deactivate", sync_to_thread=True, status_code=200)
    def deactivate(self, user_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> dict:
        return {"cards_moved": groups.deactivate_user(db_session, actor=user, user_id=user_id)}

    @put("/me/preferences", sync_to_thread=True)
    def preferences(self, data: JSONBody[Preferences], db_session: DbSession, user: CurrentUser) -> dict:
        return {"digest": groups.set_digest(db_session, user=user, digest=data.digest).digest}

    @get("/trust", sync_to_thread=True)
    def trust_score(self, db_session: DbSession, user: CurrentUser,
                    days: int = Parameter(default=90, ge=1, le=3650)) -> dict:
        readable = readable_collection_ids(db_session, user)
        return {**trust.trust_now(db_session, readable), "history": trust.history(db_session, readable, days)}
