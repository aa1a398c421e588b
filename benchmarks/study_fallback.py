"""Rule-fallback rules compared on saved protocol models (`bench_inflection.py --protocol full --save-models DIR`).

For each saved model: the test set decoded once (beam 5), then four rules, each tuned on dev (greedy), scored
on test: `none` (the model alone), `threshold` (the rule form where the model's probability is below a
threshold, the earlier default), `margin` (the rule form where the model scores it within a margin of its own
form, the current default) and `rules` (the rule baseline everywhere). One JSON line per model, appended to
--out (models already there are skipped, so the study resumes).

    python benchmarks/study_fallback.py DIR [--data ../shared/data] [--out fallback_study.jsonl] [--shard 0/2] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import inflection_protocol as proto  # this folder is on sys.path when run as a script

from lexaug.inflection.neural import NeuralInflector
from lexaug.inflection.rules import RuleInflector
from lexaug.inflection.vocab import nfc

THRESHOLDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MARGINS = (None, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0)


def study(model_dir: Path, task: proto.Task) -> dict:
    model = NeuralInflector.load(model_dir)
    rules = RuleInflector.train(task.train)
    dev_pairs = [(lemma, feats) for lemma, _, feats in task.dev]
    dev_gold = [nfc(form) for _, form, _ in task.dev]
    splits = {}
    for name, pairs, beam in (("dev", dev_pairs, 1), ("test", list(task.test), 5)):
        model.beam = beam
        ours = [(nfc(form), p) for form, p in model.predict_scored(pairs)]
        theirs = [nfc(form) for form in rules.predict_many(pairs)]
        gaps = model.score_gaps(pairs, [form for form, _ in ours], theirs)
        splits[name] = (ours, theirs, gaps)

    def choose(split: str, kind: str, value: float | None) -> list[str]:
        ours, theirs, gaps = splits[split]
        if kind == "threshold":
            return [t if p < value else o for (o, p), t in zip(ours, theirs)]
        return [t if value is not None and gap <= value else o for (o, _), t, gap in zip(ours, theirs, gaps)]

    def dev_best(kind: str, grid: tuple) -> float | None:
        scored = [(sum(f == g for f, g in zip(choose("dev", kind, v), dev_gold)), -i, v) for i, v in enumerate(grid)]
        return max(scored)[2]  # most right on dev; ties: the first (most conservative) value

    row: dict = {"task": task.key, "model": str(model_dir)}
    threshold, margin = dev_best("threshold", THRESHOLDS), dev_best("margin", MARGINS)
    for name, forms, value in (("none", [o for o, _ in splits["test"][0]], None),
                               ("threshold", choose("test", "threshold", threshold), threshold),
                               ("margin", choose("test", "margin", margin), margin),
                               ("rules", splits["test"][1], None)):
        row[name] = {"value": value, "test": proto._score(task, forms)["accuracy"]}
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", type=Path, help="the --save-models folder of the protocol")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path("fallback_study.jsonl"))
    parser.add_argument("--shard", default="0/1", help="K/N: study every N-th model from the K-th (parallel runs)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 per shard: more oversubscribe)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    shard, shards = (int(x) for x in args.shard.split("/"))
    done = set()
    if args.out.exists():
        done = {json.loads(line)["model"] for line in args.out.read_text("utf-8").splitlines() if line.strip()}
    dirs = sorted(p.parent for p in args.models.glob("*/*/*/inflector.json"))
    for k, model_dir in enumerate(dirs):
        if k % shards != shard or str(model_dir) in done:
            continue
        year, (lang, setting) = model_dir.parent.parent.name, model_dir.parent.name.rsplit("_", 1)
        row = study(model_dir, proto.load_task(args.data, year, lang, setting))
        print(json.dumps(row), flush=True)
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
