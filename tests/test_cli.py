"""The `vouch` command line, run as a user would run it."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.live import LiveServer

VOUCH = str(Path(sys.executable).with_name("vouch"))


def run(data_dir, *args):
    env = {**os.environ, "VOUCH_DATA_DIR": str(data_dir)}
    env.pop("VOUCH_DATABASE_URL", None)
    return subprocess.run([VOUCH, *args], env=env, capture_output=True, text=True, timeout=120)


def test_user_add_token_create_and_errors(tmp_path):
    added = run(tmp_path, "user", "add", "Lee@Example.test", "--name", "Lee Lead", "--admin")
    assert added.returncode == 0, added.stderr
    assert "admin Lee Lead <lee@example.test>" in added.stdout
    again = run(tmp_path, "user", "add", "lee@example.test", "--name", "Lee")
    assert again.returncode == 2 and "exists already" in again.stderr
    bad = run(tmp_path, "user", "add", "not-an-email", "--name", "X")
    assert bad.returncode == 2 and "not an email address" in bad.stderr
    token = run(tmp_path, "token", "create", "lee@example.test")
    assert token.returncode == 0
    assert token.stdout.strip().splitlines()[-1].startswith("vch_")
    missing = run(tmp_path, "token", "create", "nobody@example.test")
    assert missing.returncode == 2 and "No user" in missing.stderr


def test_seed_is_idempotent_and_if_empty_respects_existing_data(tmp_path):
    first = run(tmp_path, "seed")
    assert first.returncode == 0, first.stderr
    assert "Loaded" in first.stdout
    second = run(tmp_path, "seed")
    assert "Loaded 0 users, " in second.stdout and " 0 cards, 0 customers, 0 facts." in second.stdout
    assert "Kept as they were (already there):" in second.stdout  # nothing left out without a word
    assert "  cards/policies/chargebacks.md: card chargebacks is in policies already" in second.stdout
    assert "not loaded" in run(tmp_path, "seed", "--if-empty").stdout
    assert run(tmp_path, "seed", str(tmp_path / "nowhere")).returncode == 2


def test_reindex_rebuilds_while_a_server_keeps_answering(tmp_path):
    server = LiveServer(tmp_path).start()
    try:
        with server.api("sam@vouch.example") as api:
            before = api.get("/api/search", params={"q": "refund"}).json()["results"]
            rebuilt = run(tmp_path, "reindex")
            assert rebuilt.returncode == 0, rebuilt.stderr
            assert "Rebuilt the search index" in rebuilt.stdout
            assert api.get("/api/search", params={"q": "refund"}).json()["results"] == before
    finally:
        server.stop()


def test_serve_answers_health(tmp_path):
    server = LiveServer(tmp_path, content=None).start()
    try:
        assert httpx.get(f"{server.url}/api/health").json()["status"] == "ok"
    finally:
        server.stop()
