"""Prefixes and fuzzy terms expand, from the word lists kept in memory, to exactly the
words Whoosh's own expansion gives, in every segment and field, for words typed whole,
cut short, misspelt and in other scripts."""

import random

from whoosh import query as q

from server.search import expansion

BODIES = ["Refunds are sent within fourteen days of the request.",
          "İade talepleri ve kesintiler on dört gün içinde işlenir; ağaç, kitap, çocuk.",
          "Tagasimaksed tehakse neljateistkümne päeva jooksul, õigus ja väärtus.",
          "退款申请会在十四天内处理。退款政策适用于所有订单。",
          "Webhooks retry with exponential backoff; the endpoint must answer quickly.",
          "Invoices, invoicing and invoiced orders are exported as CSV."]


def _typos(word: str, rng: random.Random) -> list[str]:
    cut = rng.randrange(1, len(word)) if len(word) > 1 else 0
    return [word, word[:cut] + word[cut + 1:], word[:cut] + "x" + word[cut:], word[:cut] + "e" + word[cut + 1:]]


def test_expansions_are_whooshs_own(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    for n, body in enumerate(BODIES * 2):
        factory.card(kb, expert, title=body.split(",")[0][:40] + f" {n}", body=body,
                     language=["en", "tr", "et", "zh", "en", "en"][n % len(BODIES)])
    factory.index.rebuild()
    factory.card(kb, expert, title="Refund exports", body="Exported refunds, invoices and webhooks.")
    rng = random.Random(3)
    checked = 0
    with factory.index.searcher() as searcher:
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        assert len(readers) > 1
        for reader in readers:
            for field in ("title_en", "body_en", "body_tr", "body_et", "body_zh", "title_xx"):
                words = [w.decode("utf-8") for w in reader.lexicon(field)] + ["zzz", "a", "ref", "ödeme"]
                for word in words:
                    for prefix in {word[:n] for n in (1, 2, 3, 5)}:
                        leaf = q.Prefix(field, prefix)
                        assert expansion.segment_expansion(reader, leaf) == tuple(leaf._btexts(reader)), leaf
                    for typed in filter(None, _typos(word, rng)):
                        leaf = q.FuzzyTerm(field, typed, maxdist=1, prefixlength=1)
                        assert expansion.segment_expansion(reader, leaf) == tuple(leaf._btexts(reader)), leaf
                        checked += 1
    assert checked > 300


def test_what_the_word_lists_say_a_segment_holds_is_the_term_files_word(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    for n, body in enumerate(BODIES):
        factory.card(kb, expert, title=f"Card {n}", body=body, language=["en", "tr", "et", "zh", "en", "en"][n])
    with factory.index.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) > 1
        for field in ("body_en", "body_tr", "title_en", "tags"):
            held = {w.decode("utf-8") for segment, _ in reader.leaf_readers() for w in segment.lexicon(field)}
            for word in held | {"zzz", "refun", "ödem", "退款x", ""}:
                assert expansion.holds(reader, field, word) == (searcher.doc_frequency(field, word) > 0), (field, word)
                for n in (1, 2, 4):
                    assert expansion.begins(reader, field, word[:n]) == any(h.startswith(word[:n]) for h in held)
        assert not expansion.holds(reader, "no_such_field", "refund")
