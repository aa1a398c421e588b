"""Plain text: one record per line.

The slot is the line without its terminator; the payload is the terminator (`\\n`, `\\r\\n`, or `""` on a last
line without one), so the file round-trips byte for byte. Empty lines are records with an empty slot. Text has no
place for provenance; `render` ignores it (JSONL output carries it).
"""

from __future__ import annotations

from typing import Any

from lexaug.io.base import Chunk, Format
from lexaug.types import Record


def split_terminator(line: str) -> tuple[str, str]:
    """(content, terminator) of one line: terminator is `\\r\\n`, `\\n` or `""`."""
    if line.endswith("\n"):
        if line.endswith("\r\n"):
            return line[:-2], "\r\n"
        return line[:-1], "\n"
    return line, ""


class TextFormat(Format):
    """One record per line (`.txt`)."""

    name = "text"
    extensions = (".txt",)

    def __init__(self) -> None:
        super().__init__()

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        if raw[-1:] == "\n":  # `split_terminator`, inlined: this runs once per line
            if raw[-2:] == "\r\n":
                return Record(rid, [raw[:-2]], payload="\r\n")
            return Record(rid, [raw[:-1]], payload="\n")
        return Record(rid, [raw], payload="")

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        return record.slots[0] + record.payload

    def lines(self, chunk: Chunk) -> tuple[list[str], list[str]]:
        """(contents, terminators) of the lines of a chunk, as `parse` makes its records' slots and payloads,
        without building the records (`SynthesisJob` rewrites plain text this way)."""
        contents = chunk.text.split("\n")
        last = contents.pop()
        ends = ["\n"] * len(contents)
        if "\r" in chunk.text:
            crlf = [i for i, line in enumerate(contents) if line[-1:] == "\r"]
            for i in crlf:
                contents[i] = contents[i][:-1]
                ends[i] = "\r\n"
        if last:
            contents.append(last)
            ends.append("")
        return contents, ends
