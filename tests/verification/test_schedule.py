"""The server sends the day's digests itself at VOUCH_REMIND_AT, once, even with two servers."""

import threading
import time as wall
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from server import clock
from server.cards.service import update_card
from server.errors import Invalid
from server.verification.schedule import parse_time, run_schedule


def test_bad_time_is_a_clear_error():
    assert parse_time("08:30").hour == 8
    with pytest.raises(Invalid):
        parse_time("half past eight")


def test_two_schedulers_send_each_digest_once(factory, settings):
    clock.freeze(datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc))
    ada, sam = factory.user("Ada"), factory.user("Sam")
    card = factory.card(factory.collection("kb", verifier=ada), ada, title="Refunds", body="30 days.")
    with factory.db.session() as s:
        update_card(s, actor=sam, card_id=card.id, expected_version=1, body="14 days.")
    settings = replace(settings, remind_at="08:00")
    stop = threading.Event()
    runners = [threading.Thread(target=run_schedule, args=(factory.db, settings, stop, 0.02)) for _ in range(2)]
    for runner in runners:
        runner.start()
    wall.sleep(0.2)  # before 08:00: nothing
    outbox = settings.data_dir / "outbox"
    assert not outbox.exists()
    clock.freeze(datetime(2026, 11, 23, 8, 1, tzinfo=timezone.utc))
    for _ in range(100):
        if outbox.exists() and list(outbox.glob("*.eml")):
            break
        wall.sleep(0.05)
    wall.sleep(0.3)  # both runners have had their turn
    stop.set()
    for runner in runners:
        runner.join()
    assert len(list(outbox.glob("*.eml"))) == 1


def _snapshot_days(db) -> list:
    from sqlmodel import select

    from server.verification.models import TrustSnapshot

    with db.session() as s:
        return [row.day for row in s.exec(select(TrustSnapshot).where(TrustSnapshot.collection_id == None))]  # noqa: E711


def _eventually(check) -> bool:
    for _ in range(200):
        if check():
            return True
        wall.sleep(0.05)
    return False


def test_the_trust_score_is_recorded_once_a_day_without_reminders(factory, settings):
    assert not settings.remind_at
    clock.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc))
    ada = factory.user("Ada")
    factory.card(factory.collection("kb", verifier=ada), ada, title="Refunds", body="30 days.")
    stop = threading.Event()
    runners = [threading.Thread(target=run_schedule, args=(factory.db, settings, stop, 0.02)) for _ in range(2)]
    for runner in runners:
        runner.start()
    try:
        assert _eventually(lambda: _snapshot_days(factory.db) == [datetime(2026, 11, 23).date()])
        clock.freeze(datetime(2026, 11, 24, 0, 1, tzinfo=timezone.utc))
        assert _eventually(lambda: len(_snapshot_days(factory.db)) == 2)
        wall.sleep(0.2)  # both runners have had more turns
    finally:
        stop.set()
        for runner in runners:
            runner.join()
    assert sorted(_snapshot_days(factory.db)) == [datetime(2026, 11, 23).date(), datetime(2026, 11, 24).date()]
    assert not (settings.data_dir / "outbox").exists()  # no reminders were asked for


def test_every_server_keeps_the_daily_schedule_without_reminders(client, settings):
    assert not settings.remind_at
    assert any(thread.name == "daily" and thread.is_alive() for thread in threading.enumerate())


def test_an_install_without_live_cards_records_no_point_yet(factory):
    from server.verification.trust import take_snapshot

    with factory.db.session() as s:
        assert take_snapshot(s) is None
    assert _snapshot_days(factory.db) == []
