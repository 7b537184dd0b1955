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
