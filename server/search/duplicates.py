"""Near-duplicates of a card being written: candidates from the index, kept when their
words overlap enough with the draft's (Jaccard on analysed words, title and whole text)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from server.search.analysis import detect_language, field_language
from server.search.index import SearchIndex
from server.search.query import analyzed
from server.search.schema import body_field
from server.search.service import search, suggest

THRESHOLD = 0.3


@dataclass(frozen=True)
class Duplicate:
    card_id: int
    title: str
    similarity: float


def _terms(text: str, language: str) -> set[str]:
    return set(analyzed(body_field(field_language(language)), text))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicates(index: SearchIndex, *, title: str, body: str, readable: Iterable[int] | None,
                    exclude_card_id: int | None = None, limit: int = 5) -> list[Duplicate]:
    readable = list(readable) if readable is not None else None
    language = detect_language(f"{title}\n{body}")
    candidates = {h.card_id: h for h in search(index, text=title[:300], readable=readable, limit=10)[0]}
    if body.strip():
        candidates.update({h.card_id: h for h in suggest(index, text=f"{title}\n{body}"[:20_000],
                                                         readable=readable, limit=10)})
    candidates.pop(exclude_card_id, None)
    if not candidates:
        return []
    draft_title, draft_all = _terms(title, language), _terms(f"{title} {body}", language)
    found = []
    with index.searcher() as searcher:
        for card_id, hit in candidates.items():
            stored = searcher.document(id=str(card_id)) or {}
            theirs = stored.get("language", language)
            similarity = max(_jaccard(draft_title, _terms(stored.get("title", ""), theirs)),
                             _jaccard(draft_all, _terms(f"{stored.get('title', '')} {stored.get('plain', '')}", theirs))
                             if body.strip() else 0.0)
            if similarity >= THRESHOLD:
                found.append(Duplicate(card_id, hit.title, round(similarity, 2)))
    return sorted(found, key=lambda d: (-d.similarity, d.card_id))[:limit]
