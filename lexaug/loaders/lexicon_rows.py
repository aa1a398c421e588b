"""Reading lexicon files into checked rows: decoding, separator sniffing and the documented errors.

Accepted layout: one `source<SEP>target` pair per line, no header, no comments, no quoting. SEP is a TAB
(GATITOS, Wang et al. 2022, PanLex-derived extracts, MUSE files written with tabs) or a single space (MUSE
dictionaries); it is sniffed per file (TAB when the file holds any TAB, else space) unless given. With a space
separator both sides are single words (runs of spaces or TABs count as one separator). Rows with more than 2 columns
(PanLex extracts that carry scores or ids) are errors unless `extra_columns="ignore"`, which uses the first
two columns and counts the rows. `\\r` at line ends is dropped, a UTF-8 byte-order mark opening the file is
not part of the first headword, whitespace-only lines are blank (counted, not rows), text becomes NFC.

Errors (`FormatError`, message after `path, line N: `), with the `reason` used for lenient counts:
  columns      expected 2 tab-separated columns, got 1; fix the row, or read leniently to skip it
  empty_field  empty source column; fix the row, or read leniently to skip it
(`lexaug synthesize` adds the option that reads resources leniently, `--lexicon-lenient`; `lexicon stats` has
`--lenient`. A lenient read keeps the first messages in `FileCounts.messages`.)
  binary       NUL byte: this is a binary file, not a UTF-8 text lexicon; convert or decompress it first
  encoding     not valid UTF-8 (byte 0xe9 at column 5); re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`
File-level errors (raised in lenient mode too, since no row of such a file can be read):
  encoding     (line 1) file is UTF-16 (byte-order mark); re-encode it as UTF-8, e.g. `iconv -f utf-16 -t utf-8`
  binary       gzip-compressed file; decompress it first (`gunzip`)
  empty        empty file: no lexicon rows (expected `source<TAB>target` lines)  [lenient: counted in stats]
"""

from __future__ import annotations

import unicodedata
from itertools import repeat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from lexaug.errors import ConfigError, FormatError, wide_encoding_error
from lexaug.loaders.lexicon_text import clean_field

_SEPARATORS = {"\t": "\t", "tab": "\t", "\\t": "\t", " ": " ", "space": " "}
_SKIP_HINT = "fix the row, or read leniently to skip it"
MAX_MESSAGES = 10  # skip messages kept per file in lenient mode (for manifests and stats)


@dataclass
class FileCounts:
    """What reading one file saw: `lines` = non-blank lines = `rows_read` + sum(`skipped`.values())."""

    path: str
    sha256: str
    sep: str = "\t"
    lines: int = 0
    blank_lines: int = 0
    rows_read: int = 0
    skipped: Counter = field(default_factory=Counter)
    extra_columns_ignored: int = 0
    empty: bool = False
    messages: list[str] = field(default_factory=list)  # the first skip messages (lenient mode)


def separator(sep: str | None) -> str | None:
    """The separator character for `sep` ("\\t", "tab", " ", "space"), None to sniff; ConfigError otherwise."""
    if sep is None:
        return None
    if sep not in _SEPARATORS:
        raise ConfigError(f"unknown lexicon separator {sep!r}: use 'tab' or 'space' (or leave it out to sniff)")
    return _SEPARATORS[sep]


def _fail(path: Path, line: int | None, message: str, reason: str, strict: bool, counts: FileCounts) -> None:
    if strict:
        raise FormatError(path, line, message, reason=reason)
    counts.skipped[reason] += 1
    if len(counts.messages) < MAX_MESSAGES:
        counts.messages.append(str(FormatError(path, line, message, reason=reason)))


COMPRESSED = ((b"\x1f\x8b", "gzip", "gunzip"), (b"\x28\xb5\x2f\xfd", "zstd", "unzstd"))  # magic, name, tool


def reject_compressed(path: str | Path, data: bytes) -> None:
    """Raise FormatError (reason `binary`) when `data` is a gzip or zstd stream: a text table read as such would
    be misdiagnosed (as Latin-1, or as binary rows). Shared by the lexicon and UniMorph readers."""
    for magic, name, tool in COMPRESSED:
        if data.startswith(magic):
            raise FormatError(path, None, f"{name}-compressed file; decompress it first (`{tool}`)", reason="binary")


