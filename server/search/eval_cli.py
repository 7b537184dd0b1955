"""`scripts/eval_search`: print the search-quality table for the XQuAD set."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from server.search.evaluation import evaluate_language

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets" / "xquad"
# Plain BM25 with no language handling, from the data set's README: recall@5, MRR@10.
BASELINE = {"en": (0.984, 0.951), "tr": (0.938, 0.877), "zh": (0.991, 0.954)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with en/, tr/, zh/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N queries per language")
    parser.add_argument("--languages", default="en,tr,zh")
    args = parser.parse_args()
    if not args.data.is_dir():
        parser.error(f"no data set at {args.data}")
    print(f"{'lang':<5}{'queries':>8}{'recall@5':>10}{'baseline':>10}{'MRR@10':>9}{'baseline':>10}{'seconds':>9}")
    for language in args.languages.split(","):
        started = time.perf_counter()
        scores = evaluate_language(args.data / language, language, args.limit)
        base_recall, base_mrr = BASELINE.get(language, (float("nan"), float("nan")))
        print(f"{language:<5}{scores.queries:>8}{scores.recall_at_5:>10.3f}{base_recall:>10.3f}"
              f"{scores.mrr_at_10:>9.3f}{base_mrr:>10.3f}{time.perf_counter() - started:>9.1f}", flush=True)
    print("Data: XQuAD (CC-BY-SA-4.0), see the data set's README and LICENSE.txt.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
