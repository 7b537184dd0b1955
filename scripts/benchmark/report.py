"""The readable table: per size, Vouch beside its references from the same run, and the
ratio Vouch ÷ reference (latency ratios compare p95s; throughput compares requests per
second, so there a ratio below 1 is worse)."""

from __future__ import annotations

import math

LATENCY_ROWS = (  # label, where in the result, the reference rows' key, compared with the bare endpoint
    ("search, as you type, in-process", ("in_process", "search_typed"), "search_typed", False),
    ("search, as you type, HTTP", ("http", "latency", "search_typed"), "search_typed", True),
    ("search, whole query, in-process", ("in_process", "search_whole"), "search_whole", False),
    ("search, whole query, HTTP", ("http", "latency", "search_whole"), "search_whole", True),
    ("suggest an email, in-process", ("in_process", "suggest"), "email_all_words", False),
    ("context an email, HTTP, agent", ("http", "latency", "context_agent"), "email_all_words", True),
    ("context an email, HTTP, admin", ("http", "latency", "context_admin"), "email_all_words", True),
)
HEADER = ("measure", "Vouch", "FTS5", "tantivy", "÷FTS5", "÷tantivy", "÷bare", "recall@10 V/F/t")


def _get(result: dict, path: tuple[str, ...]) -> dict | None:
    for key in path:
        result = (result or {}).get(key)
    return result


def _ms(figure: dict | None) -> str:
    return f"{figure['p50_ms']:.1f} / {figure['p95_ms']:.1f}" if figure else "—"


def _ratio(value: float | None, reference: float | None) -> str:
    if not value or not reference or math.isnan(value) or math.isnan(reference):
        return "—"
    ratio = value / reference
    return f"{ratio:.2g}×" if ratio < 10 else f"{ratio:,.0f}×"


def _recall(*figures: dict | None) -> str:
    return "/".join(f"{f['recall']:.2f}" if f and "recall" in f else "—" for f in figures)


def _latency_rows(result: dict) -> list[tuple]:
    refs = result.get("references", {})
    fts, tan = refs.get("FTS5", {}), refs.get("tantivy", {})
    bare = _get(result, ("http", "latency", "health"))
    rows = []
    for label, path, ref_key, over_http in LATENCY_ROWS:
        figure = _get(result, path)
        if figure is None:
            continue
        p95 = figure["p95_ms"]
        rows.append((label, _ms(figure), _ms(fts.get(ref_key)), _ms(tan.get(ref_key)),
                     _ratio(p95, (fts.get(ref_key) or {}).get("p95_ms")),
                     _ratio(p95, (tan.get(ref_key) or {}).get("p95_ms")),
                     _ratio(p95, bare["p95_ms"]) if over_http and bare else "",
                     _recall(figure, fts.get(ref_key), tan.get(ref_key))))
    rows.append(("email, 12 rarest words (references)", "", _ms(fts.get("email_rarest")),
                 _ms(tan.get("email_rarest")), "", "", "", _recall(None, fts.get("email_rarest"),
                                                                   tan.get("email_rarest"))))
    if bare:
        rows.append(("bare endpoint /api/health, HTTP", _ms(bare), "", "", "", "", "1×", ""))
    return rows


def _throughput_rows(result: dict) -> list[tuple]:
    rows = []
    for connections, figures in sorted((result.get("http") or {}).get("throughput", {}).items(), key=lambda i: int(i[0])):
        search, bare = figures["search"], figures["health"]
        rows.append((f"searches/s, {connections} connections", f"{search['per_second']:,.1f}/s", "", "", "", "",
                     _ratio(search["per_second"], bare["per_second"]), ""))
        rows.append((f"bare endpoint/s, {connections} connections", f"{bare['per_second']:,.1f}/s", "", "", "", "",
                     "1×", ""))
    return rows


def _mb(n: float | None) -> str:
    return f"{n / 1e6:,.1f} MB" if n else "—"


def _cost_rows(result: dict) -> list[tuple]:
    refs = result.get("references", {})
    fts, tan = refs.get("FTS5", {}), refs.get("tantivy", {})
    load, reindex = result.get("load") or {}, result.get("reindex") or {}
    rows = []
    if load:
        seconds = load.get("wall_s")
        rows.append(("load (vouch seed), wall s (CPU s)", f"{seconds:,.1f} ({load.get('cpu_s', 0):,.1f})"
                     + (" STOPPED" if load.get("stopped") else ""), f"{fts.get('load_s', 0):.2f}",
                     f"{tan.get('load_s', 0):.2f}", _ratio(seconds, fts.get("load_s")),
                     _ratio(seconds, tan.get("load_s")), "", ""))
    if reindex:
        rows.append(("reindex (vouch reindex), wall s", f"{reindex['wall_s']:,.1f} ({reindex['cpu_s']:,.1f})",
                     "", "", _ratio(reindex["wall_s"], fts.get("load_s")),
                     _ratio(reindex["wall_s"], tan.get("load_s")), "", ""))
    if "index_bytes" in result:
        rows.append(("index on disk (database apart)", _mb(result["index_bytes"]), _mb(fts.get("bytes")),
                     _mb(tan.get("bytes")), _ratio(result["index_bytes"], fts.get("bytes")),
                     _ratio(result["index_bytes"], tan.get("bytes")), "", ""))
    http = result.get("http") or {}
    if "rss_bytes" in http:
        rows.append(("server memory (RSS after the run)", _mb(http["rss_bytes"]), "", "", "", "",
                     _ratio(http["rss_bytes"], result.get("empty_rss_bytes")) + " empty", ""))
    if "edit" in http:
        edit = http["edit"]
        rows.append(("edit → searchable, p50 / max ms", f"{edit['p50_ms']:.0f} / {edit['max_ms']:.0f}", "", "", "",
                     "", _ratio(edit["p50_ms"], edit["save"]["p50_ms"]) + " PUT", ""))
    return rows


