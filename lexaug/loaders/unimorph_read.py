"""Row reader for UniMorph triple files (`lemma<TAB>form<TAB>features`), shared by `MorphTable`.

Rules (DESIGN.md, "Text handling"): bytes are decoded as UTF-8 (a UTF-8 byte-order mark is dropped), text
is NFC-normalised, lines are split on `\\n` only (never on `\\x0b`, `\\x1c` or U+2028, which
`str.splitlines` would split on), one trailing `\\r` is stripped, and columns are split on TAB only. Nothing
is parsed as NA/null and quotes are ordinary characters. Whitespace-only lines count as blank lines.

Problems and their `reason` (FormatError in strict mode, counted in `Counts.skipped` in lenient mode):
`encoding` (not UTF-8), `binary` (NUL or other control bytes), `columns` (not 3 columns), `empty_field`
(empty lemma, form or features), `features` (unparsable features), `empty_file` (no rows at all; counted
once per file, the only reason that counts files instead of lines).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat

from lexaug.errors import FormatError, wide_encoding_error
from lexaug.loaders.features import FeatureError, parse_features
from lexaug.loaders.lexicon_rows import reject_compressed

# C0 controls other than TAB, LF, CR: text files never contain them, binary files always do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_WARNINGS = 20  # lenient mode keeps this many skip messages as examples for stats/CLI


@dataclass
class Counts:
    """What a read saw: line counts, duplicates and skipped rows by reason, plus example messages."""

    lines: int = 0
    blank_lines: int = 0
    duplicates: int = 0
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, err: FormatError) -> None:
        self.skipped[err.reason] += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(str(err))


def _decode(path: str, data: bytes, strict: bool, counts: Counts) -> list[str | None]:
    """Decode to a list of lines; in lenient mode an undecodable line becomes None (already counted)."""
    reject_compressed(path, data)  # a whole compressed file is an error in either mode, as for lexicons
    err = wide_encoding_error(path, data)
    if err:
        if strict:
            raise err
        raw = data.split(b"\n")
        if data.endswith(b"\n"):
            raw.pop()
        # every line with content is lost: count each one so rows + skipped still equals non-blank lines
        for no, chunk in enumerate(raw, 1):
            if chunk.strip(b"\x00\r\t \xff\xfe"):
                counts.skip(FormatError(path, no, err.detail, reason="encoding"))
        return [None] * len(raw)
    try:
        text = data.decode("utf-8")
        lines: list[str | None] = list(_split_lines(text))
    except UnicodeDecodeError as exc:
        if strict:
            line_no = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise FormatError(path, line_no, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte {column} of "
                                             f"the line); re-encode the file as UTF-8, e.g. `iconv -f LATIN1 -t "
                                             f"UTF-8`", reason="encoding") from None
        raw = data.split(b"\n")
        if data.endswith(b"\n"):
            raw.pop()
        lines = []
        for no, chunk in enumerate(raw, 1):
            try:
                lines.append(_nfc(chunk.decode("utf-8")))
            except UnicodeDecodeError:
                counts.skip(FormatError(path, no, "not valid UTF-8; re-encode the file as UTF-8", reason="encoding"))
                lines.append(None)
        if lines and lines[0] is not None and lines[0].startswith("\ufeff"):
            lines[0] = lines[0][1:]
    return lines


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _split_lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _nfc(text)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


class Rows:
    """Rows accumulated over one or more files: parallel lists (lemma, form, original features, the latter
    interned), the set of row lines seen (for exact-duplicate detection across files) and the counts."""

    def __init__(self) -> None:
        self.lemmas: list[str] = []
        self.forms: list[str] = []
        self.feats: list[str] = []
        self.seen: set[str] = set()
        self.intern: dict[str, str] = {}
        self.counts = Counts()

    def extend(self, lines: list[str]) -> bool:
        """Add NFC, CR-free row lines of exactly 3 columns, dropping exact repeats. Returns False and adds
        nothing if a field is blank or a feature string does not parse (the caller then reads line by line)."""
        unique = list(dict.fromkeys(lines))
        if self.seen:
            unique = [line for line in unique if line not in self.seen]
        flat = "\t".join(unique).split("\t")
        if "" in flat or any(map(str.isspace, flat)):
            return False  # a blank field: the line-by-line reader reports it
        intern = self.intern
        for feats in set(flat[2::3]):
            if feats not in intern:
                try:
                    parse_features(feats)
                except FeatureError:
                    return False
                intern[feats] = feats
        self.counts.duplicates += len(lines) - len(unique)
        self.seen.update(unique)
        self.lemmas += flat[0::3]
        self.forms += flat[1::3]
        self.feats += [intern[f] for f in flat[2::3]]
        return True


# The fast path: a file is "clean" when every check below holds; each is one C-level scan, so a clean file
# loads without a Python-level loop over its lines. Anything else goes through `_read_slow`, which finds
# and reports (or skips) the bad rows; the two paths accept exactly the same rows.
_CONTROL_BYTES = bytes(range(0x20)).replace(b"\t", b"").replace(b"\n", b"") + b"\x7f"  # CR included


def _fast_lines(data: bytes, lines: list[str | None]) -> list[str] | None:
    """The non-blank lines if the whole file is clean, else None."""
    if not lines or None in lines or len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return None
    nonblank: list[str] = [line for line in lines if line]  # type: ignore[misc]
    if not nonblank or set(map(str.count, nonblank, repeat("\t"))) != {2}:
        return None
    return nonblank


def read_triples(path: str, data: bytes, rows: Rows, *, strict: bool = True) -> None:
    """Add the rows of one file's bytes to `rows`, counting lines, blank lines, duplicates and skips.

    Args:
        path: file name used in messages.
        data: the file's bytes.
        rows: the accumulator (`Rows`); its `counts` are updated.
        strict: raise `FormatError` at the first bad row instead of skipping it.
    """
    counts = rows.counts
    lines = _decode(path, data, strict, counts)
    counts.lines += len(lines)
    nonblank = _fast_lines(data, lines)
    if nonblank is not None and rows.extend(nonblank):
        counts.blank_lines += len(lines) - len(nonblank)
        return
    _read_slow(path, lines, rows, strict)


def _read_slow(path: str, lines: list[str | None], rows: Rows, strict: bool) -> None:
    """Line-by-line reading with exact diagnostics; used when the clean-file check fails."""
    counts = rows.counts
    good: list[str] = []
    content = 0
    for no, line in enumerate(lines, 1):
        if line is None:
            content += 1
            continue
        if line.endswith("\r"):
            line = line[:-1]
        if not line or line.isspace():
            counts.blank_lines += 1
            continue
        content += 1
        parts = line.split("\t")
        err = None
        if _CONTROL.search(line):
            err = FormatError(path, no, "binary data (NUL or control bytes): this is not a UniMorph text file; "
                                        "check the path", reason="binary")
        elif len(parts) != 3:
            hint = " (a .gloss file is lemma<TAB>gloss: read it with lexaug.loaders.glosses)" \
                if path.endswith(".gloss") and len(parts) == 2 else ""
            err = FormatError(path, no, f"expected 3 tab-separated columns (lemma, form, features), got "
                                        f"{len(parts)}{hint}; fix the row or read leniently to skip it",
                              reason="columns")
        else:
            lemma, form, feats = parts
            empty = "lemma" if not lemma.strip() else "form" if not form.strip() else \
                "features" if not feats.strip() else None
            if empty:
                err = FormatError(path, no, f"empty {empty} column; fill it in or read leniently to skip the row",
                                  reason="empty_field")
            else:
                try:
                    parse_features(feats)
                except FeatureError as exc:
                    err = FormatError(path, no, f"{exc}; fix the tags or read leniently to skip the row",
                                      reason="features")
        if err is not None:
            if strict:
                raise err
            counts.skip(err)
            continue
        good.append(line)
        rows.intern[feats] = feats
    if content == 0:
        err = FormatError(path, None, "empty file: no lemma<TAB>form<TAB>features rows; check the path "
                                      "(split tables are read from all parts, e.g. fin.1 and fin.2)",
                          reason="empty_file")
        if strict:
            raise err
        counts.skip(err)
    rows.extend(good)
