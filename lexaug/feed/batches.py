"""Batches of texts drawn from the mixer (reading, shuffling and synthesis), optionally prepared in a
background thread (or other processes) while the main thread tokenizes.

Each batch carries the mixer state *after* it (`snapshot`) and its per-source counts (`deltas`), so the feed's
state describes exactly the batches it has consumed, however far the producer has run ahead. The producer is
the only user of the mixer and runs in order, so the stream is the same with or without the thread. The thread
helps because fast tokenizers release the GIL: synthesis (Python) overlaps tokenization (Rust), but it still
costs the training process's CPU and GIL. With `workers` > 0 (by default for on-the-fly synthesis on >= 2
cores), whole batches (reading, mixing, synthesis) are made in producer processes instead
(`lexaug.feed.producers`), which takes them off the training process.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

# per-source counts a producer adds: records_in, filtered, replaced, words, texts
RECORDS_IN, FILTERED, REPLACED, WORDS, TEXTS = range(5)


@dataclass
class Batch:
    texts: list[str]
    owners: int | list[int]  # source index of each text, or one index when all texts come from one source
    deltas: list[list[int]]  # per source: records_in, filtered, replaced, words, texts
    snapshot: dict[str, Any]  # mixer state after this batch


def draw_batches(mixer: Any, size: int) -> Iterator[tuple[list[tuple[int, int, Any, int, int]], dict[str, Any]]]:
    """Lists of at most `size` draws (source index, record index, item, epoch, pass) with the mixer state after
    each."""
    while not mixer.finished:
        draws = mixer.take(size)
        yield draws, mixer.state()


def _words(texts: list[str]) -> int:
    # `str.split` words of all texts at once: joining with a space never merges two words
    return len(" ".join(texts).split())


def texts_of(sources: Sequence[Any], draws: list[tuple[int, int, Any, int, int]]) -> tuple[list[str], Any,
                                                                                          list[list[int]]]:
    """(texts, owners, per-source deltas) of a list of draws, in draw order. Synthesis happens here, one
    `texts_batch` call per (source, epoch, pass) group."""
    deltas = [[0, 0, 0, 0, 0] for _ in sources]
    groups: dict[tuple[int, int, int], list[int]] = {}
    for pos, draw in enumerate(draws):
        groups.setdefault((draw[0], draw[3], draw[4]), []).append(pos)
    if len(groups) == 1:  # one source (the usual case): no reordering, texts straight from the source
        (i, epoch, pass_), = groups
        outs, replaced = sources[i].texts_batch([d[1] for d in draws], [d[2] for d in draws], epoch, pass_)
        delta = deltas[i]
        delta[RECORDS_IN], delta[REPLACED] = len(draws), replaced
        if not all(type(o) is str for o in outs):
            delta[FILTERED] = sum(1 for o in outs if not o)
            outs = [t for o in outs for t in ([o] if type(o) is str else o)]
        delta[WORDS], delta[TEXTS] = _words(outs), len(outs)
        return outs, i, deltas
    results: list[Any] = [None] * len(draws)
    for (i, epoch, pass_), positions in groups.items():
        outs, replaced = sources[i].texts_batch([draws[p][1] for p in positions], [draws[p][2] for p in positions],
                                                epoch, pass_)
        deltas[i][REPLACED] += replaced
        for p, out in zip(positions, outs):
            results[p] = out
    texts: list[str] = []
    owners: list[int] = []
    per_source: list[list[str]] = [[] for _ in sources]
    for draw, out in zip(draws, results):
        i = draw[0]
        deltas[i][RECORDS_IN] += 1
        if type(out) is str:
            out = (out,)
        elif not out:
            deltas[i][FILTERED] += 1
        for text in out:
            texts.append(text)
            owners.append(i)
            per_source[i].append(text)
    for delta, own in zip(deltas, per_source):
        delta[WORDS], delta[TEXTS] = _words(own), len(own)
    return texts, owners, deltas


def produce(mixer: Any, sources: Sequence[Any], size: int, workers: int | None = 0) -> Iterator[Batch]:
    """Batches of the texts of `size` draws each until the mixer ends. With `workers` > 0 the batches are made
    by that many producer processes (see `lexaug.feed.producers`), except inside a daemonic process (a
    DataLoader worker, already off the training process), where they are made in-process. `workers=None`:
    `producers.auto_workers` decides (1 process for on-the-fly synthesis with >= 2 cores), and sources that
    cannot go to another process are synthesized in-process instead of raising."""
    import multiprocessing

    from lexaug.feed import producers

    auto = workers is None
    count = producers.auto_workers(sources) if workers is None else workers
    setup = None
    if count > 0 and not multiprocessing.current_process().daemon:
        setup = producers.pack_setup(mixer, sources, size, count, strict=not auto)
    if setup is None:
        for draws, snapshot in draw_batches(mixer, size):
            yield Batch(*texts_of(sources, draws), snapshot)
        return
    for texts, owners, deltas, snapshot in producers.produce_in_processes(setup, count):
        yield Batch(texts, owners, deltas, snapshot)


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
