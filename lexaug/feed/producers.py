"""Producer processes: the feed's batches (reading, shuffling, mixing, synthesis) made outside the training
process, so that on-the-fly synthesis does not share its core with tokenization and the training loop.

With `workers` = N, each of N spawned processes runs its own copy of the mixer from the same state (the draw
sequence is a pure function of that state) and turns every N-th batch into texts: process `k` makes batches
`k, k + N, k + 2N, ...` and skips the synthesis of the others (it only reads them, which is cheap). The training
process takes batch 0 from process 0, batch 1 from process 1, and so on, so the stream is exactly the
in-process stream; only texts, per-source counts and the mixer state after each batch cross the process
boundary (never records). Each process keeps at most `AHEAD` batches in its queue.
"""

from __future__ import annotations

import queue
from typing import Any, Iterator, Sequence

from lexaug.errors import LexaugError

AHEAD = 4  # batches a producer may have ready before it waits for the consumer
_END = "end"
_FAILED = "failed"


def _producer(sources: Sequence[Any], mixer_args: dict[str, Any], snapshot: dict[str, Any], size: int,
              worker: int, workers: int, out: Any) -> None:
    from lexaug.feed.batches import Batch, texts_of
    from lexaug.feed.mixing import Mixer

    try:
        mixer = Mixer(sources, **mixer_args)
        mixer.load(snapshot)
        k = 0
        while not mixer.finished:
            draws = mixer.take(size)
            if k % workers == worker:
                out.put(Batch(*texts_of(sources, draws), mixer.state()))
            k += 1
        out.put(_END)
    except BaseException as err:  # rebuilt and raised in the consumer (exceptions with custom __init__
        out.put((_FAILED, type(err), err.args, dict(getattr(err, "__dict__", {})), str(err)))  # do not unpickle)


def _rebuild(kind: type[BaseException], args: tuple[Any, ...], attrs: dict[str, Any], text: str) -> BaseException:
    try:
        err = kind.__new__(kind)
        BaseException.__init__(err, *args)
        err.__dict__.update(attrs)
        return err
    except Exception:
        return LexaugError(f"feed producer process failed: {kind.__name__}: {text}")


def produce_in_processes(mixer: Any, sources: Sequence[Any], size: int, workers: int) -> Iterator[Any]:
    """The batches of `lexaug.feed.batches.produce`, in the same order, made by `workers` spawned processes
    that start from `mixer`'s current state (see module docstring). Closing the generator stops them."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # never fork a process that may hold tokenizer/torch threads
    mixer_args = {"shard": mixer.shard, "num_shards": mixer.cursors[0].num_shards,
                  "buffer_size": mixer.cursors[0].buffer_size, "seed": mixer.seed, "stopping": mixer.stopping,
                  "epochs": mixer.epochs}
    snapshot = mixer.state()
    queues = [ctx.Queue(AHEAD) for _ in range(workers)]
    procs = [ctx.Process(target=_producer, args=(list(sources), mixer_args, snapshot, size, k, workers, q),
                         name=f"lexaug-feed-producer-{k}", daemon=True) for k, q in enumerate(queues)]
    for proc in procs:
        proc.start()
    try:
        k = 0
        while True:
            q, proc = queues[k % workers], procs[k % workers]
            while True:
                try:
                    item = q.get(timeout=1.0)
                    break
                except queue.Empty:
                    if not proc.is_alive() and q.empty():
                        raise LexaugError(f"feed producer process {proc.name} died (exit code {proc.exitcode})")
            if isinstance(item, str) and item == _END:
                break
            if isinstance(item, tuple) and item and item[0] == _FAILED:
                raise _rebuild(*item[1:])
            yield item
            k += 1
        for proc in procs:
            proc.join(timeout=5)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join(timeout=5)
        for q in queues:
            q.close()
            q.cancel_join_thread()
