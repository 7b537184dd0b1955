"""One user action, one transaction: the editor's save (words, collection, verifier, interval,
'verify') and an imported file are saved whole or not at all. A part refused after another
was done used to leave the first part saved."""

from __future__ import annotations

import pytest
from sqlmodel import select

from server.cards.editing import Verifier, save_from_editor
from server.cards.models import Card, CardRevision
from server.cards.service import update_card
from server.db import one_action
from server.errors import Invalid
from server.search import service as search
from server.search.models import IndexChange


def _state(factory, card_id: int) -> tuple:
    with factory.db.session() as s:
        card = s.get(Card, card_id)
        revisions = len(s.exec(select(CardRevision).where(CardRevision.card_id == card_id)).all())
        changes = len(s.exec(select(IndexChange).where(IndexChange.object_id == card_id)).all())
        return card.body, card.version, card.verifier_id, card.verifier_group_id, revisions, changes


def test_a_save_refused_half_way_leaves_the_card_as_it_was(factory):
    """The words pass and are written first; the interval (not one of the choices) is refused
    after them, and takes them back."""
    admin = factory.user("Admin", role="admin")
    faq = factory.collection("faq", verifier=admin)
    card = factory.card(faq, admin, title="Opening hours", body="Nine to five.")
    before = _state(factory, card.id)
    with factory.db.session() as s, pytest.raises(Invalid):
        save_from_editor(s, actor=admin, card_id=card.id, expected_version=card.version, title="Opening hours",
                         body="Nine to six.", tags=[], collection_slug="faq", verifier=Verifier(), interval=45)
    assert _state(factory, card.id) == before  # no new words, revision or outbox row


def test_an_action_commits_once_and_a_failure_inside_takes_back_every_part(factory):
    admin = factory.user("Admin", role="admin")
    faq = factory.collection("faq", verifier=admin)
    first = factory.card(faq, admin, title="First", body="One.")
    second = factory.card(faq, admin, title="Second", body="Two.")
    with factory.db.session() as s, pytest.raises(RuntimeError, match="on purpose"), one_action(s):
        update_card(s, actor=admin, card_id=first.id, expected_version=first.version, title="First", body="Uno.")
        update_card(s, actor=admin, card_id=second.id, expected_version=second.version, title="Second", body="Dos.")
        raise RuntimeError("on purpose")
    with factory.db.session() as s:
        assert [s.get(Card, c.id).body for c in (first, second)] == ["One.", "Two."]
    with factory.db.session() as s, one_action(s):
        update_card(s, actor=admin, card_id=first.id, expected_version=first.version, title="First", body="Uno.")
        update_card(s, actor=admin, card_id=second.id, expected_version=second.version, title="Second", body="Dos.")
    with factory.db.session() as s:
        assert [s.get(Card, c.id).body for c in (first, second)] == ["Uno.", "Dos."]
    factory.index.apply_pending()
    assert [h.card_id for h in search.search(factory.index, text="dos", readable=None)[0]] == [second.id]


def test_a_service_that_rolls_back_inside_an_action_cannot_keep_only_what_came_after(factory):
    admin = factory.user("Admin", role="admin")
    faq = factory.collection("faq", verifier=admin)
    card = factory.card(faq, admin, title="First", body="One.")
    with factory.db.session() as s, pytest.raises(RuntimeError, match="rolled back inside one action"):
        with one_action(s):
            update_card(s, actor=admin, card_id=card.id, expected_version=card.version, title="First", body="Uno.")
            s.rollback()
            s.commit()
    with factory.db.session() as s:
        assert s.get(Card, card.id).body == "One."
