"""How a mixed ensemble's character weight is chosen, studied on saved models (no training).

A mixed ensemble ranks the union of its two groups' beam candidates by (1 - w) log P_scripts + w log P_chars; w
is chosen on dev from (0.5, 0.25, 0.75, 0, 1) (ties: that order), then the rule-fallback margin given w
(`neural_groups._tune_char_weight`, `fallback_margin.best_margin`). On small dev sets the chosen w moves a lot between
seeds (Middle Low German: 229 dev items, w 0 / 0.25 / 0.75 over three seeds). This script asks whether another
dev-only choice generalises better to test:

- `today`: as training chooses (w on dev, then the margin on dev at that w);
- `w0.5`: w fixed at 0.5, the margin on dev;
- `joint`: w and the margin chosen together on dev;
- `fine`: w on dev from 0, 0.05, ..., 1 (ties: nearest 0.5), then the margin;
- `sign`: w moves from 0.5 only to a weight whose dev gain over 0.5 passes a sign test (z >= 1.96);
- `oracle`: the best w and margin on test (an upper bound, not a rule).

Step 1 decodes dev and test of each saved model (beam 5 per group, as training and prediction do) and writes, per
item, every candidate's score under each group and whether it is right, and the same for the rule baseline's form;
step 2 reads them and prints test accuracy per language and rule, with counts of languages better / worse than
`today`:

    python benchmarks/weight_study.py decode DIR/2022/gml_small/mix1_seed1_10m ... > items.jsonl
    python benchmarks/weight_study.py report items.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, Callable

import inflection_protocol as proto

from lexaug.inflection.fallback_margin import MARGIN_GRID, best_margin, fallback_right

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GRID5 = (0.5, 0.25, 0.75, 0.0, 1.0)  # the training grid, in its tie order
FINE = tuple(sorted((round(k / 20, 2) for k in range(21)), key=lambda w: (abs(w - 0.5), w)))  # holds GRID5


def decode(model_dirs: list[Path], data: Path) -> None:
    """One JSON line per model: per dev and test item, [scripts score, chars score, right, length] for each
    candidate (union order) and for the rule baseline's form."""
    from lexaug.inflection.neural import NeuralInflector
    from lexaug.inflection.neural_groups import _union
    from lexaug.inflection.rules import RuleInflector
    from lexaug.inflection.vocab import nfc

    for folder in model_dirs:
        year, task_dir = folder.parts[-3], folder.parts[-2]
        lang, setting = task_dir.rsplit("_", 1)
        task = proto.load_task(data, year, lang, setting)
        model = NeuralInflector.load(folder)
        if len(model.groups()) != 2:
            print(f"skipped {folder}: not a mixed ensemble", file=sys.stderr)
            continue
        rules = RuleInflector.train(task.train)
        out: dict[str, Any] = {"model": str(folder), "year": year, "lang": lang, "setting": setting,
                               "chosen": [model.char_weight, model.fallback_margin]}
        splits = {"dev": ([(lemma, feats) for lemma, _, feats in task.dev], [form for _, form, _ in task.dev]),
                  "test": (list(task.test), [item.form for item in task.gold])}
        with model._threads():
            for name, (pairs, gold) in splits.items():
                gold = [nfc(g) for g in gold]
                union, flat_pairs, flat_forms = _union(pairs, model._group_candidates(pairs, 5))
                scripts, chars = model._group_scores(flat_pairs, flat_forms)
                theirs = [nfc(form) for form in rules.predict_many(pairs)]
                rule_scripts, rule_chars = model._group_scores(pairs, theirs)
                items, k = [], 0
                for i, forms in enumerate(union):
                    cands = [[scripts[k + j], chars[k + j], forms[j] == gold[i], len(forms[j])]
                             for j in range(len(forms))]
                    k += len(forms)
                    items.append({"cands": cands, "same": [form == theirs[i] for form in forms],
                                  "rule": [rule_scripts[i], rule_chars[i], theirs[i] == gold[i], len(theirs[i])]})
                out[name] = items
        print(json.dumps(out), flush=True)


