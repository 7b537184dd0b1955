"""The cheap ways search gathers its hits answer as the plain way would: scoring only the
best-matched documents, counting from postings, leaving common words out, and keeping
answers per index generation."""

from whoosh.collectors import TopCollector

from server.cards.service import create_card, update_card
from server.content.batches import card_batches
from server.search import collecting, service
from server.search.collecting import best_matched
from server.search.query import near_query, parse_user_query, query_parts

TOPICS = ["refund", "invoice", "outage", "password", "export", "webhook"]


def _cards(factory, count: int):
    """Cards whose titles and bodies mix the topics, created one commit at a time so the
    index holds several segments."""
    expert = factory.user("Expert")
    kb, other = factory.collection("kb", verifier=expert), factory.collection("other", verifier=expert)
    cards = []
    for n in range(count):
        words = [TOPICS[(n + k) % len(TOPICS)] for k in range(1 + n % 3)]
        cards.append(factory.card(kb if n % 4 else other, expert, title=f"About {' and '.join(words)} number {n}",
                                  body=f"The {' the '.join(words)} procedure, step {n}. The team knows the steps."
                                  + (" Chargebacks too." if n % 10 == 0 else "")))
    return expert, kb, other, cards


def _answers(index, readable=None, filters=service.Filters()):
    queries = ["refund invoice", "outage password export", "webho", "the refund", "refund procedure steps"]
    found = {}
    for text in queries:
        hits, total = service.search(index, text=text, readable=readable, filters=filters, limit=5)
        found[text] = ([(h.card_id, round(h.score, 4)) for h in hits], total)
    return found


def test_scoring_only_the_best_matched_documents_ranks_as_scoring_them_all(factory, monkeypatch):
    monkeypatch.setattr(service, "RERANK", 5)
    expert, kb, other, cards = _cards(factory, 40)
    with factory.index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1  # document numbers must map per segment
    everything = _answers(factory.index), _answers(factory.index, readable=[kb.id])
    factory.index.memo.clear()
    monkeypatch.setattr(collecting, "SCORE_ALL_UP_TO", 3)  # the cheap path, even on 40 cards
    scored, flat_scores = [], collecting._flat_scores
    monkeypatch.setattr(collecting, "_flat_scores", lambda s, query, docs: scored.append(len(docs)) or
                        flat_scores(s, query, docs))
    assert (_answers(factory.index), _answers(factory.index, readable=[kb.id])) == everything
    assert scored and min(scored) < 40
    assert everything[0]["refund invoice"][1] > 5 and everything[1]["refund invoice"][0]


def test_scores_added_up_term_by_term_are_whooshs_own(factory):
    """flat_scores sums each term's postings instead of walking Whoosh's matcher tree: the
    scores must be the tree's, for every shape of word a query has (typed prefixes,
    typos, Turkish stems, tags, common words), across several segments, some with
    replaced documents. The documents counted from postings are the ones Whoosh matches."""
    expert, kb, other, cards = _cards(factory, 40)
    factory.index.rebuild()  # one segment of them all, then others beside it
    editor = factory.user("Editor")
    for card in cards[3::7]:  # replaced documents, deleted among live ones in their segment
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version,
                        body=card.body + " Refund invoice export, revised.")
    factory.card(factory.collection("tr", verifier=factory.user("Uzman")), factory.user("Yazar"),
                 title="İade talepleri", body="Kesintiler ve iadeler 14 gün içinde işlenir.", language="tr")
    queries = ["refund invoice", "refu", "webhok outage", "the refund procedure steps", "number 7 export",
               "iadeler kesintiler", "outage password export webhook refund invoice", "chargebacks te"]
    with factory.index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1
        assert any(reader.has_deletions() for reader, _ in searcher.reader().leaf_readers())
        stats = service._TermStats(factory.index, searcher)
        for text in queries:
            query = query_parts(parse_user_query(text), known=stats.known, common=stats.common,
                                completes=stats.completes).compose()
            # The tree Whoosh builds for an index of over 5,000 documents. On a smaller one it
            # preloads each union into an array, and its coordination then miscounts the terms.
            collector = TopCollector(limit=1000, usequality=False, replace=0)
            searcher.search_with_collector(query, collector, context=searcher.context(needs_current=True))
            whoosh = {hit.docnum: hit.score for hit in collector.results()}
            flat = collecting.flat_scores(searcher, query, set(whoosh))
            assert collecting.documents_of(searcher, collecting.expanded_terms(searcher, query)) == set(whoosh), text
            assert whoosh and flat is not None, text
            assert flat.keys() == whoosh.keys() and all(abs(flat[d] - whoosh[d]) < 1e-9 for d in whoosh), text


