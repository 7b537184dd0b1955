"""Flags on cards, notes to people (closing the loop), and the reminder dedupe record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, UniqueConstraint

from server.clock import now

FLAG_KINDS = ("wrong", "unclear", "outdated")


class Flag(SQLModel, table=True):
    """'This card is wrong / unclear / outdated', with a reason; resolving it tells the flagger."""

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True)
    raised_by_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=20)
    reason: str = Field(max_length=2000)
    status: str = Field(default="open", max_length=20, index=True)  # open | resolved
    resolution: str = Field(default="", max_length=2000)
    fixed: bool | None = None
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")
    resolved_at: datetime | None = None
    created_at: datetime = Field(default_factory=now)


class Notification(SQLModel, table=True):
    """Something a person should see in the app and the sidebar (e.g. their flag was resolved)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    text: str = Field(max_length=2000)
    card_id: int | None = Field(default=None, foreign_key="card.id")
    read_at: datetime | None = None
    created_at: datetime = Field(default_factory=now)


class ReminderSent(SQLModel, table=True):
    """Written before a digest is sent, so a second run the same day sends nothing twice."""

    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    day: date
    items: int = 0
    created_at: datetime = Field(default_factory=now)


class Snooze(SQLModel, table=True):
    """A verifier puts a card out of their queue until a date."""

    __table_args__ = (UniqueConstraint("user_id", "card_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    card_id: int = Field(foreign_key="card.id")
    until: datetime


class TrustSnapshot(SQLModel, table=True):
    """Trust score of a day: per collection (collection_id) and overall (collection_id None)."""

    # SQL counts NULLs as distinct in a unique constraint, so (day, collection_id) lets two
    # nodes both write a day's overall row; the partial index allows one. Migration 0002.
    __table_args__ = (
        UniqueConstraint("day", "collection_id"),
        Index("uq_trustsnapshot_overall_day", "day", unique=True, sqlite_where=text("collection_id IS NULL"),
              postgresql_where=text("collection_id IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    collection_id: int | None = Field(default=None, foreign_key="collection.id")
    verified: int
    live: int
