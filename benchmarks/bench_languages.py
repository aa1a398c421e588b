"""Time `lexaug languages` on the full catalog (target: under a second), next to `lexaug --help` as the baseline
(interpreter and click start-up) measured in the same run. Each command runs as a fresh process, `--repeat` times;
the table gives the median and the best wall time.

    python benchmarks/bench_languages.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

LEXAUG = os.path.join(os.path.dirname(sys.executable), "lexaug")  # the console script of this environment
COMMANDS = [
    ("lexaug --help (baseline)", ["--help"]),
    ("lexaug languages", ["languages"]),
    ("lexaug languages --has lexicon", ["languages", "--has", "lexicon"]),
    ("lexaug languages --search banjar --json", ["languages", "--search", "banjar", "--json"]),
    ("lexaug resources list", ["resources", "list"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "LEXAUG_HOME": tempfile.mkdtemp(prefix="lexaug-bench-")}  # an empty cache
    print(f"{'command':<45}{'median s':>10}{'best s':>10}{'vs baseline':>13}")
    base = None
    for label, argv in COMMANDS:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([LEXAUG, *argv], stdout=subprocess.DEVNULL, env=env, check=True)
            times.append(time.perf_counter() - start)
        med = statistics.median(times)
        base = base or med
        print(f"{label:<45}{med:>10.3f}{min(times):>10.3f}{med / base:>12.2f}x")


if __name__ == "__main__":
    main()
