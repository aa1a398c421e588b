"""substitute.v2: source-side fallbacks, the token rate, samples, and the plain reference implementation."""

from __future__ import annotations

import pytest
import regex

from lexaug import defaults
from lexaug.generators import make_generator
from lexaug.generators.fallbacks import KINDS, lemma_candidates, source_data
from lexaug.generators.reference import ReferenceSubstitute
from lexaug.generators.rng import RecordRng
from lexaug.generators.samples import expand_samples
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record

WORD = regex.compile(defaults.WORD_PATTERN)


def recs(*lines: str) -> list[Record]:
    return [Record(str(i), [line]) for i, line in enumerate(lines)]


def texts(out: list[Record]) -> list[str]:
    return ["\x00".join(r.slots) for r in out]


def v2(lex: Lexicon, **kw) -> object:
    return make_generator("substitute.v2", lexicon=lex, src_lang="eng", **kw)


def test_each_fallback_translates_what_v1_misses():
    lex = Lexicon.from_pairs([("not", "ayi"), ("do", "ke"), ("they", "olu"), ("be", "ye"), ("month", "kalo"),
                              ("work", "baara"), ("color", "ɲɛ"), ("well", "kura"), ("know", "don"),
                              ("cake", "gato")])
    line = "I didn't see months; They're well-known. Colours WASN'T worked, Cakes"
    v1 = make_generator("substitute.v1", lexicon=lex, src_lang="eng")
    assert texts(v1.run_batch(recs(line))) == ["I didn't see months; Olu're kura-known. Colours WASN'T worked, Cakes"]
    gen = v2(lex)
    out = gen.run_batch(recs(line))
    assert texts(out) == ["I ke ayi see kalo; Olu ye kura-don. Ɲɛ YE AYI baara, Gato"]
    assert gen.stats["fallback:contraction"] == 3 and gen.stats["fallback:lemma"] == 3
    assert gen.stats["fallback:spelling"] == 1 and gen.stats["fallback:parts"] == 1
    assert out[0].meta == {"tokens": 10, "replaced": 8}


def test_whole_hyphenated_word_first_then_parts():
    lex = Lexicon.from_pairs([("e-mail", "imel"), ("e", "x"), ("mail", "bataki")])
    assert texts(v2(lex).run_batch(recs("E-mail mail-order"))) == ["Imel bataki-order"]


def test_lemma_rules_need_a_headword_and_skip_non_plurals():
    data = source_data("eng")
    assert "stop" in lemma_candidates("stopped", data) and "use" in lemma_candidates("using", data)
    assert "go" in lemma_candidates("went", data) and "be" in lemma_candidates("was", data)
    assert lemma_candidates("glass", data) == [] and "bu" not in lemma_candidates("bus", data)
    lex = Lexicon.from_pairs([("hi", "salut"), ("new", "bi")])
    assert texts(v2(lex).run_batch(recs("his news"))) == ["his bi"]  # "his" is too short to be "hi" + s


def test_identity_lexicon_keeps_every_byte_with_all_fallbacks():
    lines = ["I didn't know they're well-known colours; WASN'T it?", "O'Brien's e-mail: months\tworked\r\n",
             "  Ain't  can't won't Y'ALL  "]
    words = sorted(({w for line in lines for w in WORD.findall(line)} | {"not", "did", "be", "month", "work"})
                   - {"months", "worked", "colours"})
    lex = Lexicon.from_pairs((w, w) for w in words)
    gen = v2(lex)
    assert texts(gen.run_batch(recs(*lines), seed=4)) == lines
    assert gen.stats["fallback:contraction"] > 0 and gen.stats["fallback:lemma"] > 0


def test_negation_of_contractions_translated_with_a_real_gatitos_file(shared_data):
    lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / "en_bm.tsv")
    assert [t.target for t in lex.translations("not")] == ["ayi"]
    out = texts(v2(lex).run_batch(recs("He didn't come.", "It isn't here.", "She wasn't there.")))
    assert all(" ayi " in line for line in out), out
    v1 = texts(make_generator("substitute.v1", lexicon=lex, src_lang="eng").run_batch(recs("He didn't come.")))
    assert "ayi" not in v1[0]


def test_rate_below_one_is_a_partial_translation_seeded_per_record():
    lex = Lexicon.from_pairs([(w, w.upper() + "x") for w in ("a", "b", "c", "d")])
    lines = [" ".join("abcd"[(i * 7 + k) % 4] for k in range(20)) for i in range(200)]
    for name in ("substitute.v1", "substitute.v2"):
        full = make_generator(name, lexicon=lex)
        half = make_generator(name, lexicon=lex, rate=0.3)
        assert half.params()["rate"] == 0.3 and "rate" not in full.params()
        out = half.run_batch(recs(*lines), seed=2)
        share = half.stats["replaced"] / half.stats["tokens"]
        assert 0.26 < share < 0.34
        assert sum(r.meta["replaced"] for r in out) == half.stats["replaced"]
        again = make_generator(name, lexicon=lex, rate=0.3)
        assert texts(again.run_batch(recs(*lines)[::-1], seed=2))[::-1] == texts(out)  # per record, any order
        assert texts(make_generator(name, lexicon=lex, rate=1.0).run_batch(recs(*lines), seed=2)) == \
            texts(full.run_batch(recs(*lines), seed=2))


