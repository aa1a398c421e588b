"""substitute.v3: look-alike letters in lexicon targets repaired (`lexaug.generators.lookalikes`)."""

from __future__ import annotations

import pickle

import pytest
import regex

from lexaug.generators import make_generator
from lexaug.generators.fallbacks import source_data
from lexaug.generators.lookalikes import LookalikeFixer, LookalikeLexicon
from lexaug.generators.reference import ReferenceSubstitute
from lexaug.generators.rng import RecordRng
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record


def recs(*lines: str) -> list[Record]:
    return [Record(str(i), [line]) for i, line in enumerate(lines)]


def texts(out: list[Record]) -> list[str]:
    return [r.slots[0] for r in out]


def v3(lex: Lexicon) -> object:
    return make_generator("substitute.v3", lexicon=lex, src_lang="eng")


def sib_english(shared_data) -> list[str]:
    rows = (shared_data / "sib200" / "eng_Latn" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t")[2] for row in rows]


def test_fixer_replaces_notation_and_other_script_letters_with_the_lexicons_own():
    fixer = LookalikeFixer(["wɔ", "mɔnu", "ɛvɛ", "ɖe", "tɩ", "сүрүн"])
    assert fixer.fix("wᴐ funyafunya") == "wɔ funyafunya"  # U+1D10 small capital -> U+0254
    assert fixer.fix("ayijε") == "ayijɛ"  # Greek epsilon in a Latin word -> the Latin letter the lexicon uses
    assert fixer.fix("mε") == "mɛ"  # a tie of scripts goes to the lexicon's main script (Latin)
    assert fixer.fix("ᴐ") == "ɔ"  # notation blocks are suspect even alone
    assert fixer.fix("cүрүн") == "сүрүн"  # Latin c in a Cyrillic word
    assert fixer.fix("ɖetɩ") == "ɖetɩ"  # letters of the orthography (Ewe ɖ, Mooré ɩ) are not look-alikes
    assert fixer.fix("plain ascii") == "plain ascii"
    assert fixer.replaced == {"ᴐ>ɔ": 2, "ε>ɛ": 2, "c>с": 1}


def test_fixer_keeps_a_letter_whose_look_alikes_the_lexicon_never_uses():
    fixer = LookalikeFixer(["mama", "kolo"])  # no ɛ anywhere in the lexicon
    assert fixer.fix("ayijε") == "ayijε"
    assert fixer.replaced == {}


def test_marks_stay_on_the_repaired_letter():
    fixer = LookalikeFixer(["ӧт", "сүрүн", "олo"])
    assert fixer.fix("öжыт") == "ӧжыт"  # Latin o + diaeresis in a Cyrillic word -> U+04E7


def test_lexicon_view_keeps_identity_targets_and_merges_equal_ones():
    lex = Lexicon.from_pairs([("abuse", "wᴐ"), ("abuse", "wɔ"), ("wᴐ", "wᴐ"), ("go", "yi")])
    view = LookalikeLexicon(lex)
    assert [(t.target, t.count) for t in view.translations("abuse")] == [("wɔ", 2)]
    assert [t.target for t in view.translations("wᴐ")] == ["wᴐ"]  # spelled as its headword: kept
    assert view.translations("go") == lex.translations("go") and view.keys() == lex.keys()
    assert view.targets_fixed == 1 and view.sha256 == lex.sha256
    assert pickle.loads(pickle.dumps(view)).translations("abuse") == view.translations("abuse")


def test_ewe_gatitos_output_uses_the_ewe_letter(shared_data):
    lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / "en_ee.tsv")
    lines = sib_english(shared_data)
    old = "".join(texts(make_generator("substitute.v2", lexicon=lex, src_lang="eng").run_batch(recs(*lines))))
    gen = v3(lex)
    new = "".join(texts(gen.run_batch(recs(*lines))))
    assert old.count("ᴐ") > 100 and "ᴐ" not in new
    assert new.count("ɔ") > old.count("ɔ") + 100
    info = gen.params()["lookalikes"]
    assert info == {"targets_fixed": 297, "letters": {"ᴐ>ɔ": 384}}


def test_lexicon_without_look_alikes_reports_none(shared_data):
    lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / "en_wo.tsv")
    assert v3(lex).params()["lookalikes"] == {"targets_fixed": 0, "letters": {}}


@pytest.mark.slow
def test_fast_path_equals_reference_on_the_repaired_lexicon(shared_data):
    lines = sib_english(shared_data)
    for name in ("en_ee.tsv", "en_fon.tsv"):
        lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / name)
        gen = v3(lex)
        ref = ReferenceSubstitute(LookalikeLexicon(lex), gen.words, data=source_data("eng"), fallbacks=gen.fallbacks)
        fast = texts(gen.run_batch(recs(*lines), seed=3))
        assert fast == [ref.rewrite(line, RecordRng(3, str(i), gen.name)) for i, line in enumerate(lines)]


def test_identity_lexicon_of_text_with_look_alikes_is_lossless(shared_data):
    """Ewe SIB-200 text itself holds look-alikes (ͻ, ᴐ); an identity lexicon of its words must not touch them."""
    rows = (shared_data / "sib200" / "ewe_Latn" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    lines = [row.split("\t")[2] for row in rows]
    assert any("ͻ" in line for line in lines)
    words = sorted({w for line in lines for w in regex.findall(r"\p{L}[\p{L}\p{M}'\u2019-]*", line)})
    lex = Lexicon.from_pairs((w, w) for w in words)
    assert texts(v3(lex).run_batch(recs(*lines))) == lines


def test_fixer_never_fails_and_changes_only_suspect_words():
    """Any text (marks alone, titlecase digraphs, CJK, mathematical letters, mixed scripts in upper case): no
    error; a word without a suspect letter comes back as it is; a changed word keeps its length in letters."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    fixer = LookalikeFixer(["wɔ", "ɛvɛ", "сүрүн", "ΑΒΓ", "日本", "ǅemal"])
    alphabet = st.sampled_from(list("aɔᴐεɛоoсcАAΑ\u0301\u0308ǅ日𝔭ℓↄ -'"))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=12))
    def check(text):
        out = fixer.fix(text)
        assert isinstance(out, str)
        words_in, words_out = regex.findall(r"\p{L}[\p{L}\p{M}]*", text), regex.findall(r"\p{L}[\p{L}\p{M}]*", out)
        assert len(words_in) == len(words_out)
        for a, b in zip(words_in, words_out):
            if a != b:
                assert len(regex.findall(r"\p{L}", a)) == len(regex.findall(r"\p{L}", b))

    check()
    assert fixer.fix("ǅemal 日本 ΑΒΓ") == "ǅemal 日本 ΑΒΓ"
