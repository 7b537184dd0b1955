"""`scripts/fit_suggest`: fit suggest's fit model on the development part of the clinc150
intent set, print what it scores on both parts, and with --write put the weights and
thresholds into server/search/fit_model.py (nothing else there changes)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from server.search import fit_model
from server.search.evidence import FEATURES
from server.search.fitting import BUDGETS, Sample, chances_of, choose, collect, fit_logistic, outcome
from server.search.suggest_eval_cli import DEFAULT_DATA
from server.search.suggest_evaluation import install_with, read_intent_set

BLOCK = re.compile(r"(# ---- written by scripts/fit_suggest -+\n).*?(# ---- end of what scripts/fit_suggest writes)",
                   re.DOTALL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the intent set's folder (as eval_suggest)")
    parser.add_argument("--write", action="store_true", help="write the fitted constants into fit_model.py")
    args = parser.parse_args()
    if not (args.data / "corpus.jsonl").is_file():
        parser.error(f"no data set at {args.data}")
    data = read_intent_set(args.data)
    with install_with(data.cards) as install:
        development = collect(install, data.part("development"))
        held_out = collect(install, data.part("held-out"))
    block = fitted_block(development, held_out)
    print(block, end="")
    if args.write:
        path = Path(fit_model.__file__)
        path.write_text(BLOCK.sub(lambda m: m.group(1) + block + m.group(2), path.read_text(), count=1))
        print(f"written to {path.name}")
    return 0


def fitted_block(development: list[Sample], held_out: list[Sample]) -> str:
    """fit_model.py's constants fitted on `development`, with what they score on both parts."""
    weights, bias = fit_logistic(development)
    weights, bias = {name: round(value, 3) for name, value in weights.items()}, round(bias, 3)
    chances = {"development": chances_of(development, weights, bias), "held-out": chances_of(held_out, weights, bias)}
    thresholds = {mode: choose(development, chances["development"], budget) for mode, budget in BUDGETS.items()}
    lines = [f"# Fitted on {sum(s.in_scope for s in development)} in-scope and "
             f"{sum(not s.in_scope for s in development)} out-of-scope development messages; right card in the",
             "# top three / only wrong cards / out-of-scope quiet, development then held-out:"]
    for mode, chosen in thresholds.items():
        a, b = (outcome(samples, chances[part], chosen)
                for part, samples in (("development", development), ("held-out", held_out)))
        lines.append(f"#   {mode:<9} {a.right:.3f} {a.wrong_only:.3f} {a.quiet:.3f}   "
                     f"{b.right:.3f} {b.wrong_only:.3f} {b.quiet:.3f}")
    lines.append(f"WEIGHTS = dict(zip(FEATURES, ({', '.join(repr(weights[name]) for name in FEATURES)})))")
    lines.append(f"BIAS = {bias!r}")
    lines.append("THRESHOLDS = {")
    lines += [f'    "{mode}": Thresholds(together={t.together!r}, alone={t.alone!r}),'
              for mode, t in thresholds.items()]
    return "\n".join(lines + ["}"]) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
