"""What people type into one-line fields (names, titles), cleaned the same way everywhere."""

from __future__ import annotations

from server.errors import Invalid


def one_line(value: str | None) -> str:
    """Runs of whitespace (line breaks too) as one space, NUL dropped: PostgreSQL text
    cannot hold it."""
    return " ".join((value or "").replace("\x00", "").split())


def required_line(value: str | None, *, max_chars: int, code: str, missing: str, too_long: str) -> str:
    """one_line(value), which must hold something and at most max_chars characters."""
    line = one_line(value)
    if not line:
        raise Invalid(missing, code=code)
    if len(line) > max_chars:
        raise Invalid(too_long, code=code)
    return line
