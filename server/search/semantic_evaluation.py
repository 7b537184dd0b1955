"""What the semantic extra adds, measured before it is wired in: for every message of an
intent set (suggest_evaluation.py) and every query of a retrieval set (evaluation.py),
the lexical answers as the real path gives them, the model's similarity to every card,
and the figures of fusing the two (semantic_fusion.py) with constants chosen on the
development part only."""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from server.app import open_services
from server.search import semantic, service
from server.search.semantic_store import card_scores
from server.search.evaluation import _read_jsonl, _read_qrels, load_corpus
from server.search.fit_model import chance
from server.search.semantic_fusion import gate_features
from server.search.suggest_evaluation import Message, answers, install_with, part_of, read_intent_set, scores
from server.settings import SUGGEST_MODES, Settings

SEARCH_DEPTH = 50  # the lexical ranking fused: search's own re-ranking depth


class Embeddings:
    """Vectors by text, kept in a file between runs (--cache): a run then measures the
    fusion in seconds, not the model."""

    def __init__(self, path: Path | None):
        self.path, self.vectors, self.seconds = path, {}, []
        if path is not None and path.exists():
            with np.load(path) as saved:
                self.vectors = {key: saved[key] for key in saved.files}

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha1(f"{kind}\n{text}".encode()).hexdigest()

    def cards(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if self._key("card", t) not in self.vectors]
        if missing:
            for text, vector in zip(missing, semantic.embed_cards(missing)):
                self.vectors[self._key("card", text)] = vector
        return np.stack([self.vectors[self._key("card", t)] for t in texts])

    def message(self, text: str) -> np.ndarray:
        key = self._key("message", text)
        if key not in self.vectors:
            started = time.perf_counter()
            self.vectors[key] = semantic.embed_message(text)
            self.seconds.append(time.perf_counter() - started)
        return self.vectors[key]

    def save(self) -> None:
        if self.path is not None:
            np.savez(self.path, **self.vectors)


@dataclass
class Seen:
    """One message or query: what the lexical path gave, and the model's view of it."""

    text: str
    card: str | None
    part: str
    searched: list[str]                      # search's top SEARCH_DEPTH, best first
    candidates: list[str] = field(default_factory=list)   # suggest's, by the fit model's chance
    chances: list[float] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)        # what the sidebar shows today
    shown_by_mode: dict[str, list[str]] = field(default_factory=dict)  # … by the words, per VOUCH_SUGGEST
    semantic: list[str] = field(default_factory=list)     # every card, most similar first
    similarities: list[float] = field(default_factory=list)
    known: float = 0.0                        # the share of its telling words some card uses
    lexical_seconds: float = 0.0              # the sidebar's request, lexical alone
    semantic_seconds: float = 0.0             # embedding the message and ranking the cards

    @property
    def gate(self) -> tuple[float, ...]:
        return gate_features(self.chances, self.similarities[:10], self.known)


def _ranked(vector: np.ndarray, cards: tuple[np.ndarray, np.ndarray], names: list[str]) -> tuple[list[str], list[float]]:
    """Every card, most similar first, scored as the store scores them (card_scores)."""
    matrix, starts = cards
    similarity = card_scores(matrix @ vector, starts)
    order = np.argsort(-similarity, kind="stable")
    return [names[i] for i in order], [float(similarity[i]) for i in order]


def card_passages(docs: list[dict]) -> list[list[str]]:
    """Each card's passages, as the embedder cuts them (semantic.card_passages)."""
    return [semantic.card_passages(d["title"].replace("_", " "), d["text"].lstrip("\ufeff")) for d in docs]


def _card_vectors(docs: list[dict], embeddings: Embeddings) -> tuple[np.ndarray, np.ndarray]:
    """The cards' passage vectors, each card's together, and where each card's start."""
    passages = card_passages(docs)
    starts = np.cumsum([0] + [len(texts) for texts in passages[:-1]])
    return embeddings.cards([text for texts in passages for text in texts]), starts


