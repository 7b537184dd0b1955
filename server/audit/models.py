"""Who did what to which object, and when: the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from server.clock import now


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=50, index=True)   # verify, unverify, flag, resolve, reminder_sent, ...
    target_type: str = Field(max_length=30)
    target_id: int | None = None
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now, index=True)
