"""Parquet in/out next to JSONL in/out: `synthesize` on the same text, in the same invocation.

The KJV verses (4.1 MB, 31,100 rows; from `../shared/data`, else the bundled sample repeated) are written once as
JSONL (`{"text": ..., "n": i}` per line) and once as Parquet with the same two columns; each setting then runs
`lexaug.synthesis.run_synthesis` (substitute, the 20k lexicon or the bundled one) in a fresh child process, JSONL
to JSONL and Parquet to Parquet, with provenance, with 1 and 2 workers, in `--repeat` interleaved rounds.
MB/s is the UTF-8 size of the text column over the pass's wall seconds (read + generate + write: the fastest run
minus the fastest run of the same setting on a one-row file, which holds start-up and lexicon loading), MB/CPU-s
the same with CPU seconds (process + workers; a busy machine does not distort it), `x jsonl` the ratio to JSONL
with the same workers. Peak RSS (VmHWM) of
Parquet runs on the corpus x1 and x10 shows memory flat in file size. Runs go through the CLI (`lexaug_cli`), as
users run them (it picks Arrow's system allocator, see `lexaug_cli/synthesize.py`).

Usage: python benchmarks/bench_formats.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
DEFAULT_DATA = HERE.parents[1].parent / "shared" / "data"
SAMPLES = HERE.parents[1] / "resources" / "samples"


def child(corpus: str, lexicon: str, out: str, workers: int) -> None:
    """One measured run in this fresh process; prints a JSON line."""
    from lexaug_cli.main import cli

    start, cpu = time.perf_counter(), cpu_seconds()
    cli(["synthesize", "--lang", "xx", "--lexicon", lexicon, "--input", corpus, "--output", out, "--workers",
         str(workers), "--chunk-records", "2000"], standalone_mode=False)  # the CLI, as users run it
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    peak = int(re.search(r"VmHWM:\s*(\d+) kB", Path("/proc/self/status").read_text()).group(1))
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": peak}))


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (worker processes), user + system."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(corpus: Path, lexicon: str, out: Path, workers: int) -> dict:
    done = subprocess.run([sys.executable, str(HERE), "--child", str(corpus), lexicon, str(out), str(workers)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_inputs(lines: list[str], folder: Path, tag: str) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl, parquet = folder / f"{tag}.jsonl", folder / f"{tag}.parquet"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for i, line in enumerate(lines):
            fh.write(json.dumps({"text": line, "n": i}, ensure_ascii=False) + "\n")
    pq.write_table(pa.table({"text": lines, "n": list(range(len(lines)))}), parquet, row_group_size=10_000)
    return jsonl, parquet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=4, metavar=("CORPUS", "LEXICON", "OUT", "WORKERS"))
    args = parser.parse_args()
    if args.child:
        corpus, lexicon, out, workers = args.child
        child(corpus, lexicon, out, int(workers))
        return
    kjv, lex = args.data / "text" / "kjv_verses.txt", args.data / "bench" / "lex_en_xx.tsv"
    if kjv.is_file() and lex.is_file():
        lines, lexicon = kjv.read_text(encoding="utf-8").splitlines(), str(lex)
    else:
        lines, lexicon = (SAMPLES / "english.txt").read_text(encoding="utf-8").splitlines() * 700, \
            str(SAMPLES / "en_es.tsv")
    mb = sum(len(line.encode("utf-8")) for line in lines) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = dict(zip(("jsonl", "parquet"), write_inputs(lines, folder, "x1")))
        sizes = {k: p.stat().st_size / 1e6 for k, p in inputs.items()}
        tiny = dict(zip(("jsonl", "parquet"), write_inputs(lines[:1], folder, "tiny")))
        runs: dict[tuple[str, int], list[dict]] = {}
        fixed: dict[tuple[str, int], list[dict]] = {}
        for _ in range(args.repeat):
            for workers in (1, 2):
                for kind, path in inputs.items():
                    key = (kind, workers)
                    # start-up, lexicon loading, workers starting: the same run on a one-row file
                    fixed.setdefault(key, []).append(measure(tiny[kind], lexicon, folder / f"one.{kind}", workers))
                    runs.setdefault(key, []).append(measure(path, lexicon, folder / f"out.{kind}", workers))
        # the pass alone: the fastest run minus the fastest one-row run (noise can only make the pass look slower)
        best = {k: min(r["seconds"] for r in v) - min(r["seconds"] for r in fixed[k]) for k, v in runs.items()}
        least = {k: min(r["cpu"] for r in v) - min(r["cpu"] for r in fixed[k]) for k, v in runs.items()}
        out_sizes = {k: (folder / f"out.{k}").stat().st_size / 1e6 for k in inputs}
        print(f"text column: {len(lines):,} rows, {mb:.2f} MB; input files: jsonl {sizes['jsonl']:.2f} MB, "
              f"parquet {sizes['parquet']:.2f} MB; outputs (with provenance): jsonl {out_sizes['jsonl']:.2f} MB, "
              f"parquet {out_sizes['parquet']:.2f} MB; best of {args.repeat}")
        print("| in -> out | workers | MB/s (x jsonl) | MB/CPU-s (x jsonl) |")
        print("|---|---|---|---|")
        for workers in (1, 2):
            for kind in ("jsonl", "parquet"):
                speed, base = mb / best[(kind, workers)], mb / best[("jsonl", workers)]
                per_cpu, cpu_base = mb / least[(kind, workers)], mb / least[("jsonl", workers)]
                print(f"| {kind} -> {kind} | {workers} | {speed:.2f} ({speed / base:.2f}) | {per_cpu:.2f} "
                      f"({per_cpu / cpu_base:.2f}) |")
        _, big = write_inputs(lines * 10, folder, "x10")
        peaks = {tag: measure(path, lexicon, folder / "peak.parquet", 1)["peak_kb"] / 1024
                 for tag, path in (("x1", inputs["parquet"]), ("x10", big))}
        print(f"parquet peak RSS: corpus x1 {peaks['x1']:.0f} MB, x10 {peaks['x10']:.0f} MB "
              f"(ratio {peaks['x10'] / peaks['x1']:.3f}; input {sizes['parquet']:.1f} vs {big.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
