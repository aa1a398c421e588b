r"""Inflection models on SIGMORPHON 2022 part 1, beside the official baselines (test accuracy, macro).

For every language of ../shared/data/sigmorphon2022 with a training file of the chosen setting, each model
is trained, predicts the test file, and is scored (exact match, %, positional, raw strings as the official
table). The official non-neural and neural figures are read from `baseline_results.tsv`. Times are wall
seconds for training + prediction. A speed line compares our alignment with a plain implementation of the
published floating-point recursion on the same pairs (ratio measured in this run).

    python benchmarks/bench_inflection.py [--data ../shared/data] [--setting small|large]
                                          [--models rules,rules-correct] [--partitions]
                                          [--langs got,slk] [--minutes 8] [--threads 1] [--seed 0]

Neural models (`neural`: with hallucination, `neural-nohall`: without) train for at most `--minutes` per
language (wall clock, dev selection) and are scored after NFC normalisation (the model reads and writes NFC).

Models are rows of `MODELS`: a name and a function (train triples, dev triples) -> Inflector. Another
model (e.g. the neural one) adds a row.

Development protocol of the neural model (`inflection_protocol.py`: every 2022 and 2023 language, several
seeds, one resumable JSON result file per language/setting/config/seed/budget):

    python benchmarks/bench_inflection.py --protocol screen [--minutes 1.5]       # 12 languages, seed 0
    python benchmarks/bench_inflection.py --protocol full [--minutes 10] [--seeds 0,1,2] \
        [--settings small,large,s700,full] [--configs default,avg3]               # resumable
    python benchmarks/bench_inflection.py --report [--minutes 10] [--configs default] [--variants beam5+fb]
    python benchmarks/bench_inflection.py --protocol full --together --configs charhall1k,charboth \
        --settings small --langs slp,guj --seeds 0,1 --threads 1 --results DIR     # paired: one process a config
    python benchmarks/bench_inflection.py --report --paired --results DIR --configs charhall1k,charboth

`--together` trains the configs of each (task, seed) at the same time, one process each, and waits for all before
the next: both see the same machine, so their difference is the configs' (runs made on different days differ by
the machine: session 22 measured a third fewer steps in the same 10 minutes). A (task, seed) where some config
already has a result file and another has none is skipped and named, as it could no longer be paired.

    python benchmarks/bench_inflection.py --report --configs markauto --stand-in charmarks,charauto,charhall1k \
        --variants beam5+fb

`--stand-in OLD[,OLDER...]` counts each OLD's runs as the first config's where the two train identically: they
differ only in the automatic rules (`auto_tag_parts`, `auto_mark_clusters`), which resolve to the same options on
the task's own files, and the first config has no run there (README's tables of the default since session 30:
`charmarks` runs where a mark moves, `charauto` runs on slp and ang and in 2023 `full`, `charhall1k` runs, the same
code path, on every other task).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from lexaug.inflection.align import levenshtein_align
from lexaug.inflection.base import Inflector
from lexaug.inflection.evaluate import PARTITIONS, evaluate
from lexaug.inflection.rules import RuleInflector
from lexaug.loaders.sigmorphon import read_sigmorphon

Trainer = Callable[[Sequence[tuple[str, str, str]], Sequence[tuple[str, str, str]]], Inflector]

NEURAL = {"minutes": 8.0, "threads": 1, "seed": 0}  # set from the command line


def _neural(train: Sequence[tuple[str, str, str]], dev: Sequence[tuple[str, str, str]], **opts) -> Inflector:
    from lexaug.inflection.neural import NeuralInflector

    return NeuralInflector.train(train, dev, seed=NEURAL["seed"], threads=NEURAL["threads"], beam=1,
                                 max_minutes=NEURAL["minutes"], max_steps=100_000, patience=10, **opts)


MODELS: dict[str, Trainer] = {
    "rules": lambda train, dev: RuleInflector.train(train, compat="2020"),  # as the official 2022 baseline
    "rules-correct": lambda train, dev: RuleInflector.train(train),  # correct prefix/suffix detector
    "neural": lambda train, dev: _neural(train, dev),
    "neural-nohall": lambda train, dev: _neural(train, dev, hallucinate=0),
}
NORMALIZE = {"neural": "NFC", "neural-nohall": "NFC"}  # others: raw strings, as the official table


def _reference_align(s: str, t: str, sub: float = 1.1) -> tuple[str, str]:
    """A direct memoised recursion building alignment strings (the published approach), for the speed line."""
    memo: dict[tuple[int, int], tuple[str, str, float]] = {}

    def rec(i: int, j: int, cost: float) -> tuple[str, str, float]:
        if (i, j) not in memo:
            if i == len(s):
                res = ("_" * (len(t) - j), t[j:], cost + (len(t) - j))  # float sums in the published order
            elif j == len(t):
                res = (s[i:], "_" * (len(s) - i), cost + (len(s) - i))
            else:
                a = rec(i + 1, j + 1, cost + (0 if s[i] == t[j] else sub))
                b = rec(i, j + 1, cost + 1.0)
                c = rec(i + 1, j, cost + 1.0)
                res = min(((s[i] + a[0], t[j] + a[1], a[2]), ("_" + b[0], t[j] + b[1], b[2]),
                           (s[i] + c[0], "_" + c[1], c[2])), key=lambda x: x[2])
            memo[(i, j)] = (res[0], res[1], res[2] - cost)
        top, bottom, rest = memo[(i, j)]
        return top, bottom, cost + rest

    top, bottom, _ = rec(0, 0, 0)
    return top, bottom


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--setting", choices=["small", "large"], default="small")
    parser.add_argument("--models", default="rules,rules-correct", help=f"comma-separated: {', '.join(MODELS)}")
    parser.add_argument("--partitions", action="store_true", help="also print accuracy per seen/unseen partition")
    parser.add_argument("--langs", default="", help="comma-separated subset of languages (default: all)")
    parser.add_argument("--minutes", type=float, default=NEURAL["minutes"], help="neural: training cap per language")
    parser.add_argument("--threads", type=int, default=NEURAL["threads"], help="neural: torch threads")
    parser.add_argument("--seed", type=int, default=NEURAL["seed"], help="neural: random seed")
    parser.add_argument("--protocol", choices=["screen", "full"],
                        help="neural development protocol (see docstring); results under --results")
    parser.add_argument("--together", action="store_true",
                        help="protocol: train the configs of each task and seed at the same time, one process each")
    parser.add_argument("--paired", action="store_true",
                        help="report: also a row per task for each comparison with the first config/variant")
    parser.add_argument("--report", action="store_true",
                        help="print the protocol tables from --results (never trains, also with --protocol)")
    parser.add_argument("--results", type=Path, default=Path(__file__).resolve().parent / "results" / "inflection")
    parser.add_argument("--configs", default="default", help="protocol: training configurations, comma-separated")
    parser.add_argument("--seeds", default="", help="protocol: seeds (screen: 0; full: 0,1,2)")
    parser.add_argument("--settings", default="small,s700", help="protocol full: small,large (2022), s700,full (2023)")
    parser.add_argument("--variants", default="", help="protocol: decoding variants (default: all)")
    parser.add_argument("--stand-in", default="", metavar="OLD[,OLDER...]",
                        help="report: each OLD's runs count as the first config's on tasks where the automatic "
                             "rules (auto_tag_parts, auto_mark_clusters) make the two train identically and it "
                             "has no run, the first OLD first")
    parser.add_argument("--device", default="auto", help="protocol: cpu, cuda or auto")
    parser.add_argument("--save-models", type=Path, default=None,
                        help="protocol: also save each trained model under this folder (for offline decoding studies)")
    args = parser.parse_args()
    if args.protocol or args.report:
        return _protocol_main(args, parser)
    NEURAL.update(minutes=args.minutes, threads=args.threads, seed=args.seed)
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; known: {', '.join(MODELS)}")
    folder = args.data / "sigmorphon2022"
    official = {(r["lang"], r["setting"], r["split"]): r
                for r in csv.DictReader(open(folder / "baseline_results.tsv", encoding="utf-8"), delimiter="\t")}
    langs = sorted(p.name.split("_")[0] for p in folder.glob(f"*_{args.setting}.train"))
    if args.langs:
        wanted = [lang.strip() for lang in args.langs.split(",") if lang.strip()]
        missing = sorted(set(wanted) - set(langs))
        if missing:
            parser.error(f"no {args.setting} training file for {missing}")
        langs = [lang for lang in langs if lang in wanted]
    header = ["lang", "train", "nonneural*", "neural*"] + [f"{m}" for m in models] + [f"{m} s" for m in models]
    print("\t".join(header))
    sums: dict[str, float] = {k: 0.0 for k in header[2:]}
    parts: dict[str, dict[str, list[float]]] = {m: {p: [] for p in PARTITIONS} for m in models}
    all_pairs: list[tuple[str, str]] = []
    for lang in langs:
        train = read_sigmorphon(folder / f"{lang}_{args.setting}.train").triples()
        dev = read_sigmorphon(folder / f"{lang}.dev").triples()
        gold = read_sigmorphon(folder / f"{lang}.gold")
        test = read_sigmorphon(folder / f"{lang}.test").pairs()
        all_pairs += [(lemma, form) for lemma, form, _ in train]
        ref = official[(lang, args.setting, "test")]
        cells = {"nonneural*": float(ref["nonneural"]), "neural*": float(ref["neural"])}
        for name in models:
            levenshtein_align.cache_clear()  # no model profits from another's alignments
            start = time.perf_counter()
            model = MODELS[name](train, dev)
            preds = model.predict_many(test)
            cells[f"{name} s"] = time.perf_counter() - start
            info = getattr(model, "info", None)
            if info:  # neural: training steps, seconds and the selected checkpoint, on stderr
                print(f"# {lang} {name}: {info['steps']} steps in {info['seconds']} s, best dev "
                      f"{info['best_dev']:.2f} at step {info['best_step']}", file=sys.stderr, flush=True)
            result = evaluate(gold, [(lemma, form, feats) for (lemma, feats), form in zip(test, preds)],
                              train=train, normalize=NORMALIZE.get(name))
            cells[name] = result.overall.accuracy
            for part, score in result.partitions.items():
                if score.n:
                    parts[name][part].append(score.accuracy)
        for key, value in cells.items():
            sums[key] += value
        print("\t".join([lang, str(len(train))] + [f"{cells[k]:.3f}" if not k.endswith(" s") else
                                                     f"{cells[k]:.2f}" for k in header[2:]]))
    print("\t".join(["macro", "-"] + [f"{sums[k] / len(langs):.3f}" if not k.endswith(" s") else
                                      f"{sums[k]:.2f}" for k in header[2:]]) + "   (time column: total)")
    print("* official 2022 baseline figures (baseline_results.tsv)")
    if args.partitions:
        print("\npartition macro accuracy (over languages with items in the partition)")
        print("\t".join(["model"] + list(PARTITIONS)))
        for name in models:
            print("\t".join([name] + [f"{sum(v) / len(v):.3f} ({len(v)})" if v else "-"
                                      for v in parts[name].values()]))
    sample = all_pairs[:: max(1, len(all_pairs) // 2000)]
    start = time.perf_counter()
    ours = [levenshtein_align.__wrapped__(s, t) for s, t in sample]
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    ref_al = [_reference_align(s, t) for s, t in sample]
    t_ref = time.perf_counter() - start
    same = sum(a == b for a, b in zip(ours, ref_al))
    print(f"\nalignment of {len(sample)} training pairs: ours {t_ours:.2f} s, plain published recursion "
          f"{t_ref:.2f} s (x{t_ref / t_ours:.1f} faster), identical {same}/{len(sample)}")
    return 0


def _protocol_main(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import inflection_protocol as proto  # this folder is on sys.path when run as a script

    configs = [c for c in args.configs.split(",") if c]
    variants = [v for v in args.variants.split(",") if v] or list(proto.VARIANTS)
    # a report may also read the members' own greedy scores that every ensemble run records ("member3:greedy")
    bad = [c for c in configs if c not in proto.CONFIGS] + [
        v for v in variants if v not in proto.VARIANTS and not (args.report and re.fullmatch(r"member\d+:greedy", v))]
    if bad:
        parser.error(f"unknown config/variant {bad}; configs {list(proto.CONFIGS)}, variants {list(proto.VARIANTS)}"
                     " (with --report also memberN:greedy)")
    minutes = args.minutes if "--minutes" in sys.argv else (1.5 if args.protocol == "screen" else 10.0)
    if args.protocol and not args.report:  # --report only prints what the result files hold
        if args.protocol == "screen":
            tasks = list(proto.SCREEN)
            seeds = [int(s) for s in args.seeds.split(",") if s] or [0]
        else:
            tasks = proto.all_tasks(args.data, [s for s in args.settings.split(",") if s])
            seeds = [int(s) for s in args.seeds.split(",") if s] or [0, 1, 2]
        if args.langs:
            wanted = {lang.strip() for lang in args.langs.split(",")}
            tasks = [t for t in tasks if t[1] in wanted]
        if args.together:
            made = _run_together(args, tasks, configs, seeds, minutes, variants)
        else:
            made = proto.run_protocol(args.data, args.results, tasks, configs, seeds, minutes, args.threads,
                                      args.device, variants, lambda line: print(line, file=sys.stderr, flush=True),
                                      models=args.save_models)
        print(f"{made} new runs; results in {args.results}", file=sys.stderr)
    records = proto.load_results(args.results, minutes)
    if args.stand_in:
        records = _stand_in(args, parser, proto, records, configs[0])
    for config in configs:
        for variant in variants:
            print(proto.report(records, config, variant))
            if args.partitions:
                print(proto.partition_report(records, config, variant))
    base = (configs[0], variants[0])  # each other (config, variant) against the first of both lists
    for config in configs:
        for variant in variants:
            if (config, variant) != base:
                print(proto.compare(records, base, (config, variant), per_task=args.paired), end="")
    return 0


def _stand_in(args: argparse.Namespace, parser: argparse.ArgumentParser, proto: Any,
              records: list[dict[str, Any]], config: str) -> list[dict[str, Any]]:
    """`--stand-in OLD[,OLDER...]`: each OLD's runs also count as `config`'s on the tasks where the two train alike
    (`proto.trained_options`: they differ only in the automatic rules and those resolve to the same options on the
    task's files) and `config` has no run yet, the first OLD listed first."""
    tasks_read: dict[str, Any] = {}
    for old in [name.strip() for name in args.stand_in.split(",") if name.strip()]:
        if old not in proto.CONFIGS:
            parser.error(f"--stand-in: unknown config {old!r}")
        a, b = proto.CONFIGS[config], proto.CONFIGS[old]
        differ = {k for k in set(a) | set(b) if a.get(k) != b.get(k)} - set(proto.AUTO_RESOLVED)
        if differ:
            parser.error(f"--stand-in: {old} does not train as {config} on any task (they differ in {sorted(differ)})")
        tasks = sorted({(r["year"], r["lang"], r["setting"]) for r in records if r["config"] == old})
        same = set()
        for year, lang, setting in tasks:
            key = f"{year}/{lang}_{setting}"
            if key not in tasks_read:
                tasks_read[key] = proto.load_task(args.data, year, lang, setting)
            task = tasks_read[key]
            if proto.trained_options(task, config) == proto.trained_options(task, old):
                same.add(key)
        records, stood = proto.stand_in(records, config, old, same)
        print(f"{old} stands in for {config} on {len(stood)} tasks (they train alike there); {old} does not stand "
              f"in where the automatic rules make them differ: "
              + (", ".join(sorted({f"{y}/{lang}_{s}" for y, lang, s in tasks} - same)) or "none"))
    print()
    return records


def _run_together(args: argparse.Namespace, tasks: Sequence[tuple[str, str, str]], configs: Sequence[str],
                  seeds: Sequence[int], minutes: float, variants: Sequence[str]) -> int:
    """Each (task, seed): one child process of this script per config, started together and awaited together
    (their stdout, the children's own reports, is dropped; their progress lines go to stderr). Returns the runs
    made. An interrupt stops the children: a killed run leaves no result file."""
    import inflection_protocol as proto
    import subprocess

    made = 0
    for year, lang, setting in tasks:
        for seed in seeds:
            done = [c for c in configs
                    if proto.result_path(args.results, f"{year}/{lang}_{setting}", c, seed, minutes).exists()]
            if len(done) == len(configs):
                continue
            if done:
                print(f"# {year}/{lang}_{setting} seed {seed}: skipped, not pairable ({', '.join(done)} already "
                      "has a result file and the others have none)", file=sys.stderr, flush=True)
                continue
            children = []
            try:
                for config in configs:
                    command = [sys.executable, str(Path(__file__).resolve()), "--protocol", "full", "--data",
                               str(args.data), "--results", str(args.results), "--settings", setting, "--langs", lang,
                               "--seeds", str(seed), "--configs", config, "--minutes", f"{minutes:g}", "--threads",
                               str(args.threads), "--device", args.device, "--variants", ",".join(variants)]
                    if args.save_models:
                        command += ["--save-models", str(args.save_models)]
                    children.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
                codes = [child.wait() for child in children]
            finally:
                for child in children:
                    if child.poll() is None:
                        child.terminate()
                        child.wait()
            if any(codes):
                raise SystemExit(f"# {year}/{lang}_{setting} seed {seed}: a run failed (exit codes {codes})")
            made += len(configs)
    return made


if __name__ == "__main__":
    raise SystemExit(main())
