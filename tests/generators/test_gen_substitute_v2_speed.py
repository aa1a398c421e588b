"""The speed paths of `substitute.v2` give the bytes and counts of the plain paths: fallback words found among
the direct misses of a batch (`FallbackTable.resolve`), with a form cache small enough to be cleared part way,
and the per-record path."""

from __future__ import annotations

from lexaug.generators import make_generator
from lexaug.generators.fallbacks import FallbackTable, source_data
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Record

LINES = ["I didn't see months; They're well-known. Colours WASN'T worked, Cakes",
         "Cakes and cakes, the Months worked; well-known colours didn't", "nothing here at all", "a lot of cakes"]


def _lexicon() -> Lexicon:
    return Lexicon.from_pairs([("not", "ayi"), ("not", "te"), ("do", "ke"), ("they", "olu"), ("be", "ye"),
                               ("month", "kalo"), ("work", "baara"), ("color", "ɲɛ"), ("well", "kura"),
                               ("know", "don"), ("cake", "gato"), ("cake", "kek"), ("a lot", "caman")])


def test_small_cache_and_per_record_path_give_the_batch_bytes_and_counts():
    records = [Record(str(i), [line]) for i, line in enumerate(LINES * 20)]
    fast = make_generator("substitute.v2", lexicon=_lexicon(), src_lang="eng")
    batch = [r.slots[0] for r in fast.run(records, seed=3)]
    small = make_generator("substitute.v2", lexicon=_lexicon(), src_lang="eng")
    small.table = FallbackTable(_lexicon(), weighting=small.weighting, data=source_data("eng"), cache_size=6)
    assert [r.slots[0] for r in small.run(records, seed=3)] == batch
    assert small.table._clears > 0  # the cache was cleared part way
    assert small.stats == fast.stats and fast.stats["fallback:lemma"] > 0 and fast.stats["fallback:parts"] > 0
    one = make_generator("substitute.v2", lexicon=_lexicon(), src_lang="eng")
    from lexaug.generators import rng_for

    per_record = [o.slots[0] for r in records for o in one.generate(r, rng_for(3, r.id, one.name))]
    assert per_record == batch
    assert {k: v for k, v in one.stats.items() if k.startswith("fallback:")} == \
        {k: v for k, v in fast.stats.items() if k.startswith("fallback:")}


def test_small_cache_per_record_path():
    records = [Record(str(i), [line]) for i, line in enumerate(LINES * 20)]
    fast = make_generator("substitute.v2", lexicon=_lexicon(), src_lang="eng")
    batch = [r.slots[0] for r in fast.run(records, seed=3)]
    one = make_generator("substitute.v2", lexicon=_lexicon(), src_lang="eng")
    one.table = FallbackTable(_lexicon(), weighting=one.weighting, data=source_data("eng"), cache_size=6)
    from lexaug.generators import rng_for

    assert [o.slots[0] for r in records for o in one.generate(r, rng_for(3, r.id, one.name))] == batch
    assert one.table._clears > 0 and one.stats["fallback:lemma"] == fast.stats["fallback:lemma"]
