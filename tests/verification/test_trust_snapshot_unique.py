"""One overall trust snapshot a day: SQL counts NULLs as distinct in UNIQUE (day,
collection_id), so a partial unique index refuses a second overall row (collection_id
NULL), on SQLite and PostgreSQL, in a database made now or one migrated from 0001 that
already holds the duplicates."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone

import pytest
from alembic import command
from sqlalchemy import column, func, insert, table, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from server.db import FIRST_REVISION, _alembic, begin_write, make_engine, migrate
from server.verification.models import TrustSnapshot
from server.verification.trust import take_snapshot

DAY = date(2026, 11, 23)


def _overall_rows(db) -> list[TrustSnapshot]:
    with db.session() as s:
        return list(s.exec(select(TrustSnapshot).where(TrustSnapshot.collection_id == None)  # noqa: E711
                           .order_by(TrustSnapshot.day, TrustSnapshot.id)))


def test_a_second_overall_row_for_a_day_is_refused(factory):
    kb, faq = factory.collection("kb"), factory.collection("faq")
    with factory.db.session() as s:
        s.add(TrustSnapshot(day=DAY, collection_id=None, verified=1, live=2))
        s.commit()
        # The index is partial: a day's per-collection rows and the next day's overall row go in.
        s.add_all([TrustSnapshot(day=DAY, collection_id=kb.id, verified=1, live=1),
                   TrustSnapshot(day=DAY, collection_id=faq.id, verified=0, live=1),
                   TrustSnapshot(day=date(2026, 11, 24), collection_id=None, verified=2, live=2)])
        s.commit()
        s.add(TrustSnapshot(day=DAY, collection_id=None, verified=2, live=2))
        with pytest.raises(IntegrityError):
            s.commit()
    assert [(row.day, row.verified) for row in _overall_rows(factory.db)] == [(DAY, 1), (date(2026, 11, 24), 2)]


def test_a_database_holding_two_overall_rows_for_a_day_migrates_and_keeps_the_first(settings):
    engine = make_engine(settings)
    try:
        with engine.connect() as connection, connection.begin():
            command.upgrade(_alembic(connection), FIRST_REVISION)
            # The table as the first revision made it: today's model has columns it lacks.
            connection.execute(insert(table("collection", column("id"), column("slug"), column("name"),
                                            column("description"), column("created_at"))), [
                {"id": 1, "slug": "kb", "name": "KB", "description": "", "created_at": datetime.now(timezone.utc)}])
            connection.execute(insert(TrustSnapshot.__table__), [
                {"id": 1, "day": DAY, "collection_id": None, "verified": 1, "live": 2},
                {"id": 2, "day": DAY, "collection_id": 1, "verified": 1, "live": 2},
                {"id": 3, "day": DAY, "collection_id": None, "verified": 2, "live": 2},
                {"id": 4, "day": DAY, "collection_id": None, "verified": 0, "live": 2},
                {"id": 5, "day": date(2026, 11, 24), "collection_id": None, "verified": 2, "live": 2}])
        migrate(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id FROM trustsnapshot ORDER BY id")).scalars().all() == [1, 2, 5]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(insert(TrustSnapshot.__table__),
                               {"id": 6, "day": DAY, "collection_id": None, "verified": 0, "live": 2})
    finally:
        engine.dispose()


def _live_card(factory) -> None:
    ada = factory.user("Ada")
    factory.card(factory.collection("kb", verifier=ada), ada, title="Refunds", body="30 days.")


def test_a_second_snapshot_the_same_day_writes_nothing(factory):
    _live_card(factory)
    with factory.db.session() as s:
        assert take_snapshot(s, DAY) is True
    with factory.db.session() as s:
        assert take_snapshot(s, DAY) is False
    assert [row.day for row in _overall_rows(factory.db)] == [DAY]


def _wait_until_blocked(engine) -> None:
    """Until the other writer waits for ours: on PostgreSQL, on the index entry our row
    holds (seen in pg_stat_activity); SQLite shows no waiter, and its writer waits for
    the write lock, so a pause lets it get there. A writer that never waits (no index)
    has written its rows by the deadline, which the test's assertions then show."""
    if engine.dialect.name != "postgresql":
        time.sleep(0.3)
        return
    waiting = text("SELECT count(*) FROM pg_stat_activity "
                   "WHERE datname = current_database() AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(waiting).scalar_one():
                return
        time.sleep(0.02)


def test_a_node_whose_overall_row_is_taken_while_it_writes_keeps_none_of_its_rows(factory):
    """The other node's snapshot saw no collection, so only the overall rows can clash:
    before the index, PostgreSQL kept both nodes' overall rows for the day."""
    _live_card(factory)
    results, failures = [], []

    def second_node() -> None:
        try:
            with factory.db.session() as s:
                results.append(take_snapshot(s, DAY))
        except Exception as error:  # noqa: BLE001  (collected: a thread cannot fail the test)
            failures.append(error)

    with factory.db.session() as first:
        begin_write(first)
        first.add(TrustSnapshot(day=DAY, collection_id=None, verified=0, live=0))
        first.flush()
        thread = threading.Thread(target=second_node)
        thread.start()
        _wait_until_blocked(factory.db.engine)
        first.commit()
    thread.join(timeout=30)
    assert (results, failures) == ([False], [])
    assert [(row.day, row.live) for row in _overall_rows(factory.db)] == [(DAY, 0)]
    with factory.db.session() as s:
        assert s.exec(select(func.count()).select_from(TrustSnapshot)).one() == 1
