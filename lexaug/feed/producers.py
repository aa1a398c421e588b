"""Producer processes: the feed's batches (reading, shuffling, mixing, synthesis) made outside the training
process, so that on-the-fly synthesis does not share a core (or the GIL) with tokenization and training.

With `workers` = N, each of N child processes runs its own copy of the mixer from the same state (the draw
sequence is a pure function of that state) and turns every N-th batch into texts: process `k` makes batches
`k, k + N, k + 2N, ...` and skips the synthesis of the others (it only reads them, which is cheap). The training
process takes batch 0 from process 0, batch 1 from process 1, and so on, so the stream is exactly the
in-process stream; only texts, per-source counts and the mixer state after each batch cross the process
boundary (never records).

The children are plain `python -c` subprocesses, not `multiprocessing` ones: they never re-import the user's
`__main__` script (so a training script without an `if __name__ == "__main__":` guard works, and a child that
dies is noticed instead of blocking the start-up pipe), and they may be started inside daemonic processes.
Set-up (the pickled sources, generator included, pickled once for all children) goes down the child's stdin;
batches come back as length-prefixed pickles on a pipe that holds up to ~1 MB (Linux; 64 KB elsewhere), which
bounds how far a producer runs ahead. A child whose parent is gone fails at its next write and exits.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from typing import Any, Iterator, Sequence

from lexaug.errors import ConfigError, LexaugError

PIPE_BYTES = 1 << 20  # producer -> consumer pipe capacity asked for (~25 batches of 256 verses ahead)
_HEADER = 8
# The child's bootstrap: the parent's sys.path first (so it imports the same lexaug), then `serve`.
_BOOT = ("import pickle, sys; i = sys.stdin.buffer; n = int.from_bytes(i.read(8), 'little'); "
         "sys.path[:0] = pickle.loads(i.read(n)); from lexaug.feed.producers import serve; serve()")


def usable_cpus() -> int:
    """Cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def auto_workers(sources: Sequence[Any], cpus: int | None = None, daemon: bool | None = None) -> int:
    """The `synth_workers=None` choice: 1 producer process when a source synthesizes on the fly, the process
    may use >= 2 cores and is not daemonic (a DataLoader worker is already off the training process), else 0
    (plain text is cheap to read: a process would only add a start-up)."""
    if daemon is None:
        import multiprocessing

        daemon = bool(multiprocessing.current_process().daemon)
    synth = any(getattr(s, "kind", "") == "synth" for s in sources)
    return 1 if synth and not daemon and (usable_cpus() if cpus is None else cpus) >= 2 else 0


def _write(out: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(_HEADER, "little"))
    out.write(data)
    out.flush()


def _read(inp: Any) -> Any:
    head = inp.read(_HEADER)
    if len(head) < _HEADER:
        raise EOFError
    n = int.from_bytes(head, "little")
    data = inp.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)


