"""`lexaug evaluate classify`: does lexicon-synthesized training data help a classifier on real target data?

The cheap stand-in for the experiments of Wang, Ruder & Neubig (2022) and LexC-Gen (Yong et al. 2024): train
fastText classifiers on (a) the source-language training data as it is, (b) the same data synthesized into
the target language by a lexaug generator, (c) both; score each on a labelled target-language test set,
over several seeds (each seed draws new translations and a new fastText initialisation).
"""

from __future__ import annotations

import statistics
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import regex

from lexaug.downstream.labelled import LabelledData
from lexaug.types import Record

CONDITIONS = ("source", "synthetic", "both")
_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}'’]*|\p{N}+|[^\s\p{L}\p{N}]")


@dataclass(frozen=True)
class FastTextConfig:
    """fastText supervised settings; thread >= 10 because fewer threads fail on this library build (NaN)."""

    epoch: int = 25
    lr: float = 0.5
    dim: int = 50
    word_ngrams: int = 1
    minn: int = 0
    maxn: int = 0
    bucket: int = 200_000
    thread: int = 10


def tokenize(text: str) -> str:
    """Lower-cased words and punctuation separated by single spaces, one line (what fastText reads), in NFC:
    real test text may write marks decomposed (Fon SIB-200: `ɖò` as o + U+0300 in a third of its sentences)
    where lexicons and synthetic text write them precomposed, and both must give the same word."""
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFC", text).lower()))


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro-F1 (mean over the labels found in gold or predictions) in percent."""
    if len(gold) != len(predicted) or not gold:
        raise ValueError("gold and predicted must be non-empty and of equal length")
    correct = sum(g == p for g, p in zip(gold, predicted))
    true_pos: Counter[str] = Counter(g for g, p in zip(gold, predicted) if g == p)
    gold_n, pred_n = Counter(gold), Counter(predicted)
    f1s = []
    for label in set(gold_n) | set(pred_n):
        tp = true_pos[label]
        precision = tp / pred_n[label] if pred_n[label] else 0.0
        recall = tp / gold_n[label] if gold_n[label] else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"accuracy": 100.0 * correct / len(gold), "macro_f1": 100.0 * sum(f1s) / len(f1s)}


def synthesize(data: LabelledData, generator: Any, seed: int, samples: int = 1) -> tuple[list[str], list[str]]:
    """Texts of `data` rewritten by `generator` with `seed` (`samples` draws of each, ids `<i>#<k>`), with
    their labels (filtered records drop out)."""
    from lexaug.generators.samples import expand_samples

    records = expand_samples((Record(str(i), [text]) for i, text in enumerate(data.texts)), samples)
    texts, labels = [], []
    for record in generator.run(records, seed):
        texts.append(record.slots[0])
        labels.append(data.labels[int(record.id.split("#", 1)[0])])
    return texts, labels


def train_and_predict(texts: Sequence[str], labels: Sequence[str], test: Sequence[str], seed: int,
                      config: FastTextConfig) -> list[str]:
    """Train a fastText classifier on (texts, labels) and return its label for each test text."""
    import fasttext  # heavy, imported where used

    with tempfile.TemporaryDirectory(prefix="lexaug-classify-") as tmp:
        train_file = Path(tmp) / "train.txt"
        with train_file.open("w", encoding="utf-8") as fh:
            for text, label in zip(texts, labels):
                fh.write(f"__label__{label.replace(' ', '_')} {tokenize(text)}\n")
        model = fasttext.train_supervised(
            str(train_file), epoch=config.epoch, lr=config.lr, dim=config.dim, wordNgrams=config.word_ngrams,
            minn=config.minn, maxn=config.maxn, bucket=config.bucket, thread=config.thread, seed=seed, verbose=0)
    by_label = {label.replace(" ", "_"): label for label in labels}
    predicted, _ = model.predict([tokenize(t) for t in test])
    return [by_label[p[0][len("__label__"):]] for p in predicted]


def _summary(per_seed: list[float]) -> dict[str, Any]:
    spread = statistics.stdev(per_seed) if len(per_seed) > 1 else 0.0
    return {"mean": round(statistics.fmean(per_seed), 2), "std": round(spread, 2),
            "per_seed": [round(v, 2) for v in per_seed]}


def compare(train: LabelledData, test: LabelledData, generator: Any, seeds: int = 3,
            config: FastTextConfig = FastTextConfig(), samples: int = 1) -> dict[str, Any]:
    """Scores of the three conditions on `test` over seeds 0..seeds-1.

    Returns a dict with one entry per condition (`source`, `synthetic`, `both`), each holding `accuracy` and
    `macro_f1` as {mean, std, per_seed} and `train_examples`, plus `settings`.
    """
    runs: dict[str, dict[str, list[float]]] = {c: {"accuracy": [], "macro_f1": []} for c in CONDITIONS}
    sizes: dict[str, int] = {}
    for seed in range(seeds):
        syn_texts, syn_labels = synthesize(train, generator, seed, samples)
        sets = {
            "source": (train.texts, train.labels),
            "synthetic": (syn_texts, syn_labels),
            "both": (train.texts + syn_texts, train.labels + syn_labels),
        }
        for condition, (texts, labels) in sets.items():
            sizes[condition] = len(texts)
            result = scores(test.labels, train_and_predict(texts, labels, test.texts, seed, config))
            for metric, value in result.items():
                runs[condition][metric].append(value)
    report: dict[str, Any] = {
        c: {**{m: _summary(v) for m, v in runs[c].items()}, "train_examples": sizes[c]} for c in CONDITIONS
    }
    report["settings"] = {
        "train": train.path, "test": test.path, "train_examples": len(train), "test_examples": len(test),
        "skipped": {"train": dict(train.skipped), "test": dict(test.skipped)}, "seeds": seeds, "samples": samples,
        "generator": generator.signature(), "fasttext": asdict(config),
    }
    return report


def format_table(report: dict[str, Any]) -> str:
    """A small text table: one row per condition, mean ± std of accuracy and macro-F1."""
    lines = [f"{'condition':<10} {'train':>7} {'accuracy':>16} {'macro-F1':>16}"]
    for c in CONDITIONS:
        acc, f1 = report[c]["accuracy"], report[c]["macro_f1"]
        lines.append(f"{c:<10} {report[c]['train_examples']:>7} {acc['mean']:>9.2f} ± {acc['std']:<5.2f}"
                     f"{f1['mean']:>10.2f} ± {f1['std']:<5.2f}")
    return "\n".join(lines)
