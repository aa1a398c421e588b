"""JSON Lines: one JSON object per line, one text field rewritten, every other byte of the line kept.

The slot is the string value of a configurable field (`text` by default; `"doc.text"` or `("doc", "text")`
reach nested objects). Writers splice the re-encoded string into the raw line at that value's span instead of
re-dumping the object, so key order, spacing, number formatting and `\\u00e9`-style escapes survive; an unchanged slot
keeps the original bytes exactly. Provenance (a dict) is spliced in as one extra key (default `lexaug`) after
the last top-level value; an existing key of that name has its value replaced. Whitespace-only lines are kept
as records with no slots. Format: https://jsonlines.org/.
"""

from __future__ import annotations

from typing import Any, Sequence

from lexaug.defaults import JSONL_FIELD, PROVENANCE_KEY
from lexaug.io.base import Format
from lexaug.io.jsonspan import encode_like, locate, provenance_edit, splice, string_at
from lexaug.types import Record


def field_path(field: str | Sequence[str]) -> tuple[str, ...]:
    """`"a.b"` or `("a", "b")` -> `("a", "b")`."""
    return tuple(field.split(".")) if isinstance(field, str) else tuple(field)


class JsonlFormat(Format):
    """JSON Lines (`.jsonl`) with one text field.

    Args:
        field: the text field, dotted for nested keys (default `lexaug.defaults.JSONL_FIELD`).
        provenance_key: top-level key that receives provenance in `render` (default `lexaug`).
    """

    name = "jsonl"
    extensions = (".jsonl", ".ndjson")

    def __init__(self, field: str | Sequence[str] = JSONL_FIELD, provenance_key: str = PROVENANCE_KEY) -> None:
        super().__init__()
        self.field = field_path(field)
        self.field_name = ".".join(self.field)
        self.provenance_key = provenance_key

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        stripped = raw.strip()
        if not stripped or (stripped == "\ufeff" and line <= 1):  # blank, or a byte-order mark on a blank line 1
            return Record(rid, [], payload=(raw, None, None, None, None))
        located = locate(raw, [self.field, (self.provenance_key,)], path, line)
        span = located.spans[0]
        value = string_at(raw, span, self.field_name, path, line)
        return Record(rid, [value], payload=(raw, span, value, located, located.spans[1]))

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        raw, span, original, located, prov_span = record.payload
        if span is None:
            return raw
        edits = []
        if record.slots[0] != original:
            edits.append((span[0], span[1], encode_like(record.slots[0], raw[span[0]:span[1]])))
        if provenance is not None:
            edits.append(provenance_edit(located, self.provenance_key, prov_span, provenance))
        return splice(raw, edits) if edits else raw
