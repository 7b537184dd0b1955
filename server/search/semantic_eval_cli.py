"""`scripts/eval_semantic`: what the semantic extra adds to suggestions and search, on the
clinc150 intent set (constants chosen on its development part, figures on both parts)
and on XQuAD's search (en, tr, zh), with what it costs; --write puts the chosen
constants into server/search/semantic_fusion.py, --json FILE writes the figures;
--prose checks the written constants on cards of prose (suggest_evaluation.prose_set)."""

from __future__ import annotations

import argparse
import json
import re
import resource
import time
from dataclasses import asdict, fields as dataclass_fields
from pathlib import Path

import numpy as np

from server.search import semantic, semantic_fusion
from server.search.semantic_fusion import Constants
from server.search.semantic_evaluation import Embeddings, card_passages, real_path, seen_intents, seen_retrieval
from server.search.semantic_fitting import asked_share, figures, fit, search_scores
from server.search.evaluation import _read_jsonl
from server.search.piece_table import PieceTable
from server.search.suggest_eval_cli import DEFAULT_DATA
from server.search.suggest_evaluation import PARTS, prose_set

XQUAD = DEFAULT_DATA.parents[1] / "xquad"
BLOCKS = {"MODEL": re.compile(r"(# ---- written by scripts/eval_semantic --write -+\n).*?"
                              r"(# ---- end of what scripts/eval_semantic writes)", re.DOTALL),
          "PIECES": re.compile(r"(# ---- written by scripts/eval_semantic --pieces --write -+\n).*?"
                               r"(# ---- end of what scripts/eval_semantic --pieces writes)", re.DOTALL)}
SPEED_CARDS = 100  # XQuAD paragraphs (about 130 words, a typical card) timed for the cost


def _p95(seconds: list[float]) -> float:
    return float(np.percentile(seconds, 95)) if seconds else float("nan")


def _megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cost() -> dict:
    """Memory of the model, and cards embedded per second (typical card length)."""
    before = _megabytes()
    semantic.embed_message("warm up")
    loaded = _megabytes()
    cards = card_passages(_read_jsonl(XQUAD / "en" / "corpus.jsonl")[:SPEED_CARDS]) if XQUAD.is_dir() else []
    started = time.perf_counter()
    semantic.embed_cards([text for texts in cards for text in texts])
    per_card = (time.perf_counter() - started) / max(len(cards), 1)
    return {"memory_mb_model": round(loaded - before, 1), "memory_mb_after_cards": round(_megabytes() - before, 1),
            "seconds_per_card": round(per_card, 4), "minutes_for_10000_cards": round(per_card * 10_000 / 60, 1)}


def written(name: str) -> Constants:
    """The constants semantic_fusion.py has for an engine ("MODEL" or "PIECES")."""
    return getattr(semantic_fusion, name)


