"""Adapter health through the API: the extension reports a failed check; admins read the summary."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import JSONBody, Parameter
from sqlmodel import Field, SQLModel

from server.adapters import service
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession
from server.presenting import timestamp


class FailureReport(SQLModel):
    adapter: str = Field(max_length=20)
    adapter_version: str = Field(max_length=20)
    host: str = Field(max_length=260)
    check: str = Field(max_length=20)


def present_summary(row: service.FailureSummary) -> dict:
    return {"adapter": row.adapter, "host": row.host, "check": row.check_name, "count": row.count,
            "people": row.people, "recent": row.recent, "burst": row.burst, "versions": list(row.versions),
            "first_seen": timestamp(row.first_seen), "last_seen": timestamp(row.last_seen)}


class AdapterHealthController(Controller):
    path = "/api/adapter-health"
    dependencies = AUTHENTICATED
    tags = ["admin"]

    @post("/", sync_to_thread=True, status_code=202)
    def report(self, data: JSONBody[FailureReport], db_session: DbSession, user: CurrentUser) -> dict:
        kept = service.record_failure(db_session, user=user, adapter=data.adapter,
                                      adapter_version=data.adapter_version, host=data.host, check=data.check)
        return {"kept": kept}

    @get("/", sync_to_thread=True)
    def failures(self, db_session: DbSession, user: CurrentUser,
                 days: int = Parameter(default=7, ge=1, le=service.MAX_DAYS)) -> dict:
        rows = service.summary(db_session, actor=user, days=days)
        return {"days": days, "burst_minutes": int(service.BURST_WINDOW.total_seconds() // 60),
                "failures": [present_summary(r) for r in rows]}
