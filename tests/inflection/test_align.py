"""lexaug.inflection.align: the baseline's shift alignment, Levenshtein alignment and affix split."""

from __future__ import annotations

from lexaug.inflection.align import leading, levenshtein_align, shift_align, split_affixes, trailing


def test_shift_align_suffix_and_prefix():
    assert shift_align("walk", "walked") == ("walk__", "walked")
    assert shift_align("soma", "nasoma") == ("__soma", "nasoma")
    assert shift_align("nasoma", "soma") == ("nasoma", "__soma")
    # Equal scores: the first shift tried wins (source slid right over the target first).
    assert shift_align("ab", "ba") == ("ab_", "_ba")


def test_shift_align_strings_holding_the_pad_symbol():
    # The general path (strings containing "_") gives the same columns as the padded-string definition.
    assert shift_align("a_b", "ab") == ("a_b", "_ab")
    assert shift_align("", "ab") == ("__", "ab")


def test_leading_trailing():
    assert (leading("__ab_"), trailing("__ab_")) == (2, 1)
    assert (leading("ab"), trailing("")) == (0, 0)


def test_levenshtein_align_prefers_substitution_then_insertion():
    assert levenshtein_align("walk", "walked") == ("walk__", "walked")
    assert levenshtein_align("sing", "sang") == ("sing", "sang")  # substitution 1.1 < deletion + insertion 2.0
    assert levenshtein_align("", "ab") == ("__", "ab")
    assert levenshtein_align("ab", "") == ("ab", "__")


def test_levenshtein_align_reproduces_float_tie_breaking():
    # Exact-cost ties are broken by the published recursion's floating-point sums: an exact DP that prefers
    # diagonal moves would give ("shqipoj_____", "shqipuakëshe"); the baseline found this alignment.
    assert levenshtein_align("shqipoj", "shqipuakëshe") == ("shqipo___j__", "shqipuakëshe")
    assert levenshtein_align("besoj", "besuakam") == ("beso___j", "besuakam")


def test_split_affixes():
    assert split_affixes("walk", "walked") == ("", "walk", "__", "", "walk", "ed")
    assert split_affixes("soma", "nasoma") == ("__", "soma", "", "na", "soma", "")
    assert split_affixes("sing", "sang") == ("", "sing", "", "", "sang", "")
