"""The batched path (`lexaug.generators.batch`) gives exactly what the per-record path gives."""

from __future__ import annotations

import random
import unicodedata

from lexaug.generators import Substitute, WordSpec
from lexaug.generators.batch import REC, pack, record_slots, record_text, word_counts
from lexaug.generators.rng import rng_for
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record


def per_record(gen: Substitute, records: list[Record], seed: int) -> list[tuple[list[str], dict]]:
    out = []
    for r in records:
        got = gen.generate(r, rng_for(seed, r.id, gen.name))
        out.extend((g.slots, g.meta) for g in got)
    return out


def test_pack_tokens_and_ends():
    uni, fast = WordSpec().batch_splitters()
    parts, toks, ends = pack(["a b", "", "c,d e"], uni, fast)
    assert toks == ["a", "b", REC, REC, "c", "d", "e"] and ends == [2, 3, 7]
    assert word_counts(ends) == [2, 0, 3]
    assert pack(["a\x01b"], uni, fast) is None
    rec = Record("r", ["x", "y", "z"], frozen=frozenset({1}))
    assert record_text(rec) == "x\x00z" and record_slots(rec, "X\x00Z") == ["X", "y", "Z"]
    assert record_text(Record("n", ["a\x00b", "c"])) is None


def test_pack_parts_equal_a_plain_split_of_the_texts_joined_with_rec():
    """`pack` joins with REC + PAD so the ASCII pattern can open tokens with one character class; its parts must
    be exactly those of the plain pattern `(word|REC)` over the texts joined with REC alone."""
    import re

    import regex

    texts = ["a b", "", "c,d e", "x'", "'y", "well-known-", "-", "\x02odd\x02", "it's", "l'homme qu'il",
             "ab12 3c", "", "z", "Ünï côdé", "x\u0301y"]
    specs = [WordSpec(), WordSpec(apostrophes="inner", hyphens=True), WordSpec(digits=True),
             WordSpec(apostrophes="elision"), WordSpec(apostrophes="inner")]
    rng = random.Random(5)
    batches = [texts, [t for t in texts if t.isascii()]] + [rng.sample(texts, 6) for _ in range(30)]
    for spec in specs:
        uni, fast = spec.batch_splitters()
        for batch in batches:
            joined = REC.join(batch)
            plain = (re.compile(f"({spec.source(ascii_only=True)}|\x01)") if joined.isascii()
                     else regex.compile(f"({spec.source()}|\x01)"))
            parts, toks, ends = pack(batch, uni, fast)
            assert parts == plain.split(joined), (spec, batch)
            assert "".join(parts) == joined and len(ends) == len(batch)


def test_batched_equals_per_record_on_mixed_records():
    lex = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a", "ọjọ́"] for k in range(3)]
                             + [("a lot", "sana"), ("big dog", "mbwa kubwa"), ("x", "\x01")])
    lines = [" ".join(random.Random(i).choices(["the", "dog", "The", "DOG", "a", "lot", "big", "cat", ",", "\n",
                                                unicodedata.normalize("NFD", "Ọjọ́")], k=9)) for i in range(150)]
    records = [Record(str(i), [line]) for i, line in enumerate(lines)]
    records += [Record("f", ["the", "dog", "a", "lot"], frozen=frozenset({1}), payload=["O"] * 4),
                Record("nul", ["the\x00dog", "a"]), Record("empty", []), Record("allfrozen", ["dog"], frozen={0}),
                Record("rec", ["the x dog"])]
    for k_min in (0, 3):
        gen = Substitute(lex, min_replacements=k_min)
        batched = [(r.slots, r.meta) for r in gen.run_batch(records, seed=4)]
        ref = Substitute(lex, min_replacements=k_min)
        assert batched == per_record(ref, records, 4)
        ref.stats.update(records_in=len(records), records_out=len(batched),
                         records_filtered=len(records) - len(batched))
        assert gen.stats == ref.stats and gen.stats["tokens"] > 1000


