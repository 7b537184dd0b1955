"""Request bodies for quick facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class FactCreate(SQLModel):
    text: str = Field(max_length=2000)
    pinned: bool = False
    remind_at: date | None = None
    expires_at: datetime | None = None


class FactUpdate(SQLModel):
    text: str | None = Field(default=None, max_length=2000)
    pinned: bool | None = None
    remind_at: date | None = None
    expires_at: datetime | None = None
