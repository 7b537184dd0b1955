"""API tokens over the API: list your own (admins: everyone's), revoke one."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get
from litestar.params import FromPath, QueryParameter

from server.accounts import tokens
from server.accounts.models import ApiToken, User
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.presenting import timestamp, user_summary


def present_token(token: ApiToken, owner: User | None) -> dict:
    """Exactly what leaves the server: never the hash."""
    return {"id": token.id, "name": token.name, "prefix": token.prefix, "user": user_summary(owner),
            "created_at": timestamp(token.created_at), "last_used_at": timestamp(token.last_used_at),
            "revoked_at": timestamp(token.revoked_at), "active": token.revoked_at is None}


class TokenController(Controller):
    path = "/api/tokens"
    dependencies = AUTHENTICATED
    tags = ["accounts"]

    @get("/", sync_to_thread=True)
    def list_tokens(self, db_session: DbSession, user: CurrentUser,
                    all_users: Annotated[bool, QueryParameter(name="all")] = False) -> list[dict]:
        found = tokens.list_tokens(db_session, actor=user, everyone=all_users)
        owners = tokens.owners_of(db_session, found)
        return [present_token(t, owners.get(t.user_id)) for t in found]

    @delete("/{token_id:int}", sync_to_thread=True)
    def revoke(self, token_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        tokens.revoke_token(db_session, actor=user, token_id=token_id)
