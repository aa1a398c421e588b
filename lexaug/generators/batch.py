"""Chunk-level plumbing: many records rewritten with one split, one lookup pass and one join.

Per-record Python work (a regex call, a handful of small lists, a draw) dominated the generators' time on
short lines, so `pack` joins the editable text of a whole batch of records with `REC` ("\\x01") and splits it
once with a pattern that returns `REC` as a token of its own. Word positions, translations and random draws
then live in flat lists aligned with that token list, the per-word work happens in C (`map` over `dict.get`,
`getitem`, `mod`), and `"".join(parts).split(REC)` gives every record's new text back.

Exactly the per-record result is kept (tested against the per-record path):
* a record's text is its editable slots joined with `slots.SEP` (NUL), as `rewrite_slots` joins them;
  records whose slots contain NUL or `REC` take the per-record path instead;
* `REC` is neither a letter nor whitespace, so no word and no multiword match crosses it, and the word
  patterns' lookaheads see a non-letter at a record's end as they see the end of the string;
* each record's draws are its own stream (`RecordRng(seed, id, name)`), block by block, laid out so that
  value i of a record sits at the position of its word i in the flat list.
"""

from __future__ import annotations

import sys
from array import array
from hashlib import shake_128
from typing import Pattern

from lexaug.generators.slots import SEP
from lexaug.types import Record

REC = "\x01"
PAD = "\x02"  # follows every REC in a packed batch: a gap character, so REC never runs on into letters
SEPARATOR = REC + PAD
BATCH_RECORDS = 64  # records per batch: small enough to stay in CPU caches; the output does not depend on it
_DIGEST = type(shake_128(b"")).digest  # unbound, so `map` calls it from C
_BIG_ENDIAN = sys.byteorder != "little"


def record_text(record: Record) -> str | None:
    """The text a generator rewrites for `record` (editable slots joined with NUL), or None when the record
    must take the per-record path (a slot contains NUL between several editable slots)."""
    slots, frozen = record.slots, record.frozen
    if len(slots) == 1 and not frozen:
        return slots[0]
    texts = [s for i, s in enumerate(slots) if i not in frozen]
    joined = SEP.join(texts)
    if joined.count(SEP) != max(len(texts) - 1, 0):
        return None
    return joined


def record_slots(record: Record, text: str) -> list[str]:
    """The new slot list of `record` from its rewritten text (the inverse of `record_text`)."""
    slots, frozen = record.slots, record.frozen
    if len(slots) == 1 and not frozen:
        return [text]
    out = list(slots)
    editable = [i for i in range(len(slots)) if i not in frozen]
    if editable:
        for i, piece in zip(editable, text.split(SEP)):
            out[i] = piece
    return out


def pack(texts: list[str], split_uni: Pattern[str], split_ascii: Pattern[str] | None
         ) -> tuple[list[str], list[str], list[int]] | None:
    """Split the texts as one string. Returns (parts, tokens, ends): `parts` alternates gaps and tokens,
    `tokens = parts[1::2]` holds the words with one `REC` between records, `ends[k]` is the index in `tokens`
    just past record k (its `REC`, or len(tokens)). None when a text contains `REC` itself.
    The texts are joined with `REC` + `PAD` (see `WordSpec.batch_splitters`, which says why); the `PAD` that
    opens the gap after each `REC` is taken off again, so the parts are those of texts joined with `REC`."""
    joined = SEPARATOR.join(texts)
    if joined.count(REC) != len(texts) - 1:
        return None
    split = split_ascii if split_ascii is not None and joined.isascii() else split_uni
    parts = split.split(joined)
    toks = parts[1::2]
    index, ends, e = toks.index, [], -1
    for _ in range(len(texts) - 1):
        e = index(REC, e + 1)
        ends.append(e)
        parts[2 * e + 2] = parts[2 * e + 2][1:]  # the gap after this REC starts with PAD
    ends.append(len(toks))
    return parts, toks, ends


def word_counts(ends: list[int]) -> list[int]:
    """Words per record from `pack`'s ends."""
    return [e - s - 1 for e, s in zip(ends, [-1, *ends[:-1]])]


def materials(seed: int | str, name: str, ids: list[str], block: int) -> list[bytes]:
    """The hash input of block `block` of each record's stream (see `rng.RecordRng.u32`)."""
    pre = f"{seed}\x1f"
    suf, blk = f"\x1f{name}", block.to_bytes(4, "little")
    return [(pre + rid + suf).encode("utf-8", "surrogatepass") + blk for rid in ids]


def aligned_draws(mats: list[bytes], counts: list[int]) -> array:
    """One uniform 32-bit value per token position: record k's first `counts[k]` values of its block, then
    one filler at its `REC` position."""
    sizes = [4 * (n + 1) for n in counts]
    out = array("I", b"".join(map(_DIGEST, map(shake_128, mats), sizes)))
    if _BIG_ENDIAN:
        out.byteswap()
    return out


def draw_blocks(mats: list[bytes], counts: list[int]) -> list[bytes]:
    """Record k's block as raw bytes, `4 * counts[k]` of them."""
    return list(map(_DIGEST, map(shake_128, mats), [4 * n for n in counts]))


def u32(data: bytes) -> array:
    """Little-endian bytes as 32-bit values."""
    out = array("I", data)
    if _BIG_ENDIAN:
        out.byteswap()
    return out
