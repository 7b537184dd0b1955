"""Saving a card from the editor page: its words (with the verification rules and the
version check), then where it lives, who verifies it and how often, then 'save & verify'."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from server.accounts.models import Group, User
from server.audit.service import record
from server.cards import service
from server.cards.handover import check_verifier_reads, hand_over_unreadable
from server.cards.models import Card, Collection
from server.db import as_one_action, begin_write
from server.errors import Forbidden, Invalid, NotFound
from server.policies.access import access_of
from server.policies.cards import can_manage, can_move, can_verify
from server.verification import assignment

DEFAULT = "default"


@dataclass(frozen=True)
class Verifier:
    """'user:3', 'group:2' or '' (the collection's default) from the editor's select."""

    user_id: int | None = None
    group_id: int | None = None

    @classmethod
    def parse(cls, value: str) -> "Verifier":
        kind, _, number = (value or "").partition(":")
        if not value:
            return cls()
        if kind not in ("user", "group") or not number.isdigit() or len(number) > 12:
            raise Invalid("Choose a verifier from the list.", code="invalid_verifier")
        return cls(user_id=int(number)) if kind == "user" else cls(group_id=int(number))

    @property
    def chosen(self) -> bool:
        return self.user_id is not None or self.group_id is not None


def parse_interval(value: str) -> int | None | str:
    """'default', 'never' or a number of days, checked against the allowed intervals."""
    if value in ("", DEFAULT):
        return DEFAULT
    if value == "never":
        return None
    if not value.isdigit() or len(value) > 4:
        raise Invalid("Choose an interval from the list.", code="invalid_interval")
    return service.check_interval(int(value))


def may_manage(session: Session, actor: User, card: Card) -> bool:
    """Who may change a card's verifier or interval (the same rule as the API's)."""
    return can_manage(access_of(session, actor), card)


def move_card(session: Session, *, actor: User, card_id: int, collection_slug: str) -> Card:
    """Logged with both collections; the mover edits in both (can_move). A verifier who cannot
    read the new collection hands the card to its owner."""
    begin_write(session)
    access = access_of(session, actor)
    card = service.readable_card(session, access, card_id)
    target = service.readable_collection(session, access, collection_slug)
    if target.id == card.collection_id:
        return card  # nothing to write: the caller's commit ends the transaction
    if not can_move(access, card, target.id):
        raise Forbidden(f"Moving a card takes edit rights in both collections; you may not move it to "
                        f"“{target.name}”.")
    before = card.collection_id
    card.collection_id = target.id
    if session.exec(select(Card.id).where(Card.collection_id == target.id, Card.slug == card.slug)).first():
        card.slug = f"{card.slug}-{card.id}"
    session.add(card)
    record(session, actor_id=actor.id, action="move", target_type="card", target_id=card.id,
           before=before, after=target.id)
    hand_over_unreadable(session, actor=actor, collection_ids=[target.id])
    session.commit()
    return card


def _check_verifier(session: Session, verifier: Verifier, collection: Collection) -> None:
    """The chosen verifier exists and reads the collection the card will be in."""
    user = session.get(User, verifier.user_id) if verifier.user_id is not None else None
    group = session.get(Group, verifier.group_id) if verifier.group_id is not None else None
    if verifier.user_id is not None and (user is None or not user.active):
        raise NotFound("That verifier has no active account.")
    if verifier.group_id is not None and group is None:
        raise NotFound("That group does not exist.")
    check_verifier_reads(session, collection, user=user, group=group)


@as_one_action
def create_from_editor(session: Session, *, actor: User, collection_slug: str, title: str, body: str,
                       tags: Sequence[str], verifier: Verifier, interval: int | None | str) -> Card:
    _check_verifier(session, verifier, service.readable_collection(session, actor, collection_slug))
    person = session.get(User, verifier.user_id) if verifier.user_id else None
    card = service.create_card(session, actor=actor, collection_slug=collection_slug, title=title, body=body,
                               tags=tags, verifier=person, interval_days=interval, origin="editor")
    if verifier.group_id is not None:
        card = assignment.reassign_verifier(session, actor=actor, card_id=card.id, group_id=verifier.group_id)
    return card


@as_one_action
def save_from_editor(session: Session, *, actor: User, card_id: int, expected_version: int, title: str, body: str,
                     tags: Sequence[str], collection_slug: str, verifier: Verifier, interval: int | None | str,
                     verify: bool = False) -> Card:
    """The editor's form saved whole (words, collection, verifier, interval, 'verify') or not at
    all: a part refused after another was done leaves the card as it was."""
    access = access_of(session, actor)
    card = service.readable_card(session, access, card_id)
    changes_verifier = verifier.chosen and (verifier.user_id, verifier.group_id) != (card.verifier_id,
                                                                                     card.verifier_group_id)
    changes_interval = interval != DEFAULT and interval != card.interval_days
    if (changes_verifier or changes_interval) and not may_manage(session, actor, card):
        raise Forbidden("Only an admin, the collection's owner or the card's verifier can change who verifies "
                        "it or how often; your text was not saved, so you can keep those as they were.")
    if verify and not can_verify(access, card):
        raise Forbidden("Only this card's verifier (or an admin) can verify it.")
    target = service.readable_collection(session, access, collection_slug)  # fails before anything is saved
    if changes_verifier:
        _check_verifier(session, verifier, target)
    if target.id != card.collection_id and not can_move(access, card, target.id):
        raise Forbidden(f"Moving a card takes edit rights in both collections; you may not move it to "
                        f"“{target.name}”. Your text was not saved.")
    card = service.update_card(session, actor=actor, card_id=card_id, expected_version=expected_version,
                               title=title, body=body, tags=tags, origin="editor")
    if collection_slug != session.get(Collection, card.collection_id).slug:
        card = move_card(session, actor=actor, card_id=card.id, collection_slug=collection_slug)
    if changes_verifier:
        card = assignment.reassign_verifier(session, actor=actor, card_id=card.id, user_id=verifier.user_id,
                                            group_id=verifier.group_id)
    if changes_interval:
        card = assignment.set_interval(session, actor=actor, card_id=card.id, interval_days=interval)
    if verify and card.status != "verified":
        card = service.verify_card(session, actor=actor, card_id=card.id)
    return card
