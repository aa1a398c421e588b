"""Load time of `Lexicon.read` for every GATITOS file and the 33k-row benchmark lexicon, beside a plain
`csv.reader` pass over the same files in the same run (the baseline: splitting only, no index, no checks).

    python benchmarks/lexicon_load.py [--repeat N] [--data ../shared/data]

Prints the best of N runs in milliseconds of CPU time (process_time: steadier than wall clock on a shared
machine) and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from lexaug.loaders.lexicon import Lexicon


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times) * 1000


def csv_read(paths: list[Path]) -> None:
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    gatitos = sorted((args.data / "lexicons" / "gatitos").glob("*.tsv"))
    cases = [("GATITOS, 19 files one by one", gatitos, False), ("GATITOS, 19 files merged", gatitos, True),
             ("bench/lex_en_xx.tsv (33,390 rows)", [args.data / "bench" / "lex_en_xx.tsv"], True)]
    print(f"{'case':<36}{'Lexicon.read ms':>16}{'csv.reader ms':>15}{'ratio':>8}")
    for label, paths, merged in cases:
        if merged:
            ours = best(lambda: Lexicon.read(paths, strict=False), args.repeat)
        else:
            ours = best(lambda: [Lexicon.read(p, strict=False) for p in paths], args.repeat)
        base = best(lambda: csv_read(paths), args.repeat)
        print(f"{label:<36}{ours:>16.1f}{base:>15.1f}{ours / base:>8.1f}")
    per_file = best(lambda: [Lexicon.read(p, strict=False) for p in gatitos], args.repeat) / len(gatitos)
    print(f"mean per GATITOS file: {per_file:.1f} ms")


if __name__ == "__main__":
    main()
