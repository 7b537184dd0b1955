"""Search endpoint."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import Parameter
from sqlmodel import Session

from server.accounts.models import User
from server.cards.presenters import present_summaries
from server.cards.service import readable_collection_ids
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession, Index
from server.search import service
from server.search.index import SearchIndex


class SearchController(Controller):
    path = "/api/search"
    dependencies = AUTHENTICATED
    tags = ["search"]

    @get("/", sync_to_thread=True)
    def search(self, db_session: DbSession, index: Index, user: CurrentUser,
               q: str = Parameter(default=""), limit: int = Parameter(default=10, ge=1, le=50)) -> dict:
        hits, total = service.search(index, text=q, readable=readable_collection_ids(db_session, user), limit=limit)
        return {"query": q, "results": present_summaries(db_session, hits), "total": total}
