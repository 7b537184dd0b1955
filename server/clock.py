"""The one source of 'now', so tests can move time without sleeping."""

from __future__ import annotations

from datetime import datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc)


def freeze(at: datetime | None) -> None:
    """Fix the clock at `at` (aware UTC), or release it with None."""
    global _frozen
    _frozen = at
