"""fastText language identification: predict, normalise labels to canonical codes, keep or annotate records.

Reads any supervised fastText model from a path: lid.176 style labels (`__label__en`) and GlotLID / OpenLID /
NLLB style labels (`__label__eng_Latn`) are both normalised through `lexaug.langs.normalize`, so a filter
asking for `eng` (or `en`, or `eng_Latn`) works with either model. fastText is imported only here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lexaug.errors import ResourceError
from lexaug.langs import normalize
from lexaug.types import Record

LABEL_PREFIX = "__label__"


@dataclass(frozen=True, slots=True)
class LangGuess:
    """One prediction: canonical ISO 639-3 code, script when the label names one, probability in [0, 1]."""

    lang: str
    script: str | None
    score: float
    label: str


def parse_label(label: str) -> tuple[str, str | None]:
    """`__label__en` -> ("eng", None); `__label__eng_Latn` -> ("eng", "Latn"); unknown codes stay lower-cased."""
    code = label[len(LABEL_PREFIX):] if label.startswith(LABEL_PREFIX) else label
    found = normalize(code, strict=False)
    return found.iso3, found.script


class LanguageIdentifier:
    """A fastText language-identification model loaded from `path` (nothing is downloaded)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise ResourceError(f"{self.path}: no fastText model there; pass the path of a .bin/.ftz model file")
        import fasttext  # heavy, imported where used

        try:
            self._model = fasttext.load_model(str(self.path))
        except ValueError as err:
            raise ResourceError(f"{self.path}: not a fastText model ({err})") from None
        self._labels: dict[str, tuple[str, str | None]] = {}

    def _parsed(self, label: str) -> tuple[str, str | None]:
        if label not in self._labels:
            self._labels[label] = parse_label(label)
        return self._labels[label]

    def predict(self, texts: Sequence[str], k: int = 1) -> list[list[LangGuess]]:
        """Top-`k` guesses for each text, best first. Newlines are read as spaces (fastText reads one line)."""
        lines = [" ".join(text.split()) for text in texts]
        all_labels, all_probs = self._model.predict(lines, k=k)
        out = []
        for labels, probs in zip(all_labels, all_probs):
            guesses = []
            for label, prob in zip(labels, probs):
                lang, script = self._parsed(label)
                # fastText's softmax can exceed 1.0 by a rounding error
                guesses.append(LangGuess(lang, script, min(float(prob), 1.0), label))
            out.append(guesses)
        return out


class LidFilter:
    """Keeps records whose text is identified as one of `keep` with at least `min_score`, and/or annotates them.

    Args:
        identifier: a loaded `LanguageIdentifier`.
        keep: languages to keep (any code form `lexaug.langs.normalize` reads); None keeps every language.
        min_score: records whose best guess scores below this are dropped (when `keep` or `min_score` is set).
        annotate: write `{"lang", "script", "score"}` into `record.meta[meta_key]`.
    Dropped records are counted in `stats` by reason (`lid_other_language`, `lid_low_score`), never lost.
    """

    def __init__(
        self,
        identifier: LanguageIdentifier,
        keep: Iterable[str] | None = None,
        min_score: float = 0.0,
        annotate: bool = True,
        meta_key: str = "lid",
    ):
        self.identifier = identifier
        self.keep = None if keep is None else {normalize(code).iso3 for code in keep}
        self.min_score = min_score
        self.annotate = annotate
        self.meta_key = meta_key
        self.stats: Counter[str] = Counter()

    def guess(self, record: Record) -> LangGuess:
        return self.identifier.predict([" ".join(record.slots)])[0][0]

    def filter(self, records: Iterable[Record], batch_size: int = 512) -> Iterable[Record]:
        """Yield the kept records in input order, predicting in batches."""
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                yield from self._judge(batch)
                batch = []
        if batch:
            yield from self._judge(batch)

    def _judge(self, batch: list[Record]) -> Iterable[Record]:
        guesses = self.identifier.predict([" ".join(r.slots) for r in batch])
        for record, (best, *_) in zip(batch, guesses):
            self.stats["lid_seen"] += 1
            if self.annotate:
                record.meta[self.meta_key] = annotation(best)
            if self.keep is not None and best.lang not in self.keep:
                self.stats["lid_other_language"] += 1
                continue
            if best.score < self.min_score:
                self.stats["lid_low_score"] += 1
                continue
            self.stats["lid_kept"] += 1
            yield record


def annotation(guess: LangGuess) -> dict[str, Any]:
    """The JSON-friendly form of a guess written into record provenance."""
    return {"lang": guess.lang, "script": guess.script, "score": round(guess.score, 4)}
