"""codeswitch.v2 and morph.v2: codeswitch.v1 and morph.v1 reading the lexicon with look-alike letters repaired,
as substitute.v3 does (`lexaug.generators.lookalikes`)."""

from __future__ import annotations

import pickle

from lexaug.generators import make_generator
from lexaug.loaders.lexicon import Lexicon
from lexaug.loaders.unimorph import MorphTable
from lexaug.types import Record


def recs(*lines: str) -> list[Record]:
    return [Record(str(i), [line]) for i, line in enumerate(lines)]


def joined(out: list[Record]) -> str:
    return "\n".join(r.slots[0] for r in out)


def sib_english(shared_data) -> list[str]:
    rows = (shared_data / "sib200" / "eng_Latn" / "train.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t")[2] for row in rows]


def test_bare_names_give_the_repairing_versions():
    lex = Lexicon.from_pairs([("go", "yi")])
    assert make_generator("codeswitch", lexicons=[lex]).name == "codeswitch.v2"
    assert make_generator("morph", lexicon=lex, source_table=None).name == "morph.v2"


def test_codeswitch_v2_writes_ewe_letters_where_v1_copies_the_lexicons_look_alikes(shared_data):
    lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / "en_ee.tsv")
    lines = sib_english(shared_data)
    old = joined(make_generator("codeswitch.v1", lexicons=[lex], langs=["ee"], rate=1.0).run_batch(recs(*lines)))
    gen = make_generator("codeswitch.v2", lexicons=[lex], langs=["ee"], rate=1.0)
    new = joined(gen.run_batch(recs(*lines)))
    assert old.count("ᴐ") > 100 and "ᴐ" not in new
    assert new.count("ɔ") > old.count("ɔ") + 100
    assert gen.params()["lookalikes"] == {"ee": {"targets_fixed": 297, "letters": {"ᴐ>ɔ": 384}}}
    assert gen.signature()["resources"]["lexicon:ee"]["sha256"] == lex.sha256  # the file as read
    again = pickle.loads(pickle.dumps(gen))  # as a worker process gets it
    assert joined(again.run_batch(recs(*lines[:50]))) == "\n".join(new.split("\n")[:50])


def test_codeswitch_v2_keeps_text_outside_replaced_words(shared_data):
    lex = Lexicon.read(shared_data / "lexicons" / "gatitos" / "en_ee.tsv")
    identity = Lexicon.from_pairs([(k, k) for k in lex.keys() if " " not in k])
    lines = sib_english(shared_data)
    out = make_generator("codeswitch.v2", lexicons=[identity], rate=1.0).run_batch(recs(*lines))
    assert [r.slots[0] for r in out] == lines


def test_morph_v2_finds_the_target_lemma_that_the_look_alike_spelling_hid():
    # the lexicon spells the open o with U+1D10 once, with the Ewe letter U+0254 elsewhere; the table has ɔ
    lex = Lexicon.from_pairs([("sleep", "mlᴐ"), ("walk", "zɔ"), ("go", "yɔ"), ("say", "gblɔ")])
    eng = MorphTable.from_rows([("sleep", "sleeps", "V;3;SG;PRS"), ("sleep", "sleep", "V;NFIN")])
    ewe = MorphTable.from_rows([("mlɔ", "emlɔ", "V;3;SG;PRS"), ("mlɔ", "mlɔ", "V;NFIN")])
    old = make_generator("morph.v1", lexicon=lex, source_table=eng, target_table=ewe)
    new = make_generator("morph.v2", lexicon=lex, source_table=eng, target_table=ewe)
    assert joined(old.run_batch(recs("He sleeps."))) == "He mlᴐ."  # no table row for mlᴐ: the plain lexicon word
    assert joined(new.run_batch(recs("He sleeps."))) == "He emlɔ."
    assert new.stats["morph:table"] == 1 and old.stats["morph:fallback"] == 1
    assert new.params()["lookalikes"] == {"targets_fixed": 1, "letters": {"ᴐ>ɔ": 1}}
