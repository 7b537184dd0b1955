"""Request bodies for quick facts and customers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import StringConstraints
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


class CustomerAccessUpdate(SQLModel):
    """The groups that alone may read the customer, by name; an empty list opens it to every member."""

    groups: list[Annotated[str, StringConstraints(max_length=200)]] = Field(max_length=100)