def seen_intents(folder: Path, embeddings: Embeddings, limit: int | None = None) -> list[Seen]:
    """Every message of the intent set at `folder`, through one install of its cards."""
    data = read_intent_set(folder, limit)
    names = [d["id"] for d in data.cards]
    vectors = _card_vectors(data.cards, embeddings)
    seen = []
    with semantic.switched_off(), install_with(data.cards) as install:
        for message in data.messages:
            seen.append(_seen_message(install, message, vectors, names, embeddings))
    return seen


def _seen_message(install, message: Message, vectors, names, embeddings: Embeddings) -> Seen:
    started = time.perf_counter()
    shown = install.suggested(message.text)
    lexical_seconds = time.perf_counter() - started
    weighed = sorted(((card, chance(w.features)) for card, w in install.weighed(message.text)), key=lambda p: -p[1])
    hits, _ = service.search(install.index, text=message.text, readable=None, limit=SEARCH_DEPTH)
    by_mode = {}
    for mode in SUGGEST_MODES:
        install.index.suggest_mode = mode
        by_mode[mode] = install.suggested(message.text)
    install.index.suggest_mode = Settings().suggest
    slug_of = install._doc_of
    started = time.perf_counter()
    ranked, similarities = _ranked(embeddings.message(message.text), vectors, names)
    return Seen(message.text, message.card, part_of(message.text), [slug_of[h.card_id] for h in hits],
                [c for c, _ in weighed], [p for _, p in weighed], shown, by_mode, ranked, similarities,
                install.known(message.text), lexical_seconds, time.perf_counter() - started)


def seen_retrieval(folder: Path, language: str, embeddings: Embeddings, limit: int | None = None) -> list[Seen]:
    """Every query of a retrieval set (XQuAD's layout) through one install of its
    paragraphs. The language guard applies: a query the guard does not read as the
    set's language gets no semantic ranking."""
    docs = _read_jsonl(folder / "corpus.jsonl")
    queries = _read_jsonl(folder / "queries.jsonl")[:limit]
    relevant = _read_qrels(folder / "qrels.tsv")
    names = [d["id"] for d in docs]
    vectors = _card_vectors(docs, embeddings)
    seen = []
    with semantic.switched_off(), tempfile.TemporaryDirectory(prefix="vouch-eval-") as data_dir:
        db, index = open_services(Settings(data_dir=Path(data_dir)))
        with db.session() as session:
            doc_of = load_corpus(session, docs, language)
        index.rebuild()
        for query in queries:
            hits, _ = service.search(index, text=query["text"], readable=None, limit=SEARCH_DEPTH)
            ranked, similarities = [], []
            if semantic.message_language(query["text"]) == language:
                ranked, similarities = _ranked(embeddings.message(query["text"]), vectors, names)
            seen.append(Seen(query["text"], relevant[query["id"]], part_of(query["text"]),
                             [doc_of[h.card_id] for h in hits], semantic=ranked, similarities=similarities))
        index.close()
        db.dispose()
    return seen


def real_path(folder: Path, part: str = "held-out", limit: int | None = None) -> dict:
    """The sidebar's and search's own path with the extra on, for one part of the intent
    set: the figures as eval_suggest counts them (they should match the fused ones
    above), and each suggest request's time with and without the extra, same install."""
    data = read_intent_set(folder, limit)
    messages = data.part(part)
    with install_with(data.cards) as install:  # every card embedded before the first message
        lexical, fused = [], []
        with semantic.switched_off():
            for message in messages:
                started = time.perf_counter()
                install.suggested(message.text)
                lexical.append(time.perf_counter() - started)
        install.index.memo.clear()  # answers are kept per index generation, not per extra
        for message in messages:
            started = time.perf_counter()
            install.suggested(message.text)
            fused.append(time.perf_counter() - started)
        install.index.memo.clear()
        figures = scores(part, answers(install, messages))
    p95 = lambda seconds: round(float(np.percentile(seconds, 95)) * 1000, 1)  # noqa: E731
    return {"figures": figures.as_dict(), "suggest_p95_ms_lexical": p95(lexical), "suggest_p95_ms_fused": p95(fused),
            "suggest_median_ms_lexical": round(float(np.median(lexical)) * 1000, 1),
            "suggest_median_ms_fused": round(float(np.median(fused)) * 1000, 1)}
