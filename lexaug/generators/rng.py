"""Per-record random streams derived from (seed, record id, generator name) by a stable hash.

Never Python's salted `hash()` and never global state: the same record gets the same stream on any machine,
in any worker, in any order. Two kinds of draws are offered:

* `u32(n)`: n uniform 32-bit integers in one call (SHAKE-128 output), the fast path used by the generators to
  pick among translations with `value % k` (bias below k / 2**32);
* the familiar `random.Random` methods (`random`, `choice`, `randrange`, `shuffle`, ...), from a
  `random.Random` created lazily on first use, because seeding one costs about 4 microseconds per record.
"""

from __future__ import annotations

import hashlib
import random
import sys
from array import array
from typing import Any

_LITTLE = sys.byteorder == "little"
_LAZY = ("random", "choice", "choices", "randrange", "randint", "shuffle", "sample", "uniform", "getrandbits")


def stable_material(seed: int | str, record_id: str, name: str) -> bytes:
    """The bytes every draw of a record derives from (unit separators keep the fields apart)."""
    return f"{seed}\x1f{record_id}\x1f{name}".encode("utf-8", "surrogatepass")


def stable_seed(seed: int | str, record_id: str, name: str) -> int:
    """A 64-bit integer seed for (seed, record id, name), identical across processes and platforms."""
    digest = hashlib.blake2b(stable_material(seed, record_id, name), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class RecordRng:
    """The random source one generator call gets for one record (see module docstring)."""

    __slots__ = ("_material", "_blocks", "_rnd")

    def __init__(self, seed: int | str, record_id: str, name: str) -> None:
        self._material = stable_material(seed, record_id, name)
        self._blocks = 0
        self._rnd: random.Random | None = None

    def u32(self, n: int) -> array:
        """`n` independent uniform integers in [0, 2**32); each call continues the record's stream."""
        block = self._blocks
        self._blocks = block + 1
        out = array("I", hashlib.shake_128(self._material + block.to_bytes(4, "little")).digest(4 * n))
        if not _LITTLE:  # the stream is defined little-endian so big-endian machines draw the same values
            out.byteswap()
        return out

    def python_random(self) -> random.Random:
        """The lazily created `random.Random` behind `random()`, `choice()` and friends."""
        rnd = self._rnd
        if rnd is None:
            seed = int.from_bytes(hashlib.blake2b(self._material, digest_size=16).digest(), "little")
            rnd = self._rnd = random.Random(seed)
        return rnd

    def __getattr__(self, name: str) -> Any:
        if name in _LAZY:
            return getattr(self.python_random(), name)
        raise AttributeError(name)


def rng_for(seed: int | str, record_id: str, name: str) -> RecordRng:
    """The per-record random source for `name` (a registered generator name such as "substitute.v1")."""
    return RecordRng(seed, record_id, name)
