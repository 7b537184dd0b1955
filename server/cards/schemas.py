"""Request bodies for cards, validated (non-table SQLModel variants)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Origin(SQLModel):
    """Where the client says it is. The server decides the kind itself (sidebar or API, from
    the token); `kind` is still accepted from older extensions and ignored."""

    kind: str = Field(default="api", max_length=20)
    host: str | None = Field(default=None, max_length=255)


class CardCreate(SQLModel):
    collection: str = Field(min_length=1, max_length=100)
    title: str = Field(max_length=300)
    body: str = Field(default="", max_length=100_000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    language: str | None = Field(default=None, max_length=10)
    interval_days: int | None = Field(default=-1)  # -1: the collection's default; null: never due
    origin: Origin = Field(default_factory=Origin)


class CardUpdate(SQLModel):
    title: str | None = Field(default=None, max_length=300)
    body: str | None = Field(default=None, max_length=100_000)
    tags: list[str] | None = Field(default=None, max_length=20)
    origin: Origin = Field(default_factory=Origin)
