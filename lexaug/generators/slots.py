"""Shared slot plumbing: which slots a generator may edit, and one string for all of them.

Editable slots are joined with NUL so that one split, one lookup pass and one random draw serve the whole
record (CoNLL-like records have one slot per token). NUL is neither a word character nor whitespace, so
words and multiword matches never cross a slot boundary. A slot that itself contains NUL makes the record
fall back to one pass per slot.
"""

from __future__ import annotations

from collections.abc import Callable

from lexaug.types import Record

SEP = "\x00"


def rewrite_slots(record: Record, rewrite: Callable[[str], str]) -> list[str]:
    """New slot list: `rewrite` applied to the editable slots' text (joined when safe); frozen slots kept."""
    slots = record.slots
    frozen = record.frozen
    if len(slots) == 1 and not frozen:
        return [rewrite(slots[0])]
    editable = [i for i in range(len(slots)) if i not in frozen]
    out = list(slots)
    if not editable:
        return out
    texts = [slots[i] for i in editable]
    joined = SEP.join(texts)
    if joined.count(SEP) == len(texts) - 1:
        pieces = rewrite(joined).split(SEP)
    else:
        pieces = [rewrite(t) for t in texts]
    for i, piece in zip(editable, pieces):
        out[i] = piece
    return out
