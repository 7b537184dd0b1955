"""What the server does once a day by itself: record the trust score's snapshot (always),
and send the day's digests at a set time (VOUCH_REMIND_AT, when set). Several servers may
all try: each snapshot and each digest is claimed in the database once, so none is doubled."""

from __future__ import annotations

import logging
import threading
from datetime import time

from server.clock import now
from server.db import Database
from server.errors import Invalid
from server.settings import Settings
from server.verification.reminders import send_digests
from server.verification.trust import take_snapshot

log = logging.getLogger(__name__)


def parse_time(value: str) -> time:
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        return time(hours, minutes)
    except ValueError as error:
        raise Invalid(f"VOUCH_REMIND_AT must look like 08:30, not {value!r}.", code="invalid_setting") from error


def due_today(at: time, last_run_day) -> bool:
    moment = now()
    return moment.time() >= at and moment.date() != last_run_day


def run_schedule(db: Database, settings: Settings, stop: threading.Event, poll_seconds: float = 60.0) -> None:
    """Polls every `poll_seconds`, the first time one poll after start: the work of a
    start (reading the index ahead) comes first."""
    at = parse_time(settings.remind_at) if settings.remind_at else None
    snapshot_day = digest_day = None
    while not stop.wait(poll_seconds):
        today = now().date()
        if snapshot_day != today:  # the trust score's history grows on every install
            try:
                with db.session() as session:
                    if take_snapshot(session, today) is not None:  # None: no live card yet
                        snapshot_day = today
            except Exception:  # tried again at the next poll
                log.exception("recording the trust score failed")
        if at is not None and due_today(at, digest_day):
            try:
                with db.session() as session:
                    sent = send_digests(session, settings)
                log.info("sent %d verification digest(s)", len(sent))
                digest_day = now().date()
            except Exception:  # tried again at the next poll
                log.exception("sending digests failed")
