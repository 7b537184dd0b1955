"""Triggers: an owner pins a card to a site, a customer, an email domain, or words."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from server.clock import now

KINDS = ("site", "customer", "domain", "words")


class Trigger(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True)
    kind: str = Field(max_length=20)
    pattern: str = Field(max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=now)
    hits: int = 0  # how often it has put its card in front of someone
