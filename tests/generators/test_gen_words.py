"""Word splitting, lookup keys and case handling (lexaug.generators.words)."""

from __future__ import annotations

import unicodedata

from lexaug.generators.words import (LOWER, OTHER, TITLE, UPPER, WordSpec, case_class, lookup_key, restore_case,
                                     span_case)


def words_of(spec: WordSpec, text: str, ascii_path: bool = False) -> list[str]:
    uni, fast = spec.splitters()
    pattern = fast if ascii_path else uni
    return pattern.split(text)[1::2]


def test_default_pattern_keeps_combining_marks_and_gaps():
    spec = WordSpec()
    deva = "हिन्दी भाषा, नमस्ते!"
    assert words_of(spec, deva) == ["हिन्दी", "भाषा", "नमस्ते"]
    yoruba_nfd = unicodedata.normalize("NFD", "Ọjọ́ àìkú ni")
    assert words_of(spec, yoruba_nfd) == unicodedata.normalize("NFD", "Ọjọ́ àìkú ni").split()
    parts = spec.splitters()[0].split("  Hello,\tworld!\n")
    assert "".join(parts) == "  Hello,\tworld!\n"
    assert parts[0::2] == ["  ", ",\t", "!\n"]


def test_ascii_fast_path_matches_unicode_pattern():
    text = "Don't stop-gap 42nd A.B.C. l'homme well-known jusqu'ici 3x"
    for spec in (WordSpec(), WordSpec(apostrophes="inner"), WordSpec(hyphens=True), WordSpec(digits=True),
                 WordSpec(apostrophes="elision", hyphens=True)):
        assert words_of(spec, text) == words_of(spec, text, ascii_path=True), spec


def test_word_options():
    assert words_of(WordSpec(), "don't") == ["don", "t"]
    assert words_of(WordSpec(apostrophes="inner"), "don't, Jacob’s") == ["don't", "Jacob’s"]
    assert words_of(WordSpec(apostrophes="elision"), "l'homme qu'il jusqu'ici") == \
        ["l'", "homme", "qu'", "il", "jusqu'", "ici"]
    assert words_of(WordSpec(hyphens=True), "well-known -x") == ["well-known", "x"]
    assert words_of(WordSpec(digits=True), "covid19 and 2nd") == ["covid19", "and", "2nd"]
    assert WordSpec.for_language("fra") == WordSpec(apostrophes="elision", hyphens=True)
    assert WordSpec.for_language("eng") == WordSpec()


def test_lookup_key_nfc_casefold():
    nfd = unicodedata.normalize("NFD", "Ọjọ́")
    assert lookup_key(nfd) == unicodedata.normalize("NFC", "ọjọ́")
    assert lookup_key("Straße") == "strasse"
    assert lookup_key("Bank", case_fold=False) == "Bank"


def test_case_classes_and_restoration():
    assert [case_class(w) for w in ["the", "The", "THE", "I", "McDonald", "हिन्दी"]] == \
        [LOWER, TITLE, UPPER, TITLE, OTHER, OTHER]
    assert case_class(unicodedata.normalize("NFD", "Ọjọ́")) == TITLE
    assert restore_case("mbwa", TITLE) == "Mbwa"
    assert restore_case("ɛkɔ", UPPER) == "ƐKƆ"
    assert restore_case("mbwa", OTHER) == "mbwa"
    assert span_case(["A", "lot"]) == TITLE and span_case(["A", "LOT"]) == UPPER and span_case(["a", "lot"]) == LOWER
