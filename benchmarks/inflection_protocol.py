"""Development protocol of the neural inflector over every shared SIGMORPHON language (2022 and 2023).

A *task* is one (year, language, setting); a *run* is a task trained with one configuration and one seed
under a wall-clock budget. Every run writes one JSON file

    <results>/<year>/<lang>_<setting>/<config>_seed<seed>_<minutes>m.json

holding the test accuracy of several decoding variants of the same trained model (greedy, beam 5 with and
without length normalisation, each with and without the rule fallback), the rule baseline trained on the
same rows, the reference figure, and the training log (seconds, steps, device). A run whose file exists is
skipped, so the full protocol (45 languages x 3 seeds x up to 10 minutes: tens of hours on 2 cores) can be
spread over sessions; `report` reads whatever files exist.

Settings: 2022 `small` (all 23 languages) and `large` (the 10 with a `_large.train`); 2023 `s700` (a seeded
700-row sample of `.trn`, sample seed fixed at 0 so seeds vary only the model) and `full` (all 10,000 rows).
References: 2022, the official neural baseline's test accuracy (`baseline_results.tsv`); 2023 (no official
figures shipped), the rule baseline on the same training rows.
Scoring: 2022 positional against `.gold` with NFC (the model reads and writes NFC), 2022 partitions
(both/lemma/features/neither seen); 2023 positional against `.tst`.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from lexaug.inflection.evaluate import evaluate
from lexaug.inflection.rules import RuleInflector
from lexaug.loaders.sigmorphon import SigmorphonFile, read_sigmorphon

Triple = tuple[str, str, str]

# Screening subset: fixed, typologically varied, both years (fusional, agglutinative with harmony,
# Semitic templatic with and without pointing, Indic abugida with combining marks, prefixing, tiny data).
SCREEN = [("2022", "got", "small"), ("2022", "itl", "small"), ("2022", "vep", "small"),
          ("2022", "heb", "small"), ("2022", "mag", "small"), ("2022", "ckt", "small"),
          ("2023", "fin", "s700"), ("2023", "amh", "s700"), ("2023", "heb", "s700"),
          ("2023", "san", "s700"), ("2023", "nav", "s700"), ("2023", "sqi", "s700")]

# Training configurations: keyword arguments of `NeuralInflector.train` on top of the budget defaults. Configs
# that name only a few options follow today's defaults; the `ens3*` ones pin `char_members=0` (every member writes
# edit scripts), as they were run before the mixed ensemble became the default (session 13), and the mixed ones run
# before session 18 pin `char_hallucinate=4000` (all the hallucinated pairs for the character member, the default
# until then).
CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "threads2": {"threads": 2},
    "avg3": {"average_last": 3},
    "nohall": {"hallucinate": 0},
    # `mix1` with larger networks (3 layers, width 192: fewer steps in the same budget)
    "big": {"ensemble": 3, "char_members": 1, "char_hallucinate": 4000, "layers": 3, "d_model": 192, "ffn": 768},
    # train to the deadline: no dev patience, so the learning rate decays over the whole budget
    "fullbudget": {"patience": 0},
    # three networks (seeds s, s+1, s+2) sharing the budget, decoded by their mean probability
    "ens3": {"ensemble": 3, "char_members": 0},
    # the same three networks trained at once, one process each (`workers`): each trains until the end of the
    # budget; run one language at a time (no parallel shards), or the processes share the cores
    "ens3w3": {"ensemble": 3, "workers": 3, "char_members": 0},
    # the same without dev patience: each member's learning rate decays over the whole budget (with patience a
    # member that trains for all of the budget can stop while its learning rate is still high)
    "ens3w3p0": {"ensemble": 3, "workers": 3, "patience": 0, "char_members": 0},
    # feature tags read as a set (no position of their own); e1*: one network, for quick screening
    "setfeat": {"set_features": True},
    "e1": {"ensemble": 1},
    "e1set": {"ensemble": 1, "set_features": True},
    # one network writing characters instead of edit scripts over the lemma (`actions`)
    "e1chars": {"ensemble": 1, "actions": False},
    # mixed ensembles: edit-script members and character members, their weight chosen on dev (result files
    # `mix1greedy_*`: `mix1` before session 11, its weight chosen on greedy dev candidates; no config remakes them)
    "mix1": {"ensemble": 3, "char_members": 1, "char_hallucinate": 4000},
    "mix2": {"ensemble": 3, "char_members": 2, "char_hallucinate": 4000},
    # `mix1` with a quarter of the hallucinated pairs (1,000 instead of 4,000), every member (the
    # question: do random stems, which break stem-suffix agreement such as vowel harmony, cost more than they
    # teach? benchmarks/results/INFLECTION_LOG.md "Screened in session 15")
    "hall1k": {"ensemble": 3, "char_members": 1, "hallucinate": 1000},
    # the mixed ensemble with 1,000 hallucinated pairs for its character member only (Hebrew's character member
    # learned nothing with 4,000 in mix1 seeds 0 and 1, and 33.9% with 1,000 in seed 0;
    # INFLECTION_LOG.md "Session 16"): the default since session 18
    "charhall1k": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000},
    # the default with 1,000 copy pairs (word -> the same word) for its character member: a character
    # decoder must learn to copy before it can inflect (Hebrew's stayed at 0% dev to the end of its time in 3 of
    # its 5 runs with today's code)
    "charcopy1k": {"ensemble": 3, "char_members": 1, "char_copy": 1000},
    # the default with its character member started from the second (edit-script) member's encoder: Hebrew 2023,
    # one character network alone, 3 minutes, seed 2: best dev 0.4% from random weights, 60.5% warm
    # (INFLECTION_LOG.md "Session 20")
    "charwarm": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "char_warm": True},
    # the default with composite tags split into their parts (`AT+ABL` -> `AT`, `ABL`): in the 2022 small test files,
    # slp has 68 of 79 items with a tag never seen whole in training, 27 with parts; Itelmen 43 -> 16
    "charparts": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "tag_parts": True},
    # charparts keeping each composite whole beside its parts (`SG+PL` -> `PL`, `SG`, `SG+PL`; an unseen composite:
    # parts only): Gujarati lost 2.6 with parts alone, its `SG+PL` meaning either number (INFLECTION_LOG "Session 22")
    "charboth": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "tag_parts": True,
                 "tag_whole": True},
    # the default with hallucinated stem letters drawn from their own script: Gothic's training words are half Gothic
    # letters, half Latin transliteration, and half its hallucinated words mixed the two (session 23)
    # charboth only where at least 1 in 20 dev items holds a composite never seen whole in training (2022 small: slp
    # 14 of 40, ang 193 of 866; no other 2022 or 2023 task reaches it); elsewhere the default itself (session 23)
    "charauto": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05},
    "charscript": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "same_script": True},
    # today's default (`charauto`) with `char_warm`: `charwarm` where the composite-tag rule stays off (session 24:
    # got and heb, paired, 3 seeds each, +2.06 and +2.03 over `charhall1k`); session 25, paired with `charauto` at
    # seed 0 on 18 of the 23 2022 small tasks: better in 10, worse in 8, mean +0.09, so not the default
    "autowarm": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05,
                 "char_warm": True},
    # the default with the tuning reserve measured (the edit-script pair's dev search, timed before the character
    # member trains, reused by the tuning) instead of 34 greedy dev evaluations of member 2: in session 20's paired
    # runs the character member trained 94-143 s against ~190 s per edit-script member, and runs ended 43-81 s early
    "charmeasure": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "measure_reserve": True},
    # today's default (`charauto`) with half the dev rows (seeded) moved into training, the other half selecting and
    # tuning: in the 2022 small files at least half the test items have a feature set never seen in training, and for
    # 70-100% of them it occurs in dev in 20 of 23 files (session 26). Not comparable with the official baselines,
    # which train on train only
    "devtrain": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05,
                 "dev_train": 0.5},
    # today's default (`charauto`) with the character member restarted from the second edit-script member's encoder
    # when at half its time its dev accuracy is below a tenth of the better edit-script member's: in the committed
    # result files the cold character member ended below that in 7 runs (2023 amh, arz, heb, heb_unvoc; 2022 large
    # got, poma; 2022 small heb seed 1), and warm starts learned there. Session 27, paired on those 7: fired in 5,
    # ensemble change -3.66 to +1.11 (mean -0.40), within one pair's noise: not the default
    "charrescue": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05,
                   "char_rescue": 0.1},
    # today's default (`charauto`) with edit scripts that copy a combining mark only with its letter: the plain
    # alignment copies a mark under another letter in 17% of Hebrew's 2022 small training pairs and 18% of
    # Gujarati's; files without combining marks train exactly as `charauto` (session 29)
    "charmarks": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05,
                  "mark_clusters": True},
    # the default since session 30: `charmarks` where the plain alignment moves a mark to another letter in at least
    # one training pair (2022 small bra, guj, heb, mag; 2022 large heb; 2023 afb, arz, heb, klr, nav, san, and bel in
    # full), `charauto` everywhere else
    "markauto": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05,
                 "auto_mark_clusters": True},
    # the default (`markauto`) with the tuning reserve measured (`charmeasure`): in two default runs of session 31
    # every member was still improving on dev when its time ran out, the character member had 91-108 s against ~195 s
    # for each edit-script member, and the runs ended 65-83 s before 600 s. Paired (sessions 31-33): better in 12 of
    # the 23 2022 small tasks (1-3 seeds each), in 16 of the 22 runs where the character member gained 25 s or more;
    # not the default until its own table runs exist
    "markmeasure": {"ensemble": 3, "char_members": 1, "char_hallucinate": 1000, "auto_tag_parts": 0.05,
                    "auto_mark_clusters": True, "measure_reserve": True},
}
# Every config but these was run before `auto_tag_parts` became the default (session 24) and pins it off, so a
# resumed run of, say, `charhall1k` on slp still trains as its committed files did; likewise every config but
# `default`, `markauto` and `markmeasure` was run before `auto_mark_clusters` (session 30) and pins it off.
AUTO_TAG_PARTS_CONFIGS = ("default", "charauto", "autowarm", "devtrain", "charrescue", "charmarks", "markauto",
                          "markmeasure")
AUTO_MARK_CLUSTERS_CONFIGS = ("default", "markauto", "markmeasure")
for _name, _opts in CONFIGS.items():
    if _name not in AUTO_TAG_PARTS_CONFIGS:
        _opts.setdefault("auto_tag_parts", 0)
    if _name not in AUTO_MARK_CLUSTERS_CONFIGS:
        _opts.setdefault("auto_mark_clusters", False)
# The options whose value the rules above resolve per task (`trained_options`); configs that differ in nothing else
# may stand in for each other where the resolved values agree.
AUTO_RESOLVED = ("auto_tag_parts", "tag_parts", "tag_whole", "auto_mark_clusters", "mark_clusters")
# Decoding variants scored on every trained model: (beam, length_alpha, use the rule fallback).
VARIANTS: dict[str, tuple[int, float, bool]] = {
    "greedy": (1, 0.0, False), "greedy+fb": (1, 0.0, True),
    "beam5": (5, 0.0, False), "beam5+fb": (5, 0.0, True),
    "beam5a1": (5, 1.0, False), "beam5a1+fb": (5, 1.0, True),
}
SAMPLE_SEED = 0
SAMPLE_ROWS = 700


@dataclass(frozen=True)
class Task:
    """One language/setting: the rows to train on, dev for selection, test pairs and gold to score."""

    year: str
    lang: str
    setting: str
    train: list[Triple]
    dev: list[Triple]
    test: list[tuple[str, str]]
    gold: SigmorphonFile
    reference: float | None  # 2022: official neural test accuracy; 2023: None (the rule baseline is used)

    @property
    def key(self) -> str:
        return f"{self.year}/{self.lang}_{self.setting}"


def sample_rows(rows: Sequence[Triple], n: int = SAMPLE_ROWS, seed: int = SAMPLE_SEED) -> list[Triple]:
    """A seeded sample of `n` rows in file order (2023 `.trn` files are sorted by lemma, so a prefix would
    hold only a few lemmas)."""
    if len(rows) <= n:
        return list(rows)
    keep = sorted(random.Random(seed).sample(range(len(rows)), n))
    return [rows[i] for i in keep]


def all_tasks(data: Path, settings: Iterable[str] = ("small", "s700")) -> list[tuple[str, str, str]]:
    """(year, lang, setting) of every shared task with files for the wanted settings, in a fixed order."""
    out: list[tuple[str, str, str]] = []
    wanted = set(settings)
    d22, d23 = data / "sigmorphon2022", data / "sigmorphon2023"
    for setting in ("small", "large"):
        if setting in wanted:
            out += [("2022", p.name.split("_")[0], setting) for p in sorted(d22.glob(f"*_{setting}.train"))]
    for setting in ("s700", "full"):
        if setting in wanted:
            out += [("2023", p.name[: -len(".trn")], setting) for p in sorted(d23.glob("*.trn"))]
    return out


def load_task(data: Path, year: str, lang: str, setting: str) -> Task:
    """Read the files of one task (see module doc for the settings)."""
    if year == "2022":
        folder = data / "sigmorphon2022"
        official = {(r["lang"], r["setting"], r["split"]): r for r in
                    csv.DictReader(open(folder / "baseline_results.tsv", encoding="utf-8"), delimiter="\t")}
        ref = official.get((lang, setting, "test"))
        return Task(year, lang, setting, read_sigmorphon(folder / f"{lang}_{setting}.train").triples(),
                    read_sigmorphon(folder / f"{lang}.dev").triples(), read_sigmorphon(folder / f"{lang}.test").pairs(),
                    read_sigmorphon(folder / f"{lang}.gold"), float(ref["neural"]) if ref else None)
    folder = data / "sigmorphon2023"
    train = read_sigmorphon(folder / f"{lang}.trn").triples()
    if setting == "s700":
        train = sample_rows(train)
    gold = read_sigmorphon(folder / f"{lang}.tst")
    return Task(year, lang, setting, train, read_sigmorphon(folder / f"{lang}.dev").triples(), gold.pairs(), gold, None)


def result_path(results: Path, task_key: str, config: str, seed: int, minutes: float) -> Path:
    return results / task_key / f"{config}_seed{seed}_{minutes:g}m.json"


def _score(task: Task, forms: Sequence[str]) -> dict[str, float | int]:
    preds = [(lemma, form, feats) for (lemma, feats), form in zip(task.test, forms)]
    train = task.train if task.year == "2022" else None
    return evaluate(task.gold, preds, train=train, normalize="NFC").as_dict()


def run_one(task: Task, config: str, seed: int, minutes: float, threads: int, device: str,
            variants: Sequence[str], log: Callable[[str], None], save_to: Path | None = None) -> dict[str, Any]:
    """Train one model on `task` and score every decoding variant; returns the result record. With `save_to`,
    the trained model is saved there (`NeuralInflector.load` reads it), so decoding-time ideas can be scored
    later without training again."""
    from lexaug.inflection.neural import BUDGET_HPARAMS, NeuralInflector

    opts = {"threads": threads, **BUDGET_HPARAMS, **CONFIGS[config]}
    start = time.perf_counter()
    model = NeuralInflector.train(task.train, task.dev, seed=seed, max_minutes=minutes, device=device,
                                  progress=lambda line: log(f"  {task.key} {line}"), **opts)
    train_s = time.perf_counter() - start
    if save_to is not None:
        model.save(save_to)
    rules = RuleInflector.train(task.train)
    rules_scores = _score(task, rules.predict_many(task.test))
    scores: dict[str, Any] = {}
    decoded: dict[tuple[int, float], tuple[list[tuple[str, float]], float]] = {}
    for name in variants:
        beam, alpha, use_fb = VARIANTS[name]
        if (beam, alpha) not in decoded:  # one decoding per (beam, alpha); the fallback only replaces forms
            t = time.perf_counter()
            model.beam, model.hparams.length_alpha = beam, alpha
            decoded[(beam, alpha)] = (model.predict_scored(task.test), time.perf_counter() - t)
        scored, seconds = decoded[(beam, alpha)]
        forms = model.apply_fallback(task.test, scored) if use_fb else [f for f, _ in scored]
        scores[name] = {**_score(task, forms), "seconds": round(seconds, 1)}
    if len(model.models) > 1:  # each ensemble member alone, greedy: how much the ensemble adds
        from lexaug.inflection.neural_model import greedy_decode
        from lexaug.inflection.vocab import nfc

        sources = [model.vocab.encode_source(lemma, feats) for lemma, feats in task.test]
        lens = [len(nfc(lemma)) for lemma, _ in task.test]
        for i, net in enumerate(model.models):
            vocab = model.member_vocab(i)  # edit scripts or characters (a mixed ensemble has both)
            hyps = greedy_decode(net, sources, lens, model.hparams.max_len, vocab.actions)
            forms = [vocab.decode(ids, lemma) for (ids, _), (lemma, _) in zip(hyps, task.test)]
            scores[f"member{i + 1}:greedy"] = _score(task, forms)
    info = {k: v for k, v in model.info.items() if k != "curve"}
    return {"task": task.key, "year": task.year, "lang": task.lang, "setting": task.setting, "config": config,
            "options": opts, "seed": seed, "minutes": minutes, "train_rows": len(task.train),
            "train_seconds": round(train_s, 1), "reference": task.reference,
            "reference_kind": "official neural (2022)" if task.year == "2022" else "rule baseline (same rows)",
            "rules": rules_scores, "variants": scores, "info": info, "curve": model.info.get("curve")}


def run_protocol(data: Path, results: Path, tasks: Sequence[tuple[str, str, str]], configs: Sequence[str],
                 seeds: Sequence[int], minutes: float, threads: int, device: str, variants: Sequence[str],
                 log: Callable[[str], None], models: Path | None = None) -> int:
    """Run every (task, config, seed) whose result file is missing; returns the number of runs made. With
    `models`, each trained model is also saved under models/<year>/<lang>_<setting>/<config>_seed<S>_<M>m/."""
    made = 0
    for year, lang, setting in tasks:
        task = None
        for config in configs:
            for seed in seeds:
                path = result_path(results, f"{year}/{lang}_{setting}", config, seed, minutes)
                if path.exists():
                    continue
                task = task or load_task(data, year, lang, setting)
                log(f"# {task.key} {config} seed {seed} ({minutes:g} min, {len(task.train)} rows)")
                save_to = None if models is None else models / path.relative_to(results).with_suffix("")
                record = run_one(task, config, seed, minutes, threads, device, variants, log, save_to)
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(path.name + ".tmp")
                tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                os.replace(tmp, path)  # a killed run leaves no result file: it is redone on resume
                best = max(record["variants"].items(), key=lambda kv: kv[1]["accuracy"])
                log(f"# {task.key} {config} seed {seed}: train {record['train_seconds']} s, "
                    + ", ".join(f"{k} {v['accuracy']:.2f}" for k, v in record["variants"].items())
                    + f"; rules {record['rules']['accuracy']:.2f}; ref {record['reference']}; best {best[0]}")
                made += 1
    return made


def load_results(results: Path, minutes: float | None = None) -> list[dict[str, Any]]:
    """Every result record under `results` (optionally only runs of the given budget)."""
    out = []
    for path in sorted(results.glob("*/*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if minutes is None or float(record["minutes"]) == float(minutes):
            out.append(record)
    return out


def stand_in(records: Sequence[dict[str, Any]], config: str, old: str,
             same_tasks: set[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """`records` with `old`'s runs also counted as `config`'s on the tasks of `same_tasks` (where the two configs
    train identically, e.g. `auto_tag_parts` stays off) that have no `config` run; each such copy is marked
    `stands_in_for`. Also the tasks that stood in, sorted."""
    have = {r["task"] for r in records if r["config"] == config}
    copies = [{**r, "config": config, "stands_in_for": old} for r in records
              if r["config"] == old and r["task"] in same_tasks and r["task"] not in have]
    return [*records, *copies], sorted({r["task"] for r in copies})


def trained_options(task: Task, config: str) -> dict[str, Any]:
    """`config`'s options as they act on `task`: the automatic rules (`auto_tag_parts` from the task's train and
    dev files, `auto_mark_clusters` from its training pairs) resolved by the trainer's own functions into the options
    they set, so two configs with equal results train `task` alike."""
    from lexaug import defaults
    from lexaug.inflection.neural_model import NeuralHParams
    from lexaug.inflection.neural_options import choose_mark_clusters, choose_tag_parts

    opts = dict(CONFIGS[config])
    hp = NeuralHParams(**{key: bool(opts.pop(key, False)) for key in ("tag_parts", "tag_whole", "mark_clusters")})
    hp, _ = choose_tag_parts(hp, task.train, task.dev, opts.pop("auto_tag_parts", defaults.NEURAL_AUTO_TAG_PARTS))
    hp, _ = choose_mark_clusters(hp, task.train,
                                 opts.pop("auto_mark_clusters", defaults.NEURAL_AUTO_MARK_CLUSTERS))
    return {**opts, "tag_parts": hp.tag_parts, "tag_whole": hp.tag_whole, "mark_clusters": hp.mark_clusters}


def report(records: Sequence[dict[str, Any]], config: str, variant: str, margin: float = 3.0) -> str:
    """Per-language table (mean and spread over seeds) of one config/variant beside its reference, then
    macro averages and counts: languages above the reference, and more than `margin` points below."""
    by_task: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if r["config"] == config and variant in r["variants"]:
            by_task.setdefault(r["task"], []).append(r)
    lines = [f"config {config}, variant {variant}: test accuracy (%), mean [min-max] over seeds",
             "\t".join(["task", "rows", "seeds", "ours", "spread", "reference", "ref kind", "diff", "rules",
                        "train s", "device"])]
    rows = []
    for key in sorted(by_task):
        runs = by_task[key]
        accs = [r["variants"][variant]["accuracy"] for r in runs]
        mean = statistics.fmean(accs)
        ref = runs[0]["reference"] if runs[0]["reference"] is not None else \
            statistics.fmean(r["rules"]["accuracy"] for r in runs)
        rules = statistics.fmean(r["rules"]["accuracy"] for r in runs)
        rows.append((key, mean, ref))
        lines.append("\t".join([key, str(runs[0]["train_rows"]), str(len(runs)), f"{mean:.2f}",
                                f"{min(accs):.2f}-{max(accs):.2f}", f"{ref:.2f}",
                                "official" if runs[0]["reference"] is not None else "rules", f"{mean - ref:+.2f}",
                                f"{rules:.2f}", f"{max(r['train_seconds'] for r in runs):.0f}",
                                ",".join(sorted({str(r['info'].get('device', '?')) for r in runs}))]))
    groups = sorted({(key.split("/")[0], key.rsplit("_", 1)[1]) for key, _, _ in rows},
                    key=lambda g: (g[0], SETTING_ORDER.index(g[1]) if g[1] in SETTING_ORDER else 9))
    for year, setting in groups:  # one summary per year and setting: small and large are not one table
        sel = [row for row in rows if row[0].startswith(f"{year}/") and row[0].endswith(f"_{setting}")]
        above = sum(m > ref for _, m, ref in sel)
        below = sum(m < ref - margin for _, m, ref in sel)
        lines.append(f"{year} {setting}: {len(sel)} tasks, macro {statistics.fmean(m for _, m, _ in sel):.2f} vs "
                     f"reference {statistics.fmean(r for _, _, r in sel):.2f}; above reference in {above}/{len(sel)}; "
                     f"more than {margin:g} points below in {below}")
    return "\n".join(lines) + "\n"


SETTING_ORDER = ("small", "large", "s700", "full")  # order of the per-setting summaries in `report`
PARTITIONS = ("both", "lemma", "features", "neither")  # 2022 test items: lemma and/or feature set seen in training


def partition_report(records: Sequence[dict[str, Any]], config: str, variant: str) -> str:
    """2022 accuracy per partition (both / lemma / features / neither seen in training) of one config/variant
    beside the rule baseline on the same items: items and "ours/rules" per task (seed means), then macro
    averages per setting (small, large) over the tasks with items in the partition."""
    by_task: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if r["config"] == config and variant in r["variants"] and r["year"] == "2022":
            by_task.setdefault(r["task"], []).append(r)
    lines = [f"config {config}, variant {variant}: 2022 test accuracy per partition, ours/rules (items)",
             "\t".join(["task", *PARTITIONS])]
    sums: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for key in sorted(by_task):
        runs, cells = by_task[key], []
        for part in PARTITIONS:
            n = runs[0]["variants"][variant].get(f"{part}_n", 0)
            if not n:
                cells.append("-")
                continue
            ours = statistics.fmean(r["variants"][variant][f"{part}_accuracy"] for r in runs)
            rules = statistics.fmean(r["rules"][f"{part}_accuracy"] for r in runs)
            sums.setdefault(runs[0]["setting"], {p: [] for p in PARTITIONS})[part].append((ours, rules))
            cells.append(f"{ours:.1f}/{rules:.1f} ({n})")
        lines.append("\t".join([key, *cells]))
    for setting, by_part in sorted(sums.items(), reverse=True):  # small, then large
        lines.append("\t".join([f"macro {setting} (tasks)", *(
            f"{statistics.fmean(o for o, _ in by_part[p]):.1f}/{statistics.fmean(r for _, r in by_part[p]):.1f} "
            f"({len(by_part[p])})" if by_part[p] else "-" for p in PARTITIONS)]))
    return "\n".join(lines) + "\n"


def compare(records: Sequence[dict[str, Any]], a: tuple[str, str], b: tuple[str, str],
            per_task: bool = False) -> str:
    """How many tasks (config, variant) `b` improves over `a`, each task compared on the seeds both have (the
    mean over those seeds; ties within 0.05 points), so a config run on fewer seeds is not set against the
    other's mean over more. `per_task`: a row per task first (seeds, a, b, change)."""
    def by_seed(cfg: str, var: str) -> dict[str, dict[int, float]]:
        acc: dict[str, dict[int, float]] = {}
        for r in records:
            if r["config"] == cfg and var in r["variants"]:
                acc.setdefault(r["task"], {})[r["seed"]] = r["variants"][var]["accuracy"]
        return acc

    sa, sb = by_seed(*a), by_seed(*b)
    paired = {task: sorted(set(sa[task]) & set(sb[task])) for task in sorted(set(sa) & set(sb))}
    paired = {task: seeds for task, seeds in paired.items() if seeds}
    if not paired:
        return f"{a} vs {b}: no task has both on the same seed\n"
    ma = {task: statistics.fmean(sa[task][s] for s in seeds) for task, seeds in paired.items()}
    mb = {task: statistics.fmean(sb[task][s] for s in seeds) for task, seeds in paired.items()}
    better = sum(mb[k] > ma[k] + 0.05 for k in paired)
    worse = sum(mb[k] < ma[k] - 0.05 for k in paired)
    delta = statistics.fmean(mb[k] - ma[k] for k in paired)
    runs = sum(len(seeds) for seeds in paired.values())
    rows = []
    if per_task:
        rows.append(f"task\tseeds\t{'/'.join(a)}\t{'/'.join(b)}\tchange")
        for task, seeds in paired.items():
            change = mb[task] - ma[task]
            rows.append(f"{task}\t{','.join(map(str, seeds))}\t{ma[task]:.2f}\t{mb[task]:.2f}\t{change:+.2f}")
    rows.append(f"{'/'.join(b)} vs {'/'.join(a)}: better in {better}, worse in {worse}, same in "
                f"{len(paired) - better - worse} of {len(paired)} tasks (paired seeds: {runs} task-seed runs); "
                f"mean change {delta:+.2f} points")
    return "".join(row + "\n" for row in rows)