def at_weight(items: list[dict], w: float) -> tuple[list[bool], list[bool], list[float]]:
    """Per item at weight `w`: whether the chosen form is right, whether the rule form is right, and the model's
    score gap between them (0 where they are the same form) -- what `fallback_margin.best_margin` reads."""
    ours, theirs, gaps = [], [], []
    for item in items:
        scores = [(1 - w) * s + w * c for s, c, *_ in item["cands"]]
        best = max(range(len(scores)), key=lambda j: scores[j])  # the first of the best, as decoding takes
        rs, rc, rule_right, _ = item["rule"]
        ours.append(item["cands"][best][2])
        theirs.append(rule_right)
        gaps.append(0.0 if item["same"][best] else scores[best] - ((1 - w) * rs + w * rc))
    return ours, theirs, gaps


def rights(items: list[dict], w: float, margin: float | None) -> list[bool]:
    """Per item, whether the form chosen at weight `w` is right after the rule fallback at `margin`."""
    return fallback_right(*at_weight(items, w), margin)


def margin_at(items: list[dict], w: float) -> float | None:
    """The fallback margin training would choose on these items at weight `w`."""
    return best_margin(*at_weight(items, w))[0]


def by_weight(grid: tuple[float, ...]) -> Callable[[list[dict]], tuple[float, float | None]]:
    def choose(dev: list[dict]) -> tuple[float, float | None]:
        w = max(grid, key=lambda x: sum(rights(dev, x, None)))  # first of the best, in grid order
        return w, margin_at(dev, w)
    return choose


def joint(dev: list[dict]) -> tuple[float, float | None]:
    best = max(((w, *best_margin(*at_weight(dev, w))) for w in GRID5), key=lambda t: t[2])
    return best[0], best[1]


def sign(dev: list[dict]) -> tuple[float, float | None]:
    base = rights(dev, 0.5, None)
    chosen, chosen_right = 0.5, sum(base)
    for w in GRID5[1:]:
        flags = rights(dev, w, None)
        wins = sum(a > b for a, b in zip(flags, base))
        losses = sum(a < b for a, b in zip(flags, base))
        if wins + losses and (wins - losses) / math.sqrt(wins + losses) >= 1.96 and sum(flags) > chosen_right:
            chosen, chosen_right = w, sum(flags)
    return chosen, margin_at(dev, chosen)


RULES: dict[str, Callable[[list[dict]], tuple[float, float | None]]] = {
    "today": by_weight(GRID5), "w0.5": lambda dev: (0.5, margin_at(dev, 0.5)), "joint": joint,
    "fine": by_weight(FINE), "sign": sign}


def accuracy(flags: list[bool]) -> float:
    return 100.0 * sum(flags) / len(flags) if flags else 0.0


def report(paths: list[Path]) -> None:
    rows = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line]
    names = list(RULES) + ["oracle"]
    print("task\t" + "\t".join(names) + "\tw today/chosen in training")
    sums = {name: 0.0 for name in names}
    better = {name: [0, 0] for name in names}
    for row in rows:
        accs = {}
        for name, rule in RULES.items():
            w, margin = rule(row["dev"])
            accs[name] = accuracy(rights(row["test"], w, margin))
        accs["oracle"] = max(accuracy(rights(row["test"], w, m)) for w in FINE for m in MARGIN_GRID)
        today_w = RULES["today"](row["dev"])[0]
        print(f"{row['year']}/{row['lang']}_{row['setting']}\t" + "\t".join(f"{accs[n]:.2f}" for n in names)
              + f"\t{today_w}/{row['chosen'][0]}")
        for name in names:
            sums[name] += accs[name]
            better[name][0] += accs[name] > accs["today"] + 1e-9
            better[name][1] += accs[name] < accs["today"] - 1e-9
    print("macro\t" + "\t".join(f"{sums[n] / max(1, len(rows)):.2f}" for n in names))
    print("better/worse than today\t" + "\t".join(f"{better[n][0]}/{better[n][1]}" for n in names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    dec = sub.add_parser("decode", help="decode saved models; JSON lines on stdout")
    dec.add_argument("models", nargs="+", type=Path)
    dec.add_argument("--data", type=Path, default=DATA)
    rep = sub.add_parser("report", help="test accuracy per rule from decode's output")
    rep.add_argument("items", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.step == "decode":
        decode(args.models, args.data)
    else:
        report(args.items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
