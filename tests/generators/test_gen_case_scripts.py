"""Case restoration in scripts whose case rules are unusual (found by the property tests)."""

from __future__ import annotations

from lexaug.generators import make_generator
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record


def substitute(pairs: list[tuple[str, str]], text: str) -> str:
    gen = make_generator("substitute.v1", lexicon=Lexicon.from_pairs(pairs))
    return list(gen.run([Record("0", [text])], 0))[0].slots[0]


def test_titlecase_digraph_opens_a_title_case_word():
    # "ǅ" (U+01C5) is a titlecase letter, neither upper nor lower
    assert substitute([("ǆungla", "house")], "ǅungla ǆungla ǄUNGLA") == "House house HOUSE"


def test_cherokee_upper_case_is_restored_although_casefold_maps_to_upper():
    # str.casefold maps Cherokee lower case (U+AB70..) to upper case (U+13A0..), so "ᎠᎡ" is its own key
    assert substitute([("ꭰꭱ", "house")], "ᎠᎡ ꭰꭱ") == "HOUSE house"


def test_ascii_and_unicode_paths_agree_on_word_boundaries():
    pairs = [("abc", "x"), ("d", "y")]
    assert substitute(pairs, "abc,d abcd d1 d_d") == "x,y abcd y1 y_y"
    assert substitute(pairs, "abc,d abcd d1 d_d é") == "x,y abcd y1 y_y é"
