"""Signals to a `synthesize --workers 2` run: SIGTERM, SIGINT and SIGHUP stop it with one line, no worker left
and no partial file; SIGKILL of the parent takes its workers down too, and the next run of the same output
removes the partial file the killed run left (issue 9, defects 5 and 6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procs import child_processes, is_running  # tests/ is on sys.path (conftest.py)

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "resources" / "samples"
CMD = [sys.executable, "-c", "from lexaug_cli.main import main; main()"]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def wait_for(predicate, timeout: float = 20.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(autouse=True)
def no_strays():
    """Kill any worker a failing run leaves behind, so a failure does not leave processes on the machine."""
    started: list[int] = []
    yield started
    for pid in started:
        if is_running(pid):
            os.kill(pid, signal.SIGKILL)


def start_run(tmp_path: Path, workers: int = 2) -> tuple[subprocess.Popen, Path, list[int]]:
    """A run reading stdin, fed enough lines for several chunks and then kept waiting for more."""
    out = tmp_path / "out.txt"
    proc = subprocess.Popen(
        [*CMD, "synthesize", "--lang", "spa", "--lexicon", str(SAMPLES / "en_es.tsv"), "--input", "-",
         "--format", "text", "--output", str(out), "--workers", str(workers), "--chunk-records", "200", "--no-progress"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    lines = (SAMPLES / "english.txt").read_bytes()
    # more than the reader's first 1 MiB block, so chunks reach the workers; then the run waits for more input
    proc.stdin.write(lines * (2_500_000 // len(lines)))
    proc.stdin.flush()
    if workers > 1:
        assert wait_for(lambda: len(child_processes(proc.pid)) >= workers), "the workers did not start"
    assert wait_for(lambda: any(p.name.startswith(".partial-") for p in tmp_path.iterdir()))
    return proc, out, child_processes(proc.pid)


def tracked(strays: list[int], run: tuple[subprocess.Popen, Path, list[int]]):
    strays.extend(run[2])
    return run


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_signal_stops_run_workers_and_partial(tmp_path, sig, no_strays):
    proc, out, workers = tracked(no_strays, start_run(tmp_path))
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + sig, err
    text = err.decode()
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and signal.Signals(sig).name in lines[0], text
    assert wait_for(lambda: not any(is_running(p) for p in workers), 5)
    assert list(tmp_path.iterdir()) == []  # no output, no manifest, no partial


def test_sigterm_in_process_run_removes_partial(tmp_path):
    proc, out, _ = start_run(tmp_path, workers=1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "SIGTERM" in err.decode() and "Traceback" not in err.decode()
    assert list(tmp_path.iterdir()) == []


def test_sigkill_of_parent_takes_workers_down_and_next_run_cleans_up(tmp_path, no_strays):
    proc, out, workers = tracked(no_strays, start_run(tmp_path))
    proc.kill()
    proc.wait(timeout=10)
    assert wait_for(lambda: not any(is_running(p) for p in workers), 5), "workers outlived their parent"
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".partial-")]
    assert stale  # SIGKILL cannot be caught: the partial stays until the next run of the same output
    done = subprocess.run([*CMD, "synthesize", "--lang", "spa", "--lexicon", str(SAMPLES / "en_es.tsv"),
                           "--input", str(SAMPLES / "english.txt"), "--output", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt", "out.txt.manifest.json"]


def test_partial_of_a_live_process_is_left_alone(tmp_path):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        other = tmp_path / f".partial-{sleeper.pid}-out.txt"
        other.write_text("another run's work\n")
        done = subprocess.run([*CMD, "synthesize", "--lang", "spa", "--lexicon", str(SAMPLES / "en_es.tsv"),
                               "--input", str(SAMPLES / "english.txt"), "--output", str(tmp_path / "out.txt")],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert other.read_text() == "another run's work\n"
    finally:
        sleeper.kill()
        sleeper.wait()
