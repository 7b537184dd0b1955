"""The index schema and the one pure function that maps a card to an index document."""

from __future__ import annotations

import html
import re

import nh3
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from server.markdown import render_markdown
from server.search.analysis import LANGUAGES, OTHER, analyzer_for, field_language

# Bump when the analyzers or card_document() change what is indexed: an index built
# by another version is rebuilt when the services open (SearchIndex.is_current).
ANALYSIS_VERSION = "2"  # 2: Chinese runs segmented in every language's fields
TITLE_BOOST = 2.0
TAGS_BOOST = 2.0
FIELD_LANGUAGES = (*LANGUAGES, OTHER)


def title_field(language: str) -> str:
    return f"title_{language}"


def body_field(language: str) -> str:
    return f"body_{language}"


def build_schema() -> Schema:
    fields = {
        # Identity and filters (exact values, not analysed).
        "id": ID(stored=True, unique=True),
        "collection_id": ID(stored=True),
        "status": ID(stored=True),
        "language": ID(stored=True),
        "verifier_id": ID(stored=True),
        # Tags: whole words, lower-cased, ranked above the body.
        "tags": KEYWORD(lowercase=True, commas=True, scorable=True, field_boost=TAGS_BOOST),
        # Shown in results; the plain text is what snippets are cut from.
        "title": STORED(),
        "plain": STORED(),
    }
    # Each language gets its own analysed pair; a card fills the pair of its language.
    for language in FIELD_LANGUAGES:
        analyzer = analyzer_for(language)
        fields[title_field(language)] = TEXT(analyzer=analyzer, field_boost=TITLE_BOOST, phrase=True)
        fields[body_field(language)] = TEXT(analyzer=analyzer, phrase=True)
    return Schema(**fields)


def markdown_lines(markdown: str) -> list[str]:
    """Card body as plain text, a line per paragraph line, list item or heading."""
    text = html.unescape(nh3.clean(render_markdown(markdown), tags=set()))
    return [line for line in (re.sub(r"\s+", " ", raw).strip() for raw in text.split("\n")) if line]


def markdown_to_plain(markdown: str) -> str:
    """Card body as plain text, for snippets."""
    return " ".join(markdown_lines(markdown))


# The card's fields card_document reads: a change to any of them must reach the index
# (server/search/outbox.py writes the outbox row for it, whatever path changed it).
CARD_FIELDS_INDEXED = ("collection_id", "status", "language", "verifier_id", "tags", "title", "body")


def card_document(card) -> dict:
    """Card → index document. Pure: the same card always gives the same document."""
    language = field_language(card.language)
    plain = markdown_to_plain(card.body)
    return {
        "id": str(card.id),
        "collection_id": str(card.collection_id),
        "status": card.status,
        "language": card.language,
        "verifier_id": str(card.verifier_id or ""),
        "tags": ",".join(card.tags or []),
        "title": card.title,
        "plain": plain,
        title_field(language): card.title,
        body_field(language): plain,
    }
