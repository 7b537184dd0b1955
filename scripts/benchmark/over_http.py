"""What a client of the server sees: latency of search, context and a bare endpoint,
requests per second with several connections, and how soon an edit can be found.
Every request goes to the bench's own server on 127.0.0.1, in bounded loops."""

from __future__ import annotations

import itertools
import random
import string
import threading
import time
from collections.abc import Callable, Sequence

import httpx

from benchmark.queries import Email, Query, Workload
from benchmark.server import Server
from benchmark.timing import latency, summary

CUSTOMER = "maria.santos@northwind.example"


def searcher(client: httpx.Client, slugs: dict[int, str]) -> Callable[[Query], list[str]]:
    def call(query: Query) -> list[str]:
        response = client.get("/api/search", params={"q": query.text, "source": "sidebar"})
        response.raise_for_status()
        return [slugs.get(card["id"]) for card in response.json()["results"]]
    return call


def context(client: httpx.Client, slugs: dict[int, str]) -> Callable[[Email], list[str]]:
    def call(email: Email) -> list[str]:
        response = client.post("/api/context", json={"subject": email.subject, "text": email.text,
                                                     "emails": [CUSTOMER]})
        response.raise_for_status()
        return [slugs.get(card["id"]) for card in response.json()["suggestions"]]
    return call


def health(client: httpx.Client) -> Callable[[object], list]:
    def call(_: object) -> list:
        client.get("/api/health").raise_for_status()
        return []
    return call


class _Connections:
    """`count` clients sending requests one after another, until a shared budget of
    requests or a deadline runs out; the clock starts when every client is connected."""

    def __init__(self, server: Server, api_token: str, count: int, requests: int, seconds: float):
        self.clients = [server.client(api_token) for _ in range(count)]
        self.lock, self.sent, self.requests, self.seconds = threading.Lock(), itertools.count(), requests, seconds
        self.start, self.stop = 0.0, float("inf")
        self.ready = threading.Barrier(count + 1, action=self._go)
        self.spent: list[float] = []
        self.errors = 0

    def _go(self) -> None:  # runs once, when every client is ready and before any is let go
        self.start = time.perf_counter()
        self.stop = self.start + self.seconds

    def _work(self, client: httpx.Client, path: str, next_params: Callable[[], dict | None], method: str) -> None:
        client.get("/api/health")
        self.ready.wait()
        while time.perf_counter() < self.stop:
            with self.lock:
                if next(self.sent) >= self.requests:
                    return
                params = next_params()
            started = time.perf_counter()
            if method == "POST":
                ok = client.post(path, json=params).is_success
            else:
                ok = client.get(path, params=params).is_success
            with self.lock:
                self.spent.append((time.perf_counter() - started) * 1000)
                self.errors += not ok

    def run(self, path: str, next_params: Callable[[], dict | None], method: str = "GET") -> dict:
        """GET `path` with next_params()'s query parameters, or POST them as JSON."""
        threads = [threading.Thread(target=self._work, args=(c, path, next_params, method)) for c in self.clients]
        for thread in threads:
            thread.start()
        self.ready.wait()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - self.start
        for client in self.clients:
            client.close()
        return {"per_second": round(len(self.spent) / elapsed, 1), "requests": len(self.spent),
                "errors": self.errors, "seconds": round(elapsed, 2), **summary(self.spent or [float("nan")])}


def throughput(server: Server, api_token: str, path: str, queries: Sequence[Query], connections: int,
               requests: int, seconds: float) -> dict:
    """Requests per second with `connections` clients at once, each sending its next request
    as soon as the last is answered; stops after `requests` in all or `seconds`."""
    cycle = itertools.cycle(queries or [None])

    def next_params() -> dict | None:
        query = next(cycle)
        return {"q": query.text, "source": "sidebar"} if query else None

    return _Connections(server, api_token, connections, requests, seconds).run(path, next_params)


def context_throughput(server: Server, api_token: str, emails: Sequence[Email], connections: int,
                       requests: int, seconds: float) -> dict:
    """The sidebar opening conversations: POST /api/context with each email in turn, as
    `throughput` sends its searches."""
    cycle = itertools.cycle(emails)

    def next_body() -> dict:
        email = next(cycle)
        return {"subject": email.subject, "text": email.text, "emails": [CUSTOMER]}

    return _Connections(server, api_token, connections, requests, seconds).run("/api/context", next_body, "POST")


def _unique_word(rng: random.Random) -> str:
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(8))


def edit_to_searchable(client: httpx.Client, card_ids: Sequence[int], limit_s: float = 30) -> dict:
    """PUT each card with a word no card has, then search for it until the card is found:
    seconds from sending the edit to the first search that finds it."""
    rng, waits, saves = random.Random(12), [], []
    for card_id in card_ids:
        card = client.get(f"/api/cards/{card_id}").json()
        word = _unique_word(rng)
        started = time.perf_counter()
        client.put(f"/api/cards/{card_id}", headers={"If-Match": f'"{card["version"]}"'},
                   json={"body": card["body"] + f"\n\nAlso known internally as {word}."}).raise_for_status()
        saves.append((time.perf_counter() - started) * 1000)
        while time.perf_counter() - started < limit_s:
            found = client.get("/api/search", params={"q": word}).json()["results"]
            if any(hit["id"] == card_id for hit in found):
                break
            time.sleep(0.01)
        waits.append((time.perf_counter() - started) * 1000)
    return {**summary(waits), "max_ms": round(max(waits), 1), "save": summary(saves)}


def _answer(item: Query | Email) -> str:
    return item.answer


def latencies(server: Server, tokens: dict[str, str], slugs: dict[int, str], work: Workload) -> dict:
    with server.client(tokens["agent"]) as agent, server.client(tokens["admin"]) as admin:
        return {
            "health": latency(health(agent), work.typed, warm=work.typed[:3]),
            "search_typed": latency(searcher(agent, slugs), work.typed, _answer, work.warm),
            "search_whole": latency(searcher(agent, slugs), work.whole, _answer),
            "context_agent": latency(context(agent, slugs), work.agent_emails, _answer, work.warm_emails),
            "context_admin": latency(context(admin, slugs), work.admin_emails, _answer, work.warm_emails),
        }
