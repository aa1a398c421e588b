"""What a word is, how it is looked up, and how its case is carried over to a translation.

Words follow DESIGN.md "Text handling rules": by default `\\p{L}[\\p{L}\\p{M}]*` (the `regex` package), so a
word never splits at a combining mark (Devanagari vowel signs, NFD Yoruba tone marks). Options per language:
`apostrophes` ("none", "inner": `don't` is one word, "elision": `l'` and `qu'` are words of their own before
a letter), `hyphens` (join `well-known`) and `digits` (letters and digits mix). For pure-ASCII text the same
pattern is also compiled for the standard `re` module, which splits ASCII about twice as fast; on ASCII input
both patterns match exactly the same spans.

Lookup keys are NFC and case-folded (`casefold`), or NFC only with `case_fold=False` (exact case).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Pattern

import regex

from lexaug import defaults

LOWER, TITLE, UPPER, OTHER = 0, 1, 2, 3  # OTHER: mixed case or a script without case; target left as is

APOSTROPHE_MODES = ("none", "inner", "elision")


@dataclass(frozen=True)
class WordSpec:
    """Word definition. `pattern` overrides everything else (then the ASCII fast path is off)."""

    apostrophes: str = "none"
    hyphens: bool = False
    digits: bool = False
    pattern: str | None = None

    def __post_init__(self) -> None:
        if self.apostrophes not in APOSTROPHE_MODES:
            raise ValueError(f"apostrophes must be one of {APOSTROPHE_MODES}, got {self.apostrophes!r}")

    @classmethod
    def for_language(cls, iso: str | None) -> "WordSpec":
        """Preset for an ISO 639-3 code (defaults.WORD_OPTIONS); the plain default for others."""
        return cls(**defaults.WORD_OPTIONS.get(iso or "", {}))

    def source(self, ascii_only: bool = False, opener: str = "") -> str:
        """The pattern text, for `regex` (Unicode) or for `re` on ASCII-only text. `opener`: characters that
        open a token of their own besides the letters (ASCII, no elision: see `batch_splitters`)."""
        if self.pattern is not None:
            return self.pattern
        if ascii_only:
            letter, inner, digit = "A-Za-z", "A-Za-z", "0-9"
        else:
            letter, inner, digit = r"\p{L}", r"\p{L}\p{M}", r"\p{N}"
        if self.digits:
            letter, inner = letter + digit, inner + digit
        word = f"[{letter}]+" if letter == inner else f"[{letter}][{inner}]*"  # `+` splits ~8% faster in `re`
        if opener and letter == inner:  # ASCII only
            word = f"[{opener}{letter}][{letter}]*+"
        joiners = ""  # one character class (faster than an alternation, same matches)
        if self.apostrophes == "inner":
            joiners += "'\u2019"
        if self.hyphens:
            joiners += "\\-"
        if joiners and letter == inner:  # ASCII: `[A-Za-z]++` runs (possessive: nothing to backtrack into)
            word = f"[{opener}{letter}][{letter}]*+" if opener else f"[{letter}]++"
            word += f"(?:[{joiners}][{letter}]++)*+"
        elif joiners:
            word += f"(?:[{joiners}][{letter}][{inner}]*+)*+"  # possessive: nothing to backtrack into
        if self.apostrophes == "elision":
            word = f"(?:[{letter}]{{1,2}}|[{letter}]*qu)['\u2019](?=[{letter}])|{word}"
        if not ascii_only and not self.digits and not joiners and self.apostrophes == "none":
            return defaults.WORD_PATTERN  # the documented default, spelled as DESIGN.md gives it
        return word

    def splitters(self) -> tuple[Pattern[str], Pattern[str] | None]:
        """(Unicode splitter, ASCII splitter or None): `split()` gives [gap, word, gap, ..., word, gap]."""
        uni = regex.compile(f"({self.source()})")
        fast = None if self.pattern is not None else re.compile(f"({self.source(ascii_only=True)})")
        return uni, fast

    def batch_splitters(self) -> tuple[Pattern[str], Pattern[str]] | None:
        """As `splitters`, with the record separator "\\x01" as a token of its own (`generators.batch`);
        None for a custom `pattern`, which might match across records.

        Speed: in the ASCII pattern (without elision) "\\x01" and the letters open a token with one character
        class, `([\\x01A-Za-z][A-Za-z]*+...)`: `batch.pack` puts "\\x02" (a gap character) after every
        "\\x01", so a separator never runs on into the next record's letters, and `re` finds each token with
        its character-set scan instead of trying a match at every gap character (an alternation has no such
        scan): the split is 15% faster on KJV, about 5% of bench_synthesize.py's pass. Same tokens (tested)."""
        if self.pattern is not None:
            return None
        if self.apostrophes == "elision":  # an alternation already: no single opening class
            fast = re.compile(f"({self.source(ascii_only=True)}|\x01)")
        else:
            fast = re.compile(f"({self.source(ascii_only=True, opener=chr(1))})")
        return regex.compile(f"({self.source()}|\x01)"), fast


def lookup_key(word: str, case_fold: bool = True) -> str:
    """The lexicon key of a word: NFC, case-folded unless exact case is asked for."""
    if word.isascii():
        return word.lower() if case_fold else word
    nfc = unicodedata.normalize("NFC", word)
    return unicodedata.normalize("NFC", nfc.casefold()) if case_fold else nfc


def case_class(word: str) -> int:
    """LOWER, TITLE (first cased letter upper, no other upper), UPPER (two or more cased, all upper) or OTHER."""
    if word.islower():
        return LOWER
    if word.isupper():
        cased = sum(1 for ch in word if ch.isupper())
        return UPPER if cased > 1 else TITLE if word[:1].isupper() else OTHER
    rest = word[1:]
    if word[:1].istitle() and rest == rest.lower():  # istitle: upper or a titlecase digraph such as "ǅ"
        return TITLE
    return OTHER


def span_case(words: list[str]) -> int:
    """Case class of a multiword span: all lower, Title first word and lower rest, or all upper."""
    classes = [case_class(w) for w in words]
    if all(c == LOWER for c in classes):
        return LOWER
    if all(c in (UPPER, TITLE) for c in classes) and sum(1 for w in words for ch in w if ch.isupper()) > 1 \
            and all(w.isupper() for w in words):
        return UPPER
    if classes[0] == TITLE and all(c == LOWER for c in classes[1:]):
        return TITLE
    return OTHER


def restore_case(target: str, cls: int) -> str:
    """Give `target` the case class `cls` of the source word (lower and OTHER leave it as written)."""
    if cls == TITLE:
        return target[:1].title() + target[1:]
    if cls == UPPER:
        return target.upper()
    return target


def split_words(text: str, uni: Pattern[str], fast: Pattern[str] | None) -> list[str]:
    """`[gap, word, gap, ..., word, gap]` of `text`, with the ASCII splitter (stdlib `re`, faster) when it
    applies; the two splitters come from `WordSpec.splitters()` and match the same words on ASCII text."""
    return fast.split(text) if fast is not None and text.isascii() else uni.split(text)
