"""Vouch's speed on real prose, beside SQLite FTS5 and tantivy on the same cards and
queries, measured in one run: see docs/bench.md.

  python -m benchmark [--quick] [--sizes 1000,10000,100000] [--requests N] [--workdir DIR] [--json FILE]
  python -m benchmark --semantic [--sizes 1000] [--emails N] ...   (the semantic extra's cost over HTTP)
  python -m benchmark --table [--sizes 10000] [--emails N] ...     (the table of word pieces' cost over HTTP)"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

from benchmark import semantic_cost
from benchmark.corpus import packages_for
from benchmark.report import scaling, semantic_table, table
from benchmark.runner import Plan, empty_server_rss, run_size

QUICK = {"sizes": "1000,10000", "queries": 30, "emails": 12, "requests": 300, "seconds": 3.0, "edits": 3,
         "budget": 150.0}
FULL = {"sizes": "1000,10000,100000", "queries": 150, "emails": 40, "requests": 2000, "seconds": 15.0, "edits": 5,
        "budget": None}
# --semantic: a first filling takes about 7 minutes per 1,000 cards here (kept for later
# runs), and each email is asked once in the throughput figures, so more emails.
SEMANTIC = {"sizes": "1000", "queries": 100, "emails": 400, "requests": 200, "seconds": 60.0, "edits": 0,
            "budget": None}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"smaller and bounded: {QUICK}")
    parser.add_argument("--sizes", help="numbers of cards, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--queries", type=int, help="whole queries (and as many typed ones) per size")
    parser.add_argument("--emails", type=int, help="emails per size, for suggest and /api/context")
    parser.add_argument("--requests", type=int, help="requests per throughput figure, at most")
    parser.add_argument("--seconds", type=float, help="seconds per throughput figure, at most")
    parser.add_argument("--edits", type=int, help="edits timed until they are searchable")
    parser.add_argument("--budget", type=float, help="stop vouch seed / reindex after this many seconds")
    parser.add_argument("--workdir", type=Path, help="corpus cache, data directories, results "
                        "(default ~/.cache/vouch-bench)")
    parser.add_argument("--json", type=Path, help="where to write the results (default: in the work directory)")
    parser.add_argument("--semantic", action="store_true",
                        help=f"the semantic extra's cost over HTTP, words alone beside it: {SEMANTIC}")
    parser.add_argument("--table", action="store_true",
                        help=f"the built-in table of word pieces' cost over HTTP, words alone beside it: {SEMANTIC}")
    parser.add_argument("--print-packages", action="store_true",
                        help="print the Debian documentation packages these sizes need, and stop")
    args = parser.parse_args(argv)
    for key, value in (SEMANTIC if args.semantic or args.table else QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.sizes = [int(n.replace("_", "")) for n in args.sizes.split(",") if n.strip()]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    args.workdir = (args.workdir or cache / "vouch-bench").resolve()
    args.json = args.json or args.workdir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    return args


def say(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)


def revision() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.print_packages:
        print(" ".join(packages_for(max(args.sizes))))
        return 0
    plan = Plan(workdir=args.workdir, queries=args.queries, emails=args.emails, requests=args.requests,
                seconds=args.seconds, edits=args.edits, budget_s=args.budget)
    if args.semantic or args.table:
        return _semantic(args, plan)
    clock = time.perf_counter()
    run = {"revision": revision(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cores": os.cpu_count(),
           "python": platform.python_version(), "plan": {k: str(v) for k, v in vars(args).items()}, "sizes": []}
    say("memory of a server with no cards")
    empty_rss = empty_server_rss(args.workdir)
    for size in args.sizes:
        result = run_size(size, plan, say)
        result["empty_rss_bytes"] = empty_rss
        run["sizes"].append(result)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(run, indent=1))
        print("\n" + table(result) + "\n", flush=True)
    run["seconds"] = round(time.perf_counter() - clock, 1)
    args.json.write_text(json.dumps(run, indent=1))
    if len(run["sizes"]) > 1:
        print("\n\n".join(table(result) for result in run["sizes"]) + "\n\n" + scaling(run["sizes"]))
    say(f"done in {run['seconds']:.0f} s; figures in {args.json}")
    return 0


def _semantic(args: argparse.Namespace, plan: Plan) -> int:
    compared = "table" if args.table else "extra"
    if compared == "extra" and not semantic_cost.available():
        print(f"the semantic extra is not in {semantic_cost.EXTRA}: scripts/bench installs it", file=sys.stderr)
        return 2
    run = {"revision": revision(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cores": os.cpu_count(),
           "model": semantic_cost.model_name(compared), "plan": {k: str(v) for k, v in vars(args).items()}, "sizes": []}
    for size in args.sizes:
        run["sizes"].append(semantic_cost.measure_size(size, plan, say, compared))
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(run, indent=1))
        print("\n" + semantic_table(run["sizes"][-1]) + "\n", flush=True)
    say(f"done; figures in {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
