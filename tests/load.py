"""A bounded load on a real server (127.0.0.1 only): many API clients at once, each
repeating a sidebar's reads for a few seconds, and one lone request sent in the middle
of it. What a user would check: every request answered, none with a server error, and
the lone one not left waiting behind the crowd."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

import httpx

WORDS = ("refund", "password", "invoice", "outage", "export", "sso", "fatura", "iade", "arve", "退款",
         "billing", "cancel", "upgrade", "seats", "api", "webhook")
EMAIL = ("Hello, our invoices stopped arriving after we changed the billing address last week. "
         "Can you check what happened and resend the missing invoice? Thanks, Dana")


@dataclass
class Report:
    clients: int
    seconds: float
    answered: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)   # no answer at all: refused, reset, timed out
    slowest_ms: float = 0.0
    lone_ms: float | None = None
    lone_status: int | None = None

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def line(self) -> str:
        lone = f"{self.lone_ms:.0f} ms ({self.lone_status})" if self.lone_ms is not None else "no answer"
        return (f"{self.clients} clients × {self.seconds:g} s: {self.answered} answered, statuses {self.statuses}, "
                f"{len(self.failures)} unanswered, slowest {self.slowest_ms:.0f} ms, lone request {lone}")


def _requests(card_ids: list[int]):
    """Endless sidebar reads: search as typed, a card opened, a conversation's context."""
    words = itertools.cycle(WORDS)
    cards = itertools.cycle(card_ids or [1])
    for n in itertools.count():
        kind = n % 4
        if kind in (0, 1):
            word = next(words)
            yield "GET", "/api/search", {"params": {"q": word[: 2 + n % max(1, len(word) - 1)], "source": "sidebar"}}
        elif kind == 2:
            yield "GET", f"/api/cards/{next(cards)}", {}
        else:
            yield "POST", "/api/context", {"json": {"emails": ["dana@northwind.example"], "subject": "Invoices",
                                                    "text": EMAIL}}


async def _client(url: str, token: str, card_ids: list[int], until: float, report: Report, timeout: float,
                  start: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    requests = _requests(card_ids)
    for _ in range(start % 4):  # clients do not move in step
        next(requests)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=timeout) as client:
        while time.monotonic() < until:
            method, path, options = next(requests)
            started = time.perf_counter()
            try:
                response = await client.request(method, path, **options)
            except httpx.HTTPError as error:
                report.failures.append(f"{method} {path}: {type(error).__name__} {error}")
                continue
            report.slowest_ms = max(report.slowest_ms, (time.perf_counter() - started) * 1000)
            report.answered += 1
            report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1


async def _lone(url: str, token: str, after: float, report: Report, timeout: float) -> None:
    await asyncio.sleep(after)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"},
                                 timeout=timeout) as client:
        started = time.perf_counter()
        try:
            response = await client.get("/api/search", params={"q": "refund policy"})
        except httpx.HTTPError as error:
            report.failures.append(f"lone request: {type(error).__name__} {error}")
            return
        report.lone_ms = (time.perf_counter() - started) * 1000
        report.lone_status = response.status_code


async def _drive(url: str, token: str, card_ids: list[int], clients: int, seconds: float, timeout: float) -> Report:
    report = Report(clients=clients, seconds=seconds)
    until = time.monotonic() + seconds
    await asyncio.gather(*(_client(url, token, card_ids, until, report, timeout, n) for n in range(clients)),
                         _lone(url, token, seconds / 2, report, timeout))
    return report


def drive(url: str, token: str, card_ids: list[int], clients: int, seconds: float, timeout: float = 60.0) -> Report:
    """`clients` connections, each sending its next request as soon as the last is answered,
    for `seconds` (requests in flight then finish); one lone search halfway through."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load is only ever sent to this machine")
    return asyncio.run(_drive(url, token, card_ids, clients, seconds, timeout))
