"""Training steps a 3-network ensemble gets in a fixed budget: members one after another in one process
(`workers=1`, the default) against members trained at once, one process each (`workers=W`).

For each language, both settings train on the same rows with the same seed and budget, one after the other
in each of `--repeat` rounds (a change in machine load hits both alike); printed per language: steps per
member (mean over members, best round), best dev accuracy of the members, and the ratio of steps. The
machine should be otherwise idle: parallel members compete with anything else for the cores.

    python benchmarks/bench_neural_workers.py [--data ../shared/data] [--langs heb,got] [--minutes 2]
                                              [--workers 3] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from lexaug.inflection.neural import BUDGET_HPARAMS, NeuralInflector
from lexaug.loaders.sigmorphon import read_sigmorphon

HERE = Path(__file__).resolve()
DEFAULT_DATA = HERE.parents[1].parent / "shared" / "data"


def members_summary(model: NeuralInflector) -> tuple[float, float]:
    """(mean steps per member, mean best dev accuracy of the members)."""
    members = model.info["members"]
    return (statistics.mean(m["steps"] for m in members),
            statistics.mean(m["best_dev"] or 0.0 for m in members))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("LEXAUG_SHARED_DATA", DEFAULT_DATA)))
    parser.add_argument("--langs", default="heb,got", help="2022 languages (small setting)")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = args.data / "sigmorphon2022"
    print(f"ensemble 3, {args.minutes:g} min per model, {os.cpu_count()} CPUs, 1 torch thread per process, "
          f"{args.repeat} round(s); steps per member of the best round")
    print(f"{'lang':<6}{'steps w=1':>11}{f'steps w={args.workers}':>11}{'ratio':>8}{'dev w=1':>9}"
          f"{f'dev w={args.workers}':>9}")
    ratios = []
    for lang in args.langs.split(","):
        train = read_sigmorphon(folder / f"{lang}_small.train").triples()
        dev = read_sigmorphon(folder / f"{lang}.dev").triples()
        best: dict[int, tuple[float, float]] = {}
        for _ in range(args.repeat):
            for workers in (1, args.workers):
                model = NeuralInflector.train(train, dev, seed=0, ensemble=3, char_members=0, workers=workers,
                                              threads=1, rule_fallback=False, max_minutes=args.minutes,
                                              **BUDGET_HPARAMS)
                found = members_summary(model)
                if workers not in best or found[0] > best[workers][0]:
                    best[workers] = found
        (one, dev_one), (many, dev_many) = best[1], best[args.workers]
        ratios.append(many / one)
        print(f"{lang:<6}{one:>11.0f}{many:>11.0f}{many / one:>8.2f}{dev_one:>9.2f}{dev_many:>9.2f}")
    print(f"steps ratio, workers={args.workers} / workers=1: median {statistics.median(ratios):.2f} "
          f"over {len(ratios)} language(s)")


if __name__ == "__main__":
    main()
