"""Differences between two versions of a card, line by line with the changed words marked,
as escaped HTML pieces ready for a page."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]", re.UNICODE)  # a Han character is a word


@dataclass(frozen=True)
class DiffLine:
    kind: str  # same | add | del
    html: str  # escaped text, changed words in <ins>/<del>


def card_text(title: str, body: str, tags: list[str] | None = None) -> list[str]:
    lines = [f"# {title}", ""] + body.replace("\r\n", "\n").split("\n")
    if tags:
        lines += ["", "Tags: " + ", ".join(tags)]
    return lines


def _words(old: str, new: str) -> tuple[str, str]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        gone, came = html.escape("".join(a[i1:i2])), html.escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(gone)
            right.append(came)
            continue
        if gone:
            left.append(f"<del>{gone}</del>")
        if came:
            right.append(f"<ins>{came}</ins>")
    return "".join(left), "".join(right)


def diff_lines(old: list[str], new: list[str], context: int | None = 3) -> list[DiffLine]:
    """Changed lines with `context` unchanged lines around them (None: every line)."""
    out: list[DiffLine] = []
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = old[i1:i2]
            if context is not None and len(same) > 2 * context + 1:
                head = same[:context] if n > 0 else []
                tail = same[-context:] if n < len(opcodes) - 1 else []
                out += [DiffLine("same", html.escape(line)) for line in head]
                out.append(DiffLine("same", "…"))
                out += [DiffLine("same", html.escape(line)) for line in tail]
            else:
                out += [DiffLine("same", html.escape(line)) for line in same]
            continue
        gone, came = old[i1:i2], new[j1:j2]
        if op == "replace" and len(gone) == len(came):
            for a, b in zip(gone, came):
                left, right = _words(a, b)
                out += [DiffLine("del", left), DiffLine("add", right)]
            continue
        out += [DiffLine("del", html.escape(line)) for line in gone]
        out += [DiffLine("add", html.escape(line)) for line in came]
    return out
