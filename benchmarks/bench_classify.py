"""Usefulness of synthetic data, measured on real target-language test sets (`lexaug evaluate classify`).

Task: does a sentence contain a first-person pronoun? Labels come from gold UD annotation (UPOS PRON with
Person=1) in both languages. Training data: English UD EWT dev+test sentences. Test data: the real Wolof
(UD Wolof-WTB) and Manx (UD Manx-Cadhan) test treebanks. Lexicons: GATITOS en_wo / en_gv. The baseline is
the classifier trained on the untranslated English data, measured in the same run.

    python benchmarks/bench_classify.py [--data ../shared/data] [--seeds 3] [--samples 3] [--char-ngrams]

`--samples K` synthesizes K draws of every sentence (as `evaluate classify --samples`); `--char-ngrams` trains
fastText with character 3-5-grams (`evaluate classify --char-ngrams`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from lexaug.downstream.classify import FastTextConfig, compare
from lexaug.downstream.labelled import read_labelled
from lexaug.downstream.ud_task import labelled_sentences, write_csv
from lexaug.synthesis import SynthesisOptions, build

TARGETS = {"wol": ("UD_Wolof-WTB/wo_wtb-ud-test.conllu", "en_wo.tsv"),
           "glv": ("UD_Manx-Cadhan/gv_cadhan-ud-test.conllu", "en_gv.tsv")}
FIRST_PERSON = ("PRON", ["Person=1"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=1, help="synthetic draws of every sentence")
    parser.add_argument("--char-ngrams", action="store_true", help="fastText with character 3-5-grams")
    args = parser.parse_args()
    ud = args.data / "ud"
    with tempfile.TemporaryDirectory() as tmp:
        train_csv = Path(tmp) / "en.csv"
        write_csv((row for name in ("en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu")
                   for row in labelled_sentences(ud / "UD_English-EWT" / name, *FIRST_PERSON)), train_csv)
        train = read_labelled(train_csv)
        print(f"train: {len(train)} English sentences; task: first-person pronoun (gold UD); "
              f"{args.seeds} seeds, {args.samples} sample(s), char n-grams {'on' if args.char_ngrams else 'off'}; macro-F1 and accuracy in %, mean ± std")
        print(f"{'target':<6} {'test':>5} {'pos':>4} {'source (baseline)':>20} {'synthetic':>14} {'both':>14} "
              f"{'acc src/syn':>13} {'secs':>5}")
        for lang, (treebank, lexicon) in TARGETS.items():
            start = time.perf_counter()
            test_csv = Path(tmp) / f"{lang}.csv"
            write_csv(labelled_sentences(ud / treebank, *FIRST_PERSON), test_csv)
            test = read_labelled(test_csv)
            generator = build(SynthesisOptions(langs=(lang,), lexicons=(str(args.data / "lexicons" / "gatitos" /
                                                                            lexicon),))).generator
            config = FastTextConfig(minn=3, maxn=5) if args.char_ngrams else FastTextConfig(minn=0, maxn=0)
            r = compare(train, test, generator, seeds=args.seeds, config=config, samples=args.samples)
            f1 = {c: f"{r[c]['macro_f1']['mean']:.1f} ± {r[c]['macro_f1']['std']:.1f}" for c in r if c != "settings"}
            print(f"{lang:<6} {len(test):>5} {sum(y == 'positive' for y in test.labels):>4} {f1['source']:>20} "
                  f"{f1['synthetic']:>14} {f1['both']:>14} "
                  f"{r['source']['accuracy']['mean']:>6.1f}/{r['synthetic']['accuracy']['mean']:<6.1f}"
                  f"{time.perf_counter() - start:>5.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
