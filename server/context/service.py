"""The context panel: everything the sidebar shows for one conversation, in one call."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from server.accounts.models import User
from server.cards.service import queue_count, readable_collection_ids
from server.facts.models import Customer, QuickFact
from server.facts.service import list_facts, match_customer
from server.search.index import SearchIndex
from server.search.service import Hit, suggest


@dataclass
class ContextPanel:
    customer: Customer | None
    facts: list[QuickFact]
    suggestions: list[Hit]
    queue_count: int


def context_panel(session: Session, index: SearchIndex, *, user: User, emails: list[str], subject: str,
                  text: str) -> ContextPanel:
    customer = match_customer(session, emails)
    facts = list_facts(session, customer.id) if customer else []
    suggestions = suggest(index, text=f"{subject}\n{subject}\n{text}",
                          readable=readable_collection_ids(session, user))
    return ContextPanel(customer=customer, facts=facts, suggestions=suggestions,
                        queue_count=queue_count(session, user))
