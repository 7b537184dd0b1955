"""Search quality on a retrieval set (corpus, queries, relevance judgements), measured
through the real card and indexing code in a throwaway data directory."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from server.accounts.service import create_user
from server.app import open_services
from server.cards.models import Card, Collection
from server.search import service
from server.settings import Settings


@dataclass(frozen=True)
class Scores:
    language: str
    queries: int
    recall_at_5: float
    mrr_at_10: float


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read_qrels(path: Path) -> dict[str, str]:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return {query_id: doc_id for query_id, doc_id, *_ in rows}


def load_corpus(session, docs: list[dict], language: str) -> dict[int, str]:
    """The paragraphs as cards (bulk, as an import would), returning card id → doc id."""
    author = create_user(session, email="eval@example.test", name="Evaluation")
    collection = Collection(slug="eval", name="Evaluation", default_verifier_id=author.id)
    session.add(collection)
    session.flush()
    cards = [Card(collection_id=collection.id, slug=d["id"], title=d["title"].replace("_", " "),
                  body=d["text"].lstrip("\ufeff"), language=language, verifier_id=author.id, status="verified")
             for d in docs]
    session.add_all(cards)
    session.commit()
    return {card.id: card.slug for card in cards}


def evaluate_language(folder: Path, language: str, limit_queries: int | None = None) -> Scores:
    docs = _read_jsonl(folder / "corpus.jsonl")
    queries = _read_jsonl(folder / "queries.jsonl")[:limit_queries]
    relevant = _read_qrels(folder / "qrels.tsv")
    with tempfile.TemporaryDirectory(prefix="vouch-eval-") as data_dir:
        db, index = open_services(Settings(data_dir=Path(data_dir)))
        with db.session() as session:
            doc_of = load_corpus(session, docs, language)
        index.rebuild()
        hits_at_5 = 0
        reciprocal = 0.0
        for query in queries:
            hits, _ = service.search(index, text=query["text"], readable=None, limit=10)
            ranked = [doc_of[h.card_id] for h in hits]
            target = relevant[query["id"]]
            hits_at_5 += target in ranked[:5]
            reciprocal += 1 / (ranked.index(target) + 1) if target in ranked else 0.0
        index.close()
        db.dispose()
    return Scores(language, len(queries), hits_at_5 / len(queries), reciprocal / len(queries))
