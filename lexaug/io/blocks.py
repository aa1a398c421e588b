"""Shared pieces of the sentence-per-block formats (CoNLL, CoNLL-U): splitting a stream into whole sentence
records, and the interleaved payload that rebuilds a record from its token slots.

A record is: optional leading lines that belong to no sentence (blank lines at the start of the file,
`-DOCSTART-` lines and the blank lines after them), the sentence's lines, and the blank lines that follow it.
Every byte of the file therefore belongs to exactly one record, and rendering the records in order rebuilds
the file. A file that ends with leading-type lines only (e.g. a final `-DOCSTART-`) yields one record without
slots for them.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from lexaug.io.base import Format

_PREFIX, _BODY, _SUFFIX = 0, 1, 2
_BOM = "\ufeff"


def interleave(parts: list[str], slots: list[str]) -> str:
    """parts[0] + slots[0] + parts[1] + ... + slots[-1] + parts[-1] (len(parts) == len(slots) + 1)."""
    out = [parts[0]]
    for slot, part in zip(slots, parts[1:]):
        out.append(slot)
        out.append(part)
    return "".join(out)


def block_lines(raw: str) -> list[str]:
    """Lines of a record with their terminators, split at `\\n` only (str.splitlines would also split at
    `\\r`, form feeds, U+2028...)."""
    pieces = raw.split("\n")
    lines = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


class BlockFormat(Format):
    """A format whose records are blank-line separated blocks of lines."""

    # A non-blank line starting with this belongs before a sentence, not to it (CoNLL `-DOCSTART-`).
    prefix_marker: str | None = None

    def split_records(self, lines: Iterable[str]) -> Iterator[tuple[str, int]]:
        buf: list[str] = []
        state = _PREFIX
        marker = self.prefix_marker
        for line in lines:
            if line.isspace():
                buf.append(line)
                if state == _BODY:
                    state = _SUFFIX
            elif marker is not None and (line.startswith(marker) or line.lstrip(_BOM).startswith(marker)):
                if state != _PREFIX:
                    yield "".join(buf), len(buf)
                    buf = []
                buf.append(line)
                state = _PREFIX
            else:
                if state == _SUFFIX:
                    yield "".join(buf), len(buf)
                    buf = []
                buf.append(line)
                state = _BODY
        if buf:
            yield "".join(buf), len(buf)