def test_samples_ids_and_draws():
    lex = Lexicon.from_pairs([("a", f"t{k}") for k in range(50)])
    records = list(expand_samples(recs("a a a", "a"), 3))
    assert [r.id for r in records] == ["0#0", "0#1", "0#2", "1#0", "1#1", "1#2"]
    out = texts(v2(lex).run_batch(records))
    assert len(set(out[:3])) == 3
    assert list(expand_samples(recs("x"), 1)) == recs("x")


def test_unknown_fallback_is_a_config_error():
    from lexaug.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown fallback"):
        v2(Lexicon.from_pairs([("a", "b")]), fallbacks=("lemmas",))


def _reference_matches(gen, ref, lines, seed):
    fast = texts(gen.run_batch(recs(*lines), seed=seed))
    plain = [ref.rewrite(line, RecordRng(seed, str(i), gen.name)) for i, line in enumerate(lines)]
    assert fast == plain
    return sum(a != b for a, b in zip(fast, lines))  # records the generator changed


def test_fast_path_equals_reference_on_fixtures():
    lex = Lexicon.from_pairs([("not", "ayi"), ("not", "ba"), ("do", "ke"), ("be", "ye"), ("a lot", "sana"),
                              ("a", "moja"), ("month", "kalo"), ("color", "ɲɛ"), ("well", "kura")])
    lines = ["A lot of months didn't WORK, well-known colours!", "Wasn't A LOT isn't", "plain text only"] * 5
    for fallbacks in (KINDS, ("parts",), ()):
        gen = v2(lex, fallbacks=fallbacks)
        ref = ReferenceSubstitute(lex, gen.words, data=source_data("eng"), fallbacks=gen.fallbacks)
        assert _reference_matches(gen, ref, lines, 9) > 0
    gen1 = make_generator("substitute.v1", lexicon=lex, src_lang="eng")
    assert _reference_matches(gen1, ReferenceSubstitute(lex, gen1.words), lines, 9) > 0


def test_fast_path_equals_reference_with_entries_of_256_choices_or_more():
    """Entry lengths are packed as bytes when they fit (`substitute.entry_lengths`): a word of 300 choices, found
    directly or through a fallback, takes the wide path and gives the reference bytes."""
    lex = Lexicon.from_pairs([("dog", f"mbwa{k}") for k in range(300)] + [("cat", "paka"), ("cat", "nyau")])
    lines = ["The dog, dogs and a cat", "DOGS cat-dog", "cats only", "no word here"] * 20
    gen = v2(lex)
    ref = ReferenceSubstitute(lex, gen.words, data=source_data("eng"), fallbacks=gen.fallbacks)
    assert _reference_matches(gen, ref, lines, 4) == 60
    out = "".join(texts(gen.run_batch(recs(*lines), seed=4)))
    assert max(int(k) for k in regex.findall(r"(?i)mbwa(\d+)", out)) > 255  # draws reach the wide choices
    gen1 = make_generator("substitute.v1", lexicon=lex, src_lang="eng")
    assert _reference_matches(gen1, ReferenceSubstitute(lex, gen1.words), lines, 4) == 40  # no fallbacks


@pytest.mark.slow
def test_fast_path_equals_reference_on_shared_corpora(shared_data):
    sib = (shared_data / "sib200" / "eng_Latn" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    lines = [row.split("\t")[2] for row in sib]
    kjv = (shared_data / "text" / "kjv_verses.txt").read_text(encoding="utf-8").split("\n")[:4000]
    for name in ("en_wo.tsv", "en_fon.tsv", "en_tpi.tsv"):
        lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / name)
        for corpus in (lines, kjv):
            gen = v2(lex)
            changed = _reference_matches(gen, ReferenceSubstitute(lex, gen.words, data=source_data("eng"),
                                                                  fallbacks=gen.fallbacks), corpus, 1)
            assert changed > len(corpus) // 2  # most records really go through the lexicon
            gen1 = make_generator("substitute.v1", lexicon=lex, src_lang="eng")
            assert _reference_matches(gen1, ReferenceSubstitute(lex, gen1.words), corpus, 1) > len(corpus) // 2


@pytest.mark.slow
def test_identity_lexicons_reproduce_shared_corpora_with_fallbacks(shared_data):
    kjv = (shared_data / "text" / "kjv_verses.txt").read_text(encoding="utf-8").split("\n")[:-1]
    sib = [row.split("\t")[2] for row in
           (shared_data / "sib200" / "eng_Latn" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    for lines in (kjv, sib):
        lex = Lexicon.from_pairs((w, w) for w in sorted({w for line in lines for w in WORD.findall(line)}))
        gen = v2(lex)
        assert texts(gen.run_batch(recs(*lines))) == lines
    heads = [row.split("\t")[0] for row in
             (shared_data / "lexicons" / "gatitos" / "en_luo.tsv").read_text(encoding="utf-8").splitlines()]
    lex = Lexicon.from_pairs((h, h) for h in heads)
    assert texts(v2(lex).run_batch(recs(*kjv[:3000]))) == kjv[:3000]
    assert texts(v2(lex).run_batch(recs(*sib))) == sib
