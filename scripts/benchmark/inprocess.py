"""Vouch's search and suggest called in this process, on a data directory `vouch seed`
filled: no HTTP, no authentication, no analytics — the search code alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmark.queries import Email, Query, Workload
from benchmark.timing import latency


def card_slugs(data_dir: Path) -> dict[int, str]:
    """Card id → slug (the bench's slugs are unique across collections)."""
    with sqlite3.connect(data_dir / "vouch.db") as db:
        return dict(db.execute("SELECT id, slug FROM card"))


def collection_ids(data_dir: Path) -> list[int]:
    """What every active user may read (every collection, as the server passes it)."""
    with sqlite3.connect(data_dir / "vouch.db") as db:
        return [n for (n,) in db.execute("SELECT id FROM collection")]


def _answer(item: Query | Email) -> str:
    return item.answer


def measure(data_dir: Path, work: Workload) -> dict:
    from server.app import open_services
    from server.search.service import search, suggest
    from server.settings import Settings

    slugs, readable = card_slugs(data_dir), collection_ids(data_dir)
    db, index = open_services(Settings(data_dir=data_dir))
    index.prepare()  # as the server does at start
    index.warm()
    try:
        def searched(query: Query) -> list[str]:
            hits, _ = search(index, text=query.text, readable=readable, limit=10)
            return [slugs.get(hit.card_id) for hit in hits]

        def suggested(email: Email) -> list[str]:
            # the text /api/context gives suggest (subject twice, then the message)
            text = f"{email.subject}\n{email.subject}\n{email.text}"
            return [slugs.get(hit.card_id) for hit in suggest(index, text=text, readable=readable)]

        return {
            "search_typed": latency(searched, work.typed, _answer, work.warm),
            "search_whole": latency(searched, work.whole, _answer),
            "suggest": latency(suggested, work.emails, _answer, work.warm_emails),
        }
    finally:
        index.close()
        db.dispose()
