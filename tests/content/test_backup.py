"""`vouch backup` copies a running install's database while it takes writes, and `vouch
restore` brings the copy back into an empty data directory with its index rebuilt:
every write acknowledged before the backup began is there, and searchable."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time

import httpx
import pytest

from server.content.backup import backup
from server.errors import Invalid
from server.settings import Settings
from tests.live import VOUCH, LiveServer


def _vouch(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([VOUCH, *args], env=env, capture_output=True, text=True, timeout=120)


def test_a_backup_taken_during_writes_restores_every_acknowledged_write(tmp_path):
    (tmp_path / "live").mkdir()
    server = LiveServer(tmp_path / "live").start()
    try:
        headers = {"Authorization": f"Bearer {server.token_for('sam@vouch.example')}"}
        with server.api("sam@vouch.example") as api:
            customer = api.get("/api/customers", params={"q": "northwind"}).json()[0]
            card = api.get("/api/search", params={"q": "refund"}).json()["results"][0]
            version = api.get(f"/api/cards/{card['id']}").json()["version"]
            edited = api.put(f"/api/cards/{card['id']}", headers={"If-Match": f'"{version}"'},
                             json={"body": "Refunds now go through the zebrafinch desk."})
            assert edited.status_code == 200
        acknowledged: list[tuple[float, str]] = []
        stop = threading.Event()

        def keep_writing() -> None:
            n = 0
            while not stop.is_set():
                text = f"Written during the backup, number {n}"
                response = httpx.post(f"{server.url}/api/customers/{customer['id']}/facts", headers=headers,
                                      json={"text": text}, timeout=30)
                assert response.status_code == 201, response.text
                acknowledged.append((time.monotonic(), text))
                n += 1

        writer = threading.Thread(target=keep_writing)
        writer.start()
        time.sleep(1.0)
        started = time.monotonic()
        made = _vouch(server.env, "backup", str(tmp_path / "vouch-backup.db"))
        time.sleep(0.5)
        stop.set()
        writer.join()
        assert made.returncode == 0, made.stderr
        assert "Backed up to" in made.stdout
        before = {text for moment, text in acknowledged if moment < started}
        assert len(before) >= 5 and len(acknowledged) > len(before)  # writes ran before, during and after
    finally:
        server.stop()

    restored_env = {**server.env, "VOUCH_DATA_DIR": str(tmp_path / "restored")}
    done = _vouch(restored_env, "restore", str(tmp_path / "vouch-backup.db"))
    assert done.returncode == 0, done.stderr
    assert "the search index was rebuilt" in done.stdout
    with sqlite3.connect(tmp_path / "restored" / "vouch.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        facts = {text for (text,) in db.execute("SELECT text FROM quickfact")}
    assert before <= facts

    again = LiveServer(tmp_path / "restored", content=None).start()
    try:
        with again.api("sam@vouch.example") as api:
            found = api.get("/api/search", params={"q": "zebrafinch"}).json()["results"]
        assert [hit["id"] for hit in found] == [card["id"]]
    finally:
        again.stop()


def test_restore_overwrites_nothing_and_refuses_what_is_not_a_backup(tmp_path, live_server):
    env = {**live_server.env}
    taken = _vouch(env, "backup", str(tmp_path / "first.db"))
    assert taken.returncode == 0, taken.stderr
    twice = _vouch(env, "backup", str(tmp_path / "first.db"))
    assert twice.returncode == 2 and "exists already" in twice.stderr

    into_live = _vouch(env, "restore", str(tmp_path / "first.db"))
    assert into_live.returncode == 2 and "holds a database already" in into_live.stderr

    fresh = {**env, "VOUCH_DATA_DIR": str(tmp_path / "fresh")}
    (tmp_path / "notes.txt").write_text("not a database")
    for bad, message in ((tmp_path / "notes.txt", "not a SQLite database"), (tmp_path / "missing.db", "no backup file")):
        refused = _vouch(fresh, "restore", str(bad))
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
    with sqlite3.connect(tmp_path / "other.db") as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    refused = _vouch(fresh, "restore", str(tmp_path / "other.db"))
    assert refused.returncode == 2 and "not a Vouch database" in refused.stderr
    assert not (tmp_path / "fresh" / "vouch.db").exists()


def test_postgresql_installs_are_pointed_to_pg_dump(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://vouch@127.0.0.1/vouch")
    with pytest.raises(Invalid, match="pg_dump"):
        backup(settings, tmp_path / "copy.db")
