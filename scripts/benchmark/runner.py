"""One size, start to end: the corpus, the references, `vouch seed`, Vouch in-process,
Vouch over HTTP, then `vouch reindex`."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmark import inprocess, over_http
from benchmark.corpus import ADMIN, AGENT, content_folder
from benchmark.queries import Email, Query, Workload, document_frequency, workload
from benchmark.references import Fts5, Tantivy
from benchmark.sections import Card
from benchmark.server import Server, folder_bytes, timed_command, token
from benchmark.timing import latency, stopwatch

Say = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    workdir: Path
    queries: int            # whole queries, and as many typed ones
    emails: int
    requests: int           # at most, per throughput figure
    seconds: float          # at most, per throughput figure
    edits: int              # edits timed until searchable
    budget_s: float | None  # `vouch seed` / `vouch reindex` stopped after this long
    connections: tuple[int, ...] = (4, 16)


def _answer(item: Query | Email) -> str:
    return item.answer


def references(cards: list[Card], frequency, work: Workload, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    measured = {}
    for engine in (Fts5(folder / f"fts5-{len(cards)}.db", frequency), Tantivy(folder / f"tantivy-{len(cards)}",
                                                                                frequency)):
        clock, cpu = stopwatch(), time.process_time()
        engine.load(cards)
        measured[engine.name] = {
            "load_s": round(clock(), 3), "load_cpu_s": round(time.process_time() - cpu, 3), "bytes": engine.size(),
            "search_typed": latency(engine.search, work.typed, _answer, work.warm),
            "search_whole": latency(engine.search, work.whole, _answer),
            "email_all_words": latency(lambda e: engine.email(e, short=False), work.emails, _answer,
                                       work.warm_emails),
            "email_rarest": latency(lambda e: engine.email(e, short=True), work.emails, _answer),
        }
        engine.close()
    return measured


def empty_server_rss(workdir: Path) -> int:
    """Memory of a server with no cards at all: the reference for a loaded one's."""
    data = workdir / "data" / "empty"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    with Server(data) as server:
        for _ in range(20):
            httpx.get(f"{server.url}/api/health").raise_for_status()
        return server.rss_bytes()


def over_the_network(data: Path, plan: Plan, work: Workload, say: Say) -> dict:
    slugs = inprocess.card_slugs(data)
    with Server(data) as server:
        tokens = {"admin": token(data, ADMIN), "agent": token(data, AGENT)}
        measured: dict = {"rss_start_bytes": server.rss_bytes()}
        measured["latency"] = over_http.latencies(server, tokens, slugs, work)
        measured["throughput"] = {}
        for connections in plan.connections:
            say(f"requests per second, {connections} connections")
            measured["throughput"][str(connections)] = {
                name: over_http.throughput(server, tokens["agent"], path, queries, connections, plan.requests,
                                           plan.seconds)
                for name, path, queries in (("health", "/api/health", []), ("search", "/api/search", work.stream))}
        measured["rss_bytes"] = server.rss_bytes()
        by_slug = {slug: card_id for card_id, slug in slugs.items()}
        edited = [by_slug[q.answer] for q in work.whole[:plan.edits] if q.answer in by_slug]
        with server.client(tokens["agent"]) as client:
            measured["edit"] = over_http.edit_to_searchable(client, edited)
    return measured


def run_size(size: int, plan: Plan, say: Say) -> dict:
    folder, cards = content_folder(size, plan.workdir, say)
    frequency = document_frequency(cards)
    work = workload(cards, frequency, plan.queries, plan.emails)
    result: dict = {"cards": size, "queries": len(work.whole), "emails": len(work.emails),
                    "stream": len(work.stream),
                    "examples": {"typed": [q.text for q in work.typed[:5]], "whole": [q.text for q in work.whole[:5]],
                                 "stream": [q.text for q in work.stream[:12]],
                                 "email_subjects": [e.subject for e in work.emails[:3]]}}
    say(f"{size:,} cards: FTS5 and tantivy")
    result["references"] = references(cards, frequency, work, plan.workdir / "references")
    data = plan.workdir / "data" / str(size)
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    say(f"{size:,} cards: vouch seed")
    result["load"] = timed_command(data, ["seed", str(folder)], say, plan.budget_s)
    if result["load"].get("stopped"):
        result["skipped"] = (f"vouch seed stopped after {plan.budget_s:.0f} s, its last progress "
                             f"'{result['load']['reached']}'; raise --budget or leave it out")
        return result
    result["index_bytes"] = folder_bytes(data / "index")
    result["database_bytes"] = (data / "vouch.db").stat().st_size
    say(f"{size:,} cards: Vouch in-process")
    result["in_process"] = inprocess.measure(data, work)
    say(f"{size:,} cards: Vouch over HTTP")
    result["http"] = over_the_network(data, plan, work, say)
    say(f"{size:,} cards: vouch reindex")
    result["reindex"] = timed_command(data, ["reindex"], say, plan.budget_s)
    return result
