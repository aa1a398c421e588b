"""Text rules of bilingual lexicons: the lookup key, whitespace, parenthetical annotations, word counts.

Generators must build lookup keys with `normalize_key` so that they match the index `Lexicon` builds.
"""

from __future__ import annotations

import re
import unicodedata

# A parenthetical group with no nested parentheses; an unclosed "(" running to the end of the field counts
# too (GATITOS en_tyv has `мен (ынчаар`). Groups glued to a word are optional letters: `abzorb(e)`.
_ANNOTATION = re.compile(r"\s*\([^()]*(?:\)|$)")


def normalize_key(text: str) -> str:
    """Lookup key of a headword: NFC, case-folded (`str.casefold`, full Unicode folding), whitespace runs
    collapsed to one space and trimmed. `Lexicon.translations(key)` expects keys built this way."""
    key = " ".join(text.split()).casefold()
    if not key.isascii():
        # casefold can denormalise (e.g. it expands some precomposed letters); NFC keeps keys canonical.
        key = unicodedata.normalize("NFC", key)
    return key


def clean_field(text: str) -> str:
    """A lexicon field as stored: surrounding whitespace trimmed and inner whitespace runs (tabs aside, which
    separate columns) collapsed to one space, so multiword entries compare and match predictably."""
    return " ".join(text.split())


def strip_annotations(text: str) -> str:
    """Remove translator annotations in parentheses.

    `adrese (verb)` -> `adrese`; `sarz(e) (verb)` -> `sarz`; `abzorb(e)` -> `abzorb`: parenthesised letters
    glued to a word mark optional letters (Seselwa `abzorb(e)` = `abzorb` or `abzorbe`); the shorter form is
    kept, as a single deterministic spelling. An unclosed `(` is stripped to the end of the field. The
    result is whitespace-cleaned; it may be empty when the whole field was an annotation.
    """
    if "(" not in text:
        return text
    return clean_field(_ANNOTATION.sub(" ", text))


def word_count(text: str) -> int:
    """Number of space-separated words of a cleaned field."""
    return text.count(" ") + 1 if text else 0
