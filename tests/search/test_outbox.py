"""A card's outbox row is written by the flush that changes it, whatever path changed it:
no service can forget one (reassigning and deactivating once did, and searches filtered
by verifier kept finding the old one)."""

from __future__ import annotations

from sqlmodel import func, select

from server.cards.models import Card
from server.search import service
from server.search.models import IndexChange
from server.search.service import Filters


def _rows(db) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(IndexChange)).one()


def _card(factory):
    ada = factory.user("Ada")
    return ada, factory.card(factory.collection("kb", verifier=ada), ada, title="Refund window", body="30 days.")


def _change(factory, card_id: int, *, commit: bool = True, **fields) -> None:
    """Change a card with no service at all, as any path might."""
    with factory.db.session() as s:
        row = s.get(Card, card_id)
        for name, value in fields.items():
            setattr(row, name, value)
        s.add(row)
        if commit:
            s.commit()
        else:
            s.flush()  # the row is written with the change...
            s.rollback()  # ...and goes with it


def test_any_change_to_an_indexed_field_writes_one_row_with_it(factory):
    ada, card = _card(factory)
    bo = factory.user("Bo")
    before = _rows(factory.db)
    _change(factory, card.id, verifier_id=bo.id)
    assert _rows(factory.db) == before + 1
    hits, total = service.search(factory.index, text="refund", readable=None, filters=Filters(verifier_id=bo.id))
    assert [h.card_id for h in hits] == [card.id] and total == 1
    assert service.search(factory.index, text="refund", readable=None, filters=Filters(verifier_id=ada.id))[1] == 0


def test_a_change_the_index_does_not_hold_writes_no_row(factory):
    ada, card = _card(factory)
    before = _rows(factory.db)
    _change(factory, card.id, assignee_id=ada.id)  # whose turn it is: not in the index
    assert _rows(factory.db) == before


def test_a_write_that_is_rolled_back_leaves_no_row(factory):
    _, card = _card(factory)
    before = _rows(factory.db)
    _change(factory, card.id, commit=False, title="Money back window")
    assert _rows(factory.db) == before
