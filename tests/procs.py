"""Child processes, read from Linux /proc; shared by the tests that check no process is left behind."""

from __future__ import annotations

from pathlib import Path


def child_processes(pid: int) -> set[int]:
    """Living (not zombie) processes whose parent is `pid`.

    Scans /proc/*/stat rather than /proc/PID/task/*/children: a thread can end between listing and reading,
    and a process can exit mid-scan, so every read that fails is skipped."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # the command name in parentheses may hold spaces
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found
