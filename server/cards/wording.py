"""Does an edit change what a card says? Formatting, whitespace and punctuation do not."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _fold(word: str) -> str:
    # Case never changes meaning here; Turkish dotted and dotless i fold alike
    # (str.casefold turns 'İ' into 'i' plus a combining dot).
    return word.casefold().replace("\u0307", "").replace("ı", "i")


def words(text: str) -> list[str]:
    """The card's words in order, case-folded; Markdown marks and punctuation fall away.
    Chinese and Japanese characters count one by one: there are no spaces to split on,
    so a comma added between two characters must not look like a new word."""
    found = []
    for run in _WORD.findall((text or "").replace("_", " ")):
        found.extend(_CJK.sub(lambda m: f" {m.group()} ", _fold(run)).split())
    return found


def changes_words(old_title: str, old_body: str, new_title: str, new_body: str) -> bool:
    return words(old_title) != words(new_title) or words(old_body) != words(new_body)
