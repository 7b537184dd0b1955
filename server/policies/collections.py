"""What a collection's owners (its default verifier, anyone granted 'own', admins of open
collections) may do: import cards into it and pin its cards to sites, customers and words.
Admins manage every collection's settings and access list, restricted ones too."""

from __future__ import annotations

from server.cards.models import Collection
from server.policies.access import Access


def may_read(access: Access, collection: Collection) -> bool:
    return access.has(collection.id, "read")


def owns(access: Access, collection: Collection) -> bool:
    return access.has(collection.id, "own")


def can_import_into(access: Access, collection: Collection) -> bool:
    return owns(access, collection)


def can_pin(access: Access, collection: Collection) -> bool:
    return owns(access, collection)


def can_create_in(access: Access, collection: Collection) -> bool:
    return access.has(collection.id, "edit")


def can_manage_access(access: Access, collection: Collection) -> bool:
    """Admins (who need not read it) and its owners decide who reads a collection."""
    return access.user.active and (access.user.is_admin or owns(access, collection))
