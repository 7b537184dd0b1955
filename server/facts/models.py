"""Customers (matched by email address, domain, name or handle) and their quick facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from server.clock import now


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=200)
    name: str = Field(index=True, max_length=200)
    notes: str = ""
    external_ids: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now)
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # a stale edit is a conflict


class CustomerAccess(SQLModel, table=True):
    """A restricted customer (a key account) is read only by the members of the groups named
    here; a customer with no row is read by every member."""

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    group_id: int = Field(foreign_key="user_group.id", primary_key=True, index=True)


class CustomerEmail(SQLModel, table=True):
    email: str = Field(primary_key=True, max_length=320)  # lower-cased
    customer_id: int = Field(foreign_key="customer.id", index=True)


class CustomerDomain(SQLModel, table=True):
    domain: str = Field(primary_key=True, max_length=255)  # lower-cased
    customer_id: int = Field(foreign_key="customer.id", index=True)


class CustomerHandle(SQLModel, table=True):
    """A chat or social name, a phone number or a help desk's user name by which a
    conversation without an email address still finds its customer."""

    handle: str = Field(primary_key=True, max_length=200)  # case-folded, spaces collapsed
    customer_id: int = Field(foreign_key="customer.id", index=True)


class QuickFact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    text: str
    pinned: bool = False
    author_id: int | None = Field(default=None, foreign_key="user.id")
    remind_at: date | None = None
    expires_at: datetime | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    # When someone last said the fact still holds (saving its text says so too); an old one "may be stale".
    confirmed_at: datetime | None = None
    confirmed_by_id: int | None = Field(default=None, foreign_key="user.id")
