"""The context panel: everything the sidebar shows for one conversation, in one call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.accounts.models import User
from server.analytics.service import record_search
from server.cards.models import Card
from server.cards.service import readable_collection_ids
from server.facts.models import Customer, QuickFact
from server.facts.matching import Match, match_conversation
from server.facts.service import list_facts
from server.search.index import SearchIndex
from server.search.service import Hit, suggest
from server.triggers.matching import Conversation
from server.triggers.models import Trigger
from server.triggers.service import pinned_for
from server.verification.queue import queue_count


@dataclass
class ContextPanel:
    customer: Customer | None
    matched_by: str | None  # how the customer was recognised: email, domain, name or handle
    facts: list[QuickFact]
    pinned: list[tuple[Trigger, Card]]  # cards owners pinned here, shown first
    suggestions: list[Hit]              # the best fits, without the pinned ones
    queue_count: int


def context_panel(session: Session, index: SearchIndex, *, user: User, emails: list[str], subject: str,
                  text: str, url: str = "", names: list[str] = (), handles: list[str] = ()) -> ContextPanel:
    # A customer they may not read is not matched; nor is a Vouch user or a no-reply sender.
    match: Match | None = match_conversation(session, user=user, emails=emails, names=names, handles=handles)
    customer = match.customer if match else None
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
    return ContextPanel(customer=customer, matched_by=match.matched_by if match else None, facts=facts, pinned=pinned, suggestions=suggestions,
                        queue_count=queue_count(session, user))
