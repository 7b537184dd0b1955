"""Asking a card's expert to verify it: a note in their app and a line in their digest."""

from __future__ import annotations

from sqlmodel import Session, select

from server.accounts.models import GroupMember, User
from server.audit.service import record
from server.cards.service import readable_card
from server.db import begin_write
from server.verification.models import Notification
from server.text import one_line


def request_verification(session: Session, *, actor: User, card_id: int, note: str = "") -> int:
    """Tells the card's verifier (or each member of its verifier group). Returns how many were told."""
    note = one_line(note)[:500]
    begin_write(session)
    card = readable_card(session, actor, card_id)
    people = {card.verifier_id} if card.verifier_id else set()
    if card.verifier_group_id:
        people |= set(session.exec(select(GroupMember.user_id).where(GroupMember.group_id == card.verifier_group_id)))
    text = f"{actor.name} asks you to verify “{card.title}”" + (f": {note}" if note else ".")
    for user_id in people - {actor.id}:
        session.add(Notification(user_id=user_id, card_id=card.id, text=text))
    record(session, actor_id=actor.id, action="request_verification", target_type="card", target_id=card.id,
           note=note)
    session.commit()
    return len(people - {actor.id})
