"""What a collection's owner (its default verifier) may do besides admins: import cards into
it and pin its cards to sites, customers and words. Access lists per collection come later."""

from __future__ import annotations

from server.accounts.models import User
from server.cards.models import Collection


def owns(user: User, collection: Collection) -> bool:
    return user.active and (user.is_admin or collection.default_verifier_id == user.id)


def can_import_into(user: User, collection: Collection) -> bool:
    return owns(user, collection)


def can_pin(user: User, collection: Collection) -> bool:
    return owns(user, collection)
