"""Imports every table, so the migrations and the metadata see them all."""

from server.accounts.models import (ApiToken, Group, GroupMember, OidcLogin, SignInFailure, SigningKey, User,
                                    WebSession)
from server.analytics.models import CardUse, SearchEvent
from server.cards.models import Card, CardRevision, Collection
from server.facts.models import Customer, CustomerDomain, CustomerEmail, QuickFact
from server.search.models import IndexChange
from server.triggers.models import Trigger
from server.audit.models import AuditEvent
from server.verification.models import Flag, Notification, ReminderSent, Snooze, TrustSnapshot

__all__ = [
    "ApiToken", "AuditEvent", "Card", "CardUse", "CardRevision", "Collection", "Customer", "CustomerDomain",
    "CustomerEmail", "Flag", "Group", "GroupMember", "IndexChange", "Notification", "OidcLogin", "QuickFact", "ReminderSent", "Snooze", "TrustSnapshot", "SearchEvent", "SigningKey", "Trigger", "User",
]
