"""Writing to the outbox the index follows. Called inside the writing transaction."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from server.search.models import IndexChange

DIRTY = "vouch_index_dirty"
_OUTBOX_LOCK = 7_221_001  # any constant; names the outbox's advisory lock


def record_change(session: Session, kind: str, object_id: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Index followers apply rows in id order and remember the last one. PostgreSQL
        # hands out ids before commit, so two writers could commit 11 before 10 and the
        # follower would skip 10. Holding this lock to commit keeps ids in commit order.
        # (SQLite writers are serialized by BEGIN IMMEDIATE already.)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _OUTBOX_LOCK})
    session.add(IndexChange(kind=kind, object_id=object_id))
    session.info[DIRTY] = True  # after commit, the index is told to catch up
