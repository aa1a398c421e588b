"""The reader/writer contract every corpus format follows: chunks of raw text, parse, render, and a report.

A format reads a stream in `chunks` (whole records only, as raw text, cheap to pickle to worker processes),
`parse`s a chunk into `Record`s whose id is the record's global 0-based index in the input (so ids do not depend
on chunk size or worker count), and `render`s a record back to exactly its bytes. With unchanged slots,
`"".join(render(r) for r in parse(c) for c in chunks(fh))` equals the input, byte for byte.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from itertools import count, repeat
from operator import itemgetter
from typing import Any, Iterable, Iterator, NamedTuple, TextIO

from lexaug.defaults import MAX_REPORTED_ERRORS
from lexaug.errors import FormatError
from lexaug.io.streams import has_undecodable
from lexaug.types import Record


_RAW, _LINE = itemgetter(0), itemgetter(1)
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes as `surrogateescape` passes them


class Chunk(NamedTuple):
    """Whole records as raw text. `first_line` is the 1-based line number of `text`'s first line in the file,
    `first_index` the global 0-based index of its first record; `hints` carries what `chunks` sniffed from the
    whole file (e.g. the CoNLL separator) so every chunk parses the same way."""

    text: str
    first_line: int = 1
    first_index: int = 0
    hints: tuple[tuple[str, Any], ...] = ()


@dataclass
class ReadReport:
    """What a lenient read skipped. `read` counts records returned, `skipped[reason]` records left out, and
    `errors` keeps the first few messages (file, line, fix) so a user can find them."""

    read: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    max_errors: int = MAX_REPORTED_ERRORS

    def skip(self, error: FormatError) -> None:
        """Count one skipped record under `error.reason` and keep its message if there is room."""
        self.skipped[error.reason] += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(str(error))

    def merge(self, other: "ReadReport") -> "ReadReport":
        """Add another report's counts (e.g. from a worker process) into this one; returns self."""
        self.read += other.read
        self.skipped.update(other.skipped)
        room = self.max_errors - len(self.errors)
        self.errors.extend(other.errors[: max(room, 0)])
        return self

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for manifests: read, skipped by reason, first errors."""
        return {"read": self.read, "skipped": dict(sorted(self.skipped.items())), "errors": list(self.errors)}


def as_chunk(chunk: Chunk | str) -> Chunk:
    return chunk if isinstance(chunk, Chunk) else Chunk(chunk)


class Format(ABC):
    """Base of all corpus formats. Subclasses define `name`, `extensions`, `_records` and `render`."""

    name = "base"
    extensions: tuple[str, ...] = ()

    def __init__(self, **options: Any):
        if options:
            from lexaug.errors import ConfigError

            raise ConfigError(f"format {self.name!r} has no option(s) {', '.join(sorted(options))}")

    # --- reading -------------------------------------------------------------------------------------------
    def split_records(self, lines: Iterable[str]) -> Iterator[tuple[str, int]]:
        """Yield (raw text of one record, number of lines in it) from `lines` (split at `\\n` only), in file
        order. Line formats: one record per line."""
        for line in lines:
            yield line, 1

    def sniff(self, first_record: str) -> tuple[tuple[str, Any], ...]:
        """Hints for every chunk from the file's first record; none by default."""
        return ()

    def chunks(self, fh: TextIO, max_records: int) -> Iterator[Chunk]:
        """Group whole records of `fh` into chunks of at most `max_records` records (>= 1)."""
        max_records = max(1, int(max_records))
        if type(self).split_records is Format.split_records and hasattr(fh, "read_lines"):
            yield from self._line_chunks(fh, max_records)  # one record per line, from a `LineReader`
            return
        parts: list[str] = []
        line = first_line = 1
        index = first_index = 0
        hints: tuple[tuple[str, Any], ...] | None = None
        for raw, nlines in self.split_records(iter_lines(fh)):
            if hints is None:
                hints = self.sniff(raw)
            parts.append(raw)
            index += 1
            line += nlines
            if len(parts) >= max_records:
                yield Chunk("".join(parts), first_line, first_index, hints)
                parts, first_line, first_index = [], line, index
        if parts:
            yield Chunk("".join(parts), first_line, first_index, hints or ())

    def _line_chunks(self, fh: Any, max_records: int) -> Iterator[Chunk]:
        """`chunks` of a one-record-per-line format: `max_records` lines at a time (`LineReader.read_lines`)."""
        index = 0
        hints: tuple[tuple[str, Any], ...] | None = None
        while lines := fh.read_lines(max_records):
            if hints is None:
                hints = self.sniff(lines[0])
            yield Chunk("".join(lines), index + 1, index, hints)
            index += len(lines)

    def parse(self, chunk: Chunk | str, *, path: str | None = None, strict: bool = True,
              report: ReadReport | None = None) -> Iterator[Record]:
        """Records of one chunk. Strict: a malformed record raises FormatError (file, line, fix). Lenient
        (`strict=False`, which needs a `report`): it is skipped and counted in `report.skipped[reason]`."""
        chunk = as_chunk(chunk)
        if report is None:
            if not strict:
                from lexaug.errors import ConfigError

                raise ConfigError("a lenient read needs a ReadReport to count what it skips (report=...)")
            report = ReadReport()
        index = chunk.first_index
        # one encode per chunk: records are checked one by one only in a chunk that holds undecodable bytes
        check = has_undecodable(chunk.text)
        make, hints = self._record, dict(chunk.hints)  # one dict per chunk: `_record`s only read it
        rows = list(self._raw_records(chunk))
        if not check:
            # all records in one C-level `map`; if one is malformed, the loop below redoes the chunk record by
            # record, so what is yielded, raised and skipped is exactly as if it had run alone
            try:
                records = list(map(make, map(_RAW, rows), map(str, count(index)), map(_LINE, rows), repeat(path),
                                   repeat(hints)))
            except FormatError:
                pass
            else:
                report.read += len(records)
                yield from records
                return
        for raw, line, nlines in rows:
            try:
                if check and has_undecodable(raw):
                    bad = _ESCAPED.search(raw)
                    at = line + raw.count("\n", 0, bad.start()) if bad else line  # the bad byte's own line
                    raise FormatError(path, at, "bytes that are not valid UTF-8; re-encode the file as UTF-8",
                                      reason="encoding")
                record = make(raw, str(index), line, path, hints)
            except FormatError as err:
                if strict:
                    raise
                report.skip(err)
            else:
                report.read += 1
                yield record
            index += 1

    def _raw_records(self, chunk: Chunk) -> Iterator[tuple[str, int, int]]:
        """(raw record, its first line number, its line count) for each record of a chunk."""
        line = chunk.first_line
        if type(self).split_records is Format.split_records:  # one record per line: a C-level zip
            return zip(text_lines(chunk.text), count(line), repeat(1))
        return self._grouped_records(chunk.text, line)

    def _grouped_records(self, text: str, line: int) -> Iterator[tuple[str, int, int]]:
        for raw, nlines in self.split_records(text_lines(text)):
            yield raw, line, nlines
            line += nlines

    @abstractmethod
    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        """One record from its raw text (`rid` its global index, `line` its first line in the file)."""

    # --- writing -------------------------------------------------------------------------------------------
    @abstractmethod
    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        """Exactly the text of `record` as this format writes it (with its line terminator(s))."""


def iter_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines split at `\\n` only: pieces of a stream that also splits at a lone `\\r` (a StringIO or a file
    opened with newline="") are glued back, so a lone `\\r` stays ordinary text inside its line."""
    pending = ""
    for line in lines:
        if pending:
            line, pending = pending + line, ""
        if line.endswith("\n"):
            yield line
        else:
            pending = line
    if pending:
        yield pending


def text_lines(text: str) -> list[str]:
    """Lines of a string split at `\\n` only, each with its terminator (one `str.split`, not a line reader)."""
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out
