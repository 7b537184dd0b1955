"""The browser extension's own cost, measured in a real Chromium on each help desk's
fixture page (served locally under the product's real host name) against a seeded server.

- shown: ms from navigation start to the sidebar showing the conversation's customer, facts
  and suggested cards, on the page's own clock: the `vouch:shown` performance mark that
  extension/src/sidebar/sidebar.js sets when it renders a context (so polling adds nothing);
  read: when the adapter read that conversation (`vouch:read`, extension/src/content.js).
- switch: ms from the agent's click (the event's time stamp; where the fixture switches by a
  script call, from just before that call) to the sidebar showing the other conversation.
- JS: ms of the content scripts' own JavaScript on the page's main thread, from a CPU profile
  (Chrome DevTools Protocol `Profiler`, 200 µs samples): samples with a frame of the
  extension's scripts (chrome-extension://...) on their stack, so DOM calls they make count.
- main thread: the extension's whole cost to the page's main thread, style, layout and paint
  of the sidebar included: `Performance.getMetrics` TaskDuration on the same page with the
  extension minus without it (the same file at an address no content script matches), over
  the same wall time. A difference of two noisy totals: it can come out negative on a busy
  machine; the JSON keeps both totals.

- long tasks: main-thread tasks over 50 ms (the browser's `longtask` entries, observed from
  before the page's first script), with the extension and on the page without it: a long task
  is what an agent feels as the page stalling.
- ratio: the main thread's total with the extension over the total without it, measured in
  the same run, so the figure holds on a busy machine where absolute times drift.

Loads run until SETTLE after the sidebar showed; the switch likewise. Figures are medians
over --runs loads; the JSON holds every run. Zammad's fixture draws its ticket 1.5 s after
load, as Zammad's app does, so its "shown" includes that wait.

    .venv/bin/python scripts/bench_extension.py [--runs N] [--desk NAME]... [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the test harness is imported from the checkout
    sys.path.insert(0, str(ROOT))

from tests.extension.browser import SIDEBAR  # noqa: E402
from tests.extension.desks import DESKS, Desk, DeskBrowser, desk_browser  # noqa: E402
from tests.live import LiveServer  # noqa: E402

AGENT = "sam@vouch.example"
SETTLE = 0.5  # s after the sidebar showed, so the work it caused (layout, paint) is counted
SAMPLE_US = 200
# Every fixture shows Maria (Northwind Traders) and switches to Priya (Bluefin Logistics).
FIRST, SECOND = "Northwind Traders", "Bluefin Logistics"
# Gmail's fixture has one conversation in view (the other is the inbox page): no switch.
GMAIL = Desk("gmail", "/mail/u/0/gmail-conversation.html#inbox/FMfcgzQXJWDsKmNorthwind", switch=None,
             reply='div[contenteditable="true"]', hosts=("mail.google.com",))
BENCH_DESKS = [GMAIL, *DESKS]

# Resolves when a `vouch:shown` mark later than `after` (page clock, ms) exists.
NEXT_SHOWN = """([after, timeout]) => new Promise((resolve, reject) => {
    const check = () => {
        if (!performance.getEntriesByName("vouch:shown").some((m) => m.startTime > after)) return;
        observer.disconnect();
        resolve();
    };
    const observer = new PerformanceObserver(check);
    observer.observe({ type: "mark" });
    check();
    setTimeout(() => reject(new Error(`the sidebar showed nothing new within ${timeout} ms`)), timeout);
})"""
# What the sidebar shows now, and when it was rendered (one script: nothing runs in between).
SHOWN_NOW = f"""() => {{
    const root = document.querySelector("{SIDEBAR}").shadowRoot;
    const at = performance.getEntriesByName("vouch:shown").at(-1).startTime;
    const read = performance.getEntriesByName("vouch:read").filter((m) => m.startTime <= at).at(-1);
    const name = root.querySelector(".customer-name");
    return {{ at, read: read ? read.startTime : null, customer: name ? name.textContent.trim() : null,
              facts: root.querySelectorAll("li.fact").length,
              suggestions: root.querySelectorAll(".suggestions li.result").length }};
}}"""
# Every long task of the page's main thread (content scripts run there too), from the start.
LONG_TASKS = """window.__vouchLong = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__vouchLong.push(e.duration); })
    .observe({ type: "longtask", buffered: true });"""
LONG_SINCE = "(from) => { const t = (window.__vouchLong || []).slice(from); return [t.length, t.reduce((a, b) => a + b, 0)]; }"
# The switch starts at the agent's click, or now for desks that switch by calling a script.
START_SWITCH = """() => {
    window.__vouchSwitchAt = performance.now();
    addEventListener("click", (e) => { window.__vouchSwitchAt = e.timeStamp; }, { capture: true, once: true });
    return window.__vouchSwitchAt;
}"""


@dataclass
class Run:
    """One load of the conversation and one switch, with the extension and without (ms)."""

    read_ms: float
    shown_ms: float
    customer: str | None
    facts: int
    suggestions: int
    js_ms: float                 # the extension's JavaScript, navigation to shown + SETTLE
    task_ms: float               # TaskDuration with the extension, the same span
    base_task_ms: float = 0.0    # the same page without it, over the same wall time
    switch_ms: float | None = None
    switched_to: str | None = None
    switch_js_ms: float | None = None
    switch_task_ms: float | None = None
    base_switch_task_ms: float | None = None
    long_tasks: int = 0            # tasks over 50 ms, load, with the extension
    long_task_ms: float = 0.0
    base_long_tasks: int = 0       # the same without it
    base_long_task_ms: float = 0.0


class Probe:
    """A page's main-thread counters: TaskDuration and, optionally, a CPU profile."""

    def __init__(self, desk: DeskBrowser, profile: bool):
        self.page = desk.browser.context.new_page()
        self.page.add_init_script(LONG_TASKS)
        self.cdp = desk.browser.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")
        self.profile = profile
        if profile:
            self.cdp.send("Profiler.enable")
            self.cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLE_US})
        self.start()

    def start(self) -> None:
        self.task = self._task_ms()
        self.long_from = self.page.evaluate("(window.__vouchLong || []).length")
        self.began = time.monotonic()
        if self.profile:
            self.cdp.send("Profiler.start")

    def stop(self) -> tuple[float, float | None, float]:
        """Main-thread ms since start(), the extension's JS ms in it, and the wall time in s."""
        task, wall = round(self._task_ms() - self.task, 1), time.monotonic() - self.began
        js = extension_js_ms(self.cdp.send("Profiler.stop")["profile"]) if self.profile else None
        return task, js, wall

    def long_tasks(self) -> tuple[int, float]:
        """Long tasks (count, total ms) since start()."""
        count, total = self.page.evaluate(LONG_SINCE, getattr(self, "long_from", 0))
        return int(count), round(float(total), 1)

    def _task_ms(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration") * 1000


def extension_js_ms(profile: dict) -> float:
    """Time of the samples with a frame of an extension's script on their stack."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    children = {child for node in profile["nodes"] for child in node.get("children", ())}
    ours: dict[int, bool] = {}
    stack = [(node_id, False) for node_id in nodes if node_id not in children]  # from the root down
    while stack:
        node_id, below_ours = stack.pop()
        ours[node_id] = below_ours or nodes[node_id]["callFrame"]["url"].startswith("chrome-extension://")
        stack.extend((child, ours[node_id]) for child in nodes[node_id].get("children", ()))
    spent = sum(delta for sample, delta in zip(profile["samples"], profile["timeDeltas"]) if ours[sample])
    return round(spent / 1000, 1)


def _shown(page, after: float, customer: str, timeout_ms: int) -> dict:
    """Wait for the sidebar to render `customer`'s conversation; what it shows, and when."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.evaluate(NEXT_SHOWN, [after, max(1, int((deadline - time.monotonic()) * 1000))])
        now = page.evaluate(SHOWN_NOW)
        if now["customer"] == customer:  # not a page drawn half-way (Zammad), not the old one
            return now
        after = now["at"]


def _with_extension(desk: DeskBrowser, url: str, timeout_ms: int) -> tuple[Run, list[float]]:
    """Open the conversation, wait for the sidebar, then switch; the run, and the wall
    times (s) the page without the extension is given for the same steps."""
    probe = Probe(desk, profile=True)
    try:
        probe.page.goto(url)
        shown = _shown(probe.page, 0, FIRST, timeout_ms)
        time.sleep(SETTLE)
        run_long = probe.long_tasks()
        task, js, wall = probe.stop()
        run = Run(shown["read"], shown["at"], shown["customer"], shown["facts"], shown["suggestions"], js, task)
        run.long_tasks, run.long_task_ms = run_long
        if desk.spec.switch is None:
            return run, [wall]
        probe.start()
        asked = probe.page.evaluate(START_SWITCH)
        desk.spec.switch(probe.page)
        switched = _shown(probe.page, asked, SECOND, timeout_ms)
        run.switch_ms = round(switched["at"] - probe.page.evaluate("window.__vouchSwitchAt"), 1)
        run.switched_to = switched["customer"]
        time.sleep(SETTLE)
        run.switch_task_ms, run.switch_js_ms, switch_wall = probe.stop()
        return run, [wall, switch_wall]
    finally:
        probe.page.close()


def _without_extension(desk: DeskBrowser, url: str, run: Run, walls: list[float]) -> None:
    """The same page where no content script runs, the same steps over the same wall times."""
    probe = Probe(desk, profile=False)
    try:
        probe.page.goto(url)
        if probe.page.evaluate(f"!!document.querySelector('{SIDEBAR}')"):
            raise RuntimeError(f"the extension ran on {url}, which was to be the page without it")
        time.sleep(max(0.0, walls[0] - (time.monotonic() - probe.began)))
        run.base_long_tasks, run.base_long_task_ms = probe.long_tasks()
        run.base_task_ms = probe.stop()[0]
        if len(walls) > 1:
            probe.start()
            desk.spec.switch(probe.page)
            time.sleep(max(0.0, walls[1] - (time.monotonic() - probe.began)))
            run.base_switch_task_ms = probe.stop()[0]
    finally:
        probe.page.close()


def _addresses(desk: DeskBrowser) -> tuple[str, str]:
    """The conversation where the extension runs, and the same page where it does not."""
    if desk.spec.self_hosted:  # the enabled site is 127.0.0.1; localhost is not enabled
        return desk.site + desk.spec.path, desk.site.replace("127.0.0.1", "localhost") + desk.spec.path
    return f"https://{desk.spec.hosts[0]}{desk.spec.path}", f"https://127.0.0.1:{desk.pages.port}{desk.spec.path}"


def measure_desk(spec: Desk, server: LiveServer, workdir: Path, runs: int = 3, timeout_ms: int = 15000) -> list[Run]:
    """`runs` loads of the desk's conversation as the seeded agent, in one browser, each
    followed by the same page without the extension."""
    with desk_browser(spec, workdir) as desk:
        desk.browser.configure(server.url, server.token_for(AGENT), sites=[desk.site] if spec.self_hosted else None)
        url, bare = _addresses(desk)
        measured = []
        for _ in range(runs):
            run, walls = _with_extension(desk, url, timeout_ms)
            _without_extension(desk, bare, run, walls)
            measured.append(run)
        return measured


def summary(runs: list[Run]) -> dict[str, float | None]:
    """Medians of the runs; the main-thread cost is with the extension minus without."""
    def median(values):
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 1) if values else None

    return {"read_ms": median(r.read_ms for r in runs), "shown_ms": median(r.shown_ms for r in runs),
            "switch_ms": median(r.switch_ms for r in runs), "js_ms": median(r.js_ms for r in runs),
            "task_ms": median(r.task_ms - r.base_task_ms for r in runs),
            "task_ratio": median(r.task_ms / r.base_task_ms if r.base_task_ms else None for r in runs),
            "long_tasks": median(r.long_tasks for r in runs), "base_long_tasks": median(r.base_long_tasks for r in runs),
            "long_task_ms": median(r.long_task_ms for r in runs),
            "switch_js_ms": median(r.switch_js_ms for r in runs),
            "switch_task_ms": median(r.switch_task_ms - r.base_switch_task_ms if r.switch_task_ms is not None
                                     else None for r in runs)}


