"""MASSIVE (FitzGerald et al. 2022) JSONL: `annot_utt` marks slots as `[slot_name : value]`.

Slots are the pieces of `annot_utt` outside brackets and the slot values, alternating and starting with the
(possibly empty) text before the first bracket: `"wake me [time : five am] now"` gives slots
`["wake me ", "five am", " now"]`; the bracket openings (`[time : `) and `]` stay in the payload, so the
bracket structure stays valid. `keep_slot_values=True` freezes the values. When slots change, `annot_utt` is
rebuilt and `utt` is set to `annot_utt` with each bracket reduced to its value (how MASSIVE builds `utt`, e.g.
`"wake me five am now"`); unchanged slots keep both fields' original bytes. Other fields are kept as in `jsonl`,
and provenance is spliced in the same way.
"""

from __future__ import annotations

from typing import Any

from lexaug.defaults import PROVENANCE_KEY
from lexaug.errors import FormatError
from lexaug.io.base import Format
from lexaug.io.jsonspan import encode_like, locate, provenance_edit, splice, string_at
from lexaug.types import Record

_SEP = " : "
_HINT = "MASSIVE records hold 'annot_utt' (and 'utt') strings; for other JSONL use --format jsonl"


def parse_annot(annot: str, path: str | None = None, line: int = 0) -> tuple[list[str], list[str]]:
    """Split an `annot_utt` into (slots, bracket openings): slots alternate outside text and values, so
    `len(slots) == 2 * len(openings) + 1`. Raises FormatError on an unbalanced bracket or a missing ` : `."""
    slots: list[str] = []
    openings: list[str] = []
    pos = 0
    while True:
        open_at = annot.find("[", pos)
        close_at = annot.find("]", pos)
        if open_at < 0:
            if close_at >= 0:
                raise FormatError(path, line, f"unbalanced ']' at column {close_at + 1} of annot_utt",
                                  reason="unbalanced_bracket")
            slots.append(annot[pos:])
            return slots, openings
        if 0 <= close_at < open_at:
            raise FormatError(path, line, f"unbalanced ']' at column {close_at + 1} of annot_utt",
                              reason="unbalanced_bracket")
        slots.append(annot[pos:open_at])
        close_at = annot.find("]", open_at)
        nested = annot.find("[", open_at + 1)
        if close_at < 0 or 0 <= nested < close_at:
            raise FormatError(path, line, f"unbalanced '[' at column {open_at + 1} of annot_utt: no matching ']'",
                              reason="unbalanced_bracket")
        inside = annot[open_at + 1:close_at]
        sep = inside.find(_SEP)
        if sep <= 0:
            raise FormatError(path, line, f"bracket at column {open_at + 1} of annot_utt lacks "
                              f"'[slot_name : value]' form: {annot[open_at:close_at + 1]!r}", reason="bad_slot")
        openings.append(annot[open_at:open_at + 1 + sep + len(_SEP)])
        slots.append(inside[sep + len(_SEP):])
        pos = close_at + 1


def build_annot(slots: list[str], openings: list[str]) -> tuple[str, str]:
    """(annot_utt, utt) from slots and bracket openings; raises FormatError(reason="render") when a slot holds
    a bracket, which would break the structure."""
    annot, utt = [slots[0]], [slots[0]]
    for n, opening in enumerate(openings):
        value, after = slots[2 * n + 1], slots[2 * n + 2]
        annot += [opening, value, "]", after]
        utt += [value, after]
    for text in slots:
        if "[" in text or "]" in text:
            raise FormatError(None, None, f"a MASSIVE slot may not contain '[' or ']': {text!r}", reason="render")
    return "".join(annot), "".join(utt)


class MassiveFormat(Format):
    """MASSIVE JSONL (`annot_utt` + `utt`).

    Args:
        keep_slot_values: freeze slot values so generators rewrite only the text outside brackets.
        provenance_key: top-level key that receives provenance in `render`.
    """

    name = "massive"
    extensions = ()

    def __init__(self, keep_slot_values: bool = False, provenance_key: str = PROVENANCE_KEY) -> None:
        super().__init__()
        self.keep_slot_values = keep_slot_values
        self.provenance_key = provenance_key

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        located = locate(raw, [("annot_utt",), ("utt",), (self.provenance_key,)], path, line)
        annot = string_at(raw, located.spans[0], "annot_utt", path, line, _HINT)
        spans = located.spans
        if spans[1] is not None:
            string_at(raw, spans[1], "utt", path, line, _HINT)
        slots, openings = parse_annot(annot, path, line)
        frozen = frozenset(range(1, len(slots), 2)) if self.keep_slot_values else frozenset()
        return Record(rid, slots, frozen=frozen, payload=(raw, located, openings, tuple(slots)))

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        raw, located, openings, original = record.payload
        edits = []
        if tuple(record.slots) != original:
            annot, utt = build_annot(record.slots, openings)
            for span, value in zip(located.spans[:2], (annot, utt)):
                if span is not None:
                    edits.append((span[0], span[1], encode_like(value, raw[span[0]:span[1]])))
        if provenance is not None:
            edits.append(provenance_edit(located, self.provenance_key, located.spans[2], provenance))
        return splice(raw, edits) if edits else raw
