"""Mixing sources by probability, per shard, with an explicit (resumable) state.

Each draw picks source `s` with probability `weight_s / sum(weights of the candidates)` from a seeded
`random.Random` (seed, epoch, shard), then takes that source's next record (see `shuffle.Cursor`).

Stopping strategies:

* `"exhausted"` (default): one epoch covers every record of every source exactly once. Candidates are the
  sources with records left in the epoch, so the weights hold while all sources last and the others are
  renormalised once a source runs dry. After `epochs` epochs the stream ends (`None`: never).
* `"cycle"`: weights hold at every point: a source that runs dry starts its next pass (a fresh shuffle), so
  small sources repeat. Each pass still covers the source's records exactly once. The stream never ends
  (bound it with `max_blocks`).
"""

from __future__ import annotations

import random
from typing import Any, Sequence

from lexaug.errors import ConfigError
from lexaug.feed.shuffle import Cursor, derive_seed

STOPPING = ("exhausted", "cycle")


class Mixer:
    """Draws (source index, record index, record, epoch, pass) for one shard; see the module docstring."""

    def __init__(self, sources: Sequence[Any], *, shard: int, num_shards: int, buffer_size: int, seed: int,
                 stopping: str = "exhausted", epochs: int | None = 1):
        if stopping not in STOPPING:
            raise ConfigError(f"stopping must be one of {', '.join(STOPPING)}, got {stopping!r}")
        if not sources:
            raise ConfigError("the feed needs at least one source")
        self.sources = list(sources)
        self.weights = [float(s.weight) for s in self.sources]
        self.shard, self.seed, self.stopping, self.epochs = shard, seed, stopping, epochs
        self.cursors = [Cursor(s, i, shard, num_shards, buffer_size, seed) for i, s in enumerate(self.sources)]
        self.empty = [False] * len(self.sources)  # cycle: no record at all in this shard
        self.start_epoch = self.epoch = 0
        self.finished = False
        self.drawn_in_epoch = 0
        self.rng = random.Random()

    def begin(self, epoch: int, start_epoch: int | None = None) -> None:
        """Start `epoch` from its first record (all cursors at pass 0)."""
        if start_epoch is not None:
            self.start_epoch = start_epoch
        self.epoch, self.finished, self.drawn_in_epoch = epoch, False, 0
        self.rng = random.Random(derive_seed(self.seed, "mix", epoch, self.shard))
        for cursor in self.cursors:
            cursor.start(epoch, 0)

    def _choose(self, candidates: list[int]) -> int:
        if len(candidates) == 1:
            return candidates[0]
        weights = self.weights
        r = self.rng.random() * sum(weights[i] for i in candidates)
        for i in candidates:
            r -= weights[i]
            if r < 0:
                return i
        return candidates[-1]  # float rounding at the top end

    def next(self) -> tuple[int, int, Any, int, int] | None:
        """The next draw, or None when the stream has ended."""
        drawn = self.take(1)
        return drawn[0] if drawn else None

    def take(self, n: int) -> list[tuple[int, int, Any, int, int]]:
        """Up to `n` next draws (fewer only when the stream ends): exactly what `n` calls of `next` give, with
        the same state after, but a source that is the only candidate hands over its records in one slice."""
        out: list[tuple[int, int, Any, int, int]] = []
        cursors = self.cursors
        while len(out) < n and not self.finished:
            if self.stopping == "exhausted":
                candidates = [i for i, c in enumerate(cursors) if not c.done]
                if not candidates:
                    self._end_epoch()
                    continue
            else:
                candidates = [i for i, e in enumerate(self.empty) if not e]
                if not candidates:
                    self.finished = True
                    break
            epoch = self.epoch
            if len(candidates) == 1:
                i = candidates[0]
                cursor = cursors[i]
                want = n - len(out)
                items = cursor.take(want)
                pass_ = cursor.pass_
                out.extend([(i, index, item, epoch, pass_) for index, item in items])
                self.drawn_in_epoch += len(items)
                if len(items) < want and self.stopping == "cycle":  # as `next` does on the None that ends a pass
                    if cursor.emitted == 0:
                        self.empty[i] = True
                    else:
                        cursor.start(epoch, cursor.pass_ + 1)
                continue
            while len(out) < n:  # several candidates: one weighted draw per record, until a source runs dry
                i = self._choose(candidates)
                cursor = cursors[i]
                got = cursor.next()
                if got is None:
                    if self.stopping == "cycle":
                        if cursor.emitted == 0:
                            self.empty[i] = True
                        else:
                            cursor.start(epoch, cursor.pass_ + 1)
                    break
                self.drawn_in_epoch += 1
                out.append((i, got[0], got[1], epoch, cursor.pass_))
        return out

    def _end_epoch(self) -> None:
        nothing = self.drawn_in_epoch == 0  # no records in this shard at all: stop rather than spin
        if nothing or (self.epochs is not None and self.epoch + 1 >= self.start_epoch + self.epochs):
            self.finished = True
        else:
            self.begin(self.epoch + 1)

    def state(self) -> dict[str, Any]:
        version, internal, gauss = self.rng.getstate()
        return {"epoch": self.epoch, "start_epoch": self.start_epoch, "finished": self.finished,
                "drawn_in_epoch": self.drawn_in_epoch, "rng": [version, list(internal), gauss],
                "empty": list(self.empty), "cursors": [c.state() for c in self.cursors]}

    def load(self, state: dict[str, Any]) -> None:
        if len(state["cursors"]) != len(self.cursors):
            raise ConfigError(f"state has {len(state['cursors'])} sources, this feed {len(self.cursors)}")
        self.epoch, self.start_epoch = state["epoch"], state["start_epoch"]
        self.finished, self.drawn_in_epoch = state["finished"], state["drawn_in_epoch"]
        version, internal, gauss = state["rng"]
        self.rng = random.Random()
        self.rng.setstate((version, tuple(internal), gauss))
        self.empty = list(state["empty"])
        for cursor, cs in zip(self.cursors, state["cursors"]):
            cursor.start(self.epoch, cs["pass"], cs["emitted"], cs["done"])
