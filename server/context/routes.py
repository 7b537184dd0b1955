"""POST /api/context: the sidebar's one call per conversation."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, post
from litestar.params import JSONBody
from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from server.cards.presenters import pinned_summary, present_summaries
from server.context.service import context_panel
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession, Index
from server.facts.presenters import present_customer, present_facts
from server.verification.flags import notifications_for


class ContextRequest(SQLModel):
    emails: list[str] = Field(default_factory=list, max_length=50)
    names: list[Annotated[str, StringConstraints(max_length=200)]] = Field(default_factory=list, max_length=50)
    # chat or social names, phone numbers, a help desk's user id as "zendesk:12345"
    handles: list[Annotated[str, StringConstraints(max_length=200)]] = Field(default_factory=list, max_length=50)
    subject: str = Field(default="", max_length=1000)
    text: str = Field(default="", max_length=200_000)
    url: str = Field(default="", max_length=4000)
    # the customer the person chose in the sidebar ("not this customer"); ignored if they may not read it
    customer_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class ContextController(Controller):
    path = "/api/context"
    dependencies = AUTHENTICATED
    tags = ["sidebar"]

    @post("/", sync_to_thread=True, status_code=200)
    def context(self, data: JSONBody[ContextRequest], request: Request, db_session: DbSession, index: Index,
                user: CurrentUser) -> dict:
        panel = context_panel(db_session, index, user=user, emails=data.emails, names=data.names,
                              handles=data.handles, subject=data.subject, text=data.text, url=data.url,
                              customer_id=data.customer_id)
        customer = present_customer(db_session, panel.customer)
        pinned = [pinned_summary(db_session, card, trigger) for trigger, card in panel.pinned]
        suggested = [{**s, "pinned": False} for s in present_summaries(db_session, panel.suggestions)]
        return {
            "customer": customer and {**customer, "matched_by": panel.matched_by, "matched_on": panel.matched_on or None},
            "candidates": [{"id": m.customer.id, "name": m.customer.name, "matched_by": m.matched_by,
                            "identity": m.identity} for m in panel.candidates],
            "facts": present_facts(db_session, panel.facts, user,
                                   stale_days=request.app.state.settings.fact_stale_days),
            "suggestions": pinned + suggested,
            "queue_count": panel.queue_count,
            "notifications": [{"id": n.id, "text": n.text, "card_id": n.card_id}
                              for n in notifications_for(db_session, user, unread_only=True)[:5]],
        }
