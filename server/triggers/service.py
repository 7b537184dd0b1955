"""Trigger rules: who may pin, checking patterns, and the cards pinned to a conversation."""

from __future__ import annotations

from sqlmodel import Session, select

from server.accounts.models import User
from server.cards.models import Card, Collection
from server.cards.service import readable_card
from server.db import begin_write
from server.errors import Forbidden, Invalid, NotFound
from server.policies.access import access_of
from server.policies.cards import may_read
from server.policies.collections import can_pin
from server.triggers.matching import Conversation, fires
from server.triggers.models import KINDS, Trigger
from server.text import one_line

MAX_PATTERN = 500


def clean_pattern(kind: str, pattern: str) -> str:
    pattern = one_line(pattern)
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}.", code="invalid_trigger")
    if not pattern or len(pattern) > MAX_PATTERN:
        raise Invalid(f"A pattern needs 1 to {MAX_PATTERN} characters.", code="invalid_trigger")
    if kind == "site" and not pattern.startswith(("http://", "https://", "*")):
        raise Invalid("A site pattern starts with http://, https:// or *, e.g. https://*.zendesk.com/*",
                      code="invalid_trigger")
    if kind == "customer" and not pattern.isdigit():
        raise Invalid("A customer trigger's pattern is the customer's id.", code="invalid_trigger")
    if kind == "domain":
        pattern = pattern.casefold().lstrip("@")
        if "." not in pattern or "@" in pattern or " " in pattern:
            raise Invalid("A domain pattern looks like northwind.example.", code="invalid_trigger")
    return pattern


def create_trigger(session: Session, *, actor: User, card_id: int, kind: str, pattern: str) -> Trigger:
    pattern = clean_pattern(kind, pattern)
    begin_write(session)
    access = access_of(session, actor)
    card = readable_card(session, access, card_id)
    if not can_pin(access, session.get(Collection, card.collection_id)):
        raise Forbidden("Only the collection's owner or an admin can pin its cards.")
    trigger = Trigger(card_id=card.id, kind=kind, pattern=pattern, created_by_id=actor.id)
    session.add(trigger)
    session.commit()
    return trigger


def delete_trigger(session: Session, *, actor: User, trigger_id: int) -> None:
    begin_write(session)
    trigger = session.get(Trigger, trigger_id)
    if trigger is None:
        raise NotFound(f"There is no trigger {trigger_id}.")
    card = session.get(Card, trigger.card_id)
    access = access_of(session, actor)
    if not may_read(access, card):
        raise NotFound(f"There is no trigger {trigger_id}.")
    if not can_pin(access, session.get(Collection, card.collection_id)):
        raise Forbidden("Only the collection's owner or an admin can remove its triggers.")
    session.delete(trigger)
    session.commit()


def list_triggers(session: Session, *, readable: list[int], card_id: int | None = None) -> list[Trigger]:
    query = select(Trigger).join(Card, Card.id == Trigger.card_id).where(Card.collection_id.in_(readable))
    if card_id is not None:
        query = query.where(Trigger.card_id == card_id)
    return list(session.exec(query.order_by(Trigger.id)))


def pinned_for(session: Session, conversation: Conversation, *, readable: list[int],
               count_hits: bool = True) -> list[tuple[Trigger, Card]]:
    """The triggers that fire for a conversation, with their live, readable cards (one per card)."""
    found, seen = [], set()
    for trigger in list_triggers(session, readable=readable):
        if trigger.card_id in seen or not fires(trigger.kind, trigger.pattern, conversation):
            continue
        card = session.get(Card, trigger.card_id)
        if card is None or card.status == "archived":
            continue
        seen.add(card.id)
        found.append((trigger, card))
    if count_hits and found:
        begin_write(session)
        for trigger, _ in found:
            row = session.get(Trigger, trigger.id)
            row.hits += 1
            session.add(row)
        session.commit()
    return found
