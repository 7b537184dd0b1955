"""Search endpoint: filters, and every search recorded for analytics."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, get
from litestar.params import Parameter

from server.analytics.service import record_search
from server.cards.presenters import present_summaries
from server.cards.service import readable_collection, readable_collection_ids
from server.policies.access import access_of
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession, Index
from server.search import service
from server.search.duplicates import find_duplicates


class SearchController(Controller):
    path = "/api/search"
    dependencies = AUTHENTICATED
    tags = ["search"]

    @get("/", sync_to_thread=True)
    def search(self, db_session: DbSession, index: Index, user: CurrentUser,
               q: str = Parameter(default=""), limit: int = Parameter(default=10, ge=1, le=50),
               collection: str | None = Parameter(default=None, max_length=100),
               tag: str | None = Parameter(default=None, max_length=50),
               verifier: int | None = Parameter(default=None, ge=1),
               status: Literal["verified", "unverified"] | None = Parameter(default=None),
               source: Literal["sidebar", "editor", "api"] = Parameter(default="api"),
               conversation: str | None = Parameter(default=None, max_length=300)) -> dict:
        access = access_of(db_session, user)
        filters = service.Filters(collection_id=readable_collection(db_session, access, collection).id
                                  if collection else None, tag=tag, verifier_id=verifier, status=status)
        hits, total = service.search(index, text=q, readable=access.readable, limit=limit, filters=filters)
        results = present_summaries(db_session, hits)
        search_id = record_search(db_session, user=user, query=q, source=source, result_count=total,
                                  hit_collections=[r["collection"]["id"] for r in results if r["collection"]],
                                  conversation=conversation)
        return {"query": q, "search_id": search_id, "results": results, "total": total}

    @get("/duplicates", sync_to_thread=True)
    def duplicates(self, db_session: DbSession, index: Index, user: CurrentUser,
                   title: str = Parameter(default="", max_length=300),
                   text: str = Parameter(default="", max_length=20_000),
                   card_id: int | None = Parameter(default=None, ge=1)) -> list[dict]:
        found = find_duplicates(index, title=title, body=text, readable=readable_collection_ids(db_session, user),
                                exclude_card_id=card_id)
        return [{"id": d.card_id, "title": d.title, "similarity": d.similarity} for d in found]