def test_total_is_every_match_within_the_filters(factory):
    expert, kb, other, cards = _cards(factory, 12)
    refund_cards = [c for c in cards if "refund" in c.title]
    assert service.search(factory.index, text="refund", readable=None)[1] == len(refund_cards)
    in_kb = [c for c in refund_cards if c.collection_id == kb.id]
    assert service.search(factory.index, text="refund", readable=[kb.id])[1] == len(in_kb)
    # A filtered search that finds nothing says so (it reaches the zero-results report).
    assert service.search(factory.index, text="refund", readable=None,
                          filters=service.Filters(status="unverified")) == ([], 0)
    assert service.search(factory.index, text="refund", readable=[]) == ([], 0)


def test_a_word_in_most_cards_is_left_out_while_others_remain(factory):
    _cards(factory, 30)  # 'the' is in every card, 'chargeback' in three
    plain = service.search(factory.index, text="chargeback ", readable=None, limit=10)
    with_the = service.search(factory.index, text="the chargeback ", readable=None, limit=10)
    assert [h.card_id for h in with_the[0]] == [h.card_id for h in plain[0]] and with_the[1] == plain[1] == 3
    # Alone, a common word is still searched.
    assert service.search(factory.index, text="the", readable=None)[1] == 30


def test_a_word_being_typed_completes_title_words(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    titled = factory.card(kb, expert, title="Webhook retries", body="We retry three times.")
    factory.card(kb, expert, title="Integrations", body="Webhooks are signed.")
    assert [h.card_id for h in service.search(factory.index, text="webh", readable=None)[0]] == [titled.id]
    # The finished word finds both, the body's mention too.
    assert len(service.search(factory.index, text="webhooks ", readable=None)[0]) == 2


def test_answers_are_kept_until_the_index_changes(factory):
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    card = factory.card(kb, expert, title="Data export", body="Export as CSV from settings.")
    first = service.search(factory.index, text="csv", readable=None)
    assert service.search(factory.index, text="csv", readable=None) is first  # kept, not searched again
    with factory.db.session() as s:
        update_card(s, actor=expert, card_id=card.id, expected_version=1, body="Export as XLSX from settings.")
    assert service.search(factory.index, text="csv", readable=None) == ([], 0)


def test_best_matched_prefers_documents_matching_more_words(monkeypatch):
    monkeypatch.setattr(collecting, "SCORE_ALL_UP_TO", 4)
    words = [{1, 2, 3, 4, 5, 6}, {2, 3, 7}, {3, 8}]
    everything, chosen = best_matched(words, None, enough=2)
    assert everything == {1, 2, 3, 4, 5, 6, 7, 8} and chosen == {2, 3}
    assert best_matched(words, {2, 7, 8}, enough=2) == ({2, 7, 8}, {2, 7, 8})  # few enough: all scored
    assert best_matched(words, None, enough=9)[1] == everything  # never fewer than asked for


def test_prefixes_and_typos_find_words_written_after_they_were_first_expanded(factory):
    # Expansions are kept per segment: every write that adds, changes or merges segments
    # must still be seen by the next keystroke.
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    editor = factory.user("Editor")
    index = factory.index

    def titles(text):
        return sorted(h.title for h in service.search(index, text=text, readable=None)[0])

    refund = factory.card(kb, expert, title="Refund policy", body="Money back within fourteen days.")
    assert titles("refu") == ["Refund policy"]
    assert titles("refumd") == ["Refund policy"]  # a typo, expanded by edit distance
    factory.card(kb, expert, title="Refurbished devices", body="Sold with a one year warranty.")
    assert titles("refu") == ["Refund policy", "Refurbished devices"]
    with factory.db.session() as s:
        update_card(s, actor=editor, card_id=refund.id, expected_version=refund.version,
                    title="Returns policy", body="Goods back within fourteen days.")
    assert titles("refu") == ["Refurbished devices"]
    assert titles("refumd") == []
    assert titles("retu") == ["Returns policy"]
    index.optimize()  # one new segment in place of the others
    assert titles("refu") == ["Refurbished devices"]
    assert titles("retu") == ["Returns policy"]


def test_scores_from_kept_postings_are_whooshs_own_across_many_blocks(factory):
    # Postings of over a hundred documents span several blocks; a search scores some of
    # its matches only (the best-matched): few of many postings are leapt to, the
    # postings of a rarer term are walked.
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    with card_batches(factory.db.engine) as batches:  # as a bulk load writes them: quicker
        cards = []
        for n in range(300):
            cards.append(create_card(batches.session, actor=expert, collection_slug=kb.slug, title=f"Refund case {n}",
                                     body="The refund was sent. " * (1 + n % 4)
                                     + ("Invoice attached. " if n % 3 == 0 else "")
                                     + ("A webhook fired. " if n % 50 == 0 else "")))
            batches.written()
    factory.index.rebuild()
    editor = factory.user("Editor")
    for card in cards[5::40]:
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version, body=card.body + " Revised.")
    with factory.index.searcher() as searcher:
        assert any(reader.has_deletions() for reader, _ in searcher.reader().leaf_readers())
        stats = service._TermStats(factory.index, searcher)
        for text in ["refund", "refund webhook", "invoice webhook", "refu", "invoice refund case"]:
            query = query_parts(parse_user_query(text), known=stats.known, common=stats.common,
                                completes=stats.completes).compose()
            collector = TopCollector(limit=1000, usequality=False, replace=0)
            searcher.search_with_collector(query, collector, context=searcher.context(needs_current=True))
            whoosh = {hit.docnum: hit.score for hit in collector.results()}
            for every in (1, 7, 97):
                some = set(sorted(whoosh)[::every])
                flat = collecting.flat_scores(searcher, query, some)
                assert flat is not None and flat.keys() == some, (text, every)
                assert all(abs(flat[d] - whoosh[d]) < 1e-9 for d in some), (text, every)


