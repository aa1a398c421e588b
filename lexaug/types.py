"""Dataclasses shared by all layers: lexicon entries, morphology entries and corpus records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Translation:
    """One translation of a lexicon headword.

    `target` is NFC text as written in the file (annotations stripped when asked); `count` is how many rows gave
    this (headword, target) pair, used as a weight when choices are count-weighted.
    """

    target: str
    count: int = 1

    def __reduce__(self) -> tuple[type, tuple[str, int]]:
        # a frozen slotted dataclass otherwise pickles through the generic (slow) path: a lexicon of 33k
        # translations pickled 4x slower (worker processes under spawn and feed producers receive lexicons)
        return Translation, (self.target, self.count)


@dataclass(frozen=True, slots=True)
class MorphEntry:
    """One UniMorph row: `features` is the original string (kept for output), `canonical` its
    order-insensitive form used for comparison (see `lexaug.loaders.unimorph.canonical_features`)."""

    lemma: str
    form: str
    features: str
    canonical: str


@dataclass(slots=True)
class Record:
    """One corpus record as generators see it.

    A reader splits each record into `slots`: the pieces of text a generator may rewrite (a text line, a JSONL
    field, one token of a CoNLL sentence, the pieces of a MASSIVE utterance inside and outside brackets).
    Generators replace spans inside slots and never merge or split slots, so labels attached to slots stay
    aligned. Slots whose index is in `frozen` are left untouched (e.g. MASSIVE slot values on request).
    `payload` holds everything else the writer needs to rebuild the record byte for byte (label columns,
    comment lines, other JSON fields); generators never read it. `meta` collects provenance and counts
    (`tokens`, `replaced`, ...) that generators add and writers/engines report.
    """

    id: str
    slots: list[str]
    frozen: frozenset[int] = frozenset()
    payload: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
