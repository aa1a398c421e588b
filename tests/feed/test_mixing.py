"""Mixing weights on the real KJV corpus split into three sources, and the torch adapter."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from lexaug.feed import CorpusSource, Feed

WEIGHTS = {"kjv0.txt": 0.5, "kjv1.txt": 0.3, "kjv2.txt": 0.2}


def shares(draws, n):
    counts = Counter(name for name, *_ in itertools.islice(draws, n))
    return {name: counts[name] / n for name in WEIGHTS}


def test_cycle_weights_hold_on_kjv(kjv_split, kjv_tokenizer):
    sources = [CorpusSource(str(p), WEIGHTS[p.name]) for p in kjv_split]
    feed = Feed(sources, kjv_tokenizer, 64, stopping="cycle", epochs=None, seed=2, shuffle_buffer=1000)
    # 40,000 draws: kjv0 (10,000 verses, weight 0.5) is used twice over, so the mix holds past a pass boundary;
    # the standard error of a share is at most 0.0025, the tolerance 0.01 is four of them.
    draws = list(itertools.islice(feed.draws(), 40_000))
    got = shares(iter(draws), 40_000)
    for name, weight in WEIGHTS.items():
        assert abs(got[name] - weight) < 0.01, (name, got)
    passes = Counter((name, p) for name, _, _, p in draws)
    assert passes[("kjv0.txt", 1)] > 0  # kjv0 restarted with a new shuffle
    first_pass = [i for name, i, _, p in draws if name == "kjv0.txt" and p == 0]
    assert sorted(first_pass) == list(range(10000))  # and its first pass held each verse once


def test_exhausted_weights_hold_while_all_sources_last(kjv_split, kjv_tokenizer):
    sources = [CorpusSource(str(p), WEIGHTS[p.name]) for p in kjv_split]
    feed = Feed(sources, kjv_tokenizer, 64, seed=9, shuffle_buffer=1000, rank=1, world_size=2)
    got = shares(feed.draws(), 8_000)  # kjv0's 5,000 verses of this rank last about 10,000 draws
    for name, weight in WEIGHTS.items():
        assert abs(got[name] - weight) < 0.02, (name, got)


def test_token_shares_follow_record_weights_in_the_report(kjv_split, kjv_tokenizer):
    sources = [CorpusSource(str(kjv_split[0]), 3.0), CorpusSource(str(kjv_split[2]), 1.0)]
    feed = Feed(sources, kjv_tokenizer, 128, stopping="cycle", epochs=None, seed=1, shuffle_buffer=200)
    blocks = list(itertools.islice(feed, 300))
    rep = feed.report()
    assert rep["blocks"] == len(blocks) == 300
    assert abs(rep["sources"][0]["share_records"] - 0.75) < 0.03
    assert sum(s["tokens"] for s in rep["sources"]) == 300 * 126 + rep["pending_tokens"] - rep["total"]["records"]
    for src in rep["sources"]:  # KJV with a KJV tokenizer: few unknowns, fertility a little above 1
        assert 1.0 < src["fertility"] < 1.6 and src["unk_rate"] < 0.01


@pytest.mark.slow
def test_torch_dataloader_workers_cover_the_corpus(tiny_dir):
    torch = pytest.importorskip("torch")
    from torch.utils.data import DataLoader

    from lexaug.feed import as_torch_dataset

    def sources():
        return [CorpusSource(str(tiny_dir / "a.txt")), CorpusSource(str(tiny_dir / "b.txt"))]

    ds = as_torch_dataset(Feed(sources(), tiny_dir / "tok", 9, mode="line", seed=3))
    ds.set_epoch(1)
    rows = []
    for batch in DataLoader(ds, batch_size=2, num_workers=2):
        assert batch["input_ids"].dtype == torch.long and batch["input_ids"].shape[1] == 9
        rows += [tuple(r) for r in batch["input_ids"].tolist()]
    expected = []
    for worker in range(2):
        feed = Feed(sources(), tiny_dir / "tok", 9, mode="line", seed=3, worker_id=worker, num_workers=2)
        feed.set_epoch(1)
        expected += [tuple(b["input_ids"]) for b in feed]
    assert sorted(rows) == sorted(expected) and len(rows) == 8
    assert len(set(rows)) == 8


@pytest.mark.parametrize("stopping,weights", [("exhausted", (1.0, 1.0)), ("cycle", (2.0, 1.0)),
                                              ("exhausted", (1.0,))])
def test_take_gives_the_draws_and_states_of_next(tiny_dir, stopping, weights):
    from lexaug.feed.mixing import Mixer

    names = ["a.txt", "b.txt"][: len(weights)]
    sources = [CorpusSource(str(tiny_dir / n), w) for n, w in zip(names, weights)]

    def mixer():
        m = Mixer(sources, shard=0, num_shards=1, buffer_size=2, seed=4, stopping=stopping, epochs=3)
        m.begin(0, start_epoch=0)
        return m

    one, many = mixer(), mixer()
    total = 0
    for n in itertools.cycle((1, 3, 2, 5, 4, 7, 1, 6)):  # chunks ending inside and exactly at pass/epoch ends
        want = [d for d in (one.next() for _ in range(n)) if d is not None]
        got = many.take(n)
        assert got == want
        assert many.state() == one.state()
        total += len(got)
        if many.finished or total > 60:
            break
    if stopping == "exhausted":  # 3 epochs, each record once per epoch (a.txt 5 records, b.txt 3)
        assert many.finished and total == 3 * (8 if len(names) == 2 else 5)
    else:
        assert total > 60 and not many.finished
