"""Token-per-line labelled data: CoNLL / XTREME `token<TAB>label[<TAB>more]` and MasakhaNER `token label`.

A record is a sentence (see `lexaug.io.blocks`); its slots are the tokens, one slot per token line, so labels
stay aligned (a multiword translation stays in its token's slot). The payload keeps separators, label columns,
blank lines, `-DOCSTART-` lines and line endings. The separator and the column count are sniffed from the
file's first token line unless given; every token line must have that many columns. A UTF-8 byte-order mark at
the start of the file (MasakhaNER luo/train.txt) is kept in the output but is not part of the first token.
Note: with the space separator, a multiword translation makes a line that reads back with too many columns.
"""

from __future__ import annotations

from typing import Any

from lexaug.errors import ConfigError, FormatError
from lexaug.io.blocks import BlockFormat, block_lines, interleave
from lexaug.io.text import split_terminator
from lexaug.types import Record

_SEP_NAMES = {"\t": "tab", " ": "space"}
_SEP_ALIASES = {"tab": "\t", "\\t": "\t", "\t": "\t", "space": " ", " ": " "}
DOCSTART = "-DOCSTART-"
_BOM = "\ufeff"


class ConllFormat(BlockFormat):
    """CoNLL-style token/label columns (`.conll`, `.tsv`).

    Args:
        sep: `"tab"`/`"\\t"`, `"space"`/`" "`, or None to sniff from the first token line.
        columns: required columns per token line (>= 2), or None to take the first token line's count.
    """

    name = "conll"
    extensions = (".conll", ".tsv", ".iob", ".bio")

    def __init__(self, sep: str | None = None, columns: int | None = None) -> None:
        super().__init__()
        if sep is not None and sep not in _SEP_ALIASES:
            raise ConfigError(f"conll separator must be 'tab' or 'space', got {sep!r}")
        if columns is not None and int(columns) < 2:
            raise ConfigError(f"conll needs at least 2 columns (token and label), got {columns}")
        self.sep = _SEP_ALIASES[sep] if sep is not None else None
        self.columns = int(columns) if columns is not None else None

    prefix_marker = DOCSTART

    def sniff(self, first_record: str) -> tuple[tuple[str, Any], ...]:
        for line in block_lines(first_record):
            content = line.lstrip(_BOM)
            if content.strip() and not content.startswith(DOCSTART):
                sep = self.sep or ("\t" if "\t" in content else " ")
                return (("sep", sep), ("columns", self.columns or len(content.split(sep))))
        return ()

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        sep = self.sep or hints.get("sep")
        columns = self.columns or hints.get("columns")
        parts: list[str] = []
        slots: list[str] = []
        acc = ""
        for offset, text in enumerate(block_lines(raw)):
            content, end = split_terminator(text)
            if content.startswith(_BOM):
                acc += _BOM
                content = content[1:]
            if not content or content.isspace() or content.startswith(DOCSTART):
                acc += content + end
                continue
            if sep is None:
                sep = "\t" if "\t" in content else " "
            cols = content.split(sep)
            if columns is None:
                columns = len(cols)
            if len(cols) != columns or len(cols) < 2 or not cols[0]:
                raise FormatError(path, line + offset, _column_message(cols, columns, sep, content),
                                  reason="columns")
            parts.append(acc)
            slots.append(cols[0])
            acc = content[len(cols[0]):] + end
        parts.append(acc)
        return Record(rid, slots, payload=parts)

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        return interleave(record.payload, record.slots)


def _column_message(cols: list[str], columns: int | None, sep: str, content: str) -> str:
    name = _SEP_NAMES.get(sep, repr(sep))
    if cols and not cols[0] and len(cols) >= 2:
        return f"empty token before the first {name}: {content!r}; remove the stray {name}"
    want = max(columns or 2, 2)
    return (f"expected {want} {name}-separated columns (token, label...), got {len(cols)}: {content!r}; "
            f"fix the line, pass the right separator, or read leniently to skip its sentence")
