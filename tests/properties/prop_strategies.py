"""Hypothesis strategies and helpers shared by the property tests of lexaug's zero-damage guarantee.

What a text corpus may contain here (decided for these tests): any Unicode scalar value except surrogates
(U+D800..U+DFFF, which are not text and cannot be UTF-8 encoded). That includes NUL and other C0 controls,
the byte-order mark, U+2028/U+2029, lone `\\r`, `\\r\\n` and tabs, combining marks in NFD, ZWJ emoji, and
letters of many scripts. `\\n` ends a record in line formats, so the single-line generators leave it out where
a format gives it a meaning; JSON strings may contain anything (it is escaped).
"""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import strategies as st

from lexaug import defaults

WORD = regex.compile(defaults.WORD_PATTERN)

# Words of several scripts, including the hard cases: Devanagari with virama and vowel signs (matras),
# NFD Latin with stacked tone marks (Yoruba), Arabic with harakat, Thai with above/below vowels, CJK,
# mixed case, Greek final sigma, German sharp s, Turkish dotted I, Cherokee (casefold maps to upper),
# the titlecase digraph U+01C5, and ligatures whose case mapping changes the length.
SCRIPT_WORDS = [
    "the", "The", "THE", "a", "A", "lot", "Lot", "of", "McDonald", "mcdonald", "iPhone",
    "नमस्ते", "क्षत्रिय", "हिन्दी", "पत्नी", "श्री",
    unicodedata.normalize("NFD", "ọ̀rẹ́"), unicodedata.normalize("NFD", "Ọmọ"), "ọ̀rẹ́", "e\u0301", "E\u0301\u0323",
    "café", unicodedata.normalize("NFD", "café"), unicodedata.normalize("NFD", "CAFÉ"),
    "العربية", "كَتَبَ", "سلام",
    "ภาษาไทย", "กี่", "น้ำ",
    "漢字", "日本語", "한국어", unicodedata.normalize("NFD", "한국어"),
    "Σίσυφος", "ΣΊΣΥΦΟΣ", "straße", "STRASSE", "İstanbul", "ǅemal", "ﬁne", "Ꭰꭰ", "ꭰ",
    "ß", "ẞ", "ŉ", "Ǆ", "ǆ",
]

GAPS = [" ", "  ", "\t", ", ", ". ", "! ", "?", "'", "’", "-", "—", "\r", "\r\n", "\u2028", "\u2029", "\u00a0",
        "\u200d", "\u200b", "\ufeff", "\x00", "\x01", "\x1f", "0", "42", "३", "٣", "👩\u200d💻", "🇺🇳", "😀",
        "\u0301", "\u093f", "(", ")", "[", "]", "\"", "\\", "{", "}", ":", " : ", "/", "_", "#", "&", "<", ">",
        "ab-cd", "don't", "l'homme"]

# Any scalar value but surrogates; newlines excluded where a format reads them as record separators.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
LINE_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\n")


def _atoms(allow_newline: bool) -> st.SearchStrategy[str]:
    char = ANY_CHAR if allow_newline else LINE_CHAR
    gaps = GAPS + (["\n", "\n\n"] if allow_newline else [])
    return st.one_of(
        st.sampled_from(SCRIPT_WORDS),
        st.sampled_from(gaps),
        st.text(char, min_size=1, max_size=4),
    )


def texts(allow_newline: bool = False, max_atoms: int = 25) -> st.SearchStrategy[str]:
    """Random text assembled from script words, separators and arbitrary characters."""
    return st.lists(_atoms(allow_newline), max_size=max_atoms).map("".join)


def line_texts(max_atoms: int = 25) -> st.SearchStrategy[str]:
    """Text without `\\n` (one record of a line format)."""
    return texts(False, max_atoms)


def token_texts() -> st.SearchStrategy[str]:
    """A CoNLL token: non-empty, no `\\n`, no TAB or space (the separators), not only whitespace, no leading
    BOM (a BOM opening a file is not part of the first token) and not `-DOCSTART-`."""
    piece = st.one_of(st.sampled_from(SCRIPT_WORDS),
                      st.text(st.characters(exclude_categories=("Cs", "Zs", "Zl", "Zp"),
                                            exclude_characters="\n\t\r\ufeff\x0b\x0c\x1c\x1d\x1e\x1f\x85"),
                              min_size=1, max_size=3))
    return st.lists(piece, min_size=1, max_size=3).map("".join).filter(
        lambda t: t.strip() and not t.isspace() and not t.startswith("-DOCSTART-") and not t[0] == "\ufeff"
        and t == t.strip())


def words_of(text: str) -> list[str]:
    """The words of `text` as `defaults.WORD_PATTERN` defines them."""
    return WORD.findall(text)


def identity_pairs(text: str, multiword: bool = False) -> list[tuple[str, str]]:
    """(word, word) for every word of `text` (all spellings: mixed case, NFD...); with `multiword`, also every
    pair of neighbouring words joined by one space."""
    words = words_of(text)
    pairs = [(w, w) for w in dict.fromkeys(words)]
    if multiword:
        for a, b in zip(words, words[1:]):
            pairs.append((f"{a} {b}", f"{a} {b}"))
    return pairs


def write_lexicon(path, pairs: list[tuple[str, str]]) -> None:
    """A TSV lexicon file; at least one row so the file is never empty (strict read)."""
    rows = pairs or [("zzzz", "zzzz")]
    path.write_bytes("".join(f"{s}\t{t}\n" for s, t in rows).encode("utf-8"))
