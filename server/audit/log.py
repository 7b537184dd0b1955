"""Reading the audit log: admins filter it (who, what, which kind of object, which days) on
the admin page and through the API, and download it as CSV. Nothing here changes it: no
route edits or deletes an event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlmodel import Session, select

from server.policies.accounts import require_admin
from server.accounts.models import ApiToken, Group, User
from server.audit.models import AuditEvent
from server.cards.models import Card, Collection
from server.errors import Invalid
from server.facts.models import Customer, QuickFact
from server.spreadsheet import BOM, csv_text

PAGE = 100
MAX_PAGE = 1000
CSV_BATCH = 2000
CSV_COLUMNS = ("time", "actor_email", "actor_name", "action", "target_type", "target_id", "target", "details")


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  # an email, or part of one
    target_type: str = ""
    since: date | None = None
    until: date | None = None  # inclusive

    @classmethod
    def parse(cls, *, action: str = "", actor: str = "", target_type: str = "", since: str = "",
              until: str = "") -> AuditFilter:
        return cls(action=action.strip()[:50], actor=actor.strip().lower()[:320], target_type=target_type.strip()[:30],
                   since=_day(since, "since"), until=_day(until, "until"))

    def query(self):
        query = select(AuditEvent)
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.target_type:
            query = query.where(AuditEvent.target_type == self.target_type)
        if self.actor:
            people = select(User.id).where(User.email.contains(self.actor))
            query = query.where(AuditEvent.actor_id.in_(people))
        if self.since:
            query = query.where(AuditEvent.created_at >= datetime.combine(self.since, time.min, tzinfo=timezone.utc))
        if self.until:
            end = datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=timezone.utc)
            query = query.where(AuditEvent.created_at < end)
        return query

    def as_query_string(self) -> dict[str, str]:
        return {k: v for k, v in (("action", self.action), ("actor", self.actor), ("target_type", self.target_type),
                                  ("since", self.since and self.since.isoformat() or ""),
                                  ("until", self.until and self.until.isoformat() or "")) if v}


def _day(value: str, name: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Invalid(f"'{name}' must be a date such as 2026-12-04.", code="invalid_date") from None


def events(session: Session, *, actor: User, filters: AuditFilter, before: int | None = None,
           limit: int = PAGE) -> tuple[list[dict], int | None]:
    """The newest events matching `filters` (older than event `before`), presented; and the id
    to ask for the next, older page with (None when there is no more)."""
    require_admin(actor)
    limit = max(1, min(limit, MAX_PAGE))
    query = filters.query()
    if before is not None:
        query = query.where(AuditEvent.id < before)
    rows = list(session.exec(query.order_by(AuditEvent.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return present(session, rows), (rows[-1].id if more else None)


def actions(session: Session) -> list[str]:
    """Every action the log holds, for the filter's choices."""
    return sorted(session.exec(select(AuditEvent.action).distinct()))


def target_types(session: Session) -> list[str]:
    return sorted(session.exec(select(AuditEvent.target_type).distinct()))


_TARGETS = {  # target_type: (model, what names it)
    "card": (Card, lambda c: c.title), "user": (User, lambda u: u.email), "group": (Group, lambda g: g.name),
    "collection": (Collection, lambda c: c.slug), "customer": (Customer, lambda c: c.name),
    "fact": (QuickFact, lambda f: f.text[:80]), "api_token": (ApiToken, lambda t: t.name),
}


def _kept_name(details: dict) -> str:
    """How an event names its target when the target is gone (a deleted fact, say)."""
    before = details.get("before") if isinstance(details.get("before"), dict) else {}
    return str(details.get("name") or details.get("email") or before.get("text", ""))[:80]


def present(session: Session, rows: list[AuditEvent]) -> list[dict]:
    """Events with their actor and target named (a target deleted since is named from the
    event's own details when it kept a name, else by its id)."""
    people = {u.id: u for u in session.exec(select(User).where(User.id.in_({r.actor_id for r in rows})))}
    names: dict[tuple[str, int], str] = {}
    for kind, (model, name) in _TARGETS.items():
        ids = {r.target_id for r in rows if r.target_type == kind and r.target_id is not None}
        if ids:
            names.update(((kind, row.id), name(row)) for row in session.exec(select(model).where(model.id.in_(ids))))
    return [{
        "id": r.id, "time": r.created_at, "action": r.action,
        "actor": {"id": r.actor_id, "email": people[r.actor_id].email, "name": people[r.actor_id].name}
        if r.actor_id in people else None,
        "target_type": r.target_type, "target_id": r.target_id,
        "target": names.get((r.target_type, r.target_id)) or _kept_name(r.details),
        "details": r.details,
    } for r in rows]


def csv_text_of(session: Session, *, actor: User, filters: AuditFilter) -> str:
    """The whole filtered log as CSV, newest first (see spreadsheet.py for how cells are made safe)."""
    return "".join(_csv_chunks(session, actor=actor, filters=filters))


def _csv_chunks(session: Session, *, actor: User, filters: AuditFilter) -> Iterator[str]:
    """Read a batch of events at a time: the rows of a year's log are not all loaded at once."""
    require_admin(actor)
    yield BOM + csv_text([CSV_COLUMNS])
    before = None
    while True:
        page, before = events(session, actor=actor, filters=filters, before=before, limit=CSV_BATCH)
        yield csv_text([(e["time"].isoformat(), (e["actor"] or {}).get("email"), (e["actor"] or {}).get("name"), e["action"],
                         e["target_type"], e["target_id"], e["target"],
                         json.dumps(e["details"], ensure_ascii=False, sort_keys=True)) for e in page])
        if before is None:
            return