def _whooshs_scores(searcher, query, docnums):
    matcher, found = query.matcher(searcher, searcher.context()), {}
    for docnum in sorted(docnums):
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            found[docnum] = matcher.score()
    return found


def test_nearness_scored_for_a_few_documents_is_whooshs_own(factory):
    """Word-pair nearness is scored for the top hits from the kept postings and each
    hit's positions, not by Whoosh's span matcher: the scores must be Whoosh's, for
    words side by side, one word apart, too far apart and in the other order, in
    several segments, some with replaced documents."""
    expert = factory.user("Expert")
    kb = factory.collection("kb", verifier=expert)
    bodies = ["Send the refund invoice today.", "The refund and invoice go together.",
              "An invoice, then a refund.", "Refund first. Many words later comes the invoice.",
              "Refund invoice refund invoice.", "Nothing about either.", "The refund of the invoice was late."]
    cards = [factory.card(kb, expert, title=f"Case {n}", body=bodies[n % len(bodies)] + f" Case {n}.")
             for n in range(30)]
    factory.index.rebuild()
    for n in range(30, 45):
        cards.append(factory.card(kb, expert, title=f"Refund invoice {n}", body=bodies[n % len(bodies)]))
    editor = factory.user("Editor")
    for card in cards[2::9]:
        with factory.db.session() as s:
            update_card(s, actor=editor, card_id=card.id, expected_version=card.version,
                        body="The invoice refund, revised.")
    with factory.index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) > 1
        assert any(reader.has_deletions() for reader, _ in searcher.reader().leaf_readers())
        stats = service._TermStats(factory.index, searcher)
        alive = [d for d in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(d)]
        for text in ["refund invoice", "invoice refund", "refund the invoice", "case refund invoice"]:
            near = near_query(parse_user_query(text, prefix_last=False), stats.known)
            assert near is not None, text
            whoosh = _whooshs_scores(searcher, near, alive)
            assert whoosh, text
            for every in (1, 3):
                some = alive[::every]
                ours = collecting.scores_of(searcher, near, some)
                assert collecting._pair_scores(searcher, near, some) == ours  # not Whoosh's own, again
                assert ours.keys() == {d for d in some if d in whoosh}, (text, every)
                assert all(abs(ours[d] - whoosh[d]) < 1e-9 for d in ours), (text, every)
