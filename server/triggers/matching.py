"""Does a trigger fire for a conversation? Pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

NEAR_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
_NEAR = re.compile(r"\s+near\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Conversation:
    url: str
    emails: tuple[str, ...]
    customer_id: int | None
    text: str


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _positions(words: list[str], stem: str) -> list[int]:
    # A pattern word matches its longer forms too: 'chargeback' fires on 'chargebacks'.
    return [i for i, w in enumerate(words) if w.startswith(stem)]


def words_fire(pattern: str, text: str) -> bool:
    """'chargeback card': both words anywhere. 'chargeback near card': within 12 words."""
    words = _words(text)
    if _NEAR.search(pattern):
        left, right = (_words(part) for part in _NEAR.split(pattern, maxsplit=1))
        if not left or not right:
            return False
        a, b = _positions(words, left[0]), _positions(words, right[0])
        return any(abs(i - j) <= NEAR_WORDS for i in a for j in b)
    wanted = _words(pattern)
    return bool(wanted) and all(_positions(words, w) for w in wanted)


def fires(kind: str, pattern: str, conversation: Conversation) -> bool:
    if kind == "site":
        return bool(conversation.url) and fnmatchcase(conversation.url.casefold(), pattern.casefold())
    if kind == "customer":
        return conversation.customer_id is not None and pattern == str(conversation.customer_id)
    if kind == "domain":
        return any(e.rsplit("@", 1)[-1] == pattern.casefold() for e in conversation.emails)
    if kind == "words":
        return words_fire(pattern, conversation.text)
    return False
