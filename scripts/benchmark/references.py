"""The reference engines, on the same cards and the same queries: SQLite FTS5 (bm25,
Porter stemming; a typed query's last word as a prefix `word*`) and tantivy (English
stemming; the last word as a phrase prefix). Both weight the title above the body and
need every word of a query; an email is either one OR of all its words (naive) or an OR
of its 12 rarest words (rarity from the cards' document frequencies, kept in memory)."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import tantivy

from benchmark.queries import Email, Query, rarest, words
from benchmark.sections import Card

LIMIT = 10


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class Fts5:
    name = "FTS5"

    def __init__(self, path: Path, frequency: Counter):
        path.unlink(missing_ok=True)
        self.path, self.frequency = path, frequency
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("CREATE VIRTUAL TABLE cards USING fts5(slug UNINDEXED, title, body, "
                        "tokenize='porter unicode61 remove_diacritics 2')")

    def load(self, cards: list[Card]) -> None:
        self.db.executemany("INSERT INTO cards (slug, title, body) VALUES (?, ?, ?)",
                            ((c.slug, c.title, c.body) for c in cards))
        self.db.commit()
        self.db.execute("INSERT INTO cards (cards) VALUES ('optimize')")
        self.db.commit()

    def _match(self, expression: str) -> list[str]:
        if not expression:
            return []
        rows = self.db.execute("SELECT slug FROM cards WHERE cards MATCH ? ORDER BY bm25(cards, 0, 4.0, 1.0) "
                               "LIMIT ?", (expression, LIMIT))
        return [slug for (slug,) in rows]

    def search(self, query: Query) -> list[str]:
        terms = [_quoted(w) for w in words(query.text)]
        if query.typed and terms:
            terms[-1] += "*"
        return self._match(" ".join(terms))

    def email(self, email: Email, short: bool) -> list[str]:
        text = email.subject + "\n" + email.text
        chosen = rarest(text, self.frequency) if short else sorted(set(words(text)))
        return self._match(" OR ".join(_quoted(w) for w in chosen))

    def size(self) -> int:
        return self.path.stat().st_size

    def close(self) -> None:
        self.db.close()


class Tantivy:
    name = "tantivy"

    def __init__(self, folder: Path, frequency: Counter):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder, self.frequency = folder, frequency
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("slug", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="en_stem")
        builder.add_text_field("body", tokenizer_name="en_stem")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(folder))

    def load(self, cards: list[Card]) -> None:
        writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        for card in cards:
            writer.add_document(tantivy.Document(slug=card.slug, title=card.title, body=card.body))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _parse(self, text: str, conjunction: bool) -> tantivy.Query:
        return self.index.parse_query(text, ["title", "body"], field_boosts={"title": 4.0},
                                      conjunction_by_default=conjunction)

    def _hits(self, query: tantivy.Query) -> list[str]:
        found = self.searcher.search(query, LIMIT).hits
        return [self.searcher.doc(address)["slug"][0] for _, address in found]

    def search(self, query: Query) -> list[str]:
        terms = words(query.text)
        if not terms:
            return []
        if not query.typed:
            return self._hits(self._parse(" ".join(terms), True))
        prefix = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.boost_query(
                tantivy.Query.phrase_prefix_query(self.schema, "title", [terms[-1]]), 4.0)),
            (tantivy.Occur.Should, tantivy.Query.phrase_prefix_query(self.schema, "body", [terms[-1]]))])
        parts = [(tantivy.Occur.Must, prefix)]
        if terms[:-1]:
            parts.append((tantivy.Occur.Must, self._parse(" ".join(terms[:-1]), True)))
        return self._hits(tantivy.Query.boolean_query(parts))

    def email(self, email: Email, short: bool) -> list[str]:
        text = email.subject + "\n" + email.text
        chosen = rarest(text, self.frequency) if short else sorted(set(words(text)))
        return self._hits(self._parse(" ".join(chosen), False)) if chosen else []

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.folder.rglob("*") if f.is_file())

    def close(self) -> None:
        pass
