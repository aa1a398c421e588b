"""Bilingual lexicons (`Lexicon`): GATITOS, Wang et al. 2022, MUSE and PanLex-derived two-column files.

A headword with several rows has several translations, kept in first-seen order with counts (a repeated
(headword, target) row adds 1 to its count). The index key is the NFC, case-folded source with whitespace runs
collapsed (`normalize_key`); targets keep their original casing. File layout and error messages:
`lexaug.loaders.lexicon_rows`; annotation and key rules: `lexaug.loaders.lexicon_text`.
"""

from __future__ import annotations

import hashlib
from itertools import repeat
from collections.abc import Iterable, Iterator, KeysView, Sequence
from pathlib import Path
from typing import Any

from lexaug import defaults
from lexaug.errors import ConfigError, FormatError
from lexaug.loaders.lexicon_build import Builder
from lexaug.loaders.lexicon_rows import FileCounts, decode_lines, parse_rows, separator, sniff_separator
from lexaug.loaders.lexicon_text import normalize_key
from lexaug.types import Translation

__all__ = ["Lexicon", "normalize_key"]

_WEIGHTINGS = ("count", "uniform")


class Lexicon:
    """An immutable, indexed bilingual lexicon. Build it with `Lexicon.read` or `Lexicon.from_pairs`.

    Attributes:
        src_lang, tgt_lang: canonical ISO 639-3 codes, or None when neither given nor found in file names.
        weighting: "count" (a translation's count is its weight) or "uniform" (all translations weigh the same);
            stored for the generators, which read `translations(key)` and this attribute.
        sha256: hex content hash: of the file's bytes for one file (equal to `sha256sum`), else of the files'
            hex digests joined by newlines, in the order given.
        max_source_words: the most words any headword has (generators match multiword keys longest-first).
        paths: the files read, in order.
    """

    __slots__ = ("_index", "src_lang", "tgt_lang", "weighting", "sha256", "max_source_words", "paths", "_stats")

    def __init__(self, index: dict[str, tuple[Translation, ...]], *, src_lang: str | None, tgt_lang: str | None,
                 weighting: str, sha256: str, stats: dict[str, Any], paths: tuple[str, ...] = ()):
        if weighting not in _WEIGHTINGS:
            raise ConfigError(f"unknown weighting {weighting!r}: use 'count' or 'uniform'")
        self._index = index
        self.src_lang, self.tgt_lang, self.weighting, self.sha256 = src_lang, tgt_lang, weighting, sha256
        self.max_source_words = max(map(str.count, index, repeat(" ")), default=-1) + 1
        self.paths = paths
        self._stats = stats

    @classmethod
    def read(cls, path: str | Path | Sequence[str | Path], *, src_lang: str | None = None,
             tgt_lang: str | None = None, sep: str | None = None, strict: bool = defaults.LEXICON_STRICT,
             strip_annotations: bool = defaults.LEXICON_STRIP_ANNOTATIONS,
             max_target_words: int | None = defaults.LEXICON_MAX_TARGET_WORDS,
             weighting: str = defaults.WEIGHTING, reverse: bool = False,
             extra_columns: str = defaults.LEXICON_EXTRA_COLUMNS) -> Lexicon:
        """Read one lexicon file or merge several (counts add up across files).

        Args:
            path: a file or a list of files (`source<TAB>target` or `source target`, no header).
            src_lang, tgt_lang: language codes in any form `lexaug.langs.normalize` reads; by default taken
                from the file names (`en_lg.tsv` -> eng, lug) when all files agree, else None. Given codes
                name the languages of the resulting lexicon (after `reverse`).
            sep: "tab" / "\\t" or "space" / " "; None sniffs each file (TAB if it has any, else space).
            strict: raise `FormatError` (path, line) on a malformed row; False skips it, counted by reason.
            strip_annotations: remove parenthetical annotations (`adrese (verb)` -> `adrese`,
                `abzorb(e)` -> `abzorb`) on both sides; counted as `annotations_stripped` (fields changed).
            max_target_words: drop targets of more words than this (definition-like glosses); counted as
                skip reason `definition_like`. Applied after `reverse` and annotation stripping.
            weighting: "count" or "uniform"; see the class docstring.
            reverse: read `target -> source` (swap the columns).
            extra_columns: "error" (default) or "ignore": use the first two of 3+ tab-separated columns.

        Returns:
            The lexicon. Raises FormatError (strict) and ConfigError (bad option).
        """
        paths = [Path(p) for p in ([path] if isinstance(path, (str, Path)) else path)]
        if not paths:
            raise ConfigError("no lexicon file given")
        if extra_columns not in ("error", "ignore"):
            raise ConfigError(f"unknown extra_columns {extra_columns!r}: use 'error' or 'ignore'")
        if max_target_words is not None and max_target_words < 1:
            raise ConfigError(f"max_target_words must be at least 1, got {max_target_words}")
        fixed_sep = separator(sep)
        builder = Builder(strip_annotations=strip_annotations, max_target_words=max_target_words, reverse=reverse)
        for file in paths:
            try:
                data = file.read_bytes()
            except IsADirectoryError:
                raise FormatError(file, None, "is a directory, not a lexicon file; give a file",
                                  reason="missing") from None
            except OSError as err:
                raise FormatError(file, None, f"cannot read lexicon file: {err.strerror or err}; check the path "
                                  "and its permissions", reason="missing") from None
            counts = FileCounts(path=str(file), sha256=hashlib.sha256(data).hexdigest())
            lines = decode_lines(file, data, strict, counts)
            counts.sep = fixed_sep or sniff_separator(lines)
            builder.add_rows(parse_rows(file, lines, counts.sep, strict, extra_columns, counts), counts)
            if counts.lines == 0:  # nothing but blank lines (or nothing at all)
                if strict:
                    raise FormatError(file, None, "empty file: no lexicon rows (expected `source<TAB>target` "
                                      "lines); read leniently to accept it", reason="empty")
                counts.empty = True
        src, tgt = builder.languages(paths, src_lang, tgt_lang)
        digests = [c.sha256 for c in builder.files]
        sha = digests[0] if len(digests) == 1 else hashlib.sha256("\n".join(digests).encode()).hexdigest()
        index, stats = builder.finish(weighting)
        return cls(index, src_lang=src, tgt_lang=tgt, weighting=weighting, sha256=sha, stats=stats,
                   paths=tuple(str(p) for p in paths))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]], *, src_lang: str | None = None,
                   tgt_lang: str | None = None, weighting: str = defaults.WEIGHTING) -> Lexicon:
        """An in-memory lexicon from (source, target) pairs, with the same normalisation as `read`; its
        sha256 covers the pairs written as `source<TAB>target` lines."""
        pairs = list(pairs)
        builder = Builder()
        text = "".join(f"{s}\t{t}\n" for s, t in pairs)
        counts = FileCounts(path="<pairs>", sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
        lines: list[str | None] = list(text.split("\n")[:-1])
        builder.add_rows(parse_rows(Path("<pairs>"), lines, "\t", True, "error", counts), counts)
        src, tgt = builder.languages([], src_lang, tgt_lang)
        index, stats = builder.finish(weighting)
        return cls(index, src_lang=src, tgt_lang=tgt, weighting=weighting, sha256=counts.sha256, stats=stats)

    def translations(self, key: str) -> tuple[Translation, ...]:
        """Translations of a normalised key (see `normalize_key`), first-seen order; () when absent."""
        return self._index.get(key, ())

    def lookup(self, text: str) -> tuple[Translation, ...]:
        """Translations of raw text: `translations(normalize_key(text))`."""
        return self._index.get(normalize_key(text), ())

    def keys(self) -> KeysView[str]:
        """The normalised headwords."""
        return self._index.keys()

    def items(self) -> Iterator[tuple[str, tuple[Translation, ...]]]:
        """(key, translations) in first-seen order."""
        return iter(self._index.items())

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __repr__(self) -> str:
        return (f"Lexicon({self.src_lang}->{self.tgt_lang}, {len(self)} headwords, "
                f"{self._stats['pairs']} pairs, sha256={self.sha256[:12]})")

    def stats(self) -> dict[str, Any]:
        """Counts of the read (see README "Lexicons"): files (per-file counts), rows_read, blank_lines,
        skipped (by reason), headwords, pairs, translations_per_headword {mean, max}, multiword_source_share,
        multiword_target_share, annotations_stripped, definition_like_dropped, duplicate_rows, ..."""
        out = dict(self._stats)
        out.update(src_lang=self.src_lang, tgt_lang=self.tgt_lang, weighting=self.weighting, sha256=self.sha256,
                   max_source_words=self.max_source_words)
        return out

    def to_pandas(self):  # -> pandas.DataFrame; pandas is imported here only
        """A DataFrame with one row per (source key, target): columns `source`, `target`, `count`."""
        import pandas as pd

        rows = [(key, t.target, t.count) for key, trans in self._index.items() for t in trans]
        return pd.DataFrame(rows, columns=["source", "target", "count"])
