"""`lexaug feed --resume`: a run stopped part way continues from its last shard and writes exactly the shards and
report of an uninterrupted run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

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
