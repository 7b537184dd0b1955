"""A term's postings kept per segment are the segment's own, deleted documents included
(the readers drop them), and what is kept stays within its bound."""

from server.cards.service import update_card
from server.search import postings
from server.search.postings import KeptPerSegment, segment_postings


def test_kept_postings_are_whooshs_own_in_every_segment(factory):
    expert, editor = factory.user("Expert"), factory.user("Editor")
    kb = factory.collection("kb", verifier=expert)
    cards = [factory.card(kb, expert, title=f"Refund step {n}", body="Refund invoices. " * (1 + n % 3) + f"Step {n}.")
             for n in range(20)]
    factory.index.rebuild()
    for card in cards[::4]:
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version, body="Webhook outage.")
    postings.forget()
    with factory.index.searcher() as searcher:
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        assert len(readers) > 1 and any(reader.has_deletions() for reader in readers)
        checked = deleted_in_kept = 0
        for reader in readers:
            for field in ("title_en", "body_en"):
                for term in reader.lexicon(field):
                    kept = segment_postings(reader, field, term)
                    live = list(reader.postings(field, term).items_as("weight"))
                    assert [(d, w) for d, w in zip(kept.ids, kept.weights) if not reader.is_deleted(d)] == live
                    assert len(kept) == reader.doc_frequency(field, term), (field, term)  # deleted ones too
                    deleted_in_kept += sum(map(reader.is_deleted, kept.ids))
                    assert segment_postings(reader, field, term.decode()) is kept  # str or bytes alike
                    checked += 1
            assert segment_postings(reader, "body_en", "nowhere") is None
            assert segment_postings(reader, "no_such_field", "refund") is None
        assert checked > 50 and deleted_in_kept > 0


def test_postings_read_ahead_are_the_ones_read_term_by_term(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    for n in range(30):
        factory.card(kb, expert, title=f"Refund step {n} of {n % 4} invoices", body=f"Refund invoices. Step {n}.")
    with factory.index.searcher() as searcher:
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        postings.forget()
        by_term = {(id(reader), term): segment_postings(reader, "title_en", term)
                   for reader in readers for term in reader.lexicon("title_en")}
        postings.forget()
        read = sum(postings.preload(reader, "title_en") for reader in readers)
        assert read == len(by_term) > 30
        for reader in readers:
            for term in reader.lexicon("title_en"):
                ahead = segment_postings(reader, "title_en", term)
                expected = by_term[id(reader), term]
                assert (list(ahead.ids), list(ahead.weights)) == (list(expected.ids), list(expected.weights))
        assert postings.preload(readers[0], "no_such_field") == 0


class _Segment:
    def __init__(self, name: str):
        self.name = name

    def segment_id(self) -> str:
        return self.name


class _Reader:
    def __init__(self, name: str):
        self.segment = lambda: _Segment(name)


def test_what_is_kept_stays_within_its_bound():
    kept = KeptPerSegment(100, weigh=len)
    reader = _Reader("s1")
    for n in range(50):
        assert kept.get(reader, n, lambda: "x" * 30) == "x" * 30
        assert kept._held <= 100 and len(kept._values) <= 3
    assert kept.get(reader, 49, lambda: "other") == "x" * 30  # the most recent is still there
    assert kept.get(_Reader("s2"), 49, lambda: "other") == "other"  # another segment, another value


def test_what_was_kept_for_segments_merged_away_is_let_go():
    kept = KeptPerSegment(100, weigh=len)
    kept.get(_Reader("old"), "a", lambda: "x" * 10)
    kept.get(_Reader("new"), "a", lambda: "y" * 20)
    kept.keep_only({"new"})
    assert kept.held() == 20
    assert kept.get(_Reader("old"), "a", lambda: "read again") == "read again"
    assert kept.get(_Reader("new"), "a", lambda: "read again") == "y" * 20
