"""The outbox the search index follows: one row per card change, numbered in order."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from server.clock import now


class IndexChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="card", max_length=20)
    object_id: int
    created_at: datetime = Field(default_factory=now)
