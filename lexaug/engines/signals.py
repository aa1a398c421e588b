"""Turning SIGTERM, SIGINT and SIGHUP into an exception, so a run unwinds through its `finally` blocks (workers
stopped, partial files removed) instead of dying where it stands; and making worker processes die with their
parent whatever kills it.

`Interrupted` derives from BaseException, like KeyboardInterrupt, so no `except Exception` on the way swallows
it; the CLI turns it into one line and exit status 128 + the signal number (the shell's convention).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Interrupted", "Stopper", "stop_on_signals", "die_with_parent"]

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


class Interrupted(BaseException):
    """A run was stopped by a signal; `signum` says which."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class Stopper:
    """What `stop_on_signals` yields: `commit()` wraps the last step of a run (renaming finished files into
    place); a signal that arrives during or after it is ignored, the run being done."""

    def __init__(self) -> None:
        self.raised = False
        self.done = False

    @contextmanager
    def commit(self) -> Iterator[None]:
        self.done = True  # checked by the handler (any thread may receive the signal; the flag covers them all)
        yield


@contextmanager
def stop_on_signals() -> Iterator[Stopper]:
    """Within the block, SIGTERM/SIGINT/SIGHUP raise `Interrupted` (once: a second signal during the clean-up
    is ignored, so the clean-up finishes), except inside `Stopper.commit()`. Previous handlers are restored on
    exit. Outside the main thread (where Python cannot install handlers) no handler is installed."""
    stopper = Stopper()
    if threading.current_thread() is not threading.main_thread():
        yield stopper
        return

    def handler(signum: int, frame: Any) -> None:
        if not stopper.raised and not stopper.done:
            stopper.raised = True
            raise Interrupted(signum)

    previous = {}
    for sig in SIGNALS:
        try:
            previous[sig] = signal.signal(sig, handler)
        except (OSError, ValueError):  # pragma: no cover - a signal this platform does not let us catch
            pass
    try:
        yield stopper
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In a worker process: default signal dispositions, and on Linux ask the kernel to SIGKILL this process
    when its parent dies (any signal, SIGKILL included); exit at once if the parent is already gone.

    Elsewhere the worker notices the parent's death as EOF on its pipe (see `lexaug.engines.local._serve`).
    """
    for sig in SIGNALS:
        if sig != signal.SIGINT:  # Ctrl-C reaches the whole process group; the parent stops the workers
            signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the pipe EOF still stops the worker
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
