"""Throughput of lexaug.io: chunk + parse + render (unchanged slots) per format, beside a plain baseline
measured in the same run (read the file's lines and write them back, no parsing).

Usage: python benchmarks/bench_io.py [--data ../shared/data] [--repeat 3]
Prints MB/s of lexaug.io and of the baseline, and their ratio.
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from lexaug.io import get_format
from timing import best_of


def _baseline(text: str) -> None:
    out = io.StringIO()
    for line in io.StringIO(text, newline=""):
        out.write(line)


def _lexaug(fmt, text: str) -> None:
    out = io.StringIO()
    for chunk in fmt.chunks(io.StringIO(text, newline=""), 2000):
        for record in fmt.parse(chunk):
            out.write(fmt.render(record))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kjv = (args.data / "text" / "kjv_verses.txt").read_text(encoding="utf-8")
    cases = [
        ("text", kjv),
        ("jsonl", "".join(json.dumps({"id": n, "text": line.rstrip("\n")}) + "\n"
                          for n, line in enumerate(kjv.splitlines()))),
        ("conll", (args.data / "ner/masakhaner/pcm/train.txt").read_text(encoding="utf-8")),
        ("conllu", (args.data / "ud/UD_English-EWT/en_ewt-ud-dev.conllu").read_text(encoding="utf-8")),
        ("tsv", "index_id\tcategory\ttext\n" + "".join(f"{n}\tverse\t{line}"  # KJV as a SIB-200-style table
                                                         for n, line in enumerate(kjv.splitlines(keepends=True)))),
    ]
    print(f"{'format':8} {'MB':>6} {'lexaug MB/s':>12} {'baseline MB/s':>14} {'ratio':>6}")
    for name, text in cases:
        size = len(text.encode("utf-8")) / 1e6
        fmt = get_format(name)
        ours = best_of(lambda: _lexaug(fmt, text), args.repeat)
        base = best_of(lambda: _baseline(text), args.repeat)
        print(f"{name:8} {size:6.1f} {size / ours:12.1f} {size / base:14.1f} {base / ours:6.2f}")


if __name__ == "__main__":
    main()
