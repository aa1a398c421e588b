"""Beam-search decoding speed: sources searched together in one decoder batch (`beam_decode_many`, the
default batch of 128) against one source at a time (`batch_size=1`, how beam search ran before), on the
test items of 2022 languages, with a 3-network ensemble trained for a short budget.

Both settings decode the same items with the same networks, alternating in each of `--repeat` rounds (load
changes hit both alike); printed per language: items, seconds of each setting (best round), the speed-up,
and how many items got other hypotheses or another best form (scores agree to float rounding, so only a
near-tie between two hypotheses can come out the other way).

    python benchmarks/bench_beam.py [--data ../shared/data] [--langs gml,krl,heb] [--minutes 1] [--beam 5]
                                    [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from lexaug.inflection.neural import BUDGET_HPARAMS, NeuralInflector
from lexaug.inflection.neural_model import beam_decode_many
from lexaug.inflection.vocab import nfc

from inflection_protocol import load_task  # benchmarks/ is on sys.path when this script runs

HERE = Path(__file__).resolve()
DEFAULT_DATA = HERE.parents[1].parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("LEXAUG_SHARED_DATA", DEFAULT_DATA)))
    parser.add_argument("--langs", default="gml,krl,heb", help="2022 languages (small setting)")
    parser.add_argument("--minutes", type=float, default=1.0, help="training budget per model")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print(f"ensemble 3 trained {args.minutes:g} min, beam {args.beam}, 1 torch thread; best of {args.repeat} rounds")
    print(f"{'lang':<6}{'items':>7}{'1 at a time s':>15}{'batched s':>11}{'speed-up':>10}{'other hyps':>12}"
          f"{'other best':>12}")
    ratios = []
    for lang in args.langs.split(","):
        task = load_task(args.data, "2022", lang, "small")
        test = task.test  # (lemma, features) pairs
        model = NeuralInflector.train(task.train, task.dev, seed=0, ensemble=3, char_members=0, threads=1,
                                      rule_fallback=False, max_minutes=args.minutes, **BUDGET_HPARAMS)
        sources = [model.vocab.encode_source(lemma, feats) for lemma, feats in test]
        lens = [len(nfc(lemma)) for lemma, _ in test]
        seconds: dict[int, float] = {}
        found: dict[int, list] = {}
        with model._threads():
            for _ in range(args.repeat):
                for batch in (1, 128):
                    start = time.perf_counter()
                    found[batch] = beam_decode_many(model.models, sources, lens, args.beam, model.hparams.max_len,
                                                    model.vocab.actions, model.hparams.length_alpha, batch)
                    seconds[batch] = min(seconds.get(batch, float("inf")), time.perf_counter() - start)
        other = sum([ids for ids, _ in a] != [ids for ids, _ in b] for a, b in zip(found[1], found[128]))
        other_best = sum(a[0][0] != b[0][0] for a, b in zip(found[1], found[128]))
        ratios.append(seconds[1] / seconds[128])
        print(f"{lang:<6}{len(test):>7}{seconds[1]:>15.1f}{seconds[128]:>11.1f}{ratios[-1]:>9.1f}x"
              f"{other:>12}{other_best:>12}")
    print(f"speed-up: median {statistics.median(ratios):.1f}x over {len(ratios)} language(s)")


if __name__ == "__main__":
    main()
