"""The index follows the outbox, and a rebuild from scratch answers exactly like it."""

from server.cards.service import update_card
from server.search import service

QUERIES = ["refund", "refunds within 30 days", '"full refund"', "outage status", "iade", "tagasimakse",
           "退款", "seat", "escal", "nothing-matches-this"]

CARDS = [
    ("Handling a refund request", "Customers get a full refund within 30 days of a charge.", "en"),
    ("Escalating an outage", "Page the on-call engineer, then update the status page every 30 minutes.", "en"),
    ("Seat limits", "Each plan has a seat limit; extra seats are billed monthly.", "en"),
    ("İade talepleri", "Müşteriler 30 gün içinde iade isteyebilir. İadeler beş iş günü sürer.", "tr"),
    ("Tagasimaksed", "Klient saab tagasimakse 30 päeva jooksul. Tagasimaksete töötlemine võtab aega.", "et"),
    ("退款政策", "客户在三十天内可以申请全额退款。退款需要五到十个工作日。", "zh"),
]


def _answers(index):
    return {q: [h.card_id for h in service.search(index, text=q, readable=None, limit=10)[0]] for q in QUERIES}


def _scored(index):
    return {q: [(h.card_id, h.score) for h in service.search(index, text=q, readable=None, limit=10)[0]]
            for q in QUERIES}


def assert_same_ranking(grown: dict, rebuilt: dict, tolerance: float = 0.1) -> None:
    """Same cards for every query, same best card, and any two cards ranked in another
    order are within `tolerance` of each other's score. (Whoosh keeps each document's
    field length in one lossy byte, so merged segments carry approximate length totals
    and scores differ in the second digit; exact equality is not to be had.)"""
    assert grown.keys() == rebuilt.keys()
    for query in grown:
        a, b = grown[query], rebuilt[query]
        assert {i for i, _ in a} == {i for i, _ in b}, query
        if not a:
            continue
        assert a[0][0] == b[0][0] or abs(a[0][1] - a[1][1]) <= tolerance * a[0][1], query
        position = {card: n for n, (card, _) in enumerate(b)}
        for n, (card, score) in enumerate(a):
            for later, later_score in a[n + 1:]:
                if position[later] < position[card]:
                    assert abs(score - later_score) <= tolerance * score, (query, card, later)


def test_incremental_index_and_rebuild_answer_identically(factory):
    expert = factory.user("Expert")
    collection = factory.collection("kb", verifier=expert)
    cards = [factory.card(collection, expert, title=t, body=b, language=lang) for t, b, lang in CARDS]
    with factory.db.session() as s:  # some edits, so the incremental index has history
        update_card(s, actor=expert, card_id=cards[2].id, expected_version=1, body="Seats: 10 on Team, 50 on Business.")
        update_card(s, actor=expert, card_id=cards[0].id, expected_version=1, title="Handling a refund request quickly")
    grown = _scored(factory.index)
    assert grown["refund"][0][0] == cards[0].id
    assert grown["nothing-matches-this"] == []
    # Replaced documents count in BM25's statistics until their segments merge
    # (a scheduled optimize): before and after that, the grown index agrees with a rebuild.
    factory.index.optimize()
    compacted = _scored(factory.index)
    factory.index.rebuild()
    rebuilt = _scored(factory.index)
    assert_same_ranking(grown, rebuilt)
    assert_same_ranking(compacted, rebuilt)


def test_save_is_searchable_when_it_returns(factory):
    expert = factory.user("Expert")
    collection = factory.collection("kb", verifier=expert)
    card = factory.card(collection, expert, title="Data export", body="Export as CSV from settings.")
    with factory.db.session() as s:
        update_card(s, actor=expert, card_id=card.id, expected_version=1, body="Export as XLSX from settings.")
    assert [h.card_id for h in service.search(factory.index, text="xlsx", readable=None)[0]] == [card.id]
    assert service.search(factory.index, text="csv", readable=None)[0] == []


def test_index_records_the_last_applied_change_and_catches_up(factory, settings):
    from server.search.index import SearchIndex

    expert = factory.user("Expert")
    collection = factory.collection("kb", verifier=expert)
    factory.card(collection, expert, title="Alpha", body="First.")
    # A second replica (another process's index directory) starts empty and catches up.
    replica = SearchIndex(settings.data_dir / "replica", factory.db.session)
    assert replica.apply_pending() == 1  # one outbox row: the card was created
    assert replica.applied() == factory.index.applied()
    assert [h.title for h in service.search(replica, text="alpha", readable=None)[0]] == ["Alpha"]
    assert replica.apply_pending() == 0
    replica.close()