def decode_lines(path: Path, data: bytes, strict: bool, counts: FileCounts) -> list[str | None]:
    """Lines of `data` as NFC text without `\\r`; a line that cannot be decoded is None (counted, lenient)."""
    wide = wide_encoding_error(path, data)
    if wide:
        raise wide
    reject_compressed(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":  # the final newline ends the last line; it does not start a new one
        raw.pop()
    try:
        if b"\x00" in data:
            raise ValueError
        # Fast path: one decode and one NFC pass over the whole file (NFC never composes across "\n").
        text = data.decode("utf-8")
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        lines: list[str | None] = list(text.split("\n"))
        if lines and lines[-1] == "" and len(lines) > len(raw):
            lines.pop()
    except (UnicodeDecodeError, ValueError):
        lines = [_decode_line(path, number, line, strict, counts) for number, line in enumerate(raw, start=1)]
    if b"\r" not in data:
        return lines
    return [line[:-1] if line is not None and line.endswith("\r") else line for line in lines]


def _decode_line(path: Path, number: int, line: bytes, strict: bool, counts: FileCounts) -> str | None:
    if b"\x00" in line:
        _fail(path, number, "NUL byte: this is a binary file, not a UTF-8 text lexicon; convert or decompress "
              "it first", "binary", strict, counts)
        return None
    try:
        return unicodedata.normalize("NFC", line.decode("utf-8"))
    except UnicodeDecodeError as err:
        _fail(path, number, f"not valid UTF-8 (byte 0x{line[err.start]:02x} at column {err.start + 1}); "
              "re-encode the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`", "encoding", strict, counts)
        return None


def sniff_separator(lines: list[str | None]) -> str:
    """TAB when any line holds a TAB, else a single space."""
    return "\t" if any(line is not None and "\t" in line for line in lines) else " "


def _needs_cleaning(text: str) -> bool:
    """True when some field of the joined lines has whitespace `clean_field` would change: a run of spaces,
    a space at a field edge, or any whitespace/control character but a plain space (plain `in` tests run in C;
    a regular expression over the whole file was several times slower)."""
    if "  " in text or " \t" in text or "\t " in text or " \n" in text or "\n " in text:
        return True
    if text.startswith(" ") or text.endswith(" "):
        return True
    return not text.replace("\t", "").replace("\n", "").isprintable()


def parse_rows(path: Path, lines: list[str | None], sep: str, strict: bool, extra_columns: str,
               counts: FileCounts) -> tuple[list[str], list[str]]:
    """(sources, targets) of the well-formed rows, fields cleaned by `clean_field`.

    Blank lines and rows that fail are counted in `counts`; in strict mode a failing row raises FormatError.
    """
    if sep == "\t" and None not in lines:
        # Fast path for the common clean file: bulk splits and checks in C, no per-row Python branching.
        clean = cast(list[str], lines)  # no None in it: checked above
        text = "\n".join(clean)
        # Exactly one TAB per line: as many TABs as lines, and every line holds one.
        if text.count("\t") == len(lines) and all(map(str.__contains__, clean, repeat("\t"))) \
                and not _needs_cleaning(text):
            cells = text.replace("\n", "\t").split("\t")
            srcs, tgts = cells[0::2], cells[1::2]
            if "" not in srcs and "" not in tgts:
                counts.lines += len(lines)
                return srcs, tgts
    return _parse_slow(path, lines, sep, strict, extra_columns, counts)


def _parse_slow(path: Path, lines: list[str | None], sep: str, strict: bool, extra_columns: str,
                counts: FileCounts) -> tuple[list[str], list[str]]:
    kind = "tab" if sep == "\t" else "space"
    ignore_extra = extra_columns == "ignore"
    srcs: list[str] = []
    tgts: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line is None:  # undecodable, already counted
            counts.lines += 1
            continue
        if not line or line.isspace():
            counts.blank_lines += 1
            continue
        counts.lines += 1
        parts = line.split("\t") if sep == "\t" else [p for p in line.replace("\t", " ").split(" ") if p]
        if len(parts) != 2:
            if len(parts) > 2 and ignore_extra:
                counts.extra_columns_ignored += 1
            else:
                hint = (_SKIP_HINT if len(parts) < 2 else
                        "fix the row, or read leniently to skip it, or use the first two columns with "
                        "extra_columns='ignore' (`lexaug lexicon stats --extra-columns ignore`)")
                _fail(path, number, f"expected 2 {kind}-separated columns, got {len(parts)}; {hint}",
                      "columns", strict, counts)
                continue
        src, tgt = clean_field(parts[0]), clean_field(parts[1])
        if not src or not tgt:
            side = "source" if not src else "target"
            _fail(path, number, f"empty {side} column; {_SKIP_HINT}", "empty_field", strict, counts)
            continue
        srcs.append(src)
        tgts.append(tgt)
    return srcs, tgts
