"""What the extension reports when a help desk's page no longer looks the way its adapter
expects: which adapter, on which host, which check failed. Never any of the page's content."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from server.clock import now

ADAPTERS = ("freescout", "freshdesk", "front", "generic", "gmail", "helpscout", "intercom", "outlook", "slack",
            "zammad", "zendesk")
CHECKS = ("conversation", "messages", "customer")  # the container, the message bodies, the customer field


class AdapterFailure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    adapter: str = Field(max_length=20, index=True)
    adapter_version: str = Field(max_length=20)
    host: str = Field(max_length=253)
    check_name: str = Field(max_length=20)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=now, index=True)
