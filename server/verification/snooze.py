"""Snoozing a card out of one's queue for a set time."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from server.accounts.models import User
from server.audit.service import record
from server.cards.service import readable_card
from server.clock import now
from server.db import begin_write
from server.errors import Invalid
from server.verification.models import Snooze

SNOOZE_DAYS = (1, 3, 7, 14, 30)


def snooze_card(session: Session, *, actor: User, card_id: int, days: int) -> Snooze:
    if days not in SNOOZE_DAYS:
        raise Invalid(f"Snooze for {', '.join(map(str, SNOOZE_DAYS))} days.", code="invalid_snooze")
    begin_write(session)
    readable_card(session, actor, card_id)
    snooze = session.exec(select(Snooze).where(Snooze.user_id == actor.id, Snooze.card_id == card_id)).first() \
        or Snooze(user_id=actor.id, card_id=card_id, until=now())
    snooze.until = now() + timedelta(days=days)
    session.add(snooze)
    record(session, actor_id=actor.id, action="snooze", target_type="card", target_id=card_id, days=days)
    session.commit()
    return snooze


def snoozed_cards(session: Session, user: User) -> set[int]:
    return set(session.exec(select(Snooze.card_id).where(Snooze.user_id == user.id, Snooze.until > now())))
