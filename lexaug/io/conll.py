"""Token-per-line labelled data: CoNLL / XTREME `token<TAB>label[<TAB>more]` and MasakhaNER `token label`.

A record is a sentence (see `lexaug.io.blocks`); its slots are the tokens, one slot per token line, so labels
stay aligned (a multiword translation stays in its token's slot). The payload keeps separators, label columns,
blank lines, `-DOCSTART-` lines and line endings. The separator and the column count are sniffed from the
file's first token line unless given; every token line must have that many columns. A UTF-8 byte-order mark at
the start of the file (MasakhaNER luo/train.txt) is kept in the output but is not part of the first token.
Separators at the end of a line (`a O `) are kept but make no column, so a stray trailing space is neither an
error nor a reason to blame the next line.

A changed token that holds ASCII whitespace (a multiword translation, `Pasin bilong pait`) is written as one
line per word, in space- and tab-separated files alike, with the other columns repeated and a BIO/BIOES tag
continued: `B-X` -> `B-X I-X`, `I-X` -> `I-X I-X`, `O` -> `O O`, `S-X` -> `B-X E-X`, `E-X` -> `I-X E-X`
(`U-`/`L-` as `S-`/`E-`); any other value (a POS tag) is repeated. So every line written reads back with the
file's column count and the sentence stays one entity per entity. Unchanged tokens are written as read, and a
non-breaking space (U+00A0) is not ASCII whitespace: put it in a lexicon's target to keep words on one line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from operator import add
from typing import Any

from lexaug.errors import ConfigError, FormatError
from lexaug.io.blocks import BlockFormat, block_lines, interleave
from lexaug.io.text import split_terminator
from lexaug.types import Record

_SEP_NAMES = {"\t": "tab", " ": "space"}
_SEP_ALIASES = {"tab": "\t", "\\t": "\t", "\t": "\t", "space": " ", " ": " "}
DOCSTART = "-DOCSTART-"
_BOM = "\ufeff"
_WORD_BREAK = re.compile(r"[ \t\n\r\f\v]")
_WORD_SPLIT = re.compile(r"[ \t\n\r\f\v]+")


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
            content = split_terminator(line.lstrip(_BOM))[0]
            if content.strip() and not content.startswith(DOCSTART):
                sep = self.sep or ("\t" if "\t" in content else " ")
                return (("sep", sep), ("columns", self.columns or _count(content.split(sep))))
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
                columns = _count(cols)
            if (len(cols) != columns and _count(cols) != columns) or len(cols) < 2 or not cols[0]:
                raise FormatError(path, line + offset, _column_message(cols, columns, sep, content),
                                  reason="columns")
            parts.append(acc)
            slots.append(cols[0])
            acc = content[len(cols[0]):] + end
        parts.append(acc)
        return Record(rid, slots, payload=(parts, tuple(slots)))

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        parts, original = record.payload
        slots = record.slots
        if len(slots) == len(original):
            # one C-level look at all tokens: most sentences need no split
            joined = "".join(slots)
            if not _WORD_BREAK.search(joined) and DOCSTART not in joined and "" not in slots:
                return interleave(parts, slots)
            if tuple(slots) == original:
                return interleave(parts, slots)
        return _render_split(parts, slots, original)


def _render_split(parts: list[str], slots: list[str], original: tuple[str, ...]) -> str:
    """`interleave` where each changed token holding whitespace becomes one line per word (module doc). Only
    the tokens that need it are visited: whitespace is found in all tokens at once, then mapped to tokens."""
    if len(slots) != len(original):
        raise FormatError(None, None, f"a CoNLL sentence of {len(original)} tokens came back with {len(slots)}",
                          reason="render")
    joined = "".join(slots)
    ends = list(accumulate(map(len, slots)))  # offset in `joined` just after each token
    marks = [m.start() for m in _WORD_BREAK.finditer(joined)]
    at = joined.find(DOCSTART)
    while at >= 0:
        marks.append(at)
        at = joined.find(DOCSTART, at + 1)
    todo = {bisect_right(ends, mark) for mark in marks}
    if "" in slots:
        todo.update(n for n, slot in enumerate(slots) if not slot)
    parts, slots = list(parts), list(slots)
    for n in sorted(todo):
        new, old = slots[n], original[n]
        if new == old:  # unchanged tokens are written as read, spaces and all
            continue
        words = [w for w in _WORD_SPLIT.split(new) if w]
        if not words or any(w.startswith(DOCSTART) or w.startswith(_BOM) for w in words):
            raise FormatError(None, None, f"token {old!r} was rewritten to {new!r}, which a CoNLL line cannot "
                              "hold; fix the lexicon entry", reason="render")
        if len(words) == 1:
            slots[n] = words[0]
            continue
        rest = parts[n + 1]
        cut = rest.find("\n") + 1 or len(rest)
        tails = _tails(rest[:cut], len(words))
        slots[n] = words[0]
        parts[n + 1] = "".join([tails[0], *map(add, words[1:], tails[1:]), rest[cut:]])
    return interleave(parts, slots)


@lru_cache(maxsize=4096)
def _tails(line: str, count: int) -> tuple[str, ...]:
    """What follows each of `count` words split from a token whose line ends in `line` (separator, other
    columns, terminator): the columns with tags continued, and a terminator (`\n` inside a last line that had
    none). Cached: the same few label columns recur throughout a corpus."""
    content, end = split_terminator(line)
    sep = content[:1]
    columns = content[1:].split(sep) if sep else []
    last = count - 1
    return tuple((sep + sep.join([continue_tag(c, k, last) for c in columns]) if sep else "")
                  + (end if k == last else (end or "\n")) for k in range(count))


def continue_tag(tag: str, k: int, last: int) -> str:
    """The tag of word `k` (0..`last`) of a token split into `last + 1` lines: BIO/BIOES/BILOU tags are
    continued (`B-X` -> `B-X I-X ...`, `S-X` -> `B-X ... E-X`); anything else is repeated."""
    if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BISEUL" or last == 0:
        return tag
    kind, name = tag[0], tag[2:]
    if kind == "B":
        return tag if k == 0 else "I-" + name
    if kind in "SU":
        return ("B-" if k == 0 else ("E-" if kind == "S" else "L-") if k == last else "I-") + name
    if kind in "EL":
        return tag if k == last else "I-" + name
    return tag  # I-X


def _count(cols: list[str]) -> int:
    """Columns of a token line, not counting empty ones after a trailing separator (`a O ` has 2): a stray
    space at the end of a line is kept in the output but does not make a column."""
    n = len(cols)
    while n > 2 and not cols[n - 1]:
        n -= 1
    return n


def _column_message(cols: list[str], columns: int | None, sep: str, content: str) -> str:
    name = _SEP_NAMES.get(sep, repr(sep))
    if cols and not cols[0] and len(cols) >= 2:
        return f"empty token before the first {name}: {content!r}; remove the stray {name}"
    want = max(columns or 2, 2)
    return (f"expected {want} {name}-separated columns (token, label...), got {len(cols)}: {content!r}; "
            f"fix the line, pass the right separator, or read leniently to skip its sentence")
