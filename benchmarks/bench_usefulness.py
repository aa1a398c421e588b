"""Usefulness of lexaug's synthetic training data on SIB-200 topic classification, 10 languages.

English train (701 sentences, 7 topics) -> synthetic target train -> fastText -> real target test (204), for
each language with a shared GATITOS lexicon and several seeds (a seed draws new translations and a new
fastText initialisation). Conditions:

  english    (a) the English training set as it is (the floor)
  reference  (b) plain word translation as Wang et al. (2022) and LexC-Gen describe it: tokenise, exact-case
                 lookup, uniform choice among translations, re-join with spaces (written here from that
                 description)
  v1         (c) lexaug `substitute.v1` (before this benchmark's changes)
  v2         (d) `substitute.v2`: source-side fallbacks (contractions, lemmas, spelling, parts)
  v2-<kind>  (d) `substitute.v2` with one fallback only (with --ablations)
  v2x3       (d) `substitute.v2`, 3 samples of every sentence (`--samples 3`)
  v2names    (d) `substitute.v2` keeping likely names (with --names): a capitalised word that does not start a
                 sentence and whose exact-case form is not a lexicon headword is kept as it is (frozen)
  en+v2x3    (e) English plus v2x3
  target     (f) the real target training set (the ceiling)

More conditions by name (`--conditions`, comma-separated; `english`, `reference` and `target` are needed for the
gap and wins rows):
  referencexK  the reference with K draws of every sentence (with GATITOS, one translation per headword, the K
               draws are the same text: K copies, i.e. K times the fastText epochs)
  v2xK         substitute.v2 with `--samples K` (the same caveat: K copies with GATITOS)
  ...rNN       with `--rate 0.NN`: each sample leaves other words in English (code-switched variety)
  ...tN        the lexicon read with `max_target_words=N` (definition-like targets dropped)
  ...sw        single-word headwords only (no multiword lookup, as the reference)
  ...drop      untranslated words dropped (numbers and punctuation kept): `DropUntranslated`
  ...dropn     the same, keeping capitalised words that do not start a sentence (likely names)
  en+<cond>    English plus <cond>
e.g. `--conditions english,reference,v2x3,v2x3dropn,v2x3r90,target`.

Reports accuracy and macro-F1 (mean over seeds) and the share of the gap english -> target each closes.

    python benchmarks/bench_usefulness.py [--data ../shared/data] [--seeds 3] [--langs wol,fon] [--ablations]
                                          [--char-ngrams] [--names] [--conditions C,...] [--versus v2x3]
                                          [--json per_seed.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import regex

from lexaug.downstream.classify import FastTextConfig, scores, train_and_predict
from lexaug.generators import make_generator
from lexaug.generators.fallbacks import KINDS, source_data
from lexaug.generators.reference import ReferenceSubstitute
from lexaug.generators.rng import RecordRng
from lexaug.generators.samples import expand_samples, sample_id
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record

LANGS = {"aka": "en_ak.tsv", "bam": "en_bm.tsv", "ewe": "en_ee.tsv", "fon": "en_fon.tsv", "lug": "en_lg.tsv",
         "luo": "en_luo.tsv", "mos": "en_mos.tsv", "tsn": "en_tn.tsv", "tpi": "en_tpi.tsv", "wol": "en_wo.tsv"}
_REF_TOKEN = regex.compile(r"\w+|[^\w\s]")


def read_sib(path: Path) -> tuple[list[str], list[str]]:
    """(texts, labels) of a SIB-200 TSV (header `index_id category text`, no quoting)."""
    texts, labels = [], []
    with path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            labels.append(cols[1])
            texts.append(cols[2])
    return texts, labels


def reference_dict(path: Path) -> dict[str, list[str]]:
    """source -> translations, exact case, as the file lists them."""
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[0] and cols[1]:
                out.setdefault(cols[0], []).append(cols[1])
    return out


def reference_translate(texts: list[str], table: dict[str, list[str]], seed: int) -> list[str]:
    """Word-by-word translation: tokenise, exact-case lookup, uniform choice, tokens re-joined with spaces."""
    rng = random.Random(seed)
    out = []
    for text in texts:
        tokens = _REF_TOKEN.findall(text)
        out.append(" ".join(rng.choice(table[t]) if t in table else t for t in tokens))
    return out


_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}\p{M}'\u2019-]*")
_OPENERS = " \t\"'\u201c\u2018([«"


def name_record(rid: str, text: str, exact: dict[str, Any]) -> Record:
    """`text` as a record whose likely names are frozen slots: capitalised words that do not start a sentence
    (text start, or after `.`, `!`, `?` and any spaces, quotes or brackets) and are not exact-case headwords."""
    slots: list[str] = []
    frozen = set()
    at = 0
    for m in _CAPITALISED.finditer(text):
        before = text[:m.start()].rstrip(_OPENERS)
        if not before or before[-1] in ".!?" or m.group() in exact:
            continue
        slots.append(text[at:m.start()])
        frozen.add(len(slots))
        slots.append(m.group())
        at = m.end()
    slots.append(text[at:])
    return Record(rid, slots, frozenset(frozen))


_SPACE_RUN = regex.compile(r"\s+")


def likely_name(parts: list[str], i: int) -> bool:
    """Word i of `parts` ([gap, word, ..., gap]) is capitalised and does not start a sentence."""
    word = parts[2 * i + 1]
    if not word[:1].isupper():
        return False
    before = "".join(parts[:2 * i + 1]).rstrip(_OPENERS)
    return bool(before) and before[-1] not in ".!?"


class DropUntranslated(ReferenceSubstitute):
    """`substitute.v2` (the plain reference implementation, same draws) that drops the words neither the
    lexicon nor a fallback translates, keeping numbers and punctuation (they are not words) and, with
    `keep_names`, capitalised words that do not start a sentence; runs of spaces left behind become one."""

    def __init__(self, generator: Any, keep_names: bool) -> None:
        super().__init__(generator.lexicon, generator.words, data=source_data("eng"),
                         fallbacks=generator.fallbacks)
        self.name, self.keep_names = generator.name, keep_names

    def untranslated(self, parts: list[str], i: int) -> str:
        return parts[2 * i + 1] if self.keep_names and likely_name(parts, i) else ""

    def rewrite(self, text: str, rng: Any) -> str:
        return _SPACE_RUN.sub(" ", super().rewrite(text, rng)).strip()

    def translate(self, texts: list[str], labels: list[str], seed: int, samples: int
                  ) -> tuple[list[str], list[str]]:
        """`samples` draws of every text (ids as `expand_samples` gives them), with their labels."""
        out_t, out_l = [], []
        for i, text in enumerate(texts):
            for k in range(samples):
                rid = str(i) if samples == 1 else sample_id(str(i), k)
                out_t.append(self.rewrite(text, RecordRng(seed, rid, self.name)))
                out_l.append(labels[i])
        return out_t, out_l


def lexaug_translate(generator: Any, texts: list[str], labels: list[str], seed: int, samples: int = 1,
                     names: dict[str, Any] | None = None) -> tuple[list[str], list[str]]:
    if names is None:
        plain: Any = (Record(str(i), [t]) for i, t in enumerate(texts))
    else:
        plain = (name_record(str(i), t, names) for i, t in enumerate(texts))
    records = expand_samples(plain, samples)
    out_t, out_l = [], []
    for record in generator.run(records, seed):
        out_t.append("".join(record.slots))
        out_l.append(labels[int(record.id.split("#")[0])])
    return out_t, out_l


DEFAULT_CONDITIONS = ("english", "reference", "v1", "v2", "v2x3", "en+v2x3", "target")


def run_language(data: Path, lang: str, seeds: int, config: FastTextConfig, ablations: bool,
                 en: tuple[list[str], list[str]], names: bool = False,
                 conditions: tuple[str, ...] = DEFAULT_CONDITIONS) -> dict[str, dict[str, list[float]]]:
    folder = data / "sib200" / f"{lang}_Latn"
    test_t, test_l = read_sib(folder / "test.tsv")
    tgt = read_sib(folder / "train.tsv")
    lex_path = data / "lexicons" / "gatitos" / LANGS[lang]
    lexicon = Lexicon.read(lex_path)
    ref = reference_dict(lex_path)
    gens = {"v1": make_generator("substitute.v1", lexicon=lexicon, src_lang="eng"),
            "v2": make_generator("substitute.v2", lexicon=lexicon, src_lang="eng"),
            "v3": make_generator("substitute.v3", lexicon=lexicon, src_lang="eng")}
    if ablations:
        for kind in KINDS:
            gens[f"v2-{kind}"] = make_generator("substitute.v2", lexicon=lexicon, src_lang="eng", fallbacks=(kind,))
    wanted = list(conditions) + [f"v2-{kind}" for kind in KINDS if ablations] + (["v2names"] if names else [])
    results: dict[str, dict[str, list[float]]] = {}
    for seed in range(seeds):
        memo: dict[str, tuple[list[str], list[str]]] = {}

        def make_set(name: str) -> tuple[list[str], list[str]]:
            if name not in memo:
                memo[name] = build_set(name, seed, en, tgt, ref, gens, lexicon)
            return memo[name]

        for name in wanted:
            texts, labels = make_set(name)
            got = scores(test_l, train_and_predict(texts, labels, test_t, seed, config))
            for metric, value in got.items():
                results.setdefault(name, {}).setdefault(metric, []).append(value)
    return results


def build_set(name: str, seed: int, en: tuple[list[str], list[str]], tgt: tuple[list[str], list[str]],
              ref: dict[str, list[str]], gens: dict[str, Any], lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """The training set of one condition (see the module docstring) for one seed."""
    if name == "english":
        return en
    if name == "target":
        return tgt
    if name == "reference":
        return reference_translate(en[0], ref, seed), en[1]
    m = regex.fullmatch(r"referencex(\d+)", name)
    if m:  # the reference, k draws (different choices where a word has several translations)
        out = [reference_translate(en[0], ref, seed * 1000 + k) for k in range(int(m.group(1)))]
        return [t for texts in zip(*out) for t in texts], [lab for lab in en[1] for _ in out]
    if name.startswith("en+"):
        rest = build_set(name[3:], seed, en, tgt, ref, gens, lexicon)
        return en[0] + rest[0], en[1] + rest[1]
    if name == "v2names":
        return lexaug_translate(gens["v2"], en[0], en[1], seed, names=ref)
    m = regex.fullmatch(r"(v[123](?:-\w+)?)(?:x(\d+))?(?:r(\d+))?(?:t(\d+))?(sw)?(drop|dropn)?", name)
    if m is None:
        raise SystemExit(f"unknown condition {name!r}")
    base, samples, drop = m.group(1), int(m.group(2) or 1), m.group(6)
    rate, max_t, single = m.group(3), m.group(4), m.group(5)
    if rate or max_t or single:
        key = f"{base}r{rate}t{max_t}{single}"
        if key not in gens:
            lex = lexicon
            if max_t or single:
                rows = [line for line in Path(lexicon.paths[0]).read_text(encoding="utf-8").splitlines()
                        if not single or " " not in line.split("\t")[0]]
                tmp = Path("/tmp/u3") / f"lex-{key}.tsv"
                tmp.write_text("\n".join(rows) + "\n", encoding="utf-8")
                lex = Lexicon.read(tmp, src_lang="eng", max_target_words=int(max_t) if max_t else None)
            gens[key] = make_generator(f"substitute.{base}", lexicon=lex, src_lang="eng",
                                       rate=int(rate) / 100 if rate else 1.0)
        base = key
    if drop:
        return DropUntranslated(gens[base], keep_names=drop == "dropn").translate(en[0], en[1], seed, samples)
    return lexaug_translate(gens[base], en[0], en[1], seed, samples=samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--langs", default=",".join(LANGS))
    parser.add_argument("--ablations", action="store_true", help="also v2 with each fallback alone")
    parser.add_argument("--char-ngrams", action="store_true", help="fastText with character 3-5-grams")
    parser.add_argument("--names", action="store_true", help="also v2 keeping likely names (v2names)")
    parser.add_argument("--conditions", default=",".join(DEFAULT_CONDITIONS),
                        help="comma-separated conditions (english and target are always needed for gap%%)")
    parser.add_argument("--versus", default="v2x3", help="a second wins row: languages beating this condition")
    parser.add_argument("--json", type=Path, help="write the per-seed scores here")
    args = parser.parse_args()
    config = FastTextConfig(minn=3, maxn=5) if args.char_ngrams else FastTextConfig()
    missing = [c for c in ("english", "reference", "target") if c not in args.conditions.split(",")]
    if missing:
        parser.error(f"--conditions needs {', '.join(missing)} (the gap and the win counts are measured against them)")
    en = read_sib(args.data / "sib200" / "eng_Latn" / "train.tsv")
    langs = args.langs.split(",")
    print(f"SIB-200, English train {len(en[0])} -> target test; {args.seeds} seeds; fastText {config}")
    table: dict[str, dict[str, dict[str, float]]] = {}
    raw: dict[str, dict[str, dict[str, list[float]]]] = {}
    for lang in langs:
        start = time.perf_counter()
        res = run_language(args.data, lang, args.seeds, config, args.ablations, en, args.names,
                           tuple(args.conditions.split(",")))
        raw[lang] = res
        table[lang] = {c: {m: statistics.fmean(v) for m, v in r.items()} for c, r in res.items()}
        print(f"  {lang} done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    conditions = list(next(iter(table.values())))
    for metric in ("accuracy", "macro_f1"):
        print(f"\n{metric} (mean over seeds), and share of the english->target gap closed (%)")
        print(f"{'lang':<5}" + "".join(f"{c:>12}" for c in conditions))
        for lang in langs:
            print(f"{lang:<5}" + "".join(f"{table[lang][c][metric]:>12.1f}" for c in conditions))
        gaps = {c: [] for c in conditions}  # type: dict[str, list[float]]
        for lang in langs:
            lo, hi = table[lang]["english"][metric], table[lang]["target"][metric]
            for c in conditions:
                gaps[c].append(100.0 * (table[lang][c][metric] - lo) / (hi - lo) if hi != lo else 0.0)
        print(f"{'mean':<5}" + "".join(f"{statistics.fmean(table[l][c][metric] for l in langs):>12.1f}"
                                       for c in conditions))
        print(f"{'gap%':<5}" + "".join(f"{statistics.fmean(gaps[c]):>12.1f}" for c in conditions))
        print(f"{'wins':<5}" + "".join(
            f"{sum(table[l][c][metric] > table[l]['reference'][metric] for l in langs):>9}/{len(langs)}"
            for c in conditions) + "   (languages where the condition beats reference)")
        if args.versus in conditions:
            print(f"{'vs':<5}" + "".join(
                f"{sum(table[l][c][metric] > table[l][args.versus][metric] for l in langs):>9}/{len(langs)}"
                for c in conditions) + f"   (languages where the condition beats {args.versus})")
    if args.json:
        args.json.write_text(json.dumps({"settings": {"seeds": args.seeds, "fasttext": str(config)},
                                         "per_seed": raw}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
