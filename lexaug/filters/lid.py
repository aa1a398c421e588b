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
        from lexaug.filters.fasttext_header import check_model_file

        check_model_file(self.path)  # a crafted header would make fastText allocate gigabytes before failing
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
        for batch in _batches(records, batch_size):
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


@dataclass
class LidStep:
    """Language identification inside a synthesis run: clean the input, annotate the output.

    `clean` drops input records whose language is not in `keep` or whose score is below `min_score` (counted in
    `stats` as `records_filtered` and `filtered:lid_other_language` / `filtered:lid_low_score`); `annotate` puts
    the output text's language into `record.meta["lid"]` and counts `lid_output:<lang>`. Picklable: the model
    is loaded on first use in each process, so worker processes never receive a fastText object.
    """

    model: str
    keep: tuple[str, ...] = ()
    min_score: float = 0.0
    batch_size: int = 512

    def __post_init__(self) -> None:
        self._identifier: LanguageIdentifier | None = None
        self._keep = {normalize(code).iso3 for code in self.keep} or None

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_identifier"} | {"_identifier": None}

    @property
    def identifier(self) -> LanguageIdentifier:
        if self._identifier is None:
            self._identifier = LanguageIdentifier(self.model)
        return self._identifier

    @property
    def filters(self) -> bool:
        return self._keep is not None or self.min_score > 0.0

    def clean(self, records: Iterable[Record], stats: Counter[str]) -> Iterable[Record]:
        """Yield the input records that pass the language and score test, in order."""
        for batch in _batches(records, self.batch_size):
            for record, (best, *_) in zip(batch, self.identifier.predict([" ".join(r.slots) for r in batch])):
                reason = ("lid_other_language" if self._keep is not None and best.lang not in self._keep
                          else "lid_low_score" if best.score < self.min_score else None)
                if reason is None:
                    yield record
                else:
                    stats["records_filtered"] += 1
                    stats[f"filtered:{reason}"] += 1

    def annotate(self, records: Iterable[Record], stats: Counter[str]) -> Iterable[Record]:
        """Yield the records with `meta["lid"]` set from their (synthesized) text, in order."""
        for batch in _batches(records, self.batch_size):
            for record, (best, *_) in zip(batch, self.identifier.predict([" ".join(r.slots) for r in batch])):
                record.meta["lid"] = annotation(best)
                stats[f"lid_output:{best.lang}"] += 1
                yield record


def _batches(records: Iterable[Record], size: int) -> Iterable[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