COLUMNS = [("read_ms", "read"), ("shown_ms", "shown"), ("switch_ms", "switch"), ("js_ms", "JS load"),
           ("task_ms", "main thread load"), ("task_ratio", "with/without"), ("long_tasks", "long tasks"),
           ("base_long_tasks", "long tasks without"), ("switch_js_ms", "JS switch"),
           ("switch_task_ms", "main thread switch")]


def table(results: dict[str, dict]) -> str:
    """The medians as a Markdown table, in ms."""
    lines = ["| desk | " + " | ".join(title for _, title in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for name, result in results.items():
        cells = ["—" if result["median"][key] is None else f"{result['median'][key]:g}" for key, _ in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads per desk (default 3)")
    parser.add_argument("--desk", action="append", choices=[d.name for d in BENCH_DESKS],
                        help="only this desk (repeatable); all by default")
    parser.add_argument("--json", type=Path, help="write every run and the medians to this file")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="vouch-bench-extension-") as tmp:
        (Path(tmp) / "server").mkdir()
        server = LiveServer(Path(tmp) / "server").start()
        try:
            for spec in [d for d in BENCH_DESKS if not args.desk or d.name in args.desk]:
                (Path(tmp) / spec.name).mkdir()
                runs = measure_desk(spec, server, Path(tmp) / spec.name, args.runs)
                results[spec.name] = {"median": summary(runs), "runs": [asdict(r) for r in runs]}
                print(f"{spec.name}: {results[spec.name]['median']}", file=sys.stderr, flush=True)
        finally:
            server.stop()
    print(table(results))
    if args.json:
        method = {"times": "performance marks vouch:read and vouch:shown, page clock",
                  "js": f"CPU profile, {SAMPLE_US} µs samples with an extension frame on the stack",
                  "main_thread": "Performance.getMetrics TaskDuration, with minus without the extension",
                  "task_ratio": "TaskDuration with the extension over without it, same run",
                  "long_tasks": "PerformanceObserver longtask entries (> 50 ms) from before the first script"}
        args.json.write_text(json.dumps({"runs_per_desk": args.runs, "settle_s": SETTLE, "method": method,
                                         "desks": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
