"""CoNLL-U (Universal Dependencies, https://universaldependencies.org/format.html).

A record is a sentence (comment lines, word lines, the blank line after it). Slots are the FORM column of the
word lines (integer ID); every other column, comment lines, multiword-token range lines (`1-2`) and empty nodes
(`8.1`) are kept unchanged. Words covered by a range line are frozen by default (`freeze_multiword=True`),
because the range line's surface form, which stays unchanged, must keep spelling them. When forms change, the
`# text = ...` comment is rewritten by replacing each surface token's original form at its position in the
text, so spacing and anything else in the text survive; unchanged forms leave it untouched. A `# text` that
does not spell the original surface forms (apart from whitespace) is left as it is, never guessed at, and
counted in `notes["conllu_text_unmatched"]` (the manifest's `generator_stats`). A changed FORM may hold spaces
(UD v2 allows them; the reader splits at tabs only), so a multiword translation stays one word; a FORM with a
tab or line break cannot be written (FormatError, reason `render`). IDs are ASCII digits; a range `N-M` needs
N < M. A word line
without exactly 10 tab-separated columns, or with an ID that is none of `N`, `N-M`, `N.M`, is a FormatError.
A UTF-8 byte-order mark opening the file is kept in the output but is not part of the first line.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from lexaug.errors import FormatError
from lexaug.io.blocks import BlockFormat, block_lines, interleave
from lexaug.io.text import split_terminator
from lexaug.types import Record

_RANGE = re.compile(r"([0-9]+)-([0-9]+)\Z")  # ASCII digits only: `\d` and str.isdigit accept '²', '١', '５'
_EMPTY = re.compile(r"[0-9]+\.[0-9]+\Z")
_UNWRITABLE = re.compile(r"[\t\n\r]")
_TEXT = "# text = "
_BOM = "\ufeff"


class ConlluFormat(BlockFormat):
    """CoNLL-U sentences (`.conllu`).

    Args:
        freeze_multiword: freeze the words inside multiword tokens (their range line is never rewritten).
    """

    name = "conllu"
    extensions = (".conllu",)

    def __init__(self, freeze_multiword: bool = True) -> None:
        super().__init__()
        self.freeze_multiword = freeze_multiword
        # what `render` did besides writing, e.g. `conllu_text_unmatched`: `# text` lines left alone because
        # they do not spell the FORMs; the synthesis engine moves these counts into the manifest per chunk
        self.notes: Counter[str] = Counter()

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        parts: list[str] = []
        slots: list[str] = []
        surface: list[str | int] = []  # in text order: a fixed form (range line) or the index of a slot
        ranges: list[tuple[int, int]] = []
        word_ids: list[int] = []
        text_at: tuple[int, int, int] | None = None  # (part index, start, end) of the `# text` value
        acc = ""
        for offset, piece in enumerate(block_lines(raw)):
            if piece.startswith(_BOM):  # a byte-order mark opening the file: kept, but not part of the line
                acc += _BOM
                piece = piece[1:]
            content, end = split_terminator(piece)
            if not content.strip() or content.startswith("#"):
                if content.startswith(_TEXT) and text_at is None:
                    start = len(acc) + len(_TEXT)
                    text_at = (len(parts), start, start + len(content) - len(_TEXT))
                acc += piece
                continue
            cols = content.split("\t")
            if len(cols) != 10:
                raise FormatError(path, line + offset, f"expected 10 tab-separated columns, got {len(cols)}: "
                                  f"{content[:80]!r}; fix the line or read leniently to skip its sentence",
                                  reason="columns")
            wid = cols[0]
            if wid.isdigit() and wid.isascii():
                number = int(wid)
                if not any(a <= number <= b for a, b in ranges):
                    surface.append(len(slots))
                word_ids.append(number)
                acc += wid + "\t"
                parts.append(acc)
                slots.append(cols[1])
                acc = content[len(wid) + 1 + len(cols[1]):] + end
                continue
            found = _RANGE.match(wid)
            if found:
                first, last = int(found.group(1)), int(found.group(2))
                if last <= first:
                    raise FormatError(path, line + offset, f"multiword range {wid} does not run forward (N-M needs "
                                      "N < M); fix the line or read leniently to skip its sentence",
                                      reason="bad_id")
                ranges.append((first, last))
                surface.append(cols[1])
            elif not _EMPTY.match(wid):
                raise FormatError(path, line + offset, f"ID {wid!r} is not N, N-M or N.M (ASCII digits); fix the "
                                  "line or read leniently to skip its sentence", reason="bad_id")
            acc += piece
        parts.append(acc)
        frozen: frozenset[int] = frozenset()
        if self.freeze_multiword and ranges:
            frozen = frozenset(n for n, w in enumerate(word_ids) if any(a <= w <= b for a, b in ranges))
        return Record(rid, slots, frozen=frozen, payload=(parts, tuple(slots), surface, text_at))

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        parts, original, surface, text_at = record.payload
        if tuple(record.slots) != original:
            if _UNWRITABLE.search("".join(record.slots)):
                form = next(f for f in record.slots if _UNWRITABLE.search(f))
                raise FormatError(None, None, f"FORM {form!r} holds a tab or line break, which a CoNLL-U line "
                                  "cannot hold", reason="render")
            if text_at is not None:
                index, start, end = text_at
                part = parts[index]
                old = part[start:end]
                if not spells(old, surface, original):
                    self.notes["conllu_text_unmatched"] += 1
                else:
                    parts = list(parts)
                    parts[index] = part[:start] + rewrite_text(old, surface, original, record.slots) + part[end:]
        return interleave(parts, record.slots)


def spells(text: str, surface: list[str | int], original: tuple[str, ...]) -> bool:
    """True when `text` is the surface tokens' original forms in order, with only whitespace added between
    them: then `rewrite_text` finds every form where it is, and the rewrite changes nothing else."""
    forms = "".join([item if isinstance(item, str) else original[item] for item in surface])
    if forms == text.replace(" ", ""):  # the usual case: single spaces between tokens
        return True
    return "".join(forms.split()) == "".join(text.split())


def rewrite_text(text: str, surface: list[str | int], original: tuple[str, ...], forms: list[str]) -> str:
    """Replace each surface token's original form in `text` by its new form, left to right; a token not found
    where expected is skipped, leaving that part of the text as it was."""
    out: list[str] = []
    cursor = 0
    for item in surface:
        old, new = (item, item) if isinstance(item, str) else (original[item], forms[item])
        if not old:
            continue
        at = cursor
        while at < len(text) and text[at].isspace():
            at += 1
        if not text.startswith(old, at):
            at = text.find(old, cursor)
            if at < 0:
                continue
        out.append(text[cursor:at])
        out.append(new)
        cursor = at + len(old)
    out.append(text[cursor:])
    return "".join(out)
