"""Adapter health: failures the extension reports, and the admins' summary of them.

A failure says that on `host`, the `adapter` (at `adapter_version`) could not find what one of
its checks looks for. The same person's same failure is kept once a minute (a page that
re-renders would report it on every change), so a count is of moments, not of re-renders.
A burst (several failures from one host in the last minutes) is how a host's markup change
shows: every agent on that help desk hits it at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from server.accounts.models import User
from server.adapters.models import ADAPTERS, CHECKS, AdapterFailure
from server.clock import now
from server.db import begin_write
from server.errors import Invalid
from server.policies.accounts import require_admin

SAME_FAILURE = timedelta(minutes=1)
BURST_WINDOW = timedelta(minutes=15)
BURST_COUNT = 3
MAX_DAYS = 90
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$")
_VERSION = re.compile(r"^\d{1,4}(?:\.\d{1,4}){0,3}$")


@dataclass(frozen=True)
class FailureSummary:
    adapter: str
    host: str
    check_name: str
    count: int
    people: int
    recent: int  # within BURST_WINDOW
    versions: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime

    @property
    def burst(self) -> bool:
        return self.recent >= BURST_COUNT


def clean_report(*, adapter: str, adapter_version: str, host: str, check: str) -> tuple[str, str, str, str]:
    """The four things a report may say, each checked: nothing else is kept."""
    if adapter not in ADAPTERS:
        raise Invalid(f"adapter must be one of {', '.join(ADAPTERS)}.", code="invalid_adapter")
    if check not in CHECKS:
        raise Invalid(f"check must be one of {', '.join(CHECKS)}.", code="invalid_check")
    host = (host or "").strip().lower()
    if not _HOST.match(host):
        raise Invalid("host is the page's host name, such as support.example.com.", code="invalid_host")
    if not _VERSION.match(adapter_version or ""):
        raise Invalid("adapter_version is a version number such as 0.1.0.", code="invalid_version")
    return adapter, adapter_version, host, check


def record_failure(session: Session, *, user: User, adapter: str, adapter_version: str, host: str,
                   check: str) -> bool:
    """Keep one report; False when the same person reported the same failure within a minute."""
    adapter, adapter_version, host, check = clean_report(adapter=adapter, adapter_version=adapter_version,
                                                         host=host, check=check)
    begin_write(session)
    moment = now()
    same = session.exec(select(AdapterFailure.id).where(
        AdapterFailure.user_id == user.id, AdapterFailure.adapter == adapter, AdapterFailure.host == host,
        AdapterFailure.check_name == check, AdapterFailure.created_at > moment - SAME_FAILURE).limit(1)).first()
    if same is not None:
        session.commit()
        return False
    session.add(AdapterFailure(adapter=adapter, adapter_version=adapter_version, host=host, check_name=check,
                               user_id=user.id, created_at=moment))
    session.commit()
    return True


def summary(session: Session, *, actor: User, days: int = 7) -> list[FailureSummary]:
    """Per adapter, host and check: failures in the last `days`, newest first, bursts on top."""
    require_admin(actor)
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"days must be between 1 and {MAX_DAYS}.", code="invalid_days")
    moment = now()
    since, recent_since = moment - timedelta(days=days), moment - BURST_WINDOW
    key = (AdapterFailure.adapter, AdapterFailure.host, AdapterFailure.check_name)
    rows = session.exec(select(*key, func.count(), func.count(AdapterFailure.user_id.distinct()),
                               func.min(AdapterFailure.created_at), func.max(AdapterFailure.created_at))
                        .where(AdapterFailure.created_at >= since).group_by(*key)).all()
    recent = {tuple(r[:3]): r[3] for r in session.exec(
        select(*key, func.count()).where(AdapterFailure.created_at >= recent_since).group_by(*key)).all()}
    versions: dict[tuple, set[str]] = {}
    for adapter, host, check, version in session.exec(
            select(*key, AdapterFailure.adapter_version).where(AdapterFailure.created_at >= since).distinct()):
        versions.setdefault((adapter, host, check), set()).add(version)
    found = [FailureSummary(adapter=a, host=h, check_name=c, count=n, people=p, recent=recent.get((a, h, c), 0),
                            versions=tuple(sorted(versions.get((a, h, c), ()))), first_seen=first, last_seen=last)
             for a, h, c, n, p, first, last in rows]
    return sorted(found, key=lambda s: (not s.burst, -s.last_seen.timestamp(), s.adapter, s.host, s.check_name))
