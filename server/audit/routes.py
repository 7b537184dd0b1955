"""The audit log through the API, for admins: filtered pages of events, and the CSV download."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import Parameter

from server.audit import log
from server.dependencies import AUTHENTICATED, CurrentUser, DbSession

Text = Parameter(default="", max_length=320)


class AuditController(Controller):
    path = "/api/audit"
    dependencies = AUTHENTICATED
    tags = ["admin"]

    @get("/", sync_to_thread=True)
    def list_events(self, db_session: DbSession, user: CurrentUser, action: str = Text, actor: str = Text,
                    target_type: str = Text, since: str = Text, until: str = Text,
                    before: int | None = Parameter(default=None, ge=1, le=2**63 - 1),
                    limit: int = Parameter(default=log.PAGE, ge=1, le=log.MAX_PAGE)) -> dict:
        """Newest first; pass `next_before` back as `before` for the next, older page."""
        filters = log.AuditFilter.parse(action=action, actor=actor, target_type=target_type, since=since, until=until)
        events, next_before = log.events(db_session, actor=user, filters=filters, before=before, limit=limit)
        return {"events": events, "next_before": next_before}

    @get("/csv", sync_to_thread=True)
    def download(self, db_session: DbSession, user: CurrentUser, action: str = Text, actor: str = Text,
                 target_type: str = Text, since: str = Text, until: str = Text) -> Response:
        filters = log.AuditFilter.parse(action=action, actor=actor, target_type=target_type, since=since, until=until)
        return csv_response(log.csv_text_of(db_session, actor=user, filters=filters))


def csv_response(text: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="vouch-audit-log.csv"', "Cache-Control": "no-store"})
