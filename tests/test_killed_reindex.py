"""A `vouch reindex` killed half-way leaves its half-built index beside the live one; the
next start removes it (and keeps what a rebuild still running is writing)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from server.search.index import SearchIndex
from tests.live import ROOT, VOUCH, LiveServer

EXTRA_CARDS = 2500  # enough that a rebuild takes a few seconds: time to kill it


def _content_with_many_cards(folder: Path) -> Path:
    shutil.copytree(ROOT / "content", folder)
    cards = folder / "cards" / "policies"
    for n in range(EXTRA_CARDS):
        (cards / f"extra-{n}.md").write_text(
            f"---\ntitle: Extra policy {n} for plan {n % 7}\ntags: [extra]\nlanguage: en\n"
            f"verifier: ada@vouch.example\n---\nCustomers on plan {n % 7} ask about invoice {n}; "
            "answer with the billing steps, then link the refund policy.\n")
    return folder


def test_the_next_start_removes_what_a_killed_reindex_left(tmp_path):
    server = LiveServer(tmp_path / "data", content=_content_with_many_cards(tmp_path / "content"))
    (tmp_path / "data").mkdir()
    server.vouch("seed", str(server.content))
    rebuilding = subprocess.Popen([VOUCH, "reindex"], env=server.env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "data").glob("index.new-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)  # well inside the rebuild
    rebuilding.send_signal(signal.SIGKILL)
    rebuilding.wait()
    assert [p.name for p in (tmp_path / "data").glob("index.new-*")] == [f"index.new-{rebuilding.pid}"]

    server.content = None
    server.start()
    try:
        assert list((tmp_path / "data").glob("index.*-*")) == []
        with server.api("sam@vouch.example") as api:
            found = api.get("/api/search", params={"q": "extra policy 1234"}).json()
        assert found["results"][0]["title"] == "Extra policy 1234 for plan 2"
    finally:
        server.stop()


def test_a_rebuild_still_running_is_left_alone(tmp_path):
    index = SearchIndex(tmp_path / "index", lambda: None)
    mine = index.index_dir.with_name(f"{index.index_dir.name}.new-{os.getpid()}")
    living = subprocess.Popen(["sleep", "30"])
    theirs = index.index_dir.with_name(f"{index.index_dir.name}.new-{living.pid}")
    dead = subprocess.Popen(["true"])
    dead.wait()
    gone = index.index_dir.with_name(f"{index.index_dir.name}.old-{dead.pid}-1765000000")
    try:
        for folder in (mine, theirs, gone):
            folder.mkdir()
        assert index.clear_leftovers() == [gone]
        assert mine.exists() and theirs.exists() and not gone.exists()
    finally:
        living.kill()
        living.wait()
        shutil.rmtree(mine, ignore_errors=True)
        shutil.rmtree(theirs, ignore_errors=True)
