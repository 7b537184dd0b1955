"""A verifier's queue: overdue cards, cards due within 7 days, cards unverified by an
edit, and flagged cards; sortable by how long they waited or by how much they are used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, and_, func, or_, select

from server.accounts.models import User
from server.analytics.models import CardUse
from server.cards.models import Card
from server.clock import now
from server.policies.access import Access, access_of
from server.facts.models import QuickFact
from server.policies.facts import readable_customers
from server.verification.assignment import members_of_groups, turn_of
from server.verification.flags import open_flags_on
from server.verification.models import Flag, Snooze
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
    """Cards I verify myself, and my group's cards when it is my turn (or I took them), in
    collections I may read (a card I lost access to is not mine to verify)."""
    access = access_of(session, user)
    groups = access.group_ids
    mine = or_(Card.verifier_id == user.id, Card.verifier_group_id.in_(groups)) if groups else Card.verifier_id == user.id
    cards = session.exec(select(Card).where(mine, Card.status != "archived",
                                            Card.collection_id.in_(access.readable))).all()
    members = members_of_groups(session, groups)
    snoozed = snoozed_cards(session, user)
    return [c for c in cards if c.id not in snoozed and (
        c.verifier_id == user.id or turn_of(c, members.get(c.verifier_group_id, [])) == user.id)]


def facts_due(session: Session, user: User) -> list[QuickFact]:
    """Quick facts whose reminder date has come, in their author's queue ('back from leave?'),
    of customers the author may still read (one restricted since then is not shown)."""
    return list(session.exec(select(QuickFact).where(
        QuickFact.author_id == user.id, QuickFact.remind_at <= now().date(),
        readable_customers(user, QuickFact.customer_id)).order_by(QuickFact.remind_at)))


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
    """What the badge shows: the items of `queue_for` that need the verifier now (edited,
    overdue or flagged). One COUNT in SQL, because it runs on every sidebar refresh and an
    admin may verify thousands of cards: loading them all just to count took most of
    `POST /api/context`. tests/verification/test_queue_count.py pins it to `queue_for`."""
    moment = now()
    snoozed = select(Snooze.card_id).where(Snooze.user_id == user.id, Snooze.until > moment)
    flagged = select(Flag.card_id).where(Flag.status == "open")
    actionable = or_(Card.status == "unverified", Card.verify_due_at <= moment, Card.id.in_(flagged))
    access = access_of(session, user)
    query = select(func.count()).select_from(Card).where(
        _my_turns(access, session), Card.status != "archived", Card.id.not_in(snoozed), actionable,
        Card.collection_id.in_(access.readable))
    return session.exec(query).one()


def _my_turns(access: Access, session: Session) -> ColumnElement[bool]:
    """`_my_cards` as a SQL condition: cards I verify myself, and in each group I am an
    active member of, the cards `turn_of` gives me: taken by me, or not taken by another
    member and at my place in the rotation (card id modulo the number of members)."""
    user = access.user
    turns = [Card.verifier_id == user.id]
    every_group = members_of_groups(session, access.group_ids)
    for group_id in sorted(access.group_ids):
        members = every_group[group_id]
        if user.id not in members:  # an inactive member has no turns
            continue
        others = [m for m in members if m != user.id]
        not_taken = or_(Card.assignee_id.is_(None), Card.assignee_id.not_in(others)) if others else true()
        in_rotation = and_(Card.id % len(members) == members.index(user.id), not_taken)
        turns.append(and_(Card.verifier_group_id == group_id, or_(Card.assignee_id == user.id, in_rotation)))
    return or_(*turns)
