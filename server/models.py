"""Imports every table, so the migrations and the metadata see them all."""

from server.accounts.models import (ApiToken, Group, GroupMember, OidcLogin, SignInFailure, SigningKey, User,
                                    WebSession)
from server.adapters.models import AdapterFailure
from server.analytics.models import CardUse, SearchEvent
from server.cards.models import Card, CardRevision, Collection, CollectionGrant
from server.facts.models import (Customer, CustomerAccess, CustomerDomain, CustomerEmail, CustomerHandle,
                                 QuickFact)
from server.search.models import IndexChange
from server.triggers.models import Trigger
from server.audit.models import AuditEvent
from server.verification.models import Flag, Notification, ReminderSent, Snooze, TrustSnapshot

__all__ = [
    "AdapterFailure", "ApiToken", "AuditEvent", "Card", "CardUse", "CardRevision", "Collection", "CollectionGrant",
    "Customer", "CustomerAccess", "CustomerDomain", "CustomerEmail", "CustomerHandle", "Flag", "Group",
    "GroupMember", "IndexChange",
    "Notification", "OidcLogin", "QuickFact", "ReminderSent", "SearchEvent", "SignInFailure", "SigningKey",
    "Snooze", "Trigger", "TrustSnapshot", "User", "WebSession",
]
