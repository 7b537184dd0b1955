"""Decoded posting blocks and terms' postings are kept per process: a repeated search
decodes nothing again, and whatever is written (cards added, edited, segments merged),
searches answer as they would with nothing kept."""

from server.cards.service import update_card
from server.search import blocks, postings, service

QUERIES = ["refund", "refund invoice", "invo", "webhook outage", "refnud", "steps"]


def _answers(index) -> dict:
    index.memo.clear()  # whole answers are kept too: make each search run
    return {text: service.search(index, text=text, readable=None) for text in QUERIES}


def _fresh(index) -> dict:
    blocks.forget()
    postings.forget()
    return _answers(index)


def test_a_repeated_search_decodes_no_block_again(factory, monkeypatch):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    for n in range(30):
        factory.card(kb, expert, title=f"Refund step {n}", body=f"How refund invoices work, step {n} of the steps.")
    decoded = []
    decode = blocks._decode
    monkeypatch.setattr(blocks, "_decode", lambda matcher: decoded.append(1) or decode(matcher))
    first = _fresh(factory.index)
    assert decoded
    decoded.clear()
    assert _answers(factory.index) == first
    assert not decoded


def test_what_is_kept_never_outlives_a_write(factory):
    expert, editor = factory.user("Expert"), factory.user("Editor")
    kb = factory.collection("kb", verifier=expert)
    index = factory.index
    cards = [factory.card(kb, expert, title=f"Refund step {n}", body=f"How refund invoices work, step {n}.")
             for n in range(12)]
    index.rebuild()  # one segment, its blocks then read by every search below
    kept = _answers(index)
    assert kept == _fresh(index)
    for card in cards[::3]:
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version,
                        title=f"Webhook outage {card.id}", body="Nothing about money any more.")
    factory.card(kb, expert, title="Invoice export", body="Refund lines appear in the export.")
    after_edits = _answers(index)
    assert after_edits != kept and after_edits == _fresh(index)
    index.optimize()
    _answers(index)  # blocks of the merged segment kept
    assert _answers(index) == _fresh(index)
