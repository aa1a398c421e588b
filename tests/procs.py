"""Processes, read from Linux /proc; shared by the tests that check no process is left behind.

A process can exit, and a thread end, while /proc is being scanned: every read that fails is skipped."""

from __future__ import annotations

from pathlib import Path


def _state(entry: Path) -> str | None:
    """The one-letter state of a /proc/PID entry ("Z" for a zombie), or None where the process is gone."""
    try:
        stat = (entry / "stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]  # the command name in parentheses may hold spaces


def is_running(pid: int) -> bool:
    """True while `pid` exists and has not finished (a zombie, exited but not yet reaped, counts as gone)."""
    return _state(Path(f"/proc/{pid}")) not in (None, "Z")


def child_processes(pid: int) -> set[int]:
    """Running processes whose parent is `pid`.

    Scans /proc/*/stat rather than /proc/PID/task/*/children, whose files vanish with their thread."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def processes_naming(text: str) -> list[int]:
    """Running processes whose command line contains `text` (e.g. a run's tmp_path): strays of a finished run."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and is_running(int(entry.name)):
            found.append(int(entry.name))
    return found
