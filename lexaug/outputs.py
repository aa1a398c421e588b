"""Output paths a command will write: checked before any work, written atomically, cleaned up after a crash.

Any command can use these helpers (they import nothing heavy):

- `check_output_path(path, "--output", inputs=[...])` before reading anything: raises `OutputError` (one line
  naming the option and the path) when the folder is missing or not a folder, the path is a folder, or it
  names one of the inputs (which would be replaced).
- `check_distinct({"--output": out, "--manifest": man})`: two outputs that are one file.
- `partial_path(path)`: the hidden sibling `.partial-<pid>-<name>` a file is written to before it is renamed
  into place, so a failed or interrupted run leaves no half-written file under the real name.
- `remove_stale_partials(path)`: removes `.partial-<pid>-<name>` siblings whose process is dead (left by a
  run killed with SIGKILL, which no program can catch); partials of live processes are left alone.
- `write_atomic(path, data)`: the bytes go to a partial file, which is renamed over `path` only when complete.
- `describe_os_error(err, path)`: an OSError as `<path>: cannot write: <reason>` for the one-line CLI message.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from lexaug.errors import LexaugError

__all__ = ["OutputError", "check_output_path", "check_distinct", "partial_path", "remove_stale_partials",
           "write_atomic", "describe_os_error", "is_special"]

_PARTIAL = re.compile(r"^\.partial-(\d+)-(.+)$")


class OutputError(LexaugError):
    """An output path that cannot or must not be written, or a write that failed (disk full, ...)."""


def is_special(path: str | Path) -> bool:
    """True for `-` (stdout) and existing non-regular files (/dev/null, a fifo): written directly, no rename."""
    if str(path) == "-":
        return True
    p = Path(path)
    return p.exists() and not p.is_dir() and not p.is_file()


def _same(a: str | Path, b: str | Path) -> bool:
    if str(a) == "-" or str(b) == "-":
        return False
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    return pa.resolve() == pb.resolve()


def check_output_path(path: str | Path, option: str, inputs: Iterable[tuple[str, str | Path]] = ()) -> None:
    """Refuse an output path that cannot be written or would replace an input; touches nothing.

    Args:
        path: the output file, or `-` for stdout (always accepted here).
        option: the CLI option that named it (`--output`), for the message.
        inputs: (option, path) pairs of files the run reads; an output naming one of them is refused.
    Raises:
        OutputError: `<path>: <what>; <fix>`, naming `option`.
    """
    if str(path) == "-":
        return
    p = Path(path)
    for in_option, in_path in inputs:
        if in_path is not None and _same(p, in_path):
            raise OutputError(f"{path}: {option} names the same file as {in_option}, which it would replace; "
                              f"write {option} to another path")
    if p.is_dir():
        raise OutputError(f"{path}: {option} is a directory; give a file path, e.g. {p / 'out'}")
    if is_special(p):
        return
    folder = p.parent
    if not folder.exists():
        raise OutputError(f"{path}: {option} folder {folder} does not exist; create it first "
                          f"(mkdir -p {folder}) or choose another path")
    if not folder.is_dir():
        raise OutputError(f"{path}: {option} folder {folder} is not a directory; choose another path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: {option} folder {folder} is not writable; choose another path")
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputError(f"{path}: {option} exists and is read-only; remove it or choose another path")


def check_distinct(outputs: Mapping[str, str | Path | None]) -> None:
    """Refuse two outputs (option -> path) that are the same file, e.g. `--manifest` equal to `--output`."""
    seen: list[tuple[str, str | Path]] = []
    for option, path in outputs.items():
        if path is None:
            continue
        for other, other_path in seen:
            if str(path) == "-" and str(other_path) == "-":
                raise OutputError(f"-: {other} - and {option} - both name stdout; send one of them to a file")
            if _same(path, other_path):
                raise OutputError(f"{path}: {option} names the same file as {other}; give them different paths")
        seen.append((option, path))


def partial_path(path: str | Path, pid: int | None = None) -> Path:
    """The hidden sibling a file is written to before its rename: same folder, same suffixes (`.gz`/`.zst`
    still decide compression)."""
    p = Path(path)
    return p.with_name(f".partial-{os.getpid() if pid is None else pid}-{p.name}")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has finished: its files are not being written
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def remove_stale_partials(path: str | Path) -> list[Path]:
    """Remove `.partial-<pid>-<name>` siblings of `path` whose process no longer runs; returns those removed.

    A run killed with SIGKILL (or a power cut) cannot remove its partial file; the next run of the same output
    does. A partial whose pid is alive (another run, or a reused pid) is left alone.
    """
    if is_special(path):
        return []
    p = Path(path)
    removed = []
    try:
        siblings = list(p.parent.iterdir())
    except OSError:
        return []
    for sibling in siblings:
        match = _PARTIAL.match(sibling.name)
        if match and match.group(2) == p.name and int(match.group(1)) != os.getpid() \
                and not _pid_alive(int(match.group(1))):
            try:
                sibling.unlink()
                removed.append(sibling)
            except OSError:
                pass
    return removed


def describe_os_error(err: OSError, path: str | Path, action: str = "cannot write") -> str:
    """`<path>: cannot write: No space left on device; free some space or write elsewhere` (one line)."""
    where = "stdout" if str(path) == "-" else str(path)
    reason = err.strerror or str(err)
    fixes = {errno.ENOSPC: "free some space or write elsewhere", errno.EFBIG: "the file is too large for this "
             "file system or limit (ulimit -f); write elsewhere", errno.EACCES: "check the permissions",
             errno.EROFS: "the file system is read-only; write elsewhere", errno.EISDIR: "give a file path",
             errno.ENOENT: "check that the folder exists", errno.EDQUOT: "free some space or write elsewhere"}
    fix = fixes.get(err.errno or 0)
    return f"{where}: {action}: {reason}" + (f"; {fix}" if fix else "")


def write_atomic(path: str | Path, data: bytes, option: str = "output") -> None:
    """Write `data` to `path` through a partial sibling renamed into place; on any failure the partial is
    removed and `OutputError` names the path (`-` is stdout; a special file such as /dev/null is written
    directly)."""
    if str(path) == "-":
        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except OSError as err:
            raise OutputError(describe_os_error(err, path)) from None
        return
    if is_special(path):
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except OSError as err:
            raise OutputError(describe_os_error(err, path)) from None
        return
    tmp = partial_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        raise OutputError(describe_os_error(err, path) + f" (the {option} was not written)") from None
    finally:
        if tmp.exists():
            try:
                tmp.unlink()
            except OSError:
                pass
