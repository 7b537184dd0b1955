"""Does an edit change what a card says? Formatting, whitespace and punctuation do not."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The card's words in order, case-folded; Markdown marks and punctuation fall away."""
    return [w.casefold() for w in _WORD.findall((text or "").replace("_", " "))]


def changes_words(old_title: str, old_body: str, new_title: str, new_body: str) -> bool:
    return words(old_title) != words(new_title) or words(old_body) != words(new_body)
