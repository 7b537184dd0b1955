"""Writing to the outbox the index follows, inside the writing transaction. A card's row
is written by a flush hook, not by each path that changes a card: any flush that creates,
deletes or changes an indexed field of a card writes it, so no path can forget one."""

from __future__ import annotations

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session as AnySession
from sqlmodel import Session

from server.search.models import IndexChange
from server.search.schema import CARD_FIELDS_INDEXED

DIRTY = "vouch_index_dirty"
_OUTBOX_LOCK = 7_221_001  # any constant; names the outbox's advisory lock


def record_change(session: Session, kind: str, object_id: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Index followers apply rows in id order and remember the last one. PostgreSQL
        # hands out ids before commit, so two writers could commit 11 before 10 and the
        # follower would skip 10. Holding this lock to commit keeps ids in commit order.
        # (SQLite writers are serialized by BEGIN IMMEDIATE already.)
        # (On the connection: a flush hook may call this, and the session cannot flush then.)
        session.connection().execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _OUTBOX_LOCK})
    session.add(IndexChange(kind=kind, object_id=object_id))
    session.info[DIRTY] = True  # after commit, the index is told to catch up


def _changed_cards(session: Session) -> list[int]:
    from server.cards.models import Card

    changed = {card.id for card in (*session.new, *session.deleted) if isinstance(card, Card)}
    changed.update(card.id for card in session.dirty if isinstance(card, Card) and any(
        inspect(card).attrs[name].history.has_changes() for name in CARD_FIELDS_INDEXED))
    return sorted(changed)


_RECORDED = "vouch_outbox_cards"  # cards with a row in this transaction already


@event.listens_for(AnySession, "after_flush")  # every session, SQLModel's or not
def _record_card_changes(session: Session, _flush_context) -> None:
    """Every card a flush created, deleted or changed an indexed field of gets its outbox
    row in the same transaction (flushed with the commit); one row per card and
    transaction, since the index reads the card as the transaction left it."""
    recorded = session.info.setdefault(_RECORDED, set())
    for card_id in _changed_cards(session):
        if card_id not in recorded:
            recorded.add(card_id)
            record_change(session, "card", card_id)


@event.listens_for(AnySession, "after_transaction_end")
def _forget_recorded(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_RECORDED, None)