def written_block(name: str, chosen: Constants) -> str:
    """The constants as semantic_fusion.py holds them."""
    fields = {f.name: getattr(chosen, f.name) for f in dataclass_fields(chosen)}
    body = ", ".join(f"{key}={value!r}" for key, value in fields.items())
    lines, line = [], f"{name} = Constants("
    for part in body.split(", "):
        if len(line) + len(part) > 110:
            lines.append(line.rstrip())
            line = " " * (len(name) + 13)
        line += part + ", "
    return "\n".join([*lines, line[:-2] + ")"]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the intent set (as eval_suggest)")
    parser.add_argument("--xquad", type=Path, default=XQUAD, help="the retrieval set (as eval_search)")
    parser.add_argument("--languages", default="en,tr,zh")
    parser.add_argument("--limit", type=int, default=None, help="only the first N messages of each kind")
    parser.add_argument("--cache", type=Path, default=None, help="keep the embeddings in this .npz between runs")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--write", action="store_true", help="write the chosen constants into semantic_fusion.py")
    parser.add_argument("--real-path", action="store_true",
                        help="only the sidebar's own path with the extra on, held-out messages: figures and times")
    parser.add_argument("--search-only", action="store_true",
                        help="only XQuAD, with the constants semantic_fusion.py has (no intent set, no choosing)")
    parser.add_argument("--pieces", type=Path, nargs="?", const=semantic.TABLE, default=None,
                        help="measure the table of word pieces (the shipped one, or this file) instead of the model")
    parser.add_argument("--prose", action="store_true",
                        help="cards of prose instead of the intent set's: XQuAD's English paragraphs as cards, its "
                             "questions and the intent set's out-of-scope messages as messages, every one, with "
                             "the constants semantic_fusion.py has (no choosing)")
    args = parser.parse_args()
    if args.prose and (args.write or args.real_path or args.search_only):
        parser.error("--prose checks the written constants: not with --write, --real-path or --search-only")
    if args.prose and not (args.xquad / "en" / "corpus.jsonl").is_file():
        parser.error(f"no retrieval set at {args.xquad / 'en'} for the cards of prose")
    if args.pieces:
        if not args.pieces.is_file():
            parser.error(f"no table of word pieces at {args.pieces}: make one with scripts/distill_pieces")
        semantic.measure_with(PieceTable.read(args.pieces))
    name = "PIECES" if args.pieces else "MODEL"
    if not semantic.available():
        parser.error("the semantic extra is not installed: pip install -e '.[semantic]'")
    if args.real_path:
        print(json.dumps(real_path(args.data, limit=args.limit), indent=2))
        return 0
    costs = cost()
    embeddings = Embeddings(args.cache)
    if args.prose:
        with prose_set(args.xquad / "en", args.data) as folder:
            seen = seen_intents(folder, embeddings, args.limit)
        parts = {"all": seen}
    else:
        seen = [] if args.search_only else seen_intents(args.data, embeddings, args.limit)
        parts = {} if args.search_only else {p: [s for s in seen if s.part == p] for p in PARTS}
    # The table ranks worse than the words alone on XQuAD's searches: search stays lexical with it.
    chosen = written(name) if args.search_only or args.prose else fit(parts["development"], search=not args.pieces,
                                                                      words_first=bool(args.pieces))
    measured_on = "prose" if args.prose else "clinc150"
    report = {"model": semantic.model_name(), "cost": costs, "chosen": asdict(chosen), measured_on: [], "xquad": []}
    if parts:
        print(f"{'part':<12}{'how':<20}{'right@3':>9}{'wrong':>7}{'empty':>7}{'quiet':>7}{'recall@5':>10}{'MRR@10':>8}")
    for part, these in parts.items():
        rows = [("lexical", figures(these, None))]
        rows += [(f"fused {mode}", figures(these, chosen, mode)) for mode in chosen.thresholds]
        for how, f in rows:
            print(f"{part:<12}{how:<20}{f.right:>9.3f}{f.wrong_only:>7.3f}{f.empty:>7.3f}{f.quiet:>7.3f}"
                  f"{f.recall_at_5:>10.3f}{f.mrr_at_10:>8.3f}")
            report[measured_on].append({"part": part, "how": how, **asdict(f)})
        report.setdefault("model_asked", {})[part] = asked_share(these, chosen)
        print(f"{part:<12}the model asked for {asked_share(these, chosen):.3f} of messages (the rest: words sure)")
    lexical_p95 = _p95([s.lexical_seconds for s in seen])
    report["cost"].update(suggest_p95_ms_lexical=round(lexical_p95 * 1000, 1))
    if embeddings.seconds:  # messages embedded in this run, not read from --cache: timed
        report["cost"].update(suggest_p95_ms_fused=round(_p95([s.lexical_seconds + s.semantic_seconds
                                                               for s in seen]) * 1000, 1))
    for language in [x for x in args.languages.split(",") if x] if args.xquad.is_dir() and not args.prose else []:
        queries = seen_retrieval(args.xquad / language, language, embeddings, args.limit)
        k, weight = chosen.search or (None, 0.0)
        weight = semantic_fusion.search_weight(language, weight)
        (r0, m0), (r1, m1) = search_scores(queries, None, 0.0), search_scores(queries, k, weight)
        guarded = sum(not q.semantic for q in queries) / max(len(queries), 1)
        print(f"xquad {language}: recall@5 {r0:.3f} -> {r1:.3f}, MRR@10 {m0:.3f} -> {m1:.3f} "
              f"(no semantic ranking by the language guard: {guarded:.3f})", flush=True)
        report["xquad"].append({"language": language, "lexical": [r0, m0], "fused": [r1, m1], "guarded": guarded})
    report["cost"].update(embed_message_p95_ms=round(_p95(embeddings.seconds) * 1000, 1))
    embeddings.save()
    print(json.dumps(report["cost"]))
    print(written_block(name, chosen), end="")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    if args.write and not args.search_only:
        path = Path(semantic_fusion.__file__)
        path.write_text(BLOCKS[name].sub(lambda m: m.group(1) + written_block(name, chosen) + m.group(2),
                                         path.read_text(), count=1))
        print(f"written to {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
