"""Archiving a card takes it out of search, suggestions and queues without losing it or its
history; bringing it back makes it unverified, since nobody vouched for it meanwhile."""

from __future__ import annotations

from sqlmodel import Session

from server.accounts.models import User
from server.audit.service import record
from server.cards.models import Card
from server.cards.service import readable_card, record_revision
from server.clock import now
from server.db import begin_write
from server.errors import Forbidden, Invalid
from server.policies.access import access_of
from server.policies.cards import can_manage


def _set_status(session: Session, *, actor: User, card_id: int, archived: bool) -> Card:
    begin_write(session)
    access = access_of(session, actor)
    card = readable_card(session, access, card_id)
    if not can_manage(access, card):
        raise Forbidden("Only an admin, the collection's owner or the card's verifier can archive or restore it.")
    if (card.status == "archived") == archived:
        raise Invalid("The card is archived already." if archived else "The card is not archived.",
                      code="card_archived" if archived else "card_not_archived")
    card.status = "archived" if archived else "unverified"
    card.version += 1
    card.updated_at, card.updated_by_id = now(), actor.id
    session.add(card)
    note = f"Archived by {actor.name}." if archived else f"Brought back from the archive by {actor.name}: waiting for its verifier."
    record_revision(session, card, author=actor, origin="editor", origin_host=None, note=note)
    record(session, actor_id=actor.id, action="archive" if archived else "unarchive", target_type="card",
           target_id=card.id)
    session.commit()
    return card


def archive_card(session: Session, *, actor: User, card_id: int) -> Card:
    return _set_status(session, actor=actor, card_id=card_id, archived=True)


def unarchive_card(session: Session, *, actor: User, card_id: int) -> Card:
    return _set_status(session, actor=actor, card_id=card_id, archived=False)
