"""A verifier's queue: overdue cards, cards due within 7 days, cards unverified by an
edit, and flagged cards; sortable by how long they waited or by how much they are used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, func, or_, select

from server.accounts.models import User
from server.accounts.service import group_ids_of
from server.analytics.models import CardUse
from server.cards.models import Card
from server.clock import now
from server.facts.models import QuickFact
from server.verification.assignment import group_members, turn_of
from server.verification.flags import open_flags_on
from server.verification.snooze import snoozed_cards

DUE_SOON = timedelta(days=7)
ACTIONABLE = ("overdue", "edited", "flagged")  # what the badge counts; 'due_soon' is a heads-up


@dataclass
class QueueItem:
    card: Card
    reasons: list[str] = field(default_factory=list)
    waiting_since: datetime | None = None
    uses: int = 0


def _my_cards(session: Session, user: User) -> list[Card]:
    """Cards I verify myself, and my group's cards when it is my turn (or I took them)."""
    groups = group_ids_of(session, user)
    mine = or_(Card.verifier_id == user.id, Card.verifier_group_id.in_(groups)) if groups else Card.verifier_id == user.id
    cards = session.exec(select(Card).where(mine, Card.status != "archived")).all()
    members = {g: group_members(session, g) for g in groups}
    snoozed = snoozed_cards(session, user)
    return [c for c in cards if c.id not in snoozed and (
        c.verifier_id == user.id or turn_of(c, members.get(c.verifier_group_id, [])) == user.id)]


def facts_due(session: Session, user: User) -> list[QuickFact]:
    """Quick facts whose reminder date has come, in their author's queue ('back from leave?')."""
    return list(session.exec(select(QuickFact).where(QuickFact.author_id == user.id,
                                                     QuickFact.remind_at <= now().date()).order_by(QuickFact.remind_at)))


def queue_for(session: Session, user: User, *, sort: str = "waiting") -> list[QueueItem]:
    moment = now()
    cards = _my_cards(session, user)
    flags = open_flags_on(session, [c.id for c in cards])
    items = []
    for card in cards:
        item = QueueItem(card=card)
        since = []
        if card.status == "unverified":
            item.reasons.append("edited")
            since.append(card.updated_at)
        elif card.verify_due_at is not None and card.verify_due_at <= moment:
            item.reasons.append("overdue")
            since.append(card.verify_due_at)
        elif card.verify_due_at is not None and card.verify_due_at <= moment + DUE_SOON:
            item.reasons.append("due_soon")
        if card.id in flags:
            item.reasons.append("flagged")
            since.append(flags[card.id][0].created_at)
        if item.reasons:
            item.waiting_since = min(since) if since else card.verify_due_at
            items.append(item)
    uses = _uses(session, [i.card.id for i in items], moment)
    for item in items:
        item.uses = uses.get(item.card.id, 0)
    if sort == "usage":
        items.sort(key=lambda i: (-i.uses, i.waiting_since or moment, i.card.id))
    else:
        items.sort(key=lambda i: (i.waiting_since or moment, i.card.id))
    return items


def _uses(session: Session, card_ids: list[int], moment: datetime) -> dict[int, int]:
    if not card_ids:
        return {}
    rows = session.exec(select(CardUse.card_id, func.count()).where(
        CardUse.card_id.in_(card_ids), CardUse.created_at >= moment - timedelta(days=90)).group_by(CardUse.card_id))
    return {card_id: count for card_id, count in rows}


def queue_count(session: Session, user: User) -> int:
    """What the badge shows: items that need the verifier now."""
    return sum(1 for item in queue_for(session, user) if set(item.reasons) & set(ACTIONABLE))
