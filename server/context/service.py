"""The context panel: everything the sidebar shows for one conversation, in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from sqlmodel import Session

from server.accounts.models import User
from server.analytics.service import record_search
from server.cards.models import Card
from server.cards.service import readable_collection_ids
from server.facts.models import Customer, QuickFact
from server.facts.matching import Match, conversation_matches
from server.facts.service import list_facts, reads_customer
from server.search.index import SearchIndex
from server.search.service import Hit, suggest
from server.triggers.matching import Conversation
from server.triggers.models import Trigger
from server.triggers.service import pinned_for
from server.verification.queue import queue_count

MAX_CANDIDATES = 10


@dataclass
class ContextPanel:
    customer: Customer | None
    matched_by: str | None  # how the customer was recognised: chosen, email, domain, name or handle
    facts: list[QuickFact]
    pinned: list[tuple[Trigger, Card]]  # cards owners pinned here, shown first
    suggestions: list[Hit]              # the best fits, without the pinned ones
    queue_count: int
    candidates: list[Match] = field(default_factory=list)  # the other customers the conversation names
    matched_on: str = ""  # the address, domain, name or handle of the conversation that matched


def _chosen(session: Session, user: User, customer_id: int | None) -> Match | None:
    """The customer the person picked in the sidebar; one they may not read (or that does not
    exist) is ignored, so the answer says nothing about it."""
    if customer_id is None:
        return None
    customer = session.get(Customer, customer_id)
    if customer is None or not reads_customer(session, user, customer.id):
        return None
    return Match(customer, "chosen")


def context_panel(session: Session, index: SearchIndex, *, user: User, emails: list[str], subject: str,
                  text: str, url: str = "", names: list[str] = (), handles: list[str] = (),
                  customer_id: int | None = None) -> ContextPanel:
    # A customer they may not read is not matched; nor is a Vouch user or a no-reply sender.
    matches = conversation_matches(session, user=user, emails=emails, names=names, handles=handles)
    match = _chosen(session, user, customer_id) or next(matches, None)
    customer = match.customer if match else None
    candidates = list(islice((m for m in matches if m.customer.id != customer.id), MAX_CANDIDATES)) if match else []
    facts = list_facts(session, customer.id, user=user) if customer else []
    readable = readable_collection_ids(session, user)
    conversation = Conversation(url=url, emails=tuple(e.lower() for e in emails if isinstance(e, str)),
                                customer_id=customer.id if customer else None, text=f"{subject}\n{text}")
    pinned = pinned_for(session, conversation, readable=readable)
    taken = {card.id for _, card in pinned}
    suggestions = [hit for hit in suggest(index, text=f"{subject}\n{subject}\n{text}", readable=readable)
                   if hit.card_id not in taken]
    record_search(session, user=user, query=(subject or text)[:200], source="suggestion",
                  result_count=len(pinned) + len(suggestions))
    return ContextPanel(customer=customer, matched_by=match.matched_by if match else None, facts=facts,
                        pinned=pinned, suggestions=suggestions, queue_count=queue_count(session, user),
                        candidates=candidates, matched_on=match.identity if match else "")
