"""The semantic extra's plumbing, with a small stand-in model (the real one is tested in
test_semantic_model.py, only where the extra is installed): cards are embedded by the one
index writer from the outbox, a rebuild embeds the same, search and suggest join the
cards close in meaning, and a message never gets a card in another language by meaning."""

import zlib

import numpy as np
import pytest
from sqlmodel import select

from server.cards.models import Card
from server.cards.service import update_card
from server.search import semantic, semantic_fusion, semantic_store, service
from tests.factories import Factory

# Words the stand-in model takes for one meaning; any other word is a meaning of its own.
MEANINGS = {"outage": 1, "unavailable": 1, "down": 1, "kesinti": 1, "refund": 2, "reimbursed": 2}


def _vector(text: str) -> np.ndarray:
    vector = np.zeros(semantic.DIMENSIONS, np.float32)
    for word in semantic._WORD.findall(text.lower()):
        vector[MEANINGS.get(word, 10 + zlib.crc32(word.encode()) % 300)] += 1
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


@pytest.fixture
def model(monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "embed_cards", lambda texts: np.stack([_vector(t) for t in texts])
                        if texts else np.zeros((0, semantic.DIMENSIONS), np.float32))
    monkeypatch.setattr(semantic, "embed_message", _vector)


@pytest.fixture
def factory(model, services) -> Factory:  # the stand-in model is in place before the index opens
    return Factory(*services)


@pytest.fixture
def kb(factory):
    expert = factory.user("Expert")
    return factory, expert, factory.collection("kb", verifier=expert)


def _vectors(factory) -> dict[int, tuple[str, tuple]]:
    vectors = semantic_store.read(factory.index.index_dir)
    return {int(i): (str(lang), tuple(np.round(row, 5))) for i, lang, row in
            zip(vectors.ids, vectors.languages, vectors.matrix)}


def test_saved_edited_and_archived_cards_follow_the_outbox(kb):
    factory, expert, kb_collection = kb
    first = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    second = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    assert set(_vectors(factory)) == {first.id, second.id}
    before = _vectors(factory)[first.id]
    with factory.db.session() as s:
        update_card(s, actor=expert, card_id=first.id, expected_version=1, body="Status page and on-call.")
    assert _vectors(factory)[first.id] != before
    with factory.db.session() as s:
        s.exec(select(Card).where(Card.id == second.id)).one().status = "archived"
        s.commit()
    factory.index.apply_pending()
    assert set(_vectors(factory)) == {first.id}


def test_vectors_left_by_an_uninstalled_extra_are_dropped_not_left_to_go_stale(kb, monkeypatch):
    factory, expert, kb_collection = kb
    factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    assert semantic_store.read(factory.index.index_dir) is not None
    monkeypatch.setattr(semantic, "available", lambda: False)
    factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    assert semantic_store.read(factory.index.index_dir) is None
    monkeypatch.setattr(semantic, "available", lambda: True)
    assert not factory.index.is_current()


def test_a_rebuild_embeds_exactly_what_the_outbox_did(kb):
    factory, expert, kb_collection = kb
    cards = [factory.card(kb_collection, expert, title=f"Card {n}", body=f"Text about thing {n}.", language=lang)
             for n, lang in enumerate(("en", "tr", "zh"))]
    with factory.db.session() as s:
        update_card(s, actor=expert, card_id=cards[1].id, expected_version=1, body="Başka bir metin.")
    grown = _vectors(factory)
    factory.index.rebuild()
    assert _vectors(factory) == grown


def test_search_finds_a_card_by_meaning_and_keeps_the_word_match_first(kb):
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable, say so.")
    words = factory.card(kb_collection, expert, title="Outage reports", body="How to write an outage report.")
    found = [h.card_id for h in service.search(factory.index, text="outage", readable=None)[0]]
    assert found[0] == words.id and status.id in found
    assert [h.card_id for h in service.search(factory.index, text='"outage report"', readable=None)[0]] == [words.id]


def test_a_message_never_gets_a_card_in_another_language_by_meaning(kb, monkeypatch):
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: True)
    factory, expert, kb_collection = kb
    english = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    assert english.id in [h.card_id for h in service.suggest(factory.index, text="is it down?", readable=None)]
    turkish_message = "uygulamada kesinti var mı?"
    assert service.suggest(factory.index, text=turkish_message, readable=None) == []
    assert service.search(factory.index, text=turkish_message, readable=None)[0] == []
    turkish = factory.card(kb_collection, expert, title="Hizmet durumu", body="Uygulama çalışmıyorsa kesinti.",
                           language="tr")
    assert [h.card_id for h in service.suggest(factory.index, text=turkish_message, readable=None)] == [turkish.id]


def test_suggest_shows_the_fused_cards_only_when_the_gate_lets_it(kb, monkeypatch):
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: features[1] > 0.3)
    assert [h.card_id for h in service.suggest(factory.index, text="is there an outage?", readable=None)] \
        == [status.id]
    assert service.suggest(factory.index, text="thanks, see you next week", readable=None) == []


@pytest.fixture
def without_extra(monkeypatch):
    monkeypatch.setattr(semantic, "available", lambda: False)


def test_an_index_built_without_the_extra_is_rebuilt_once_it_is_there(without_extra, services, monkeypatch):
    db, index = services
    factory = Factory(db, index)
    expert = factory.user("Expert")
    factory.card(factory.collection("kb", verifier=expert), expert, title="Service status", body="Unavailable.")
    assert semantic_store.read(index.index_dir) is None and index.is_current()
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "embed_cards", lambda texts: np.stack([_vector(t) for t in texts]))
    assert not index.is_current() and index.rebuild_if_outdated()
    assert len(semantic_store.read(index.index_dir)) == 1


def test_fusion_joins_both_rankings_by_reciprocal_rank():
    assert semantic_fusion.fused(["a", "b"], ["c", "a"], k=1.0, weight=1.0) == ["a", "c", "b"]
    assert semantic_fusion.fused(["a", "b"], ["c", "b"], k=10.0, weight=0.0)[:2] == ["a", "b"]


def test_the_guard_reads_the_language_of_plain_latin_messages():
    assert semantic.message_language("kartım ne zaman gelir") == "tr"
    assert semantic.message_language("kartim ne zaman gelir ve nasil") == "tr"
    assert semantic.message_language("kas teenus on maas") == "et"
    assert semantic.message_language("服务是否中断了？请告诉我") == "zh"
    assert semantic.message_language("is the service down") == "en"
