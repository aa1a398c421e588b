"""The embedded engine: run a job over chunks of raw input text, in-process or in worker processes.

A *job* is any picklable object with `process(chunk) -> ChunkResult` (see `lexaug.synthesis.SynthesisJob`):
it parses the chunk, generates and renders, so only strings and small stats cross process boundaries.
Memory is bounded: at most `max_in_flight` chunks are read ahead of the writer, whatever the corpus size,
and results are written in input order, so the output does not depend on the number of workers.

Workers receive the job once, when they start (fork inheritance on Linux, one pickle per worker elsewhere),
never once per chunk, so lexicons and tables are loaded a single time.
"""

from __future__ import annotations

import multiprocessing as mp
from abc import abstractmethod
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from lexaug.defaults import IN_FLIGHT_PER_WORKER, MAX_REPORTED_ERRORS
from lexaug.errors import FormatError, LexaugError


@dataclass
class ChunkResult:
    """What one chunk gives back: the rendered output text and counts that merge by addition.

    `counts` holds integer counters (records in/out, skipped:<reason>, ...); `stats` the generator's own
    counters for this chunk (tokens, replaced, filtered, ...); `errors` the first messages of records skipped in
    lenient mode; `error` carries a strict-mode FormatError as plain fields, because exceptions with extra constructor arguments do not
    survive pickling between processes.
    """

    text: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    stats: Any = None
    errors: list[str] = field(default_factory=list)
    error: tuple[str, int | None, str, str] | None = None

    def raise_error(self) -> None:
        """Re-raise the FormatError a worker reported, if any."""
        if self.error is not None:
            path, line, message, reason = self.error
            raise FormatError(path, line, message, reason=reason)


class Job(Protocol):
    """What the engines run: one call per chunk of input."""

    @abstractmethod
    def process(self, chunk: Any) -> ChunkResult:
        """Parse, generate and render one chunk."""


@dataclass
class Totals:
    """Everything merged over a run: counters, the generator's stats, the first skipped-record messages."""

    counts: dict[str, int] = field(default_factory=dict)
    stats: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    max_errors: int = MAX_REPORTED_ERRORS

    def add(self, result: ChunkResult) -> None:
        """Merge one chunk's result (in input order, so the kept messages are the first ones)."""
        for key, value in result.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        if result.stats:
            self.stats.update(result.stats)
        room = self.max_errors - len(self.errors)
        if room > 0:
            self.errors.extend(result.errors[:room])


def safe_process(job: Job, chunk: Any) -> ChunkResult:
    """Run `job.process(chunk)`, turning a FormatError into a ChunkResult that carries it."""
    try:
        return job.process(chunk)
    except FormatError as err:
        return ChunkResult(error=(err.path, err.line, err.detail, err.reason))


_WORKER_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _work(chunk: Any) -> ChunkResult:
    assert _WORKER_JOB is not None, "worker started without a job"
    return safe_process(_WORKER_JOB, chunk)


def _context() -> mp.context.BaseContext:
    # fork shares the loaded resources copy-on-write; spawn (macOS/Windows) pickles the job once per worker.
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def run_local(
    job: Job,
    chunks: Iterable[Any],
    write: Callable[[str], Any],
    *,
    workers: int = 1,
    max_in_flight: int | None = None,
    progress: Callable[[Any, ChunkResult], None] | None = None,
) -> Totals:
    """Process `chunks` with `job` and pass each chunk's output text to `write`, in input order.

    Args:
        job: the work to do per chunk (picklable when workers > 1 without fork).
        chunks: lazily produced work units (e.g. `Format.chunks(fh, n)`); read at most `max_in_flight` ahead.
        write: called with each chunk's rendered text, in the order of `chunks`.
        workers: 1 runs in this process; N > 1 runs N worker processes.
        max_in_flight: chunks submitted but not yet written (default IN_FLIGHT_PER_WORKER x workers);
            this bounds memory whatever the corpus size.
        progress: called after each chunk is written, with the chunk and its result.

    Returns:
        the merged counters, generator stats and skipped-record messages of all chunks.

    Raises:
        FormatError: in strict mode, the first bad record in input order (the run stops there).
    """
    if workers < 1:
        raise LexaugError(f"--workers must be at least 1, got {workers}")
    totals = Totals()

    def consume(chunk: Any, result: ChunkResult) -> None:
        result.raise_error()
        write(result.text)
        totals.add(result)
        if progress is not None:
            progress(chunk, result)

    if workers == 1:
        for chunk in chunks:
            consume(chunk, safe_process(job, chunk))
        return totals

    limit = max_in_flight or IN_FLIGHT_PER_WORKER * workers
    pool = _context().Pool(workers, initializer=_init_worker, initargs=(job,))
    try:
        pending: deque[tuple[Any, Any]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.apply_async(_work, (chunk,))))
            if len(pending) >= limit:
                done_chunk, handle = pending.popleft()
                consume(done_chunk, handle.get())
        while pending:
            done_chunk, handle = pending.popleft()
            consume(done_chunk, handle.get())
        pool.close()
    finally:
        pool.terminate()
        pool.join()
    return totals
