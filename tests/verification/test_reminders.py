"""Reminder digests against a real SMTP server (aiosmtpd on 127.0.0.1): who gets what, the
links, one a day, nothing for an empty queue; and the file outbox without SMTP."""

import email
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from server import clock
from server.cards.service import update_card
from server.verification.reminders import send_digests
from tests.live import free_port

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


class Inbox(Message):
    def __init__(self):
        super().__init__(email.message.EmailMessage)
        self.messages = []

    def handle_message(self, message):
        self.messages.append(email.message_from_bytes(bytes(message), policy=policy.default))


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def queue_world(factory):
    clock.freeze(START)
    ada, sam, idle = factory.user("Ada Expert"), factory.user("Sam Agent"), factory.user("Idle Expert")
    kb = factory.collection("policies", verifier=ada, interval_days=7)
    refund = factory.card(kb, ada, title="Refunds", body="Refund within 30 days.")
    seats = factory.card(kb, ada, title="Seats", body="25 seats.")
    with factory.db.session() as s:
        update_card(s, actor=sam, card_id=seats.id, expected_version=1, body="30 seats.")
    factory.collection("empty", verifier=idle)
    clock.freeze(START + timedelta(days=8))  # Refunds is now overdue
    return {"ada": ada, "idle": idle, "refund": refund, "seats": seats}


def test_digest_over_real_smtp_once_a_day(factory, settings, smtp, queue_world):
    controller, inbox = smtp
    settings = settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": controller.port,
                                     "base_url": "https://vouch.example.com"})
    with factory.db.session() as session:
        sent = send_digests(session, settings)
        assert [d.user.name for d in sent] == ["Ada Expert"] and sent[0].sent_to == "smtp"
        assert send_digests(session, settings) == []  # the same day: nothing twice
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == queue_world["ada"].email
    assert message["Subject"] == "Vouch: 2 cards wait for your verification"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Refunds (overdue)" in text and "Seats (edited since verified)" in text
    assert f"https://vouch.example.com/cards/{queue_world['refund'].id}" in text
    assert "https://vouch.example.com/queue" in html
    clock.freeze(START + timedelta(days=9))  # the next day, still waiting: reminded again
    with factory.db.session() as session:
        assert len(send_digests(session, settings)) == 1
    assert len(inbox.messages) == 2


def test_dry_run_sends_nothing(factory, settings, smtp, queue_world):
    controller, inbox = smtp
    settings = settings.__class__(**{**settings.__dict__, "smtp_host": "127.0.0.1", "smtp_port": controller.port})
    with factory.db.session() as session:
        assert len(send_digests(session, settings, dry_run=True)) == 1
        assert len(send_digests(session, settings)) == 1  # a dry run claims nothing
    assert len(inbox.messages) == 1


def test_cli_without_smtp_writes_the_outbox_and_says_so(tmp_path):
    env = {**os.environ, "VOUCH_DATA_DIR": str(tmp_path)}
    env.pop("VOUCH_DATABASE_URL", None)
    env.pop("VOUCH_SMTP_HOST", None)
    vouch = str(Path(sys.executable).with_name("vouch"))
    subprocess.run([vouch, "seed"], env=env, check=True, capture_output=True)
    first = subprocess.run([vouch, "remind"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "No SMTP server is set" in first.stdout
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert files and all(f.read_bytes().startswith(b"From:") or b"Subject: Vouch:" in f.read_bytes() for f in files)
    second = subprocess.run([vouch, "remind"], env=env, capture_output=True, text=True)
    assert "0 digest(s)." in second.stdout
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(files)
