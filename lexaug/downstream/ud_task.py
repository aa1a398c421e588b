"""Build a sentence-classification task from Universal Dependencies treebanks, for `evaluate classify`.

A sentence is labelled `positive` when one of its syntactic words has the given UPOS and all the given
features (e.g. a first-person pronoun: UPOS `PRON`, `Person=1`), else `negative`. Treebanks of two languages
labelled this way give a source training set and a real target test set whose labels come from gold
annotation, not from lexaug. Multiword-token ranges and empty nodes are skipped (the CoNLL-U rules).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from lexaug.errors import FormatError


def labelled_sentences(path: str | Path, upos: str, features: Iterable[str], positive: str = "positive",
                       negative: str = "negative") -> Iterator[tuple[str, str]]:
    """(sentence text from `# text =`, label) for each sentence of a CoNLL-U file."""
    wanted = set(features)
    text: str | None = None
    hit = False
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if line.startswith("# text ="):
                text = line.split("=", 1)[1].strip()
            elif not line:
                if text is not None:
                    yield text, positive if hit else negative
                text, hit = None, False
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) != 10:
                    raise FormatError(path, number, f"expected 10 tab-separated CoNLL-U columns, got {len(cols)}")
                if "-" in cols[0] or "." in cols[0]:
                    continue
                if cols[3] == upos and wanted <= set(cols[5].split("|")):
                    hit = True
    if text is not None:
        yield text, positive if hit else negative


def write_csv(rows: Iterable[tuple[str, str]], path: str | Path) -> int:
    """Write (text, label) rows as CSV with a `text,label` header; returns the number of rows."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        for n, row in enumerate(rows, 1):
            writer.writerow(row)
    return n
