"""Who may do what with cards. Tiny pure rules; access lists per collection come later."""

from __future__ import annotations

from server.accounts.models import User
from server.cards.models import Card


def is_verifier(user: User, card: Card, group_ids: set[int]) -> bool:
    """The card's expert: its verifier, or a member of its verifier group."""
    return card.verifier_id == user.id or (card.verifier_group_id is not None and card.verifier_group_id in group_ids)


def can_edit(user: User, card: Card) -> bool:
    return user.active


def can_verify(user: User, card: Card, group_ids: set[int]) -> bool:
    return user.active and (is_verifier(user, card, group_ids) or user.is_admin)


def can_manage(user: User, card: Card, collection_owner_id: int | None, group_ids: set[int]) -> bool:
    """Who decides a card's verifier, interval and whether it is archived: an admin, the
    collection's owner (its default verifier) or the card's own verifier."""
    return user.active and (user.is_admin or user.id in (card.verifier_id, collection_owner_id)
                            or (card.verifier_group_id is not None and card.verifier_group_id in group_ids))


def save_keeps_verified(user: User, card: Card, group_ids: set[int]) -> bool:
    """Rule 2: a save by the card's expert keeps it verified (a save by anyone else, an admin
    included, sends it back to its verifier when the words changed)."""
    return user.active and is_verifier(user, card, group_ids)
