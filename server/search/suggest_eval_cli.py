"""`scripts/eval_suggest`: print the suggestion-quality table for the clinc150 intent set
(development and held-out parts), and write it as JSON with --json FILE."""

from __future__ import annotations

import argparse
import json
import time
from contextlib import nullcontext
from pathlib import Path

from server.search import semantic
from server.search.suggest_evaluation import PARTS, evaluate, prose_set
from server.settings import SUGGEST_MODES

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "clinc150" / "en"
XQUAD_EN = DEFAULT_DATA.parents[1] / "xquad" / "en"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="folder with corpus.jsonl, queries.jsonl, queries_oos.jsonl, qrels.tsv")
    parser.add_argument("--limit", type=int, default=None, help="only the first N messages of each kind")
    parser.add_argument("--parts", default=",".join(PARTS), help="development, held-out and/or all")
    parser.add_argument("--mode", choices=SUGGEST_MODES, default=None,
                        help="the VOUCH_SUGGEST setting to measure (default: the install's default)")
    parser.add_argument("--words-alone", action="store_true",
                        help="by the words alone, without the table of word pieces (docs/suggestions.md)")
    parser.add_argument("--prose", type=Path, nargs="?", const=XQUAD_EN, default=None,
                        help="cards of prose instead: XQuAD's English paragraphs (or this folder's) as cards, "
                             "its questions and --data's out-of-scope messages as messages, every one")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    for folder in [args.data, *([args.prose] if args.prose else [])]:
        if not (folder / "corpus.jsonl").is_file():
            parser.error(f"no data set at {folder}")
    started = time.perf_counter()
    with semantic.switched_off() if args.words_alone else nullcontext(), \
            prose_set(args.prose, args.data) if args.prose else nullcontext(args.data) as data:
        parts = ["all"] if args.prose else args.parts.split(",")  # nothing was chosen on the prose
        scores = evaluate(data, parts, args.limit, mode=args.mode)
        matched_by = semantic.model_name()
    seconds = time.perf_counter() - started
    print(f"{'part':<12}{'in-scope':>9}{'right@3':>9}{'wrong':>7}{'empty':>7}{'oos':>6}{'quiet':>7}"
          f"{'recall@5':>10}{'MRR@10':>8}")
    for s in scores:
        print(f"{s.part:<12}{s.in_scope:>9}{s.right_in_top_3:>9.3f}{s.wrong_only:>7.3f}{s.empty:>7.3f}"
              f"{s.out_of_scope:>6}{s.quiet:>7.3f}{s.recall_at_5:>10.3f}{s.mrr_at_10:>8.3f}")
    print(f"Matched by {matched_by}.")
    print(f"{seconds:.0f} s. Data: CLINC150 by Larson et al. 2019 (CC-BY-3.0), see the data set's README.")
    if args.prose:
        print("Cards of prose: XQuAD (CC-BY-SA-4.0), see the data set's README and LICENSE.txt.")
    if args.json:
        args.json.write_text(json.dumps({"data": "prose" if args.prose else str(args.data.name),
                                         "mode": args.mode or "default",
                                         "matched_by": matched_by,
                                         "seconds": round(seconds, 1), "parts": [s.as_dict() for s in scores]},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
