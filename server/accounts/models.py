"""Users, groups and API tokens."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from server.clock import now


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=320)
    name: str = Field(max_length=200)
    role: str = Field(default="member", max_length=20)  # member | admin
    password_hash: str | None = Field(default=None, max_length=300)
    active: bool = True
    digest: str = Field(default="daily", max_length=10)  # daily | weekly: how often reminders come
    created_at: datetime = Field(default_factory=now)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Group(SQLModel, table=True):
    __tablename__ = "user_group"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    created_at: datetime = Field(default_factory=now)


class GroupMember(SQLModel, table=True):
    group_id: int = Field(foreign_key="user_group.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    # Added because the company's sign-in said so: such a membership ends when the provider
    # no longer lists the group, while one an admin made is left alone.
    from_claim: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class ApiToken(SQLModel, table=True):
    """Only a hash of the token is kept; the token itself is shown once."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=200)
    token_hash: str = Field(unique=True, max_length=64)
    prefix: str = Field(max_length=16)
    # "extension": made by the extension's connect page; what it saves is recorded as from the
    # sidebar. "personal": made on the tokens page or the command line (scripts): "api".
    kind: str = Field(default="personal", max_length=20, sa_column_kwargs={"server_default": "personal"})
    created_at: datetime = Field(default_factory=now)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class WebSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its hash is kept, so a
    database leak signs nobody in, and any node can check it (no state in one node's memory)."""

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime


class OidcLogin(SQLModel, table=True):
    """A sign-in sent to the company's provider and not back yet. Kept in the database so the
    callback may reach any node; only a hash of its state is kept, and the row is deleted
    when the callback uses it, so a state works once."""

    state_hash: str = Field(primary_key=True, max_length=64)
    nonce: str = Field(max_length=100)
    code_verifier: str = Field(max_length=128)
    next_page: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=now)
    expires_at: datetime = Field(index=True)


class SignInFailure(SQLModel, table=True):
    """A wrong password for an address, from a client, kept for a short while to slow down guessing."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, max_length=320)
    client: str = Field(default="", max_length=45, index=True, sa_column_kwargs={"server_default": ""})
    created_at: datetime = Field(default_factory=now, index=True)


class SigningKey(SQLModel, table=True):
    """Which secret key signs the web pages' forms on this database (a fingerprint, never
    the key): every node of one database must use the same key, or a form served by one
    node fails on the next with 403."""

    id: int = Field(default=1, primary_key=True)
    fingerprint: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=now)
