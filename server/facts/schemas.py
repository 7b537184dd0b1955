"""Request bodies for quick facts and customers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError
from sqlmodel import Field, SQLModel


def _checked(kind: type, example: str):
    """A date or moment as ISO 8601 text (or null), refused with an example of one that works."""
    def check(value):
        if value is None or isinstance(value, kind):
            return value
        if isinstance(value, str):
            try:
                return kind.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                pass
        raise PydanticCustomError("invalid_date", "must be {kind} such as {example}, or null",
                                  {"kind": "a date" if kind is date else "a date and time", "example": example})
    return BeforeValidator(check)


Day = Annotated[date | None, _checked(date, "2027-03-03")]
Moment = Annotated[datetime | None, _checked(datetime, "2027-03-03T09:00:00Z")]


class FactCreate(SQLModel):
    text: str = Field(max_length=2000)
    pinned: bool = False
    remind_at: Day = None
    expires_at: Moment = None


class FactUpdate(SQLModel):
    """Each field is optional: what is left out stays; null clears a date."""

    text: str | None = Field(default=None, max_length=2000)
    pinned: bool | None = None
    remind_at: Day = None
    expires_at: Moment = None


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
