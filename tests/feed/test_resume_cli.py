"""`lexaug feed --resume`: a run stopped part way continues from its last shard and writes exactly the shards and
report of an uninterrupted run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from procs import child_processes, is_running  # tests/ is on sys.path (conftest.py)

from lexaug.feed import load_shards
from lexaug.feed.writer import ShardWriter
from lexaug_cli.main import cli


def feed(args: list[str], out: Path):
    return CliRunner().invoke(cli, ["feed", *map(str, args), "--output", str(out)])


def interrupted(monkeypatch, args: list[str], out: Path, after_blocks: int):
    """Run the feed and make it fail once `after_blocks` blocks were handed to the writer (as a power cut)."""
    original = ShardWriter.add

    def add(self, block):
        if self.blocks == after_blocks:
            raise RuntimeError("power cut")
        original(self, block)

    monkeypatch.setattr(ShardWriter, "add", add)
    result = feed(args, out)
    monkeypatch.setattr(ShardWriter, "add", original)
    assert isinstance(result.exception, RuntimeError) and not (out / "index.json").exists()
    return json.loads((out / "checkpoint.json").read_text())


def same_output(a: Path, b: Path) -> None:
    left, right = load_shards(a), load_shards(b)
    assert all(np.array_equal(left[col], right[col]) for col in left)
    assert json.loads((a / "index.json").read_text())["shards"] == json.loads((b / "index.json").read_text())["shards"]
    reports = [json.loads((d / "report.json").read_text()) for d in (a, b)]
    for report in reports:
        report.pop("elapsed_s")
        report["options"].pop("synth_workers")
    assert reports[0] == reports[1]
    assert not (b / "checkpoint.json").exists()


def test_resume_continues_exactly(tiny_dir, tmp_path, monkeypatch):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("cat\tpaka\ndog\tmbwa\ndog\tkelb\nthe\tle\n", encoding="utf-8")
    args = ["--tokenizer", tiny_dir / "tok", "--block-size", 6, "--source", f"{tiny_dir / 'b.txt'}:2",
            "--synthesize", f"{tiny_dir / 'a.txt'}:1", "--lang", "swa", "--lexicon", lexicon, "--seed", 3,
            "--epochs", 2, "--blocks-per-shard", 5, "--synth-workers", 0]
    assert feed(args, tmp_path / "whole").exit_code == 0
    checkpoint = interrupted(monkeypatch, args, tmp_path / "cut", after_blocks=12)
    assert [s["blocks"] for s in checkpoint["shards"]] == [5, 5]  # blocks 11 and 12 were not on disk yet
    again = feed(args, tmp_path / "cut")
    assert again.exit_code == 1 and "add --resume to continue it" in again.output
    other = feed([*args[:-1], 1, "--seed", 4, "--resume"], tmp_path / "cut")
    assert other.exit_code == 1 and "other options (seed)" in other.output
    resumed = feed([*args[:-1], 1, "--resume"], tmp_path / "cut")  # another --synth-workers is fine
    assert resumed.exit_code == 0, resumed.output
    same_output(tmp_path / "whole", tmp_path / "cut")
    nothing = feed([*args, "--resume"], tmp_path / "empty")
    assert nothing.exit_code == 1 and "no checkpoint.json to resume from" in nothing.output


@pytest.mark.slow
def test_resume_on_kjv_with_synthesis(kjv_split, kjv_tokenizer, shared_data, tmp_path, monkeypatch):
    args = ["--tokenizer", kjv_tokenizer, "--block-size", 64, "--source", f"{kjv_split[0]}:2",
            "--synthesize", f"{kjv_split[1]}:1", "--lang", "xx", "--lexicon", shared_data / "bench" / "lex_en_xx.tsv",
            "--max-blocks", 300, "--blocks-per-shard", 64, "--seed", 1, "--synth-workers", 0]
    assert feed(args, tmp_path / "whole").exit_code == 0
    checkpoint = interrupted(monkeypatch, args, tmp_path / "cut", after_blocks=200)
    assert [s["blocks"] for s in checkpoint["shards"]] == [64, 64, 64]
    assert feed([*args, "--resume"], tmp_path / "cut").exit_code == 0
    same_output(tmp_path / "whole", tmp_path / "cut")
    assert load_shards(tmp_path / "cut")["input_ids"].shape == (300, 64)


def _cut_run(tiny_dir, tmp_path, monkeypatch):
    """args, folder of a run cut after 3 shards of 2 blocks (on the tiny sources, 2 epochs)."""
    args = ["--tokenizer", tiny_dir / "tok", "--block-size", 4, "--source", f"{tiny_dir / 'a.txt'}",
            "--source", f"{tiny_dir / 'b.txt'}", "--epochs", 3, "--blocks-per-shard", 2, "--synth-workers", 0]
    checkpoint = interrupted(monkeypatch, args, tmp_path / "cut", after_blocks=7)
    assert [s["blocks"] for s in checkpoint["shards"]] == [2, 2, 2]
    return args, tmp_path / "cut"


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "deleted":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(data[: len(data) - 3])
    elif how == "grown":
        path.write_bytes(data + b"\0")
    elif how == "changed":  # same size, one byte of the array changed
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["deleted", "truncated", "grown", "changed"])
@pytest.mark.parametrize("name", ["input_ids-00002.npy", "attention_mask-00001.npy",
                                  "special_tokens_mask-00000.npy"])
def test_resume_over_damaged_shards_is_refused(tiny_dir, tmp_path, monkeypatch, how, name):
    args, out = _cut_run(tiny_dir, tmp_path, monkeypatch)
    _damage(out / name, how)
    result = feed([*args, "--resume"], out)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and name in lines[0], result.output
    assert "--resume" in lines[0] and "Traceback" not in result.output
    assert (out / "checkpoint.json").exists() and not (out / "index.json").exists()


def test_checkpoint_records_shard_sizes_and_checksums(tiny_dir, tmp_path, monkeypatch):
    import hashlib

    _, out = _cut_run(tiny_dir, tmp_path, monkeypatch)
    checkpoint = json.loads((out / "checkpoint.json").read_text())
    for shard in checkpoint["shards"]:
        for col in ("input_ids", "attention_mask", "special_tokens_mask"):
            data = (out / shard[col]).read_bytes()
            assert shard["bytes"][col] == len(data)
            assert shard["sha256"][col] == hashlib.sha256(data).hexdigest()


def _kill_when_checkpointed(cmd: list[str], out: Path, min_shards: int) -> set[int]:
    import os
    import signal
    import subprocess
    import sys
    import time

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    exe = Path(sys.executable).with_name("lexaug")  # the console script of this environment
    proc = subprocess.Popen([str(exe), *cmd], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"the feed ended before it was killed: {proc.stderr.read().decode()}"
            try:
                shards = json.loads((out / "checkpoint.json").read_text())["shards"]
            except (OSError, ValueError):
                shards = []
            if len(shards) >= min_shards:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("no checkpoint within 300 s")
        children = child_processes(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return children


@pytest.mark.slow
def test_sigkill_then_resume_gives_identical_shards(kjv_split, kjv_tokenizer, tmp_path):
    """`lexaug feed` in a subprocess, killed with SIGKILL once it has written shards, then resumed: the same
    shards and report as an uninterrupted run; a damaged shard in the killed folder is refused."""
    import shutil

    args = ["--tokenizer", kjv_tokenizer, "--block-size", 32, "--source", f"{kjv_split[0]}:2",
            "--source", f"{kjv_split[1]}:1", "--blocks-per-shard", 300,
            "--seed", 5, "--synth-workers", 0]
    args = list(map(str, args))
    _kill_when_checkpointed(["feed", *args, "--output", str(tmp_path / "cut")], tmp_path / "cut", min_shards=2)
    assert not (tmp_path / "cut" / "index.json").exists()
    shutil.copytree(tmp_path / "cut", tmp_path / "damaged")
    resumed = feed([*args, "--resume"], tmp_path / "cut")
    assert resumed.exit_code == 0, resumed.output
    assert feed(args, tmp_path / "whole").exit_code == 0
    same_output(tmp_path / "whole", tmp_path / "cut")
    _damage(tmp_path / "damaged" / "input_ids-00001.npy", "changed")
    refused = feed([*args, "--resume"], tmp_path / "damaged")
    assert refused.exit_code == 1 and "input_ids-00001.npy" in refused.output, refused.output


@pytest.mark.parametrize("what", ["source", "lexicon", "tokenizer"])
def test_resume_refuses_inputs_changed_since_the_interrupted_run(tiny_dir, tmp_path, monkeypatch, what):
    import shutil

    for name in ("a.txt", "b.txt"):
        shutil.copy(tiny_dir / name, tmp_path / name)
    shutil.copytree(tiny_dir / "tok", tmp_path / "tok")
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("cat\tpaka\ndog\tmbwa\nthe\tle\n", encoding="utf-8")
    args = ["--tokenizer", tmp_path / "tok", "--block-size", 4, "--source", tmp_path / "b.txt",
            "--synthesize", tmp_path / "a.txt", "--lang", "swa", "--lexicon", lexicon, "--epochs", 3,
            "--blocks-per-shard", 2, "--synth-workers", 0]
    interrupted(monkeypatch, args, tmp_path / "cut", after_blocks=5)
    changed = {"source": tmp_path / "b.txt", "lexicon": lexicon, "tokenizer": tmp_path / "tok" / "tokenizer.json"}[what]
    data = changed.read_bytes()
    if what == "tokenizer":
        changed.write_bytes(data.replace(b'"[UNK]"', b'"[UNX]"', 1))
    else:
        changed.write_bytes(data + b"cat\tnyau\n" if what == "lexicon" else data + b"seven\n")
    result = feed([*args, "--resume"], tmp_path / "cut")
    assert result.exit_code == 1, result.output
    line = result.output.strip()
    assert "\n" not in line and line.startswith("Error: ") and "changed since" in line, result.output
    assert str(changed if what != "tokenizer" else tmp_path / "tok") in line


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the producer process")
def test_sigkill_with_a_synthesis_producer_then_resume(kjv_split, kjv_tokenizer, shared_data, tmp_path):
    """The same with on-the-fly synthesis in a producer process: the producer does not outlive its killed
    parent, and the resumed run gives the shards of an uninterrupted one."""
    import os
    import time

    args = ["--tokenizer", kjv_tokenizer, "--block-size", 32, "--source", f"{kjv_split[0]}:1",
            "--synthesize", f"{kjv_split[1]}:1", "--lang", "xx", "--lexicon", shared_data / "bench" / "lex_en_xx.tsv",
            "--max-blocks", 3000, "--blocks-per-shard", 300, "--seed", 2, "--synth-workers", 1]
    args = list(map(str, args))
    children = _kill_when_checkpointed(["feed", *args, "--output", str(tmp_path / "cut")], tmp_path / "cut",
                                       min_shards=2)
    assert children, "the run had no producer process"
    deadline = time.monotonic() + 30
    while any(map(is_running, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in children if is_running(pid)]
    for pid in alive:  # do not leave them behind if the assertion fails
        os.kill(pid, 9)
    assert not alive, "the producer outlived its killed parent"
    resumed = feed([*args, "--resume"], tmp_path / "cut")
    assert resumed.exit_code == 0, resumed.output
    assert feed(args, tmp_path / "whole").exit_code == 0
    same_output(tmp_path / "whole", tmp_path / "cut")
