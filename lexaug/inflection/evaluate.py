"""Scoring of inflection predictions the way the SIGMORPHON shared tasks did.

- ``convention="2022"`` (SIGMORPHON-UniMorph 2022 part 1): gold and predictions are compared line by line
  (positional), after NFC normalisation by default (``normalize=None`` compares raw strings, which is what
  the published 2022 baseline table did: Magahi test 55.349 raw vs 55.814 NFC); with a training file, test items are also scored by partition:
  ``both`` (lemma and feature bundle seen in training), ``lemma`` (only the lemma seen), ``features`` (only
  the feature bundle seen), ``neither``.
- ``convention="2017"`` (CoNLL-SIGMORPHON 2017-2021): items are keyed by (lemma, feature string); a
  prediction is right if it equals any of the key's gold forms, its distance is the smallest to them.

Accuracy is in percent; distance is the mean character Levenshtein distance (unit costs).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from lexaug.errors import ConfigError, FormatError
from lexaug.loaders.sigmorphon import SigmorphonFile

CONVENTIONS = ("2022", "2017")
PARTITIONS = ("both", "lemma", "features", "neither")


def levenshtein(a: str, b: str) -> int:
    """Character edit distance with unit insertion, deletion and substitution costs."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass
class Score:
    """Counts of one evaluation: `n` items, `correct` exact matches, `distance` summed edit distance."""

    n: int = 0
    correct: int = 0
    distance: int = 0

    @property
    def accuracy(self) -> float:
        """Exact-match accuracy in percent (0.0 when there are no items)."""
        return 100.0 * self.correct / self.n if self.n else 0.0

    @property
    def mean_distance(self) -> float:
        """Mean Levenshtein distance between prediction and gold."""
        return self.distance / self.n if self.n else 0.0

    def add(self, correct: bool, distance: int) -> None:
        self.n += 1
        self.correct += int(correct)
        self.distance += distance


@dataclass
class Evaluation:
    """Result for one language: the overall `Score` and, with a training file, one per partition."""

    overall: Score
    partitions: dict[str, Score] = field(default_factory=dict)
    realigned: int = 0  # prediction rows moved to their gold row by (lemma, features) (`align="key"`)

    def as_dict(self) -> dict[str, float | int]:
        """Flat figures: accuracy, distance, n, and ``<partition>_accuracy`` / ``<partition>_n``."""
        out: dict[str, float | int] = {"n": self.overall.n, "accuracy": self.overall.accuracy,
                                       "distance": self.overall.mean_distance}
        for name, score in self.partitions.items():
            out[f"{name}_n"] = score.n
            out[f"{name}_accuracy"] = score.accuracy
        return out


def partition_of(lemma: str, features: str, lemmas: set[str], bundles: set[str]) -> str:
    """Which 2022 partition a test item falls in, given the training lemmas and feature bundles."""
    seen_lemma, seen_features = lemma in lemmas, features in bundles
    if seen_lemma and seen_features:
        return "both"
    return "lemma" if seen_lemma else "features" if seen_features else "neither"


def evaluate(gold: SigmorphonFile, predictions: Sequence[tuple[str, str, str]] | SigmorphonFile, *,
             convention: str = "2022", train: Iterable[tuple[str, str, str]] | None = None,
             normalize: str | None = "NFC", align: str = "strict") -> Evaluation:
    """Score predictions against a gold file.

    Args:
        gold: the gold file (with forms).
        predictions: (lemma, form, features) per line, e.g. `read_sigmorphon(pred).triples()`.
        convention: ``"2022"`` (positional, NFC, partitions) or ``"2017"`` (keyed, several gold forms).
        train: (lemma, form, features) training triples; gives the partitions (2022 convention only).
        normalize: Unicode normal form applied to forms and lemmas before comparing ("NFC", "NFD", ...),
            or None for raw strings.
        align: 2022 convention: ``"strict"`` (every prediction row must carry its gold row's lemma and
            features, else `FormatError`) or ``"key"`` (prediction rows are matched to gold rows by
            (lemma, features), in order among equal keys; the number of moved rows is `realigned`).
    Returns:
        An `Evaluation`.
    """
    if convention not in CONVENTIONS:
        raise ConfigError(f"unknown convention {convention!r}; choose 2022 or 2017")
    if normalize not in (None, "NFC", "NFD", "NFKC", "NFKD"):
        raise ConfigError(f"unknown normal form {normalize!r}; choose NFC, NFD, NFKC, NFKD or none")

    def norm(s: str) -> str:
        return unicodedata.normalize(normalize, s) if normalize else s  # type: ignore[arg-type]  # checked above

    if align not in ("strict", "key"):
        raise ConfigError(f"unknown alignment {align!r}; choose strict or key")
    pred = predictions.triples() if isinstance(predictions, SigmorphonFile) else list(predictions)
    gold_rows = gold.triples()
    pred_path = predictions.path if isinstance(predictions, SigmorphonFile) else None
    if not gold_rows:
        raise FormatError(gold.path, None, "no gold rows; give a gold file with lemma, form, features rows")
    if convention == "2017":
        return Evaluation(_keyed(gold, pred, pred_path, norm))
    if len(pred) != len(gold_rows):
        raise FormatError(pred_path, None, f"{len(pred)} predictions for {len(gold_rows)} gold lines; "
                          "the 2022 convention is positional, predict every gold line in order")
    pred, moved = _match_rows(gold, gold_rows, pred, predictions, norm, align)
    lemmas = bundles = None
    if train is not None:
        triples = list(train)
        lemmas = {norm(t[0]) for t in triples}
        bundles = {t[2] for t in triples}
    result = Evaluation(Score(), {name: Score() for name in PARTITIONS} if lemmas is not None else {})
    result.realigned = moved
    for number, ((g_lemma, g_form, g_feat), (_, p_form, _)) in enumerate(zip(gold_rows, pred), 1):
        g, p = norm(g_form), norm(p_form)
        dist = levenshtein(g, p)
        result.overall.add(g == p, dist)
        if lemmas is not None and bundles is not None:
            result.partitions[partition_of(norm(g_lemma), g_feat, lemmas, bundles)].add(g == p, dist)
    return result


