"""A one-line progress display on stderr: records, MB read, MB/s and, for plain files, the percentage done.

Drawn only when enabled (the CLI enables it when stderr is a tty) and only once a run has lasted
`defaults.PROGRESS_AFTER_S`, so short runs and logs stay clean.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from lexaug.defaults import PROGRESS_AFTER_S


class Progress:
    """Counts characters and records as chunks are written and redraws at most 5 times a second.

    Args:
        total: input size in bytes when known (uncompressed file), else None (no percentage).
        enabled: draw at all.
        stream: where to draw (stderr).
    """

    def __init__(self, total: int | None = None, *, enabled: bool = True, stream: TextIO | None = None):
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.chars = 0
        self.records = 0
        self._last = 0.0
        self._drawn = False

    def update(self, chunk: Any, result: Any) -> None:
        """Engine callback after a chunk is written: `chunk.text` was read, `result.counts` says how much."""
        self.chars += len(getattr(chunk, "text", ""))
        self.records += result.counts.get("records_in", 0)
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.start < PROGRESS_AFTER_S or now - self._last < 0.2:
            return
        self._last = now
        mb = self.chars / 1e6
        rate = mb / max(now - self.start, 1e-9)
        pct = f"{min(100.0, 100.0 * self.chars / self.total):5.1f}% " if self.total else ""
        self.stream.write(f"\r{pct}{self.records:,} records, {mb:,.1f} MB, {rate:,.1f} MB/s ")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Clear the line if anything was drawn."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False
