"""Analytics: record card use; reports of searches and cards."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, get, post
from litestar.params import JSONBody, Parameter
from sqlmodel import Field, SQLModel

from server.analytics import service
from server.cards.service import readable_collection_ids
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.errors import Forbidden
from server.policies.analytics import reads_analytics
from server.presenting import timestamp

Days = Parameter(default=30, ge=1, le=3650)


class UseEvent(SQLModel):
    card_id: int = Field(ge=1)
    action: Literal["opened", "copied", "inserted"]
    search_id: int | None = Field(default=None, ge=1)
    conversation: str | None = Field(default=None, max_length=300)  # the sidebar's key for it
    host: str | None = Field(default=None, max_length=255)
    customer_id: int | None = Field(default=None, ge=1)


def _reader(session, user) -> None:
    if not reads_analytics(session, user):
        raise Forbidden("Analytics are for admins and the owners of collections.")


class AnalyticsController(Controller):
    path = "/api/analytics"
    dependencies = AUTHENTICATED
    tags = ["analytics"]

    @post("/events", sync_to_thread=True, status_code=201)
    def record(self, data: JSONBody[UseEvent], db_session: DbSession, user: CurrentUser) -> dict:
        use = service.record_use(db_session, user=user, card_id=data.card_id, action=data.action,
                                 search_id=data.search_id, conversation=data.conversation, host=data.host,
                                 customer_id=data.customer_id)
        return {"id": use.id, "card_id": use.card_id, "action": use.action}

    @get("/zero-results", sync_to_thread=True)
    def zero_results(self, db_session: DbSession, user: CurrentUser, days: int = Days) -> list[dict]:
        _reader(db_session, user)
        rows = service.zero_result_searches(db_session, days=days, readable=readable_collection_ids(db_session, user))
        return [{**row, "last_searched_at": timestamp(row["last_searched_at"])} for row in rows]

    @get("/top-queries", sync_to_thread=True)
    def top_queries(self, db_session: DbSession, user: CurrentUser, days: int = Days) -> list[dict]:
        _reader(db_session, user)
        return service.top_queries(db_session, days=days, readable=readable_collection_ids(db_session, user))

    @get("/top-cards", sync_to_thread=True)
    def top_cards(self, db_session: DbSession, user: CurrentUser, days: int = Days) -> list[dict]:
        _reader(db_session, user)
        return service.most_used_cards(db_session, days=days, readable=readable_collection_ids(db_session, user))

    @get("/unused-cards", sync_to_thread=True)
    def unused_cards(self, db_session: DbSession, user: CurrentUser,
                     days: int = Parameter(default=90, ge=1, le=3650)) -> list[dict]:
        _reader(db_session, user)
        return service.unused_cards(db_session, days=days, readable=readable_collection_ids(db_session, user))

    @get("/conversations", sync_to_thread=True)
    def conversations(self, db_session: DbSession, user: CurrentUser, days: int = Days) -> list[dict]:
        """Per conversation: searches, cards opened, copied and inserted, and when last."""
        _reader(db_session, user)
        rows = service.conversations(db_session, days=days, readable=readable_collection_ids(db_session, user),
                                     reader=user)
        return [{**row, "last_activity": timestamp(row["last_activity"])} for row in rows]
