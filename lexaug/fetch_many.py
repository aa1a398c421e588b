"""`lexaug resources fetch --all`: fetch many catalog entries with a bounded number of parallel downloads.

Each entry is fetched by `lexaug.catalog.fetch_entry` in a worker thread (downloads wait on the network, so
threads suffice); a failure is kept as an `Outcome` with status "failed" and never stops the others.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable

from lexaug.catalog import Outcome, fetch_entry
from lexaug.catalog_entries import Entry
from lexaug.errors import LexaugError

DEFAULT_WORKERS = 4
MAX_WORKERS = 16


def fetch_many(entries: list[Entry], *, workers: int = DEFAULT_WORKERS, base_url: str | None = None,
               force: bool = False, on_done: Callable[[Outcome, int, int], None] | None = None) -> list[Outcome]:
    """Fetch `entries` with at most `workers` (1..16) at a time; returns one Outcome per entry, in input order.

    `on_done(outcome, done, total)` is called (in the calling thread) as each entry finishes, for one progress
    display.
    """
    workers = max(1, min(workers, MAX_WORKERS, len(entries) or 1))
    outcomes: dict[int, Outcome] = {}

    def one(entry: Entry) -> Outcome:
        try:
            return fetch_entry(entry, base_url=base_url, force=force)
        except LexaugError as err:
            return Outcome(entry, "failed", [], str(err))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(one, e): i for i, e in enumerate(entries)}
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            outcomes[futures[future]] = outcome
            if on_done is not None:
                on_done(outcome, done, len(entries))
    return [outcomes[i] for i in range(len(entries))]
