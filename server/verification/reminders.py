"""The daily digest: each verifier gets at most one a day listing their queue. The dedupe
record is written before sending, so running the job twice never sends twice (a crash
between the two may skip one day's digest for one person: better than a double)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from server.accounts.models import User
from server.audit.service import record
from server.clock import now
from server.db import begin_write
from server.mail.sender import build_message, send
from server.settings import Settings
from server.verification.models import ReminderSent
from server.verification.queue import QueueItem, facts_due, queue_for
from server.verification.trust import take_snapshot

LABELS = {"overdue": "overdue", "due_soon": "due within 7 days", "edited": "edited since verified",
          "flagged": "flagged"}


@dataclass
class Digest:
    user: User
    items: list[QueueItem]
    facts: list = ()
    sent_to: str = ""  # 'smtp', an outbox path, or '' for a dry run


def _lines(settings: Settings, items: list[QueueItem]) -> list[tuple[str, str, str]]:
    return [(item.card.title, ", ".join(LABELS[r] for r in item.reasons), f"{settings.base_url}/cards/{item.card.id}")
            for item in items]


def render(settings: Settings, user: User, items: list[QueueItem], facts=()) -> tuple[str, str, str]:
    count = len(items)
    subject = (f"Vouch: {count} card{'s' if count != 1 else ''} wait for your verification" if count
               else f"Vouch: {len(facts)} quick fact reminder{'s' if len(facts) != 1 else ''}")
    lines = _lines(settings, items)
    queue = f"{settings.base_url}/queue"
    text = "\n".join([f"Hello {user.name},", ""]
                     + (["These cards are waiting for you:", ""] if lines else [])
                     + [f"- {title} ({why})\n  {link}" for title, why, link in lines]
                     + (["", "Quick facts you asked to be reminded of:"] if facts else [])
                     + [f"- {fact.text}" for fact in facts]
                     + ["", f"Your whole queue: {queue}", ""])
    rows = "".join(f'<li><a href="{html.escape(link)}">{html.escape(title)}</a> — {html.escape(why)}</li>'
                   for title, why, link in lines)
    fact_rows = "".join(f"<li>{html.escape(fact.text)}</li>" for fact in facts)
    body = (f"<p>Hello {html.escape(user.name)},</p>"
            + (f"<p>These cards are waiting for you:</p><ul>{rows}</ul>" if rows else "")
            + (f"<p>Quick facts you asked to be reminded of:</p><ul>{fact_rows}</ul>" if fact_rows else "")
            + f'<p><a href="{html.escape(queue)}">Open your queue</a></p>')
    return subject, text, body


def _weekly_done(session: Session, user: User, today: date) -> bool:
    """Weekly readers get a digest when none went out in the last seven days."""
    return user.digest == "weekly" and session.exec(select(ReminderSent).where(
        ReminderSent.user_id == user.id, ReminderSent.day > today - timedelta(days=7))).first() is not None


def _claim(session: Session, user: User, day: date, count: int) -> bool:
    """Write today's dedupe record; False when someone (another run) already did."""
    begin_write(session)
    if session.exec(select(ReminderSent).where(ReminderSent.user_id == user.id, ReminderSent.day == day)).first():
        session.rollback()
        return False
    session.add(ReminderSent(user_id=user.id, day=day, items=count))
    try:
        session.commit()
    except IntegrityError:  # a concurrent run claimed it first
        session.rollback()
        return False
    return True


def send_digests(session: Session, settings: Settings, *, dry_run: bool = False) -> list[Digest]:
    today = now().date()
    if not dry_run:
        take_snapshot(session, today)  # the trust score's history, once a day
    digests = []
    for user in session.exec(select(User).where(User.active == True).order_by(User.id)).all():  # noqa: E712
        items, facts = queue_for(session, user), facts_due(session, user)
        if (not items and not facts) or _weekly_done(session, user, today):
            continue  # nothing is sent to someone with an empty queue
        digest = Digest(user=user, items=items, facts=facts)
        if not dry_run:
            if not _claim(session, user, today, len(items) + len(facts)):
                continue
            subject, text, body = render(settings, user, items, facts)
            digest.sent_to = send(settings, build_message(settings, to=user.email, subject=subject, text=text,
                                                          html=body))
            begin_write(session)
            record(session, actor_id=None, action="reminder_sent", target_type="user", target_id=user.id,
                   items=len(items), via="smtp" if digest.sent_to == "smtp" else "outbox")
            session.commit()
        digests.append(digest)
    return digests
