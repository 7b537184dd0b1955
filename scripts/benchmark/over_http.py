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

from benchmark.queries import Email, Query
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


def throughput(server: Server, api_token: str, path: str, queries: Sequence[Query], connections: int,
               requests: int, seconds: float) -> dict:
    """Requests per second with `connections` clients at once, each sending its next request
    as soon as the last is answered; stops after `requests` in all or `seconds`. The clock
    starts when every client is connected and warm."""
    lock, counter = threading.Lock(), itertools.count()
    cycle = itertools.cycle(queries or [None])
    clock = {"start": 0.0, "stop": float("inf")}

    def go() -> None:  # runs once, when every client is ready and before any is let go
        clock["start"] = time.perf_counter()
        clock["stop"] = clock["start"] + seconds

    ready = threading.Barrier(connections + 1, action=go)
    spent: list[float] = []
    errors = [0]

    def work(client: httpx.Client) -> None:
        client.get("/api/health")
        ready.wait()
        while time.perf_counter() < clock["stop"]:
            with lock:
                if next(counter) >= requests:
                    return
                query = next(cycle)
            started = time.perf_counter()
            ok = client.get(path, params={"q": query.text, "source": "sidebar"} if query else None).is_success
            with lock:
                spent.append((time.perf_counter() - started) * 1000)
                errors[0] += not ok

    clients = [server.client(api_token) for _ in range(connections)]
    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    ready.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - clock["start"]
    for client in clients:
        client.close()
    return {"per_second": round(len(spent) / elapsed, 1), "requests": len(spent), "errors": errors[0],
            "seconds": round(elapsed, 2), **summary(spent or [float("nan")])}


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


def latencies(server: Server, tokens: dict[str, str], slugs: dict[int, str], typed: list[Query],
              whole: list[Query], emails: list[Email]) -> dict:
    with server.client(tokens["agent"]) as agent, server.client(tokens["admin"]) as admin:
        return {
            "health": latency(health(agent), typed),
            "search_typed": latency(searcher(agent, slugs), typed, lambda q: q.answer),
            "search_whole": latency(searcher(agent, slugs), whole, lambda q: q.answer),
            "context_agent": latency(context(agent, slugs), emails, lambda e: e.answer),
            "context_admin": latency(context(admin, slugs), emails, lambda e: e.answer),
        }
