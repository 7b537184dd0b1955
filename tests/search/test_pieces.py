"""Meaning without the extra: the table of word pieces shipped with Vouch
(server/search/pieces.npz, piece_table.py) is what a default install embeds its cards and
messages with. Real table, real index, no stand-in."""

import dataclasses

import numpy as np
import pytest
from litestar.testing import TestClient

from server.app import create_app, open_services
from server.search import semantic, semantic_fusion, semantic_ranking, semantic_store, service
from server.search.fit_model import chance
from tests.factories import Factory


@pytest.fixture
def kb(services):
    factory = Factory(*services)
    expert = factory.user("Expert")
    return factory, expert, factory.collection("kb", verifier=expert)


def _ids(hits) -> list[int]:
    return [h.card_id for h in hits]


def test_a_default_install_matches_by_meaning_with_the_shipped_table():
    # scripts/test keeps the extra off this process's path (it lives in .venv/semantic-extra).
    assert semantic.TABLE.is_file() and semantic.engine() == "pieces"
    assert semantic.model_name().startswith("word pieces")
    refund, money_back, outage = (semantic.embed_message(t) for t in
                                  ("where is my refund", "when do I get my money back", "the app is down"))
    assert refund @ money_back > refund @ outage
    assert np.isclose(np.linalg.norm(refund), 1.0, atol=1e-4)


def test_a_greeting_still_gets_nothing(kb):
    factory, expert, kb_collection = kb
    for title, body in (("Refunds", "Money back within 30 days."), ("Service status", "When the app is down.")):
        factory.card(kb_collection, expert, title=title, body=body)
    factory.index.embedder.catch_up()
    for message in ("hi there, thanks so much!", "talk to you next week, bye"):
        assert service.suggest(factory.index, text=message, readable=None) == []


def test_search_stays_with_the_words(kb):
    factory, expert, kb_collection = kb
    for title, body in (("Refunds", "Money back within 30 days."), ("Money transfers", "Send money abroad."),
                        ("Service status", "When the app is down.")):
        factory.card(kb_collection, expert, title=title, body=body)
    factory.index.embedder.catch_up()
    by_words = _ids(service.search(factory.index, text="money back", readable=None)[0])
    with semantic.switched_off():
        assert _ids(service.search(factory.index, text="money back", readable=None)[0]) == by_words


def test_a_turkish_message_gets_no_english_card_by_meaning(kb, monkeypatch):
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: True)  # the gate lets anything through
    monkeypatch.setattr(semantic_fusion, "GATE_CARDS", 1)  # and two cards are enough for it
    factory, expert, kb_collection = kb
    factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days, to the card you paid with.")
    factory.card(kb_collection, expert, title="Card delivery", body="A new card arrives within a week.")
    factory.index.embedder.catch_up()
    message = "kartım ne zaman gelir, paramı nasıl geri alırım"
    assert service.suggest(factory.index, text=message, readable=None) == []
    turkish = factory.card(kb_collection, expert, title="Kart teslimatı", body="Yeni kartınız bir hafta içinde gelir.",
                           language="tr")
    factory.index.embedder.catch_up()
    assert _ids(service.suggest(factory.index, text=message, readable=None)) == [turkish.id]


def test_where_the_words_show_a_card_meaning_fills_the_top_three_without_the_gate(kb, monkeypatch):
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: False)  # the gate would show nothing
    monkeypatch.setattr(semantic_fusion, "GATE_CARDS", 1)  # and four cards are enough for it
    factory, expert, kb_collection = kb
    refunds, *others = [factory.card(kb_collection, expert, title=title, body=body) for title, body in (
        ("Refunds", "Money back within 30 days, to the card you paid with."),
        ("Chargebacks", "When a customer disputes a payment with their bank."),
        ("Card delivery", "A new card arrives within a week."),
        ("Service status", "When the app is down."))]
    factory.index.embedder.catch_up()
    asked_about = []

    def known() -> float:
        asked_about.append("known")
        return 1.0

    message = "is the money back within 30 days"
    with factory.index.searcher() as searcher:
        weighed, _ = service.candidates(factory.index, searcher, message, None)
        shown_by_words = service.fitting(weighed, "balanced", 5)
        assert [int(w.hit["id"]) for w, _ in shown_by_words] == [refunds.id]
        assert not semantic_fusion.words_sure([chance(w.features) for w in weighed])  # the table is asked
        ask = (factory.index, searcher, message, None, weighed, "balanced", 5, known)
        assert semantic_ranking.suggested(*ask, words_show=False) == [] and asked_about == ["known"]
        filled = semantic_ranking.suggested(*ask, words_show=True)
    assert len(filled) == 3 and asked_about == ["known"], "the gate is not asked where the words show a card"
    found = _ids(service.suggest(factory.index, text=message, readable=None))
    assert found[0] == refunds.id and len(found) == 3 and set(found[1:]) <= {c.id for c in others}


@pytest.fixture
def broken_table(tmp_path, monkeypatch):
    bad = tmp_path / "pieces.npz"
    bad.write_bytes(b"not a table")
    monkeypatch.setattr(semantic, "TABLE", bad)
    semantic._shipped.cache_clear()
    yield bad
    semantic._shipped.cache_clear()  # the real table again, for the next test


def test_a_table_that_cannot_be_read_leaves_suggestions_to_the_words(broken_table, services, caplog):
    assert semantic.engine() is None and not semantic.available()
    assert "cannot be read, suggestions go by words alone" in caplog.text
    factory = Factory(*services)
    expert = factory.user("Expert")
    kb_collection = factory.collection("kb", verifier=expert)
    refunds = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    assert _ids(service.suggest(factory.index, text="How do I get a refund?", readable=None)) == [refunds.id]


@pytest.fixture
def meaning_off(settings):
    yield dataclasses.replace(settings, meaning="off")
    semantic.turn_on(True)  # the setting is the process's: the next test's install has it on


def test_an_install_can_turn_meaning_off_and_on_again(meaning_off, settings):
    db, index = open_services(meaning_off)
    factory = Factory(db, index)
    expert = factory.user("Expert")
    kb_collection = factory.collection("kb", verifier=expert)
    refunds = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    factory.card(kb_collection, expert, title="Service status", body="When the app is down.")
    assert not semantic.available() and index.embedder.catch_up() == 0
    assert not list(semantic_store.folder_of(settings.index_dir).glob("vectors*")), "nothing embedded, nothing kept"
    progress = index.embedder.progress()
    assert progress.state == "off" and "VOUCH_MEANING=off" in progress.by
    assert _ids(service.suggest(index, text="How do I get a refund?", readable=None)) == [refunds.id]
    index.close()
    db.dispose()

    db, index = open_services(settings)  # on again: the cards saved meanwhile are embedded
    assert semantic.engine() == "pieces" and index.embedder.catch_up() == 2
    assert index.embedder.progress().state == "ready"
    index.close()
    db.dispose()


def test_the_admin_page_says_meaning_is_turned_off(meaning_off):
    from tests.web.pages import HTML, sign_in
    with TestClient(app=create_app(meaning_off)) as client:
        Factory(client.app.state.db, client.app.state.index).user("Boss", email="boss@example.test",
                                                                  password="pw-for-tests", role="admin")
        sign_in(client, "boss@example.test", "pw-for-tests")
        page = client.get("/admin/collections", headers=HTML).text
    assert "Matching by meaning is turned off (VOUCH_MEANING=off): search and suggestions go by the words alone." \
        in page

