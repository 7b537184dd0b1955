"""Benchmark: a seeded server on 127.0.0.1 with N generated cards; p50/p95 of search,
suggest (a whole email), the main web pages and a bare health check, and each as a ratio to
the health check. Bounded: a fixed number of requests, all to this machine."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.live import LiveServer  # noqa: E402

WORDS = ("refund charge invoice seat plan upgrade outage status escalate export customer team billing "
         "dispute chargeback contract renewal discount security password login report data backup").split()
EMAIL = ("Hello, we were charged twice for our subscription last week and the invoice shows the wrong number "
         "of seats. Could you refund the duplicate charge and tell us how to export our data before renewal? "
         "Our finance team also asks about the discount we were promised. Thanks, Maria") * 3
QUESTION = "How do we refund a customer whose invoice shows the wrong number of seats after an upgrade?"
CHINESE = "客户申请退款后多久能收到钱，发票上的座位数量不对怎么办？" * 30  # 900 characters, one run


def make_cards(api: httpx.Client, count: int) -> None:
    rng = random.Random(7)
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(60)]
        api.post("/api/cards", json={"collection": "policies", "title": " ".join(words[:4]).capitalize() + f" {n}",
                                     "body": " ".join(words)}).raise_for_status()


def signed_in(server: LiveServer, email: str) -> httpx.Client:
    """A browser-like client: signed in through the sign-in form, with its CSRF token."""
    client = httpx.Client(base_url=server.url, headers={"Accept": "text/html"}, timeout=30, follow_redirects=True)
    form = client.get("/sign-in").text
    token = form.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post("/sign-in", data={"email": email, "password": "vouch-demo", "_csrf_token": token}).raise_for_status()
    return client


def timings(call, requests: int) -> list[float]:
    call()  # warm
    spent = []
    for _ in range(requests):
        started = time.perf_counter()
        call().raise_for_status()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vouch-bench-") as data:
        server = LiveServer(Path(data)).start()
        try:
            web = signed_in(server, "ada@vouch.example")
            with server.api("ada@vouch.example") as api:
                print(f"creating {args.cards} cards …", flush=True)
                make_cards(api, args.cards)
                card_id = api.get("/api/search", params={"q": "refund"}).json()["results"][0]["id"]
                cases = {
                    "health (baseline)": lambda: api.get("/api/health"),
                    "search, 2 words": lambda: api.get("/api/search", params={"q": "refund invoice"}),
                    "search, typing 'refu'": lambda: api.get("/api/search", params={"q": "refu"}),
                    "search, a 17-word question": lambda: api.get("/api/search", params={"q": QUESTION}),
                    "search, 900 Chinese chars": lambda: api.get("/api/search", params={"q": CHINESE}),
                    "suggest, whole email": lambda: api.post("/api/context", json={"subject": "Refund", "text": EMAIL}),
                    "page: card list": lambda: web.get("/cards"),
                    "page: list, searched": lambda: web.get("/cards", params={"q": "refund invoice"}),
                    "page: a card": lambda: web.get(f"/cards/{card_id}"),
                    "page: the editor": lambda: web.get(f"/cards/{card_id}/edit"),
                    "page: queue": lambda: web.get("/queue"),
                }
                results = {name: timings(call, args.requests) for name, call in cases.items()}
            web.close()
        finally:
            server.stop()
    base = statistics.median(results["health (baseline)"])
    print(f"{'case':<28}{'p50 ms':>9}{'p95 ms':>9}{'x baseline':>12}")
    for name, spent in results.items():
        p50, p95 = statistics.median(spent), statistics.quantiles(spent, n=20)[18]
        print(f"{name:<28}{p50:>9.1f}{p95:>9.1f}{p50 / base:>12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
