"""The three guarantees: same seed -> same batches; stop + resume from state_dict == uninterrupted (also
across epoch boundaries); all ranks x workers together cover each record exactly once per epoch."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from lexaug.feed import CorpusSource, Feed


def tiny_sources(tiny_dir, weights=(1.0, 1.0)):
    return [CorpusSource(str(tiny_dir / "a.txt"), weights[0]), CorpusSource(str(tiny_dir / "b.txt"), weights[1])]


def take(iterator, n):
    return [next(iterator) for _ in range(n)]


def test_same_seed_same_batches_other_seed_differs(tiny_dir):
    def run(seed, prefetch=2):
        return list(Feed(tiny_sources(tiny_dir), tiny_dir / "tok", 6, seed=seed, epochs=3, shuffle_buffer=3,
                         batch_size=2, prefetch=prefetch))

    first, second = run(7), run(7)
    assert first == second and len(first) > 10
    assert run(7, prefetch=0) == first
    assert run(8) != first


@pytest.mark.parametrize("mode,stopping,epochs", [("packed", "exhausted", 3), ("line", "exhausted", 3),
                                                  ("packed", "cycle", None)])
def test_resume_equals_uninterrupted_at_every_block(tiny_dir, mode, stopping, epochs):
    def make(prefetch=2):
        return Feed(tiny_sources(tiny_dir, (2.0, 1.0)), tiny_dir / "tok", 6, mode=mode, seed=3,
                    shuffle_buffer=2, stopping=stopping, epochs=epochs, batch_size=3, prefetch=prefetch)

    limit = 30
    full_feed = make()
    full = take(iter(full_feed), limit) if epochs is None else list(full_feed)
    assert len(full) >= 20
    epochs_seen, passes_seen = set(), set()
    for k in range(len(full)):  # stop after k blocks (0 .. all), resume from the JSON round-tripped state
        feed = make()
        it = iter(feed)
        head = take(it, k)
        state = json.loads(json.dumps(feed.state_dict()))
        epochs_seen.add(state["mixer"]["epoch"])
        passes_seen.update(c["pass"] for c in state["mixer"]["cursors"])
        resumed = make(prefetch=k % 2 * 2)  # the background thread changes nothing: resume with or without
        resumed.load_state_dict(state)
        rest = iter(resumed)
        tail = take(rest, len(full) - k) if epochs is None else list(rest)
        assert head + tail == full, f"resume after {k} blocks differs"
    if stopping == "exhausted":
        assert epochs_seen == {0, 1, 2}  # the stop points include blocks of every epoch
    else:
        assert {0, 1, 2, 3} <= passes_seen  # and, cycling, stops inside later passes of the sources


@pytest.mark.slow
def test_resume_on_kjv_across_epoch_boundary(kjv_split, kjv_tokenizer):
    def make():
        return Feed([CorpusSource(str(p), w) for p, w in zip(kjv_split[:2], (3.0, 1.0))], kjv_tokenizer, 64,
                    seed=11, shuffle_buffer=500, epochs=2, rank=1, world_size=4, worker_id=1, num_workers=2)

    full = list(make())
    epoch1_first = None
    feed = make()
    it = iter(feed)
    for k in range(len(full)):  # the first block produced in epoch 1
        next(it)
        if feed.state_dict()["mixer"]["epoch"] == 1:
            epoch1_first = k
            break
    assert epoch1_first is not None
    for k in (1, epoch1_first - 1, epoch1_first, epoch1_first + 1, len(full) - 1):
        feed = make()
        it = iter(feed)
        head = take(it, k)
        resumed = make()
        resumed.load_state_dict(json.loads(json.dumps(feed.state_dict())))
        assert head + list(resumed) == full


def shard_draws(sources, tok, world, workers, epoch):
    out = {}
    for rank in range(world):
        for worker in range(workers):
            feed = Feed(sources, tok, 8, seed=5, rank=rank, world_size=world, worker_id=worker,
                        num_workers=workers, shuffle_buffer=100)
            feed.set_epoch(epoch)
            out[rank, worker] = list(feed.draws())
    return out


def test_ranks_and_workers_cover_each_record_once_per_epoch(kjv_split, kjv_tokenizer):
    sources = [CorpusSource(str(p), w) for p, w in zip(kjv_split, (0.5, 0.3, 0.2))]
    sizes = {"kjv0.txt": 10000, "kjv1.txt": 10000, "kjv2.txt": 11100}
    orders = []
    for epoch in (0, 1):
        draws = shard_draws(sources, kjv_tokenizer, 2, 3, epoch)
        counts = Counter((name, index) for shard in draws.values() for name, index, *_ in shard)
        assert len(counts) == sum(sizes.values()) == 31100
        assert set(counts.values()) == {1}  # no duplicates
        for name, size in sizes.items():  # none missing
            assert {i for n, i in counts if n == name} == set(range(size))
        assert {e for shard in draws.values() for *_, e, _ in shard} == {epoch}
        orders.append(draws[0, 0])
    assert orders[0] != orders[1]  # set_epoch reshuffles
    assert sorted(orders[0]) != orders[0]


def test_blocks_of_all_shards_hold_all_tokens(tiny_dir):
    """Tokens of every shard's blocks together are the tokens of the whole corpus (line mode: one block each)."""
    tok = tiny_dir / "tok"
    whole = Counter(tuple(b["input_ids"]) for b in Feed(tiny_sources(tiny_dir), tok, 9, mode="line"))
    parts: Counter = Counter()
    for rank in range(2):
        for worker in range(2):
            parts.update(tuple(b["input_ids"]) for b in Feed(tiny_sources(tiny_dir), tok, 9, mode="line", rank=rank,
                                                             world_size=2, worker_id=worker, num_workers=2))
    assert parts == whole and sum(whole.values()) == 8


def test_shuffle_buffer_is_bounded(tmp_path, tiny_dir):
    path = tmp_path / "n.txt"
    path.write_text("".join(f"line {i}\n" for i in range(200)), encoding="utf-8")
    feed = Feed([CorpusSource(str(path))], tiny_dir / "tok", 8, shuffle_buffer=10, seed=1)
    order = [i for _, i, _, _ in feed.draws()]
    assert sorted(order) == list(range(200)) and order != list(range(200))
    # the j-th record out was read among the first j + 10 + 1: never more than 10 records are held
    assert max(i - j for j, i in enumerate(order)) <= 10
    unshuffled = Feed([CorpusSource(str(path))], tiny_dir / "tok", 8, shuffle_buffer=0)
    assert [i for _, i, _, _ in unshuffled.draws()] == list(range(200))


def test_state_of_another_feed_is_refused(tiny_dir):
    from lexaug.errors import ConfigError

    feed = Feed(tiny_sources(tiny_dir), tiny_dir / "tok", 6, seed=1, rank=0, world_size=2)
    it = iter(feed)
    next(it)
    state = feed.state_dict()
    with pytest.raises(ConfigError, match="seed=1"):
        Feed(tiny_sources(tiny_dir), tiny_dir / "tok", 6, seed=2, rank=0, world_size=2).load_state_dict(state)
    with pytest.raises(ConfigError, match="shard=0"):
        Feed(tiny_sources(tiny_dir), tiny_dir / "tok", 6, seed=1, rank=1, world_size=2).load_state_dict(state)
