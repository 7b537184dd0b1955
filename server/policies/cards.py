"""Who may do what with cards. Tiny pure rules over a person's `Access` (their role in each
collection, server/policies/access.py); nothing else decides these."""

from __future__ import annotations

from server.cards.models import Card
from server.policies.access import Access


def may_read(access: Access, card: Card) -> bool:
    """A card someone may not read answers as if it did not exist."""
    return access.has(card.collection_id, "read")


def is_verifier(access: Access, card: Card) -> bool:
    """The card's expert: its verifier, or a member of its verifier group."""
    return card.verifier_id == access.user.id or (card.verifier_group_id is not None
                                                   and card.verifier_group_id in access.group_ids)


def can_edit(access: Access, card: Card) -> bool:
    return access.has(card.collection_id, "edit")


def can_verify(access: Access, card: Card) -> bool:
    """Its expert, or anyone with the verify role in its collection (admins of open ones)."""
    return access.has(card.collection_id, "verify") or (may_read(access, card) and is_verifier(access, card))


def can_manage(access: Access, card: Card) -> bool:
    """Who decides a card's verifier, interval and whether it is archived: the collection's
    owners (its default verifier, anyone granted 'own', and admins of open collections) or
    the card's own verifier."""
    return access.has(card.collection_id, "own") or (may_read(access, card) and is_verifier(access, card))


def can_move(access: Access, card: Card, to_collection_id: int) -> bool:
    """Moving a card takes it out of one collection's readers and shows it to another's: the
    mover edits in both."""
    return can_edit(access, card) and access.has(to_collection_id, "edit")


def can_take(access: Access, card: Card) -> bool:
    """A member of the card's verifier group takes it from the rotation."""
    return (may_read(access, card) and card.verifier_group_id in access.group_ids
            and card.assignee_id != access.user.id)


def save_keeps_verified(access: Access, card: Card) -> bool:
    """Rule 2: a save by the card's expert keeps it verified (a save by anyone else, an admin
    included, sends it back to its verifier when the words changed)."""
    return can_edit(access, card) and is_verifier(access, card)


def can(access: Access, card: Card) -> dict[str, bool]:
    """The one `can` dictionary: the API, the web pages and the sidebar show these buttons."""
    return {"edit": can_edit(access, card), "verify": can_verify(access, card),
            "keep_verified_on_save": save_keeps_verified(access, card), "manage": can_manage(access, card),
            "is_verifier": is_verifier(access, card), "take": can_take(access, card)}
