"""UniMorph gloss files (`<iso>.gloss`, e.g. `amh.gloss`): `lemma<TAB>English gloss`, where a gloss may be a
comma-separated list (`recover,become better`). Read with the same text rules as the triple files (UTF-8,
NFC, TAB-only split, `\\r` stripped, blank lines skipped, exact duplicate rows counted and kept once)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from lexaug.errors import FormatError, wide_encoding_error


class Glosses:
    """Lemma -> English glosses from a UniMorph `.gloss` file. Build with `Glosses.read(path)`."""

    __slots__ = ("_glosses", "_stats")

    def __init__(self, glosses: dict[str, tuple[str, ...]], stats: dict):
        self._glosses, self._stats = glosses, stats

    @classmethod
    def read(cls, path: str | Path, *, strict: bool = True) -> Glosses:
        """Read a gloss file.

        Args:
            path: the `.gloss` file.
            strict: raise `FormatError` (path, line, fix) for a row that is not `lemma<TAB>gloss`, or is not
                UTF-8; if False, skip it and count it by reason in `stats()["skipped"]`. A file with a UTF-16 or
                UTF-32 byte-order mark is an error in either mode (`wide_encoding_error`).
        Returns:
            The glosses, each lemma's rows in file order; a row's comma-separated list is split into glosses.
        """
        raw = Path(path).read_bytes()
        wide = wide_encoding_error(path, raw)  # in either mode: its ASCII rows would decode, a NUL after each letter
        if wide:
            raise wide
        skipped: Counter = Counter()
        lines_seen: set[str] = set()
        glosses: dict[str, list[str]] = {}
        blank = duplicates = 0
        chunks = raw.split(b"\n")
        if raw.endswith(b"\n"):
            chunks.pop()
        for no, chunk in enumerate(chunks, 1):
            try:
                line = unicodedata.normalize("NFC", chunk.decode("utf-8")).removesuffix("\r")
            except UnicodeDecodeError:
                err = FormatError(path, no, "not valid UTF-8; re-encode the file as UTF-8", reason="encoding")
            else:
                if not line.strip():
                    blank += 1
                    continue
                parts = line.split("\t")
                if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                    if line in lines_seen:
                        duplicates += 1
                    else:
                        lines_seen.add(line)
                        items = [g.strip() for g in parts[1].split(",") if g.strip()]
                        glosses.setdefault(parts[0], []).extend(items)
                    continue
                err = FormatError(path, no, f"expected 2 tab-separated columns (lemma, gloss) with text in "
                                            f"both, got {len(parts)}: fix the row or read leniently",
                                  reason="columns")
            if strict:
                raise err
            skipped[err.reason] += 1
        stats = {"rows": len(lines_seen), "lines": len(chunks), "blank_lines": blank, "duplicates": duplicates,
                 "skipped": dict(skipped), "lemmas": len(glosses)}
        return cls({k: tuple(v) for k, v in glosses.items()}, stats)

    def glosses(self, lemma: str) -> tuple[str, ...]:
        """English glosses of `lemma` (exact, NFC), () if none."""
        return self._glosses.get(unicodedata.normalize("NFC", lemma), ())

    def lemmas(self) -> tuple[str, ...]:
        return tuple(self._glosses)

    def stats(self) -> dict:
        """rows (distinct), lines, blank_lines, duplicates, skipped by reason, lemmas."""
        return dict(self._stats)

    def __len__(self) -> int:
        return len(self._glosses)
