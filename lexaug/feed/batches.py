"""Batches of texts drawn from the mixer (reading, shuffling and synthesis), optionally prepared in a
background thread while the main thread tokenizes.

Each batch carries the mixer state *after* it (`snapshot`) and its per-source counts (`deltas`), so the feed's
state describes exactly the batches it has consumed, however far the producer has run ahead. The producer is
the only user of the mixer and runs in order, so the stream is the same with or without the thread. The thread
helps because fast tokenizers release the GIL: synthesis (Python) overlaps tokenization (Rust). With
`workers` > 0, synthesis runs in worker processes instead (for machines with spare cores).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

# per-source counts a producer adds: records_in, filtered, replaced, words
RECORDS_IN, FILTERED, REPLACED, WORDS = range(4)


@dataclass
class Batch:
    texts: list[str]
    owners: list[int]  # source index of each text
    deltas: list[list[int]]  # per source: records_in, filtered, replaced, words
    snapshot: dict[str, Any]  # mixer state after this batch


def draw_batches(mixer: Any, size: int) -> Iterator[tuple[list[tuple[int, Any, int, int]], dict[str, Any]]]:
    """Lists of at most `size` draws (source index, record, epoch, pass) with the mixer state after each."""
    while not mixer.finished:
        draws = []
        while len(draws) < size:
            draw = mixer.next()
            if draw is None:
                break
            draws.append((draw[0], draw[2], draw[3], draw[4]))
        yield draws, mixer.state()


def texts_of(sources: Sequence[Any], draws: list[tuple[int, Any, int, int]]) -> tuple[list[str], list[int],
                                                                                     list[list[int]]]:
    """(texts, owners, per-source deltas) of a list of draws, in draw order. Synthesis happens here, one
    `texts_batch` call per (source, epoch, pass) group."""
    groups: dict[tuple[int, int, int], list[int]] = {}
    for pos, (i, _, epoch, pass_) in enumerate(draws):
        groups.setdefault((i, epoch, pass_), []).append(pos)
    outs: list[Any] = [None] * len(draws)
    for (i, epoch, pass_), positions in groups.items():
        results = sources[i].texts_batch([draws[p][1] for p in positions], epoch, pass_)
        for p, result in zip(positions, results):
            outs[p] = result
    texts: list[str] = []
    owners: list[int] = []
    deltas = [[0, 0, 0, 0] for _ in sources]
    for (i, *_), result in zip(draws, outs):
        delta = deltas[i]
        delta[RECORDS_IN] += 1
        if not result:
            delta[FILTERED] += 1
        for text, replaced in result:
            texts.append(text)
            owners.append(i)
            delta[REPLACED] += replaced
            delta[WORDS] += len(text.split())
    return texts, owners, deltas


_WORKER_SOURCES: Sequence[Any] = ()


def _init_worker(sources: Sequence[Any]) -> None:
    global _WORKER_SOURCES
    _WORKER_SOURCES = sources


def _worker_job(draws: list[tuple[int, Any, int, int]]) -> tuple[list[str], list[int], list[list[int]]]:
    return texts_of(_WORKER_SOURCES, draws)


def produce(mixer: Any, sources: Sequence[Any], size: int, workers: int = 0) -> Iterator[Batch]:
    """Batches of the texts of `size` draws each until the mixer ends. With `workers` > 0 the texts (synthesis)
    are computed by that many worker processes (spawned; each gets the sources once), in order, with up to
    two batches per worker in flight. Inside a daemonic process (a DataLoader worker), which may not have
    children, the texts are computed in-process."""
    import multiprocessing

    if workers <= 0 or multiprocessing.current_process().daemon:
        for draws, snapshot in draw_batches(mixer, size):
            yield Batch(*texts_of(sources, draws), snapshot)
        return
    from collections import deque

    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(list(sources),))
    try:
        pending: deque = deque()
        for draws, snapshot in draw_batches(mixer, size):
            pending.append((pool.apply_async(_worker_job, (draws,)), snapshot))
            if len(pending) > 2 * workers:
                result, snap = pending.popleft()
                yield Batch(*result.get(), snap)
        while pending:
            result, snap = pending.popleft()
            yield Batch(*result.get(), snap)
    finally:
        pool.terminate()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


_END = object()


def prefetched(batches: Iterator[Batch], depth: int) -> Iterator[Batch]:
    """`batches` computed in a daemon thread, at most `depth` ahead (0: in the caller's thread). Closing the
    returned generator stops the thread; an exception in the thread is raised in the caller."""
    if depth <= 0:
        yield from batches
        return
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_END)
        except BaseException as err:  # handed to the consumer, which raises it
            put(_Failed(err))

    thread = threading.Thread(target=work, name="lexaug-feed-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
