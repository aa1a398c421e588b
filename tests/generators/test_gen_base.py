"""Generator base: registry, per-record random streams, stats merging."""

from __future__ import annotations

import pytest

from lexaug.errors import ConfigError
from lexaug.generators import available, make_generator, merge_stats, rng_for, stable_seed
from lexaug.generators.rng import RecordRng
from lexaug.loaders.lexicon import Lexicon


def test_registry_names_are_versioned():
    assert available() == ["codeswitch.v1", "codeswitch.v2", "hallucinate.v1", "morph.v1", "morph.v2",
                           "substitute.v1", "substitute.v2", "substitute.v3"]
    with pytest.raises(ConfigError, match="unknown generator 'nope'"):
        make_generator("nope")


def test_rng_is_stable_and_per_record():
    a, b = rng_for(0, "r1", "substitute.v1"), rng_for(0, "r1", "substitute.v1")
    assert list(a.u32(4)) == list(b.u32(4)) and list(a.u32(2)) == list(b.u32(2))
    assert list(rng_for(0, "r1", "substitute.v1").u32(3)) != list(rng_for(0, "r2", "substitute.v1").u32(3))
    assert list(rng_for(0, "r1", "substitute.v1").u32(3)) != list(rng_for(0, "r1", "codeswitch.v1").u32(3))
    # fixed values: the stream must not change between Python versions or machines
    assert list(RecordRng(42, "x", "t.v1").u32(2)) == [4196273097, 3013885233]  # SHAKE-128, little-endian
    assert 0 <= stable_seed(0, "r1", "substitute.v1") < 2 ** 64
    r1, r2 = rng_for(1, "x", "m.v1"), rng_for(1, "x", "m.v1")
    assert [r1.random() for _ in range(3)] == [r2.random() for _ in range(3)]
    assert r1.choice("abcdef") == r2.choice("abcdef")


def test_stats_merge_across_workers():
    lex = Lexicon.from_pairs([("a", "b")])
    from lexaug.types import Record
    g1, g2 = make_generator("substitute.v1", lexicon=lex), make_generator("substitute.v1", lexicon=lex)
    g1.run_batch([Record("1", ["a c"])])
    g2.run_batch([Record("2", ["a a"]), Record("3", ["c"])])
    total = merge_stats(g1.stats, g2.stats)
    assert total["records_in"] == 3 and total["tokens"] == 5 and total["replaced"] == 3
