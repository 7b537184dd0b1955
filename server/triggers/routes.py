"""Trigger endpoints: list, create, delete, and test against a sample conversation."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, Parameter
from sqlmodel import Field, SQLModel

from server.cards.presenters import pinned_summary
from server.cards.service import readable_collection_ids
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.facts.service import match_customer
from server.presenting import timestamp
from server.triggers import service
from server.triggers.matching import Conversation


class TriggerCreate(SQLModel):
    card_id: int = Field(ge=1)
    kind: Literal["site", "customer", "domain", "words"]
    pattern: str = Field(max_length=500)


class SampleConversation(SQLModel):
    emails: list[str] = Field(default_factory=list, max_length=50)
    url: str = Field(default="", max_length=4000)
    subject: str = Field(default="", max_length=1000)
    text: str = Field(default="", max_length=200_000)


def present_trigger(trigger) -> dict:
    return {"id": trigger.id, "card_id": trigger.card_id, "kind": trigger.kind, "pattern": trigger.pattern,
            "hits": trigger.hits, "created_at": timestamp(trigger.created_at)}


class TriggerController(Controller):
    path = "/api/triggers"
    dependencies = AUTHENTICATED
    tags = ["triggers"]

    @get("/", sync_to_thread=True)
    def list(self, db_session: DbSession, user: CurrentUser,
             card_id: int | None = Parameter(default=None, ge=1)) -> list[dict]:
        readable = readable_collection_ids(db_session, user)
        return [present_trigger(t) for t in service.list_triggers(db_session, readable=readable, card_id=card_id)]

    @post("/", sync_to_thread=True)
    def create(self, data: JSONBody[TriggerCreate], db_session: DbSession, user: CurrentUser) -> dict:
        return present_trigger(service.create_trigger(db_session, actor=user, card_id=data.card_id,
                                                      kind=data.kind, pattern=data.pattern))

    @delete("/{trigger_id:int}", sync_to_thread=True)
    def remove(self, trigger_id: FromPath[int], db_session: DbSession, user: CurrentUser) -> None:
        service.delete_trigger(db_session, actor=user, trigger_id=trigger_id)

    @post("/test", sync_to_thread=True, status_code=200)
    def test(self, data: JSONBody[SampleConversation], db_session: DbSession, user: CurrentUser) -> dict:
        customer = match_customer(db_session, data.emails, user=user)
        conversation = Conversation(url=data.url, emails=tuple(e.lower() for e in data.emails),
                                    customer_id=customer.id if customer else None,
                                    text=f"{data.subject}\n{data.text}")
        found = service.pinned_for(db_session, conversation, readable=readable_collection_ids(db_session, user),
                                   count_hits=False)
        return {"matches": [{"trigger": present_trigger(t), "card": pinned_summary(db_session, c, t)}
                            for t, c in found]}