def _match_rows(gold: SigmorphonFile, gold_rows: Sequence[tuple[str, str, str]],
                pred: Sequence[tuple[str, str, str]], source: object, norm: Callable[[str], str],
                align: str) -> tuple[list[tuple[str, str, str]], int]:
    """Predictions in gold order: checked row by row (`strict`) or matched by key (`key`); (rows, moved)."""
    pred_path = source.path if isinstance(source, SigmorphonFile) else None
    lines = [it.line for it in source.items] if isinstance(source, SigmorphonFile) else list(range(1, len(pred) + 1))

    def key(row: tuple[str, str, str]) -> tuple[str, str]:
        return norm(row[0]), row[2].strip()

    if align == "strict":
        for k, (g, p) in enumerate(zip(gold_rows, pred)):
            if key(g) != key(p):
                raise FormatError(pred_path, lines[k], f"prediction ({p[0]!r}, {p[2]!r}) does not match gold line "
                                  f"{gold.items[k].line} ({g[0]!r}, {g[2]!r}); the 2022 convention is positional: "
                                  "predict the gold lines in order, or pass --align key")
        return list(pred), 0
    queues: dict[tuple[str, str], list[int]] = {}
    for k, p in enumerate(pred):
        queues.setdefault(key(p), []).append(k)
    out: list[tuple[str, str, str]] = []
    moved = 0
    for k, g in enumerate(gold_rows):
        waiting = queues.get(key(g))
        if not waiting:
            raise FormatError(pred_path, None, f"no prediction for gold line {gold.items[k].line} "
                              f"({g[0]!r}, {g[2]!r}); predict every gold line")
        j = waiting.pop(0)
        moved += j != k
        out.append(pred[j])
    return out, moved


def _keyed(gold: SigmorphonFile, pred: Sequence[tuple[str, str, str]], pred_path: str | None,
           norm: Callable[[str], str]) -> Score:
    answers: dict[tuple[str, str], str] = {}
    for lemma, form, features in pred:
        answers.setdefault((norm(lemma), features), norm(form))
    keyed: dict[tuple[str, str], list[str]] = {}
    for lemma, form, features in gold.triples():
        forms = keyed.setdefault((norm(lemma), features), [])
        if norm(form) not in forms:
            forms.append(norm(form))
    score = Score()
    for (lemma, features), forms in keyed.items():
        if (lemma, features) not in answers:
            raise FormatError(pred_path, None, f"no prediction for ({lemma!r}, {features!r}); predict every "
                              "gold item")
        guess = answers[(lemma, features)]
        score.add(guess in forms, min(levenshtein(guess, f) for f in forms))
    return score


def summary_table(results: Mapping[str, Evaluation], *, digits: int = 3) -> str:
    """A tab-separated table: one row per language (accuracy, distance, n, partitions), then macro and micro.

    Macro averages the languages' accuracies/distances; micro pools all items.
    """
    parts = [p for p in PARTITIONS if any(p in r.partitions for r in results.values())]
    header = ["lang", "n", "accuracy", "distance"] + [f"{p}_acc" for p in parts]
    lines = ["\t".join(header)]
    fmt = f"{{:.{digits}f}}"

    def row(name: str, n: int, acc: float, dist: float, part_acc: list[str]) -> str:
        return "\t".join([name, str(n), fmt.format(acc), fmt.format(dist), *part_acc])

    for lang, res in results.items():
        pacc = [fmt.format(res.partitions[p].accuracy) if res.partitions.get(p) and res.partitions[p].n else "-"
                for p in parts]
        lines.append(row(lang, res.overall.n, res.overall.accuracy, res.overall.mean_distance, pacc))
    if len(results) > 1:
        k = len(results)
        vals = list(results.values())
        lines.append(row("macro", sum(r.overall.n for r in vals), sum(r.overall.accuracy for r in vals) / k,
                         sum(r.overall.mean_distance for r in vals) / k, ["-"] * len(parts)))
        pooled = Score(sum(r.overall.n for r in vals), sum(r.overall.correct for r in vals),
                       sum(r.overall.distance for r in vals))
        lines.append(row("micro", pooled.n, pooled.accuracy, pooled.mean_distance, ["-"] * len(parts)))
    return "\n".join(lines) + "\n"
