"""The local engine: input order, identical output for any number of workers, bounded read-ahead, errors."""

from __future__ import annotations

from collections import Counter

import pytest

from lexaug.engines.local import ChunkResult, Totals, run_local
from lexaug.errors import FormatError, LexaugError


class UpperJob:
    """Upper-cases each chunk; counts records (lines) and fails on a line reading 'BAD'."""

    def process(self, chunk: tuple[int, str]) -> ChunkResult:
        first_line, text = chunk
        lines = text.splitlines(keepends=True)
        for offset, line in enumerate(lines):
            if line.strip() == "BAD":
                raise FormatError("in.txt", first_line + offset, "a line reads BAD; fix it", reason="bad")
        return ChunkResult(text.upper(), {"records_in": len(lines)}, stats=Counter(chars=len(text)),
                           errors=[f"chunk at line {first_line}"])


def make_chunks(lines: list[str], size: int) -> list[tuple[int, str]]:
    return [(i + 1, "".join(lines[i:i + size])) for i in range(0, len(lines), size)]


LINES = [f"line {i} of the corpus\n" for i in range(50)]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_output_in_input_order_for_any_worker_count(workers):
    out: list[str] = []
    totals = run_local(UpperJob(), make_chunks(LINES, 4), out.append, workers=workers)
    assert "".join(out) == "".join(LINES).upper()
    assert len(out) == 13
    assert totals.counts == {"records_in": 50}
    assert totals.stats == Counter(chars=sum(map(len, LINES)))
    # the first 10 messages, in input order
    assert totals.errors == [f"chunk at line {1 + 4 * k}" for k in range(10)]


def test_read_ahead_is_bounded():
    pulled: list[int] = []
    written: list[int] = []

    def chunks():
        for i, chunk in enumerate(make_chunks(LINES, 2)):
            # chunks pulled but not yet written when chunk i is pulled: with chunk i, at most max_in_flight
            pulled.append(i - len(written))
            yield chunk

    run_local(UpperJob(), chunks(), lambda text: written.append(1), workers=2, max_in_flight=3)
    assert len(written) == 25
    assert max(pulled) == 2


def test_strict_error_from_a_worker_keeps_file_and_line():
    lines = LINES[:10] + ["BAD\n"] + LINES[10:]
    written: list[str] = []
    with pytest.raises(FormatError) as info:
        run_local(UpperJob(), make_chunks(lines, 4), written.append, workers=2)
    assert str(info.value) == "in.txt, line 11: a line reads BAD; fix it"
    assert info.value.reason == "bad"
    assert "".join(written) == "".join(lines[:8]).upper()  # chunks before the bad one were written


def test_in_process_error_and_bad_worker_count():
    with pytest.raises(FormatError, match="in.txt, line 3"):
        run_local(UpperJob(), make_chunks(["a\n", "b\n", "BAD\n"], 2), lambda t: None, workers=1)
    with pytest.raises(LexaugError, match="--workers must be at least 1, got 0"):
        run_local(UpperJob(), [], lambda t: None, workers=0)


def test_totals_merge_keeps_first_messages_only():
    totals = Totals(max_errors=3)
    totals.add(ChunkResult("", {"a": 1}, Counter(x=2), ["e1", "e2"]))
    totals.add(ChunkResult("", {"a": 2, "b": 1}, Counter(x=1, y=1), ["e3", "e4"]))
    assert totals.counts == {"a": 3, "b": 1}
    assert totals.stats == Counter(x=3, y=1)
    assert totals.errors == ["e1", "e2", "e3"]


def test_progress_line_draws_and_clears(monkeypatch):
    import io

    import lexaug.engines.progress as progress_mod
    from lexaug.engines.progress import Progress

    monkeypatch.setattr(progress_mod, "PROGRESS_AFTER_S", 0.0)
    stream = io.StringIO()
    bar = Progress(total=200, enabled=True, stream=stream)
    bar._last = -1.0

    class Chunk:
        text = "x" * 100

    bar.update(Chunk(), ChunkResult("", {"records_in": 7}))
    assert stream.getvalue().startswith("\r 50.0% 7 records, 0.0 MB,")
    bar.close()
    assert stream.getvalue().endswith("\r\033[K")
    quiet = io.StringIO()
    off = Progress(total=200, enabled=False, stream=quiet)
    off.update(Chunk(), ChunkResult("", {"records_in": 7}))
    assert (off.chars, off.records, quiet.getvalue()) == (100, 7, "")


class FailingJob:
    """Fails unexpectedly on the chunk at line 5: raises, or (`exit`) ends its process."""

    def __init__(self, exit: bool = False):
        self.exit = exit

    def process(self, chunk: tuple[int, str]) -> ChunkResult:
        if chunk[0] == 5:
            if self.exit:
                import os

                os._exit(3)
            raise ValueError("a bug in a generator")
        return ChunkResult(chunk[1])


def test_unexpected_worker_failures_are_reported():
    with pytest.raises(LexaugError, match="worker process failed: ValueError: a bug in a generator") as info:
        run_local(FailingJob(), make_chunks(LINES, 4), lambda t: None, workers=2)
    assert "Traceback" in str(info.value)  # the worker's traceback comes along
    with pytest.raises(LexaugError, match=r"worker process lexaug-worker-\d died \(exit code 3\)"):
        run_local(FailingJob(exit=True), make_chunks(LINES, 4), lambda t: None, workers=2)


def test_many_workers_few_chunks_and_no_chunks():
    out: list[str] = []
    run_local(UpperJob(), make_chunks(LINES[:3], 2), out.append, workers=4)
    assert "".join(out) == "".join(LINES[:3]).upper()
    assert run_local(UpperJob(), [], out.append, workers=3).counts == {}


def test_workers_encode_for_a_byte_sink():
    lines = LINES + ["ünïcödé ✓\n"]
    texts: list[str] = []
    data: list[bytes] = []
    run_local(UpperJob(), make_chunks(lines, 4), texts.append, workers=2, write_bytes=data.append)
    assert texts == [] and b"".join(data) == "".join(lines).upper().encode("utf-8")
    run_local(UpperJob(), make_chunks(lines, 4), texts.append, workers=1, write_bytes=data.append)
    assert "".join(texts) == "".join(lines).upper()  # in-process: text as it is, nothing to hand over


def test_spawned_workers_receive_the_job_pickled(monkeypatch):
    """Where fork is missing (macOS, Windows) workers are spawned and get the job pickled once each."""
    import multiprocessing as mp

    from lexaug.engines import local

    monkeypatch.setattr(local, "_context", lambda: mp.get_context("spawn"))
    out: list[str] = []
    totals = run_local(UpperJob(), make_chunks(LINES, 4), out.append, workers=2)
    assert "".join(out) == "".join(LINES).upper() and totals.counts == {"records_in": 50}


def test_workers_start_only_as_chunks_need_them():
    out: list[str] = []
    totals = run_local(UpperJob(), make_chunks(["a\n", "b\n"], 4), out.append, workers=8)
    assert "".join(out) == "A\nB\n"
    assert totals.workers_used == 1  # one chunk: one worker process, not 8
    totals = run_local(UpperJob(), make_chunks(LINES, 4), out.append, workers=2)
    assert totals.workers_used == 2


def test_worker_cap_is_a_multiple_of_the_cores():
    import os

    from lexaug.engines.local import MAX_WORKERS_PER_CORE, worker_cap

    cores = os.cpu_count() or 1
    assert worker_cap(1000 * cores) == MAX_WORKERS_PER_CORE * cores
    assert worker_cap(2) == min(2, MAX_WORKERS_PER_CORE * cores) and worker_cap(0) == 1