def serve() -> None:
    """A producer's main loop (the child side): read the set-up from stdin, write its batches to stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a print() in a generator goes to stderr, never into the batch stream
    try:
        _serve(out)
    except (BrokenPipeError, EOFError):  # the consumer is gone
        return
    except BaseException as err:  # rebuilt and raised in the consumer (exceptions with a custom __init__ do not
        report = ("failed", type(err), err.args, dict(getattr(err, "__dict__", {})), str(err))  # unpickle)
        try:
            _write(out, report)
        except BrokenPipeError:
            return
        except Exception:  # details that do not pickle: the message only
            _write(out, ("failed", LexaugError, (f"feed producer process failed: {type(err).__name__}: {err}",),
                         {}, str(err)))


def _serve(out: Any) -> None:
    import gc

    worker, setup = _read(sys.stdin.buffer)
    try:
        sources, mixer_args, snapshot, size, workers = pickle.loads(setup)
    except Exception as err:
        raise ConfigError(f"a feed producer process cannot rebuild the sources ({type(err).__name__}: {err}); "
                          "classes defined in the script you run (__main__) are not importable there: move "
                          "them to a module, or use synth_workers=0") from None
    del setup
    gc.freeze()  # the generator's lexicon lives as long as the process: keep it out of every collection
    from lexaug.feed.batches import texts_of
    from lexaug.feed.mixing import Mixer

    mixer = Mixer(sources, **mixer_args)
    mixer.load(snapshot)
    k = 0
    while not mixer.finished:
        draws = mixer.take(size)
        if k % workers == worker:
            _write(out, ("batch", *texts_of(sources, draws), mixer.state()))
        k += 1
    _write(out, ("end",))


def _rebuild(kind: type[BaseException], args: tuple[Any, ...], attrs: dict[str, Any], text: str) -> BaseException:
    try:
        err = kind.__new__(kind)
        BaseException.__init__(err, *args)
        err.__dict__.update(attrs)
        return err
    except Exception:
        return LexaugError(f"feed producer process failed: {kind.__name__}: {text}")


def pack_setup(mixer: Any, sources: Sequence[Any], size: int, workers: int, strict: bool = True) -> bytes | None:
    """The producers' set-up (sources, mixer arguments and state, batch size, worker count), pickled once.
    Sources that cannot go to another process (an unpicklable generator, or a class defined in the `__main__`
    script, which the child does not import) raise ConfigError, or give None when not `strict` (the caller
    then synthesizes in-process)."""
    if not sys.executable:  # an embedded interpreter: nothing to start the children with
        if not strict:
            return None
        raise ConfigError("synth_workers: sys.executable is empty, no Python to start producer processes with; "
                          "use synth_workers=0")
    mixer_args = {"shard": mixer.shard, "num_shards": mixer.cursors[0].num_shards,
                  "buffer_size": mixer.cursors[0].buffer_size, "seed": mixer.seed, "stopping": mixer.stopping,
                  "epochs": mixer.epochs}
    try:
        data = pickle.dumps((list(sources), mixer_args, mixer.state(), size, workers),
                            protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as err:
        if not strict:
            return None
        raise ConfigError(f"synth_workers: the feed's sources cannot be pickled for a producer process ({err}); "
                          "use synth_workers=0") from err
    if not strict and b"__main__" in data:  # likely a class of the user's script: not importable in the child
        return None
    return data


def produce_in_processes(setup: bytes, workers: int) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(texts, owners, deltas, mixer state) of the batches of `lexaug.feed.batches.produce`, in the same order,
    made by `workers` child processes from `setup` (`pack_setup`; see module docstring). Closing the generator
    stops them."""
    path = pickle.dumps(list(sys.path), protocol=pickle.HIGHEST_PROTOCOL)
    procs = [subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for _ in range(workers)]
    try:
        for k, proc in enumerate(procs):
            _set_pipe_size(proc.stdout)
            try:
                proc.stdin.write(len(path).to_bytes(_HEADER, "little") + path)  # type: ignore[union-attr]
                _write(proc.stdin, (k, setup))
                proc.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                raise LexaugError(f"feed producer process {k} exited at start-up (exit code {proc.wait()}); "
                                  "its error is printed above") from None
        k = 0
        while True:
            proc = procs[k % workers]
            try:
                item = _read(proc.stdout)
            except EOFError:
                raise LexaugError(f"feed producer process {k % workers} died (exit code {proc.wait()}); its error "
                                  "is printed above") from None
            if item[0] == "end":
                break
            if item[0] == "failed":
                raise _rebuild(*item[1:])
            yield item[1:]
            k += 1
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None and not pipe.closed:
                    try:
                        pipe.close()
                    except OSError:  # a broken stdin that still held unwritten bytes
                        pass


def _set_pipe_size(pipe: Any) -> None:
    """Let the producer run up to PIPE_BYTES ahead where the OS allows it (Linux)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError):  # other OSes, or a lower pipe-max-size: the default size
        pass
