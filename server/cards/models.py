"""Collections, cards and their revisions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from server.clock import now

STATUSES = ("verified", "unverified", "archived")
ROLES = ("read", "edit", "verify", "own")  # on a collection, each including the ones before it
INTERVALS = (7, 14, 30, 90, 180, 365)  # days; None means "never due"


class Collection(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    name: str = Field(max_length=200)
    description: str = ""
    default_verifier_id: int | None = Field(default=None, foreign_key="user.id")
    # No column default: SQLAlchemy would put it in place of an explicit None ("never due").
    default_interval_days: int | None = Field(default=90, sa_column_kwargs={"default": None})
    # Open: every member reads and edits it. Restricted: only those its access list names
    # (and its owner, the default verifier); an admin too only when named.
    restricted: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    created_at: datetime = Field(default_factory=now)


class CollectionGrant(SQLModel, table=True):
    """One line of a collection's access list: a user or a group, and its role there."""

    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = Field(foreign_key="collection.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="user_group.id", index=True)
    role: str = Field(max_length=10)  # read | edit | verify | own
    created_at: datetime = Field(default_factory=now)


class Card(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("collection_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = Field(foreign_key="collection.id", index=True)
    slug: str = Field(max_length=200)
    title: str = Field(max_length=300)
    body: str = ""
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    language: str = Field(default="en", max_length=10)
    # Indexed: queues, the verifier filter and deactivating a user look cards up by it.
    verifier_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    verifier_group_id: int | None = Field(default=None, foreign_key="user_group.id")
    assignee_id: int | None = Field(default=None, foreign_key="user.id")  # the group member whose turn it is
    interval_days: int | None = Field(default=90, sa_column_kwargs={"default": None})
    status: str = Field(default="unverified", max_length=20, index=True)
    verified_at: datetime | None = None
    verified_by_id: int | None = Field(default=None, foreign_key="user.id")
    verify_due_at: datetime | None = Field(default=None, index=True)
    version: int = 1
    created_at: datetime = Field(default_factory=now)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=now)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


class CardRevision(SQLModel, table=True):
    """Every version of a card, with who made it, when, and from where."""

    __table_args__ = (UniqueConstraint("card_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True)
    version: int
    title: str
    body: str
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=20)
    author_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=now)
    origin: str = Field(default="api", max_length=20)  # editor | sidebar | import | api
    origin_host: str | None = Field(default=None, max_length=255)
    note: str = ""
