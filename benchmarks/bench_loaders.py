"""Load time of the resource loaders beside a plain `csv` module read of the same files, in the same run.

Prints best-of-N wall time for:
- the largest UniMorph table (`MorphTable.read`), and
- all GATITOS lexicons as one merged `Lexicon.read`,
each next to `csv.reader(delimiter="\\t", quoting=QUOTE_NONE)` over the same files (rows materialised as
lists, nothing indexed), and the ratio loader/csv. The csv read is the floor any TSV loader pays for
reading; the ratio is what indexing, validation, NFC and duplicate handling add on top.

Usage: python benchmarks/bench_loaders.py [--data ../shared/data] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

from timing import best_of

ROOT = Path(__file__).resolve().parents[1]


def _default_data() -> Path:
    env = os.environ.get("LEXAUG_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def csv_read(paths: list[Path]) -> int:
    rows = 0
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            rows += len(list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=_default_data(), help="the shared data folder")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best is kept")
    args = parser.parse_args(argv)

    from lexaug.loaders.unimorph import MorphTable

    unimorph = [p for p in (args.data / "unimorph").glob("*/*") if p.name != "README.md"
                and p.suffix not in (".gloss", ".md") and p.name != "notes"]
    if not unimorph:
        print(f"no UniMorph files under {args.data / 'unimorph'}", file=sys.stderr)
        return 1
    largest = max(unimorph, key=lambda p: p.stat().st_size)
    gatitos = sorted((args.data / "lexicons" / "gatitos").glob("en_*.tsv"))

    rows_out = []
    english = args.data / "unimorph" / "eng" / "eng"
    for path in [largest] + ([english] if english.is_file() and english != largest else []):
        table = MorphTable.read(path)
        base = best_of(lambda: csv_read([path]), args.repeat)
        rows_out.append((f"MorphTable.read {path.parent.name}/{path.name} ({len(table):,} rows, "
                         f"{path.stat().st_size / 1e6:.1f} MB)",
                         best_of(lambda: MorphTable.read(path), args.repeat), base))
        rows_out.append(("  + first analyze() (builds the form index)",
                         best_of(lambda: MorphTable.read(path).analyze("ran"), args.repeat), base))
    from lexaug.loaders.lexicon import Lexicon

    bench_lexicon = args.data / "bench" / "lex_en_xx.tsv"
    for label, paths in ((f"{len(gatitos)} GATITOS files", gatitos), ("bench/lex_en_xx.tsv", [bench_lexicon])):
        if not all(p.is_file() for p in paths) or not paths:
            print(f"{label}: not found under {args.data}, skipped", file=sys.stderr)
            continue
        lex = Lexicon.read(paths, strict=False)
        rows_out.append((f"Lexicon.read {label} ({lex.stats().get('pairs', len(lex)):,} pairs, lenient)",
                         best_of(lambda: Lexicon.read(paths, strict=False), args.repeat),
                         best_of(lambda: csv_read(paths), args.repeat)))

    width = max(len(r[0]) for r in rows_out)
    print(f"{'what':<{width}}  {'loader ms':>10}  {'csv ms':>8}  {'ratio':>6}   (best of {args.repeat})")
    for label, loader, base in rows_out:
        print(f"{label:<{width}}  {loader * 1e3:>10.1f}  {base * 1e3:>8.1f}  {loader / base:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
