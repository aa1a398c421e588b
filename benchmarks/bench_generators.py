"""Pure generator speed: `substitute.v1` (rate 1.0) and `codeswitch.v1` (rate 0.3) on the KJV verses with the
20k-headword benchmark lexicon, beside an inline `regex` + dict substitution baseline, as ratios.

    python benchmarks/bench_generators.py [--text PATH] [--lexicon PATH] [--repeat 3] [--lines N]

Each figure is the best of `--repeat` interleaved runs (CPU time of this process, so other load on the machine distorts
it less); MB is the UTF-8 size of the input lines. The baselines are measured in the same run:
  baseline        `pattern.sub(lambda m: first.get(m.group().lower(), m.group()), line)` (first translation)
  baseline+choice the same with `rng.choice(translations)` (random choice, as the generators do)
The end-to-end `lexaug synthesize` benchmark (readers, writers, workers) is a separate script.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lexaug import defaults  # noqa: E402
from lexaug.generators import make_generator  # noqa: E402
from lexaug.loaders.lexicon import Lexicon  # noqa: E402
from lexaug.types import Record  # noqa: E402

DATA = Path(os.environ.get("LEXAUG_SHARED_DATA") or ROOT.parent / "shared" / "data")


def best_of_interleaved(fns: dict, repeat: int) -> dict[str, float]:
    """Best CPU time per function over `repeat` rounds; rounds interleave the functions so that load
    changes on a shared machine hit all of them alike."""
    best = {label: float("inf") for label in fns}
    for _ in range(repeat):
        for label, fn in fns.items():
            t0 = time.process_time()
            fn()
            best[label] = min(best[label], time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--text", default=str(DATA / "text" / "kjv_verses.txt"))
    ap.add_argument("--lexicon", default=str(DATA / "bench" / "lex_en_xx.tsv"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lines", type=int, default=0, help="use only the first N lines (0: all)")
    args = ap.parse_args()

    lines = Path(args.text).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if args.lines:
        lines = lines[: args.lines]
    mb = sum(len(line.encode("utf-8")) + 1 for line in lines) / 1e6
    lex = Lexicon.read(args.lexicon)
    records = [Record(str(i), [line]) for i, line in enumerate(lines)]

    raw: dict[str, list[str]] = {}
    for row in Path(args.lexicon).read_text(encoding="utf-8").splitlines():
        src, tgt = row.split("\t")[:2]
        raw.setdefault(src.lower(), []).append(tgt)
    first = {k: v[0] for k, v in raw.items()}
    pattern = regex.compile(defaults.WORD_PATTERN)

    def baseline() -> None:
        for line in lines:
            pattern.sub(lambda m: first.get(m.group().lower(), m.group()), line)

    def baseline_choice() -> None:
        rng = random.Random(0)
        for line in lines:
            pattern.sub(lambda m: rng.choice(raw[k]) if (k := m.group().lower()) in raw else m.group(), line)

    sub = make_generator("substitute.v1", lexicon=lex)
    cs = make_generator("codeswitch.v1", lexicons=[lex], rate=0.3)
    timings = best_of_interleaved({
        "baseline (regex.sub + dict)": baseline,
        "baseline+choice": baseline_choice,
        "substitute.v1 rate 1.0": lambda: sub.run_batch(records, seed=0),
        "codeswitch.v1 rate 0.3": lambda: cs.run_batch(records, seed=0),
    }, args.repeat)
    base = timings["baseline (regex.sub + dict)"]
    print(f"input: {len(lines):,} lines, {mb:.2f} MB; lexicon: {len(lex):,} headwords")
    print(f"{'':30s} {'MB/s':>8s} {'x baseline':>11s}")
    for label, seconds in timings.items():
        print(f"{label:30s} {mb / seconds:8.2f} {base / seconds:11.2f}")
    cov = sub.summary().get("coverage")
    real = cs.summary().get("realised_rate")
    print(f"substitute coverage {cov}; codeswitch realised token rate {real} (nominal 0.3)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
