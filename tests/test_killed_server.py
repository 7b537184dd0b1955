"""The server killed (SIGKILL) at random moments while it acknowledges writes, then
started again, again and again: the database stays whole, every acknowledged write is
there, and the search index holds exactly what a rebuild from the database makes.
Bounded: KILLS rounds of about a second of writes each, on 127.0.0.1."""

from __future__ import annotations

import itertools
import random
import sqlite3
import threading
import time

import httpx

from server.app import open_services
from server.search.index import SearchIndex
from server.settings import Settings
from tests.live import LiveServer

KILLS = 20


def _indexed(index: SearchIndex) -> tuple:
    with index.searcher() as searcher:
        return searcher.doc_count(), sorted(tuple(sorted(d.items())) for d in searcher.documents())


class Writers:
    """Two writers, each editing its own card (no conflicts between them) and adding
    quick facts, noting each write the server acknowledged."""

    def __init__(self, server: LiveServer, cards: list[dict], customer_id: int):
        self.server, self.cards, self.customer_id = server, cards, customer_id
        self.bodies: dict[int, list[str]] = {card["id"]: [] for card in cards}
        self.facts: list[str] = []
        self.unexpected: list[str] = []  # answers other than success (a thread cannot fail the test)
        self.numbers = itertools.count(1)

    def run_until_killed(self, seconds_before_kill: float) -> None:
        stop = threading.Event()
        threads = [threading.Thread(target=self._edit, args=(card, stop)) for card in self.cards]
        threads.append(threading.Thread(target=self._add_facts, args=(stop,)))
        for thread in threads:
            thread.start()
        time.sleep(seconds_before_kill)
        self.server.process.kill()  # SIGKILL: no shutdown of any kind
        self.server.process.wait()
        stop.set()
        for thread in threads:
            thread.join()

    def _client(self) -> httpx.Client:
        token = self.server.token_for("sam@vouch.example")
        return httpx.Client(base_url=self.server.url, headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def _next(self) -> int:
        return next(self.numbers)

    def _edit(self, card: dict, stop: threading.Event) -> None:
        with self._client() as client:
            while not stop.is_set():
                try:
                    version = client.get(f"/api/cards/{card['id']}").json()["version"]
                    body = f"Edit {self._next()} of this card, written before a kill."
                    saved = client.put(f"/api/cards/{card['id']}", headers={"If-Match": f'"{version}"'},
                                       json={"body": body})
                except httpx.HTTPError:
                    return  # the server is gone: nothing more can be acknowledged
                if saved.status_code != 200:
                    self.unexpected.append(f"PUT {saved.status_code} {saved.text[:200]}")
                    return
                self.bodies[card["id"]].append(body)

    def _add_facts(self, stop: threading.Event) -> None:
        with self._client() as client:
            while not stop.is_set():
                text = f"Fact {self._next()}, written before a kill"
                try:
                    added = client.post(f"/api/customers/{self.customer_id}/facts", json={"text": text})
                except httpx.HTTPError:
                    return
                if added.status_code != 201:
                    self.unexpected.append(f"POST {added.status_code} {added.text[:200]}")
                    return
                self.facts.append(text)


def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tmp_path):
    server = LiveServer(tmp_path).start()
    with server.api("sam@vouch.example") as api:
        cards = api.get("/api/search", params={"q": "refund", "limit": 2}).json()["results"]
        customer = api.get("/api/customers", params={"q": "northwind"}).json()[0]
    writers = Writers(server, cards, customer["id"])
    server.content = None  # seeded once
    pick = random.Random(20261204)
    for _ in range(KILLS):
        writers.run_until_killed(pick.uniform(0.2, 1.2))
        server.start()  # the next start recovers: the log, then the index's outbox
    server.stop()
    print(f"{KILLS} kills; acknowledged: {len(writers.facts)} facts, "
          f"{sum(map(len, writers.bodies.values()))} card edits")
    assert not writers.unexpected, writers.unexpected[:5]

    with sqlite3.connect(tmp_path / "vouch.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        facts = {text for (text,) in db.execute("SELECT text FROM quickfact")}
        bodies = {}
        for card in cards:
            bodies[card["id"]] = [body for (body,) in db.execute(
                "SELECT body FROM cardrevision WHERE card_id = ? ORDER BY version", (card["id"],))]
            latest = db.execute("SELECT body FROM card WHERE id = ?", (card["id"],)).fetchone()[0]
            assert latest == bodies[card["id"]][-1]
    assert len(writers.facts) >= KILLS and set(writers.facts) <= facts
    for card in cards:
        acknowledged = writers.bodies[card["id"]]
        assert len(acknowledged) >= KILLS and set(acknowledged) <= set(bodies[card["id"]])

    # The index equals one rebuilt from the database, once the outbox is applied at start.
    settings = Settings(data_dir=tmp_path)
    db, index = open_services(settings)
    try:
        index.apply_pending()
        rebuilt = SearchIndex(tmp_path / "rebuilt", db.session)
        rebuilt.rebuild()
        assert _indexed(index) == _indexed(rebuilt)
        rebuilt.close()
    finally:
        index.close()
        db.dispose()
