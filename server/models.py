"""Imports every table so metadata.create_all sees them all."""

from server.accounts.models import ApiToken, Group, GroupMember, User
from server.analytics.models import CardUse, SearchEvent
from server.cards.models import Card, CardRevision, Collection
from server.facts.models import Customer, CustomerDomain, CustomerEmail, QuickFact
from server.search.models import IndexChange
from server.triggers.models import Trigger

__all__ = [
    "ApiToken", "Card", "CardUse", "CardRevision", "Collection", "Customer", "CustomerDomain",
    "CustomerEmail", "Group", "GroupMember", "IndexChange", "QuickFact", "SearchEvent", "Trigger", "User",
]
