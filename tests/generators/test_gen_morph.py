"""morph.v1: analysis with the real English table, generation with the real Swahili table and fixtures."""

from __future__ import annotations

import pytest

from lexaug.generators import MorphSubstitute
from lexaug.loaders.lexicon import Lexicon
from lexaug.loaders.unimorph import MorphTable
from lexaug.types import Record

# UniMorph 4 layered agreement on the target side; English (UniMorph 3) says V;3;SG;PRS
TARGET_ROWS = [("lala", "analala", "V;PRS;NOM(3,SG)"), ("lala", "walala", "V;PRS;NOM(3,PL)"),
               ("lala", "kulala", "V;NFIN"), ("lala", "alilala", "V;PST;NOM(3,SG)"),
               ("lala", "walilala", "V;PST;NOM(3,PL)")]
SOURCE_ROWS = [("sleep", "sleeps", "V;3;SG;PRS"), ("sleep", "sleep", "V;NFIN"), ("sleep", "slept", "V;PST"),
               ("sleep", "slept", "V;V.PTCP;PST"), ("sleep", "sleeping", "V;V.PTCP;PRS"),
               ("walk", "walks", "V;3;SG;PRS"), ("walk", "walked", "V;PST")]


def recs(*lines: str) -> list[Record]:
    return [Record(str(i), [line]) for i, line in enumerate(lines)]


class FakeInflector:
    def inflect(self, lemma: str, features: str) -> list[tuple[str, float]]:
        return [(f"{lemma}-x", 0.2), (f"{lemma}-{features.replace(';', '.')}", 0.9)]


def test_features_mapped_across_notations_and_unmapped_counted():
    lex = Lexicon.from_pairs([("sleep", "lala"), ("walk", "tembea"), ("the", "the")])
    gen = MorphSubstitute(lex, MorphTable.from_rows(SOURCE_ROWS), MorphTable.from_rows(TARGET_ROWS))
    (out,) = gen.run_batch(recs("She sleeps; they slept. Sleeping? SLEEP the walks"))
    # slept: V;PST has no person -> fewest extra features, then table order -> alilala
    assert out.slots == ["She analala; they alilala. Analala? KULALA the tembea"]
    assert out.meta == {"tokens": 8, "replaced": 6}
    s = gen.stats
    assert s["morph:table"] == 4 and s["unmapped:V.PTCP"] == 1
    assert s["morph:fallback"] == 1  # walks: no target paradigm for "tembea"
    assert s["morph:no_analysis"] == 1 and s["untranslated"] == 2  # "the" direct; she, they unknown


def test_inflector_is_tried_before_the_lexicon_fallback():
    lex = Lexicon.from_pairs([("walk", "tembea")])
    gen = MorphSubstitute(lex, MorphTable.from_rows(SOURCE_ROWS), MorphTable.from_rows(TARGET_ROWS),
                          inflector=FakeInflector())
    (out,) = gen.run_batch(recs("Walked walks"))
    assert out.slots == ["Tembea-V.PST tembea-V.3.SG.PRS"]
    assert gen.stats["morph:inflector"] == 2
    keep = MorphSubstitute(lex, MorphTable.from_rows(SOURCE_ROWS), None, fallback="keep")
    assert keep.run_batch(recs("walked"))[0].slots == ["walked"]
    assert keep.stats["morph:fallback"] == 1


class EmptyInflector:
    """An inflector that writes nothing for one lemma (an undertrained network can decode an empty form)."""

    def inflect(self, lemma: str, features: str) -> list[tuple[str, float]]:
        return [("", 0.9), (f"{lemma}-y", 0.1)] if lemma == "tembea" else [("", 1.0)]


def test_an_empty_inflected_form_never_replaces_a_word():
    """An empty candidate is no form: the next candidate is taken, or the lexicon fallback (a word never
    vanishes from the text)."""
    lex = Lexicon.from_pairs([("walk", "tembea"), ("sleep", "lala")])
    gen = MorphSubstitute(lex, MorphTable.from_rows(SOURCE_ROWS), None, inflector=EmptyInflector())
    (out,) = gen.run_batch(recs("Walked, slept."))
    assert out.slots == ["Tembea-y, lala."]
    assert gen.stats["morph:inflector"] == 1 and gen.stats["morph:fallback"] == 1


@pytest.fixture(scope="module")
def eng_swc(shared_data):
    eng = MorphTable.read(shared_data / "unimorph" / "eng" / "eng", strict=False)
    swc = MorphTable.read(shared_data / "unimorph" / "swc" / "swc", strict=False)
    return eng, swc


@pytest.mark.slow
def test_real_english_to_swahili(eng_swc):
    eng, swc = eng_swc
    lex = Lexicon.from_pairs([("read", "soma"), ("see", "ona"), ("go", "enda"), ("book", "kitabu")])
    gen = MorphSubstitute(lex, eng, swc)
    (out,) = gen.run_batch(recs("He reads the book, she sees it and they go to read."))
    assert out.slots == ["He linasoma the kitabu, she linaona it and they kwenda to kusoma."]
    assert gen.stats["morph:table"] == 4 and gen.stats["morph:fallback"] == 1  # "book" is an English verb too
    assert gen.signature()["resources"]["target_table"]["sha256"] == swc.sha256
