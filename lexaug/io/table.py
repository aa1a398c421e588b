"""Tab-separated tables with a header row (SIB-200 `train.tsv`): one column rewritten, every other byte kept.

The first line is the header; it names the columns and is written back unchanged (it has no slot). Each later
line is one record whose slot is the cell of the text column (`field`, `text` by default, as SIB-200 names it);
the other cells and the line terminator are the payload, so an unchanged record is written back byte for byte
and the labels (`category`) and ids stay where they were. Cells are split on TAB only, without quoting, as
SIB-200 ships them; a line with another number of cells than the header is malformed (file and line named).
Blank lines are kept as records with no slot. Tables have no place for provenance; `render` ignores it.
"""

from __future__ import annotations

from typing import Any

from lexaug.defaults import JSONL_FIELD
from lexaug.errors import ConfigError, FormatError
from lexaug.io.base import Format
from lexaug.io.text import split_terminator
from lexaug.types import Record


def header_cells(first_line: str) -> list[str]:
    """The column names of a header line (terminator and a leading byte-order mark removed)."""
    content, _ = split_terminator(first_line)
    return content.lstrip("\ufeff").split("\t")


class TsvFormat(Format):
    """A TSV table with a header row and one text column (`--format tsv --text-field text`).

    Args:
        field: the header name of the column to rewrite (default `text`).
    """

    name = "tsv"
    extensions: tuple[str, ...] = ()  # `.tsv` is a table or CoNLL by its first line: `lexaug.io.format_for_path`

    def __init__(self, field: str = JSONL_FIELD) -> None:
        super().__init__()
        self.field = field

    def sniff(self, first_record: str) -> tuple[tuple[str, Any], ...]:
        """The header's cells, for every chunk (the header is the file's first record)."""
        return (("header", tuple(header_cells(first_record))),)

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        header = hints["header"]
        if self.field not in header:  # no row can be read: an error in lenient mode too
            raise ConfigError(f"{path or '<stdin>'}, line 1: the header has no column {self.field!r} (columns: "
                              f"{', '.join(header)}); name the text column with --text-field")
        content, end = split_terminator(raw)
        if line == 1 or not content.strip():
            return Record(rid, [], payload=(raw, None))  # the header, or a blank line: written back as it was
        cells = content.split("\t")
        if len(cells) != len(header):
            raise FormatError(path, line, f"expected {len(header)} tab-separated cells (as the header), got "
                                          f"{len(cells)}; fix the row (a TAB inside a text splits it)",
                              reason="columns")
        at = header.index(self.field)
        return Record(rid, [cells[at]], payload=(raw, (cells, at, end)))

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        raw, row = record.payload
        if row is None:
            return raw
        cells, at, end = row
        if record.slots[0] == cells[at]:
            return raw
        return "\t".join([*cells[:at], record.slots[0], *cells[at + 1:]]) + end
