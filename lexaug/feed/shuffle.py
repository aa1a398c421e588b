"""Deterministic sharding and bounded shuffling of one source, with a resumable cursor.

Sharding: the feed's shard is `rank * num_workers + worker_id` of `world_size * num_workers`; a source record
with global index `i` belongs to shard `i % num_shards`, so the shards together hold every record exactly once.

Shuffling: a shuffle buffer of `buffer_size` records (memory bounded, never the whole corpus): the buffer
fills in file order, then each new record replaces a uniformly chosen buffered one, which is emitted; at the
end of the pass the buffer is emitted in a random order. The random stream is seeded from
(seed, epoch, source, pass, shard), so `set_epoch(n)` reshuffles and every pass is reproducible.

Resume: a cursor's state is `(pass, emitted)`. The buffer contents are not stored; they are *replayed*: the
cursor re-reads the pass from the start and re-runs the buffer, discarding `emitted` records (reading only; no
tokenization or synthesis), which restores the buffer and its random state exactly.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from typing import Any, Iterable, Iterator, TypeVar

T = TypeVar("T")


def derive_seed(*parts: Any) -> int:
    """A 64-bit seed from any parts, stable across processes and machines (never Python's salted hash)."""
    material = "\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(material, digest_size=8).digest(), "little")


def buffered_shuffle(items: Iterable[T], buffer_size: int, rng: random.Random) -> Iterator[T]:
    """Shuffle a stream through a buffer of at most `buffer_size` items (0 or 1: file order)."""
    if buffer_size <= 1:
        yield from items
        return
    buf: list[T] = []
    randrange = rng.randrange
    for item in items:
        if len(buf) < buffer_size:
            buf.append(item)
            continue
        j = randrange(buffer_size)
        out, buf[j] = buf[j], item
        yield out
    rng.shuffle(buf)
    yield from buf


class Cursor:
    """Position of one shard in one source: which pass, how many records of it were emitted.

    Args:
        source: a feed source (`items(shard, num_shards)`).
        index: the source's position in the feed (part of the shuffle seed).
        shard, num_shards: this shard and the shard count.
        buffer_size: shuffle buffer size.
        seed: the feed seed.
    """

    def __init__(self, source: Any, index: int, shard: int, num_shards: int, buffer_size: int, seed: int):
        self.source, self.index = source, index
        self.shard, self.num_shards = shard, num_shards
        self.buffer_size, self.seed = buffer_size, seed
        self.epoch = 0
        self.pass_ = 0
        self.emitted = 0
        self.done = False  # this pass has no records left
        self._it: Iterator[tuple[int, Any]] | None = None

    def start(self, epoch: int, pass_: int, emitted: int = 0, done: bool = False) -> None:
        """Position the cursor at (epoch, pass, emitted); the stream reopens lazily on the next draw."""
        self.epoch, self.pass_, self.emitted, self.done = epoch, pass_, emitted, done
        self._it = None

    def _open(self) -> Iterator[tuple[int, Any]]:
        rng = random.Random(derive_seed(self.seed, "shuffle", self.epoch, self.index, self.pass_, self.shard))
        it = buffered_shuffle(self.source.items(self.shard, self.num_shards), self.buffer_size, rng)
        if self.emitted:  # replay: rebuild buffer and random state by reading past what was already emitted
            skipped = sum(1 for _ in itertools.islice(it, self.emitted))
            if skipped < self.emitted:
                self.done = True
        return it

    def next(self) -> tuple[int, Any] | None:
        """The next (global index, item) of this pass, or None when the pass is over."""
        if self.done:
            return None
        if self._it is None:
            self._it = self._open()
            if self.done:
                return None
        item = next(self._it, None)
        if item is None:
            self.done = True
            self._it = None
            return None
        self.emitted += 1
        return item

    def take(self, n: int) -> list[tuple[int, Any]]:
        """Up to `n` next items of this pass: exactly what `n` calls of `next` give (fewer: the pass is over)."""
        if self.done:
            return []
        if self._it is None:
            self._it = self._open()
            if self.done:
                return []
        items = list(itertools.islice(self._it, n))
        self.emitted += len(items)
        if len(items) < n:
            self.done = True
            self._it = None
        return items

    def state(self) -> dict[str, Any]:
        return {"pass": self.pass_, "emitted": self.emitted, "done": self.done}
