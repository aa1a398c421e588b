"""How the rule fallback's margin is chosen, studied on saved models (no training).

The neural inflector replaces its form by the rule baseline's where log P(own) - log P(rule) <= margin, the
margin chosen on dev by exact match (`fallback_margin.best_margin`: the best of `MARGIN_GRID`, ties to the smaller). This
script asks whether another dev-only choice would generalise better to test:

- `argmax`: today's choice;
- `1se`: the smallest margin (no fallback first) within one standard error of the best on dev;
- `sign`: the best margin among those whose dev gain over no fallback passes a sign test (z >= 1.96), else none;
- `none`: no fallback;
- `split`: a margin per item group, features seen in training or not (the rule baseline has a rule only for
  feature sets it saw), each chosen on its dev items by `argmax`.

Step 1 decodes dev and test of each saved model at beam 5 (models saved by
`bench_inflection.py --protocol full --save-models DIR`) and writes per-item facts as JSON lines; step 2 reads
them and prints test accuracy per language and rule, with counts of languages better / worse than `argmax`:

    python benchmarks/fallback_study.py decode DIR/2022/non_small/mix1_seed1_10m ... > items.jsonl
    python benchmarks/fallback_study.py report items.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, Callable

import inflection_protocol as proto

from lexaug.inflection.fallback_margin import MARGIN_GRID as GRID
from lexaug.inflection.fallback_margin import best_margin, fallback_right

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def decode(model_dirs: list[Path], data: Path) -> None:
    """One JSON line per model: per dev and test item, whether the model's and the rule baseline's forms are
    right, and the model's score gap between them."""
    from lexaug.inflection.neural import NeuralInflector
    from lexaug.inflection.rules import RuleInflector
    from lexaug.inflection.vocab import nfc

    for folder in model_dirs:
        year, task_dir = folder.parts[-3], folder.parts[-2]
        lang, setting = task_dir.rsplit("_", 1)
        task = proto.load_task(data, year, lang, setting)
        model = NeuralInflector.load(folder)
        model.beam = 5
        rules = RuleInflector.train(task.train)
        out: dict[str, Any] = {"model": str(folder), "year": year, "lang": lang, "setting": setting,
                               "chosen": model.fallback_margin}
        dev_pairs = [(lemma, feats) for lemma, _, feats in task.dev]
        splits = {"dev": (dev_pairs, [form for _, form, _ in task.dev]),
                  "test": (list(task.test), [item.form for item in task.gold])}
        for name, (pairs, gold) in splits.items():
            gold = [nfc(g) for g in gold]
            ours = [nfc(form) for form, _ in model.predict_scored(pairs)]
            theirs = [nfc(form) for form in rules.predict_many(pairs)]
            out[name] = {"ours_right": [o == g for o, g in zip(ours, gold)],
                         "theirs_right": [t == g for t, g in zip(theirs, gold)],
                         "gaps": model.score_gaps(pairs, ours, theirs)}
        print(json.dumps(out), flush=True)


def right(split: dict[str, list], margin: float | None) -> list[bool]:
    """Per item, whether the form after the fallback at `margin` is right."""
    return fallback_right(split["ours_right"], split["theirs_right"], split["gaps"], margin)


def accuracy(flags: list[bool]) -> float:
    return 100.0 * sum(flags) / len(flags) if flags else 0.0


def argmax(dev: dict[str, list]) -> float | None:
    """Today's choice, as training makes it."""
    return best_margin(dev["ours_right"], dev["theirs_right"], dev["gaps"])[0]


def one_se(dev: dict[str, list]) -> float | None:
    best = argmax(dev)
    at_best = right(dev, best)
    n = len(at_best)
    for margin in GRID:  # smallest first
        diffs = [a - b for a, b in zip(at_best, right(dev, margin))]
        mean = sum(diffs) / n
        var = sum((d - mean) ** 2 for d in diffs) / max(1, n - 1)
        if mean <= math.sqrt(var / n):
            return margin
    return best


def sign(dev: dict[str, list]) -> float | None:
    base = right(dev, None)
    best, best_right = None, sum(base)
    for margin in GRID[1:]:
        flags = right(dev, margin)
        wins = sum(a > b for a, b in zip(flags, base))
        losses = sum(a < b for a, b in zip(flags, base))
        if wins + losses and (wins - losses) / math.sqrt(wins + losses) >= 1.96 and sum(flags) > best_right:
            best, best_right = margin, sum(flags)
    return best


RULES: dict[str, Callable[[dict[str, list]], float | None]] = {"argmax": argmax, "1se": one_se, "sign": sign,
                                                                "none": lambda dev: None}


def _subset(split: dict[str, list], indices: list[int]) -> dict[str, list]:
    return {k: [split[k][i] for i in indices] for k in ("ours_right", "theirs_right", "gaps")}


def split_by_features(row: dict[str, Any], data: Path) -> float:
    """Test accuracy with one `argmax` margin for items whose feature set occurs in training, one for the rest."""
    task = proto.load_task(data, row["year"], row["lang"], row["setting"])
    seen = {feats for _, _, feats in task.train}
    dev_seen = [feats in seen for _, _, feats in task.dev]
    test_seen = [feats in seen for _, feats in task.test]
    flags: list[bool] = [False] * len(test_seen)
    for group in (True, False):
        dev_idx = [i for i, s in enumerate(dev_seen) if s == group]
        test_idx = [i for i, s in enumerate(test_seen) if s == group]
        margin = argmax(_subset(row["dev"], dev_idx)) if dev_idx else None
        for i, flag in zip(test_idx, right(_subset(row["test"], test_idx), margin)):
            flags[i] = flag
    return accuracy(flags)


def report(paths: list[Path], data: Path) -> None:
    rows = [json.loads(line) for path in paths for line in open(path, encoding="utf-8")]
    names = [*RULES, "split"]
    scores: dict[str, list[float]] = {name: [] for name in names}
    print("task\t" + "\t".join(f"{name} (margin)" for name in RULES) + "\tsplit")
    for row in rows:
        cells = []
        for name, choose in RULES.items():
            margin = choose(row["dev"])
            scores[name].append(accuracy(right(row["test"], margin)))
            cells.append(f"{scores[name][-1]:.2f} ({margin})")
        scores["split"].append(split_by_features(row, data))
        cells.append(f"{scores['split'][-1]:.2f}")
        print(f"{row['year']}/{row['lang']}_{row['setting']}\t" + "\t".join(cells))
    base = scores["argmax"]
    for name in names:
        better = sum(a > b + 1e-9 for a, b in zip(scores[name], base))
        worse = sum(a < b - 1e-9 for a, b in zip(scores[name], base))
        print(f"{name}: macro {sum(scores[name]) / len(rows):.2f}; against argmax better in {better}, worse in "
              f"{worse} of {len(rows)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["decode", "report"])
    parser.add_argument("paths", nargs="+", type=Path, help="decode: saved model folders; report: JSON lines files")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if args.step == "decode":
        decode(args.paths, args.data)
    else:
        report(args.paths, args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
