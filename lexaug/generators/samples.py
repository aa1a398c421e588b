"""`--samples K`: K different draws of every record.

Each record is repeated K times with ids `<id>#<k>` (k = 0..K-1). Generators seed their per-record draws
from (seed, record id, generator name), so every sample gets its own draws, and the output is the same for
any number of workers. K = 1 leaves records (and their ids) untouched, so the output is the bytes of a run
without `--samples`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lexaug.errors import ConfigError
from lexaug.types import Record


def check_samples(k: int) -> int:
    """`k` if it is a valid sample count (>= 1), else a ConfigError naming the option."""
    if not isinstance(k, int) or k < 1:
        raise ConfigError(f"--samples must be an integer >= 1, got {k!r}")
    return k


def sample_id(record_id: str, k: int) -> str:
    """The id of sample `k` of a record."""
    return f"{record_id}#{k}"


def expand_samples(records: Iterable[Record], k: int) -> Iterator[Record]:
    """Each record `k` times with ids `<id>#<j>` (records as they are for k = 1)."""
    if k == 1:
        yield from records
        return
    for record in records:
        for j in range(k):
            yield Record(sample_id(record.id, j), record.slots, record.frozen, record.payload, record.meta)
