"""Restoring an earlier revision: a new revision with the old words, under the same
verification rules as any save (restored by someone else, it waits for its verifier)."""

from __future__ import annotations

from sqlmodel import Session, select

from server.accounts.models import User
from server.cards.models import Card, CardRevision
from server.cards.service import readable_card, update_card
from server.errors import Invalid, NotFound


def get_revision(session: Session, who: User, card_id: int, version: int) -> CardRevision:
    readable_card(session, who, card_id)
    revision = session.exec(select(CardRevision).where(CardRevision.card_id == card_id,
                                                       CardRevision.version == version)).first()
    if revision is None:
        raise NotFound(f"Card {card_id} has no version {version}.")
    return revision


def restore_revision(session: Session, *, actor: User, card_id: int, version: int, expected_version: int) -> Card:
    revision = get_revision(session, actor, card_id, version)
    if version == expected_version == readable_card(session, actor, card_id).version:
        raise Invalid("That version is the card as it is now; there is nothing to restore.", code="nothing_to_restore")
    return update_card(session, actor=actor, card_id=card_id, expected_version=expected_version,
                       title=revision.title, body=revision.body, tags=revision.tags, origin="editor",
                       why=f"Restored version {version}.")
