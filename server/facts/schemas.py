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


Line = Annotated[str, StringConstraints(max_length=320)]


class CustomerCreate(SQLModel):
    """A new customer; external_ids such as {"crm": "4711"} let a later import find it again."""

    name: str = Field(max_length=200)
    emails: list[Line] = Field(default_factory=list, max_length=50)
    domains: list[Line] = Field(default_factory=list, max_length=50)
    handles: list[Line] = Field(default_factory=list, max_length=50)
    external_ids: dict[Annotated[str, StringConstraints(max_length=40)], Line] = Field(default_factory=dict,
                                                                                      max_length=20)
    notes: str = Field(default="", max_length=10_000)


class CustomerUpdate(SQLModel):
    """What is sent replaces what is saved (a list wholly); what is left out stays as it is."""

    name: str | None = Field(default=None, max_length=200)
    emails: list[Line] | None = Field(default=None, max_length=50)
    domains: list[Line] | None = Field(default=None, max_length=50)
    handles: list[Line] | None = Field(default=None, max_length=50)
    external_ids: dict[Annotated[str, StringConstraints(max_length=40)], Line] | None = Field(default=None,
                                                                                             max_length=20)
    notes: str | None = Field(default=None, max_length=10_000)


class CustomerMerge(SQLModel):
    into: int = Field(ge=1, le=2**31 - 1)
