"""Pivot lexicons: compose A->pivot and pivot->B into A->B, with counts as weights.

GATITOS translates the same English segments into 173 languages, so `X_en.tsv` + `en_Y.tsv` gives an X->Y
lexicon for any two of them. The weight of (a, b) is the sum over pivot words p of count(a, p) * count(p, b):
a target reached through several pivot words weighs more. The output repeats each row `weight` times, which is
how `Lexicon.read` counts (a repeated row adds 1), so `--weighting count` reads the weights back exactly.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lexaug.defaults import LEXICON_STRICT, lexaug_home

MAX_WEIGHT = 1000  # a row is repeated at most this often (bounds the file; weights beyond are rare artefacts)


@dataclass
class PivotStats:
    """What a composition produced."""

    sources: int = 0
    pairs: int = 0
    rows: int = 0
    pivot_words_unmatched: int = 0
    skipped_rows: int = 0


def compose(a_path: str | Path, b_path: str | Path, out: str | Path, *,
            strict: bool = LEXICON_STRICT) -> PivotStats:
    """Write the A->B lexicon composed through the pivot shared by `a_path` (A->pivot) and `b_path` (pivot->B).

    `strict` (the default, as for every lexicon read): a malformed row raises `FormatError`; False skips and counts
    it (`PivotStats.skipped_rows`).

    Sources are written in their normalised (case-folded) form, targets as the B file writes them; the file is
    written through a temporary file and renamed, so a failure leaves no half-written output.
    """
    from lexaug.loaders.lexicon import Lexicon

    a = Lexicon.read(a_path, strict=strict, src_lang=None, tgt_lang=None)
    b = Lexicon.read(b_path, strict=strict, src_lang=None, tgt_lang=None)
    stats = PivotStats(skipped_rows=sum(a.stats()["skipped"].values()) + sum(b.stats()["skipped"].values()))
    lines: list[str] = []
    for source, pivots in a.items():
        weights: dict[str, int] = defaultdict(int)
        for p in pivots:
            found = b.lookup(p.target)
            if not found:
                stats.pivot_words_unmatched += 1
            for t in found:
                weights[t.target] += p.count * t.count
        if weights:
            stats.sources += 1
        for target, weight in weights.items():
            stats.pairs += 1
            row = f"{source}\t{target}\n"
            n = min(weight, MAX_WEIGHT)
            stats.rows += n
            lines.append(row * n)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", dir=out.parent, prefix=f".{out.name}.", suffix=".part", delete=False,
                                         encoding="utf-8", newline="\n")
    try:
        with handle:
            handle.write("".join(lines))
        os.replace(handle.name, out)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    return stats


def pivot_dir() -> Path:
    """Where lexicons composed from the cache live: $LEXAUG_HOME/pivots/."""
    return lexaug_home() / "pivots"


def pivot_file(src: str, tgt: str, via: str) -> Path:
    """$LEXAUG_HOME/pivots/<src>_<tgt>.via-<via>.tsv."""
    return pivot_dir() / f"{src}_{tgt}.via-{via}.tsv"


def pivot_of(path: str | Path) -> str | None:
    """The pivot language of a composed lexicon in the cache (`eng`), or None for any other file."""
    p = Path(path)
    if p.parent != pivot_dir() or ".via-" not in p.name:
        return None
    return p.name.rsplit(".via-", 1)[1].removesuffix(".tsv")
