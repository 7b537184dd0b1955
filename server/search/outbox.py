"""Writing to the outbox the index follows. Called inside the writing transaction."""

from __future__ import annotations

from sqlmodel import Session

from server.search.models import IndexChange

DIRTY = "vouch_index_dirty"


def record_change(session: Session, kind: str, object_id: int) -> None:
    session.add(IndexChange(kind=kind, object_id=object_id))
    session.info[DIRTY] = True  # after commit, the index is told to catch up
