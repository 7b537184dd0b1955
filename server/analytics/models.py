"""What people search for and which cards they use: the raw material of the reports."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from server.clock import now

SOURCES = ("sidebar", "editor", "suggestion", "api")
ACTIONS = ("opened", "copied", "inserted")


class SearchEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    query: str = Field(max_length=500)
    normalized: str = Field(max_length=500, index=True)  # lower-cased, spaces folded: what reports group by
    source: str = Field(default="api", max_length=20)
    result_count: int = 0
    # The collections of the cards it found, as ",3,7,": a report never shows a query to
    # someone who may not read one of them (the query itself tells what such a card is about).
    hit_collections: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    # The sidebar's key for the conversation it was open on ("acme.zendesk.com ticket 123"),
    # so a report can follow one conversation from a search to the card put in the reply.
    conversation: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=now, index=True)


class CardUse(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    search_id: int | None = Field(default=None, foreign_key="searchevent.id")
    action: str = Field(max_length=20)
    conversation: str | None = Field(default=None, max_length=300)
    host: str | None = Field(default=None, max_length=255)  # the site the sidebar was open on
    # The matched customer, if the user read it. Deleting the customer forgets it here (the use
    # stays counted), so deleting or merging customers never trips over analytics.
    customer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=now, index=True)