def table(result: dict) -> str:
    """One size's figures as an aligned plain-text table."""
    rows = [HEADER, *_latency_rows(result), *_throughput_rows(result), *_cost_rows(result)]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(HEADER))]
    lines = [f"== {result['cards']:,} cards: {result.get('queries', 0)} queries, {result.get('emails', 0)} emails; "
             "latency p50 / p95 ms; ratios of p95 (of req/s for throughput)"]
    for n, row in enumerate(rows):
        cells = [str(cell).ljust(widths[0]) if i == 0 else str(cell).rjust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("-" * len(lines[-1]))
    if result.get("skipped"):
        lines.append(f"(not measured: {result['skipped']})")
    return "\n".join(lines)


SCALING = (("search as you type p95, HTTP", ("http", "latency", "search_typed"), "p95_ms", "ms"),
           ("context p95, HTTP, admin", ("http", "latency", "context_admin"), "p95_ms", "ms"),
           ("searches/s, 4 connections", ("http", "throughput", "4", "search"), "per_second", "/s"),
           ("load (vouch seed)", ("load",), "wall_s", "s"),
           ("server memory", ("http",), "rss_bytes", "B"))


def scaling(results: list[dict]) -> str:
    """How the main figures grow from one size to the next (×: this size ÷ the one before)."""
    lines = ["== from size to size (× the size before)"]
    for label, path, key, unit in SCALING:
        cells, before = [], None
        for result in results:
            value = (_get(result, path) or {}).get(key)
            if value is None:
                cells.append(f"{result['cards']:,}: —")
                continue
            shown = _mb(value) if unit == "B" else f"{value:,.1f} {unit}".replace(" /s", "/s")
            cells.append(f"{result['cards']:,}: {shown}" + (f" ({_ratio(value, before)})" if before else ""))
            before = value
        lines.append(f"{label:<30}" + "   ".join(cells))
    return "\n".join(lines)


def _best(rounds: list[dict], how: str, path: tuple[str, ...], key: str, higher: bool) -> float:
    """A figure's best value over the rounds of one kind (the noise only makes it worse)."""
    values = []
    for measured in (r for r in rounds if r["how"] == how):
        for part in path:
            measured = measured[part]
        values.append(measured[key])
    return max(values) if higher else min(values)


# scripts/bench --semantic and --table: what each compares, the base first, and the rounds' names.
COMPARED = {"extra": ("table", "extra"), "table": ("words", "table")}
LABELS = {"words": "words alone", "table": "default (table)", "extra": "with the extra"}
SEMANTIC_FIGURES = (("context p50, 1 client", ("context",), "p50_ms", False, "ms"),
                    ("context p95, 1 client", ("context",), "p95_ms", False, "ms"),
                    ("context right card in top 10", ("context",), "recall", True, ""),
                    ("search p95, 1 client", ("search_whole",), "p95_ms", False, "ms"),
                    ("search right card in top 10", ("search_whole",), "recall", True, ""),
                    ("contexts/s, 4 clients", ("context_throughput", "4"), "per_second", True, "/s"),
                    ("context p95, 4 clients", ("context_throughput", "4"), "p95_ms", False, "ms"),
                    ("contexts/s, 16 clients", ("context_throughput", "16"), "per_second", True, "/s"),
                    ("server memory", (), "rss_bytes", False, "MB"))


def semantic_table(result: dict) -> str:
    """`scripts/bench --semantic` or `--table`: without and with what is compared (the extra,
    beside a default install; or the table of word pieces, beside the words alone), each
    figure the best of its two rounds, and the ratio."""
    base, other = COMPARED[result.get("compared", "extra")]
    lines = [f"== {result['cards']:,} cards, {LABELS[other]}: best of two rounds each; ratio = with ÷ without"]
    rows = [("", LABELS[base], LABELS[other], "ratio")]
    for label, path, key, higher, unit in SEMANTIC_FIGURES:
        try:
            without, with_ = (_best(result["rounds"], how, path, key, higher) for how in (base, other))
        except KeyError:
            continue
        scale, digits = (1 / 2**20 if unit == "MB" else 1), (1 if unit else 3)
        shown = [f"{value * scale:,.{digits}f} {unit}".strip() for value in (without, with_)]
        rows.append((label, *shown, f"{with_ / without:.2f}×" if without else "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines += ["  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
              for row in rows]
    filling = result.get("filling", {})
    if not filling.get("already", True):
        lines.append(f"first filling of {result['cards']:,} cards: {filling['wall_s']:,.0f} s")
    return "\n".join(lines)
