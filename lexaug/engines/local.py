"""The embedded engine: run a job over chunks of raw input text, in-process or in worker processes.

A *job* is any picklable object with `process(chunk) -> ChunkResult` (see `lexaug.synthesis.SynthesisJob`):
it parses the chunk, generates and renders, so only strings and small stats cross process boundaries.
Memory is bounded: at most `max_in_flight` chunks are read ahead of the writer, whatever the corpus size,
and results are written in input order, so the output does not depend on the number of workers.

Workers receive the job once, when they start (fork inheritance on Linux, one pickle per worker elsewhere),
never once per chunk, so lexicons and tables are loaded a single time.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import traceback
from abc import abstractmethod
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Protocol

from lexaug import defaults
from lexaug.defaults import IN_FLIGHT_PER_WORKER, MAX_REPORTED_ERRORS
from lexaug.engines.signals import die_with_parent
from lexaug.errors import FormatError, LexaugError

MAX_WORKERS_PER_CORE = 4  # more processes than this per core only add memory and switching


def worker_cap(requested: int) -> int:
    """The most worker processes worth starting: `requested`, at most MAX_WORKERS_PER_CORE x the cores.

    (The engine also starts no more workers than there are chunks to give them; see `_Crew`.)"""
    return max(1, min(requested, MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)))


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
    data: bytes | None = None  # the text as UTF-8, when a worker process encoded it for a byte sink
    # the chunk's untranslated words {word: count} and whether the chunk left some out (`Totals.untranslated`)
    untranslated: tuple[dict[str, int], bool] | None = None

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
    workers_used: int = 1  # processes that did the work (1: in-process; worker processes are started on demand)
    untranslated: Counter = field(default_factory=Counter)  # untranslated words over the run (bounded, see add)
    untranslated_exact: bool = True  # False once a chunk or the run's bound left words out

    def add(self, result: ChunkResult) -> None:
        """Merge one chunk's result (in input order, so the kept messages are the first ones, and a bounded
        untranslated-word count is the same for any number of workers)."""
        for key, value in result.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value
        if result.stats:
            self.stats.update(result.stats)
        if result.untranslated is not None:
            words, cut = result.untranslated
            self.untranslated.update(words)
            if cut:
                self.untranslated_exact = False
            if len(self.untranslated) > defaults.UNTRANSLATED_TRACKED:  # keep memory bounded: drop the rarer half
                kept = sorted(self.untranslated.items(), key=lambda kv: (-kv[1], kv[0]))
                self.untranslated = Counter(dict(kept[:defaults.UNTRANSLATED_TRACKED // 2]))
                self.untranslated_exact = False
        room = self.max_errors - len(self.errors)
        if room > 0:
            self.errors.extend(result.errors[:room])


def safe_process(job: Job, chunk: Any) -> ChunkResult:
    """Run `job.process(chunk)`, turning a FormatError into a ChunkResult that carries it."""
    try:
        return job.process(chunk)
    except FormatError as err:
        return ChunkResult(error=(err.path, err.line, err.detail, err.reason))


def _serve(job: Job, conn: Any, encode: bool, parent_pid: int) -> None:
    """A worker process: chunks in, results out, until the parent sends None or goes away (EOF on the pipe,
    or, on Linux, the kernel's SIGKILL when the parent dies: see `die_with_parent`)."""
    die_with_parent(parent_pid)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        seq, chunk = message
        try:
            result = safe_process(job, chunk)
            if encode and result.data is None:  # the parent writes bytes: encoding here takes that work off it
                result.data, result.text = result.text.encode("utf-8"), ""
            reply: Any = (seq, result)
        except BaseException as err:  # noqa: BLE001 - re-raised in the parent, with the worker's traceback
            reply = (seq, _Failure(f"{type(err).__name__}: {err}", traceback.format_exc()))
        try:
            conn.send(reply)
        except OSError:  # the parent is gone (platforms without PR_SET_PDEATHSIG notice it here)
            return


@dataclass
class _Failure:
    """An unexpected exception in a worker, as text (arbitrary exceptions do not always pickle)."""

    message: str
    trace: str


class _Crew:
    """Up to `workers` processes, each fed one chunk at a time over its own pipe.

    Workers are started on demand, when a chunk waits and none is idle, so a short input that makes fewer
    chunks than `workers` starts only as many processes as it has chunks.

    The parent sends a chunk only to an idle worker (which is blocked reading its pipe), and takes results
    from whichever worker finishes first, so neither side ever waits on a full pipe the other is not reading,
    and a slow chunk delays only its own worker. Compared with `multiprocessing.Pool` this saves its three
    helper threads and per-task bookkeeping, which cost the parent (the process that reads and writes)
    about a sixth of the single-worker time and kept two workers from scaling on two cores.
    """

    def __init__(self, job: Job, workers: int, encode: bool):
        self.ctx: Any = _context()  # a fork or spawn context (BaseContext declares no Process)
        self.job, self.encode, self.workers = job, encode, workers
        self.idle: list[int] = []
        self.conns: list[Any] = []
        self.procs: list[Any] = []
        self.busy: dict[Any, int] = {}  # connection -> worker index, for workers holding a chunk

    def can_grow(self) -> bool:
        return len(self.procs) < self.workers

    def grow(self) -> None:
        """Start one more worker (idle)."""
        k = len(self.procs)
        mine, theirs = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(self.job, theirs, self.encode, os.getpid()),
                                name=f"lexaug-worker-{k}", daemon=True)
        # workers share the parent's loaded resources copy-on-write; frozen objects are never visited by
        # the workers' garbage collections, which would otherwise write to (and so copy) their pages
        gc.freeze()
        try:
            proc.start()
        except BaseException:  # e.g. a job that does not pickle for spawn
            mine.close()
            theirs.close()
            raise
        finally:
            gc.unfreeze()
        theirs.close()
        self.conns.append(mine)
        self.procs.append(proc)
        self.idle.append(k)

    def send(self, seq: int, chunk: Any) -> None:
        worker = self.idle.pop()
        conn = self.conns[worker]
        conn.send((seq, chunk))
        self.busy[conn] = worker

    def receive(self) -> list[tuple[int, ChunkResult]]:
        """Results of the workers that have finished (waits for at least one)."""
        out: list[tuple[int, ChunkResult]] = []
        ready: list[Any] = wait(list(self.busy))  # the connections given, those with a result to read
        for conn in ready:
            worker = self.busy.pop(conn)
            try:
                seq, result = conn.recv()
            except (EOFError, OSError):
                proc = self.procs[worker]
                proc.join(timeout=1)
                raise LexaugError(f"worker process {proc.name} died (exit code {proc.exitcode}); "
                                  "if it ran out of memory, use fewer --workers") from None
            if isinstance(result, _Failure):
                raise LexaugError(f"worker process failed: {result.message}\n{result.trace}")
            self.idle.append(worker)
            out.append((seq, result))
        return out

    def close(self) -> None:
        """Stop the workers: idle ones are told to finish, busy ones (after an error) are terminated."""
        for worker, (conn, proc) in enumerate(zip(self.conns, self.procs)):
            if worker in self.idle:
                try:
                    conn.send(None)
                except OSError:
                    proc.terminate()
            else:
                proc.terminate()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self.conns:
            conn.close()


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
    write_bytes: Callable[[bytes], Any] | None = None,
) -> Totals:
    """Process `chunks` with `job` and pass each chunk's output text to `write`, in input order.

    Args:
        job: the work to do per chunk (picklable when workers > 1 without fork).
        chunks: lazily produced work units (e.g. `Format.chunks(fh, n)`); read at most `max_in_flight` ahead.
        write: called with each chunk's rendered text, in the order of `chunks`.
        write_bytes: with workers > 1, called instead of `write` with the text as UTF-8 (the workers encode
            it, so the parent, which reads, writes and is the one process that does not scale, does less).
        workers: 1 runs in this process; N > 1 runs N worker processes (see `_Crew`).
        max_in_flight: chunks read but not yet written (default IN_FLIGHT_PER_WORKER x workers);
            this bounds memory whatever the corpus size.
        progress: called after each chunk is written, with the chunk and its result.

    Returns:
        the merged counters, generator stats and skipped-record messages of all chunks.

    Raises:
        FormatError: in strict mode, the first bad record in input order (the run stops there).
        LexaugError: a worker process died or failed unexpectedly.
    """
    if workers < 1:
        raise LexaugError(f"--workers must be at least 1, got {workers}")
    totals = Totals()

    def consume(chunk: Any, result: ChunkResult) -> None:
        result.raise_error()
        if result.data is not None and write_bytes is not None:
            write_bytes(result.data)
        else:
            write(result.text)
        totals.add(result)
        if progress is not None:
            progress(chunk, result)

    if workers == 1:
        # the loaded resources (lexicon, lookup tables) outlive the run and are not garbage: frozen, the
        # collector's full passes skip them (a full pass over bench_synthesize.py's 20k-entry lexicon costs
        # about 15 ms, 4% of its KJV run, and when one falls in a run depends on the allocations before it)
        freeze = gc.get_freeze_count() == 0  # a caller's own freeze is left as it is
        if freeze:
            gc.freeze()
        try:
            for chunk in chunks:
                consume(chunk, safe_process(job, chunk))
        finally:
            if freeze:
                gc.unfreeze()
        return totals

    limit = max(1, max_in_flight or IN_FLIGHT_PER_WORKER * workers)
    source = iter(chunks)
    read: dict[int, Any] = {}  # chunks read and not yet written, by sequence number
    done: dict[int, ChunkResult] = {}  # results waiting for an earlier chunk to be written
    waiting: deque[int] = deque()  # read, not yet sent (every worker busy)
    next_read = next_write = 0
    exhausted = False
    crew = _Crew(job, workers, write_bytes is not None)

    def dispatch() -> None:  # chunks already read go to idle workers first: a worker never waits on a read
        while waiting and (crew.idle or crew.can_grow()):
            if not crew.idle:
                crew.grow()
            seq = waiting.popleft()
            crew.send(seq, read[seq])

    try:
        while True:
            dispatch()
            while next_write in done:
                consume(read.pop(next_write), done.pop(next_write))
                next_write += 1
            while not exhausted and next_read - next_write < limit and (crew.idle or len(waiting) < workers):
                try:
                    read[next_read] = next(source)
                except StopIteration:
                    exhausted = True
                    break
                waiting.append(next_read)
                next_read += 1
                dispatch()
            if exhausted and next_write == next_read:
                totals.workers_used = max(1, len(crew.procs))
                return totals
            if crew.busy:
                done.update(crew.receive())
    finally:
        crew.close()