def test_codeswitch_batched_equals_per_record():
    from lexaug.generators import CodeSwitch

    lex = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a"] for k in range(3)], tgt_lang="swh")
    lines = [" ".join(random.Random(i).choices(["the", "dog", "The", "DOG", "a", "cat", ",", "\n"], k=9))
             for i in range(150)]
    records = [Record(str(i), [line]) for i, line in enumerate(lines)]
    records += [Record("f", ["the", "dog", "a"], frozen=frozenset({1})), Record("e", [""])]
    for kw in ({"rate": 0.3, "sentence_rate": 0.5}, {"rate": 1.0}, {"rate": 0.0}):
        gen, ref = CodeSwitch(lex, **kw), CodeSwitch(lex, **kw)
        batched = [(r.slots, r.meta) for r in gen.run_batch(records, seed=9)]
        expected = []
        for r in records:
            ref.stats["records_in"] += 1
            ref.stats["records_out"] += 1
            expected.extend((g.slots, g.meta) for g in ref.generate(r, rng_for(9, r.id, ref.name)))
        ref.stats["records_filtered"] += 0
        assert batched == expected and gen.stats == ref.stats
    assert any(m["replaced"] for _, m in batched[:150]) is False  # rate 0.0 switches nothing


def _text_lines() -> list[str]:
    words = ["the", "dog", "The", "DOG", "a", "lot", "big", "cat", ",", "\r", unicodedata.normalize("NFD", "Ọjọ́")]
    return [" ".join(random.Random(i).choices(words, k=9)) for i in range(150)] + ["", "the x dog", "a\x00the"]


def test_run_texts_equals_run_over_one_slot_records():
    """`run_texts` (plain text without record objects) gives the texts and stats of `run`, including
    filtered records, a text holding REC (redone one by one) and NUL inside a line."""
    from lexaug.generators import CodeSwitch

    lines = _text_lines()
    ids = [str(100 + i) for i in range(len(lines))]
    records = [Record(i, [t]) for i, t in zip(ids, lines)]
    lex = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a", "ọjọ́"] for k in range(3)]
                             + [("a lot", "sana"), ("x", "\x01")], tgt_lang="swh")
    plain = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a"] for k in range(3)], tgt_lang="swh")
    makers = [lambda: Substitute(lex), lambda: Substitute(lex, min_replacements=3),
              lambda: Substitute(lex, words=WordSpec(pattern=r"\w+")),
              lambda: CodeSwitch(plain, rate=0.4, sentence_rate=0.7), lambda: CodeSwitch(plain, rate=1.0),
              lambda: CodeSwitch(lex, rate=0.5), lambda: CodeSwitch([plain, lex], rate=0.5)]
    for make in makers:
        gen, ref = make(), make()
        kept = {r.id: r.slots[0] for r in ref.run(records, seed=3)}
        got = gen.run_texts(ids, lines, seed=3)
        assert got == [kept.get(i) for i in ids]
        assert gen.stats == ref.stats and gen.stats["tokens"] > 500
    assert None in Substitute(lex, min_replacements=3).run_texts(ids, lines, seed=3)


def test_replaced_counts_with_few_and_many_missing_words():
    """Both ways `_batch` attributes untranslated words to records (few missing: one by one; many: running
    totals) give the per-record counts of `generate`."""
    lex = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a"] for k in range(2)])
    for share in (0.02, 0.5):
        rng = random.Random(7)
        lines = [" ".join("cat" if rng.random() < share else rng.choice(["the", "dog", "a", "The"])
                          for _ in range(rng.randrange(0, 12))) for _ in range(200)]
        records = [Record(str(i), [line]) for i, line in enumerate(lines)]
        gen, ref = Substitute(lex), Substitute(lex)
        assert [(r.slots, r.meta) for r in gen.run_batch(records, seed=1)] == per_record(ref, records, 1)
        missing = sum(line.split().count("cat") for line in lines)
        assert gen.stats["tokens"] - gen.stats["replaced"] == missing and missing > 10
