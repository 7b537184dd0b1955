"""The semantic extra's part in search and suggest (service.py calls these): the cards
closest in meaning to what was asked, fused with the lexical ranking (semantic_fusion.py).

Each returns None when the extra is not installed or the index has no vectors: the
caller then answers exactly as without the extra."""

from __future__ import annotations

from collections.abc import Callable

from whoosh import query as q

from server.search import semantic, semantic_fusion as fusion
from server.search.collecting import Scored
from server.search.conversation import request_text
from server.search.fit_model import chance


def ready(index) -> bool:
    """Whether the extra is installed and the index has vectors to rank by."""
    if not semantic.available():
        return False
    vectors = index.vectors.get()
    return vectors is not None and len(vectors) > 0


def begin(index, text: str) -> None:
    """Begin the vector of what was asked while its words are searched
    (semantic.embed_ahead), when the index has vectors to rank by."""
    if text.strip() and ready(index):
        semantic.embed_ahead(text)


def _closest(index, searcher, text: str, allowed: set[int] | None, lexical: list[Scored],
             language: str | None = None) -> list[tuple[Scored, float]] | None:
    """The cards in the message's language closest to it, best first, each as a document
    of this searcher with its similarity; only cards `allowed` (None: any). None when one
    of the `lexical` cards, those the words put forward, is not embedded yet (saved a
    moment ago): the model would rank it below every card it knows, so the words answer
    until the embedder has it."""
    vectors = index.vectors.get() if semantic.available() else None
    if vectors is None or not len(vectors) or not text.strip():
        return None
    if not all(vectors.knows(int(h["id"])) for h in lexical):
        return None
    language = language or semantic.message_language(text)
    ranked = vectors.ranked(semantic.embed_message(text), language, fusion.SEMANTIC_DEPTH)
    if not ranked:
        return []
    live = {}
    for docnum in searcher.docs_for_query(q.Or([q.Term("id", str(card_id)) for card_id, _ in ranked])):
        if allowed is None or docnum in allowed:
            live[int(searcher.stored_fields(docnum)["id"])] = docnum
    return [(Scored(searcher, live[card_id], similarity), similarity) for card_id, similarity in ranked
            if card_id in live]


def searched(index, searcher, text: str, allowed, lexical: list[tuple[Scored, float]],
             limit: int) -> list[tuple[Scored, float]] | None:
    """Search's best `limit` (hit, fused score) pairs, from its lexical ranking; the
    model weighs as much as chosen for the query's language (fusion.search_weight); None
    (the words' answer) with the table of pieces, which ranks worse than the words alone on
    XQuAD's searches (docs/suggestions.md)."""
    chosen = fusion.constants().search
    if chosen is None:
        return None
    language = semantic.message_language(text)
    words = [h for h, _ in lexical]
    closest = _closest(index, searcher, text, allowed, words[:limit], language)
    if closest is None:
        return None
    k, weight = chosen
    return _fused(words, [h for h, _ in closest], k, fusion.search_weight(language, weight))[:limit]


def suggested(index, searcher, text: str, allowed, weighed: list, mode: str, limit: int,
              known: Callable[[], float], words_show: bool = False) -> list[tuple[Scored, float]] | None:
    """Suggest's cards: the fused top three when the gate says they likely hold the
    right one (for the VOUCH_SUGGEST `mode`), else none; None (the words' answer) when the
    words alone are sure (fusion.words_sure), and when fewer than
    fusion.GATE_CARDS cards in the message's language may be shown: the gate weighs how far
    the closest card stands above the tenth. weighed: the lexical candidates
    (evidence.Weighed); known: the share of the message's telling words some card uses
    (evidence.known_share), asked only for the gate. With the table's constants
    (words_first), where the words show cards (`words_show`), the fused ones fill the top
    three without asking the gate: the words' cards stay, so no message goes from quiet to
    shown, and the gate decides only for the words' silences, on which it was fitted."""
    chances = [chance(w.features) for w in weighed]
    if fusion.words_sure(chances):  # the model is not asked: the words' answer stands
        return None
    lexical = [w.hit for _, w in sorted(zip(chances, weighed), key=lambda pair: -pair[0])]
    closest = _closest(index, searcher, request_text(text), allowed, lexical[:3])
    if closest is None or len(closest) < fusion.GATE_CARDS:
        return None
    chosen = fusion.constants()
    if not (chosen.words_first and words_show) and \
            not fusion.shows(fusion.gate_features(chances, [s for _, s in closest[:10]], known()), mode):
        return []
    return _fused(lexical, [h for h, _ in closest], *chosen.suggest)[:min(limit, 3)]


def words_first(by_words: list[tuple[Scored, float]], fused: list[tuple[Scored, float]]) -> list[tuple[Scored, float]]:
    """The table's way (semantic_fusion.Constants.words_first): every card the words show
    stays, first; the fused ranking's others fill the top three. A refund request in Slack
    lost its refund card, second by the words, to two cards the table found closer."""
    shown = {h.docnum for h, _ in by_words}
    others = [(h, s) for h, s in fused if h.docnum not in shown][:max(0, 3 - len(by_words))]
    # Scores order the answer (service._hits): the others' stay under the words' lowest.
    below = min((s for _, s in by_words), default=float("inf"))
    return [*by_words, *[(h, min(s, below - 0.001 * n)) for n, (h, s) in enumerate(others, 1)]]


def _fused(lexical: list[Scored], closest: list[Scored], k: float, weight: float) -> list[tuple[Scored, float]]:
    """Both lists' documents by reciprocal-rank fusion, each with its fused score (the
    same document may be two Scored objects: it is known by its number)."""
    by_number = {h.docnum: h for h in [*closest, *lexical]}
    order = fusion.fused([h.docnum for h in lexical], [h.docnum for h in closest], k, weight)
    lexical_rank = {h.docnum: at for at, h in enumerate(lexical, 1)}
    closest_rank = {h.docnum: at for at, h in enumerate(closest, 1)}
    return [(by_number[n], (1 / (k + lexical_rank[n]) if n in lexical_rank else 0.0)
             + (weight / (k + closest_rank[n]) if n in closest_rank else 0.0)) for n in order]