def test_search_is_filtered_to_readable_collections(factory):
    expert = factory.user("Expert")
    open_kb, closed_kb = factory.collection("open", verifier=expert), factory.collection("closed", verifier=expert)
    factory.card(open_kb, expert, title="Refund policy", body="Refund within 30 days.")
    factory.card(closed_kb, expert, title="Refund secrets", body="Internal refund notes.")
    hits, total = service.search(factory.index, text="refund", readable=[open_kb.id])
    assert [h.title for h in hits] == ["Refund policy"] and total == 1
    assert service.search(factory.index, text="refund", readable=[])[0] == []
    assert [h.title for h in service.suggest(factory.index, text="refund within 30 days notes internal",
                                             readable=[open_kb.id])] == ["Refund policy"]


def test_what_the_first_searches_would_wait_for_is_loaded_at_start(factory):
    # The Chinese segmenter only for an index holding Chinese; every segment's word lists.
    from server.search import analysis, expansion

    assert factory.index.prepare() is False  # an empty index: nothing to load
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    factory.card(kb, expert, title="Refund policy", body="Refunds within 14 days; the word İADE is Turkish.")
    assert factory.index.prepare() is False
    factory.card(kb, expert, title="Codecs", body="An English card quoting 退款政策 in Chinese.")
    assert factory.index.prepare() is True
    assert analysis._jieba is not None
    # The word lists prefixes and fuzzy terms expand from were read too: none is read again.
    read_again = []
    with factory.index.searcher() as searcher:
        for segment, _ in searcher.reader().leaf_readers():
            segment.lexicon = lambda field: read_again.append(field) or iter(())
            expansion.word_list(segment, "body_en"), expansion.word_list(segment, "title_en")
    assert not read_again


def test_title_postings_are_read_ahead_at_start(factory):
    # A typed prefix stands for many title words: their postings are read before any search.
    from server.search import postings

    assert factory.index.warm() == 0  # an empty index
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    factory.card(kb, expert, title="Refund policy", body="Refunds within 14 days.")
    factory.card(kb, expert, title="İade politikası", body="İadeler 14 gün içinde yapılır.", language="tr")
    postings.forget()
    assert factory.index.warm() >= 4  # refund, policy; iade, politika
    read_again = []
    with factory.index.searcher() as searcher:
        for segment, _ in searcher.reader().leaf_readers():
            segment.postings = lambda field, text: read_again.append((field, text))
            for field in ("title_en", "title_tr"):
                for term in segment.lexicon(field):
                    postings.segment_postings(segment, field, term)
    assert not read_again


def test_common_body_words_are_read_ahead_before_rare_ones(factory, monkeypatch):
    # When the body words do not all fit, the common ones (long postings, met by most
    # queries) are read first, not the first ones in alphabetical order.
    from server.search import index as index_module
    from server.search import postings

    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    for n in range(12):
        factory.card(kb, expert, title=f"Card {n}", body=f"zebra crossing {n}: aardvark{n} abacus{n} acorn{n}")
    factory.index.optimize()  # one segment of 12 cards
    monkeypatch.setattr(index_module, "COMMON_BODY_SHARE", 4)  # in 3 of 12 cards or more: common
    postings.forget()
    with factory.index.searcher() as searcher:
        titles = sum(postings.preload(segment, field) for segment, _ in searcher.reader().leaf_readers()
                     for field in ("title_en",))
        room = postings._kept.held() + 2 * (postings.TERM_WEIGHT + 12)  # titles, then about two body words
    monkeypatch.setattr(postings, "POSTINGS_KEPT", 2 * room)
    postings.forget()
    assert factory.index.warm() >= titles + 2
    with factory.index.searcher() as searcher:
        kept = {(field, text) for segment, _ in searcher.reader().leaf_readers()
                for field, text in ((f, t) for f in ("body_en",) for t in segment.lexicon(f))
                if postings._kept.get(segment, (field, text), lambda: None) is not None}
    assert {text for _, text in kept} >= {b"zebra", b"cross"}
    assert not any(text.startswith(b"aardvark") for _, text in kept)
