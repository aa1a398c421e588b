"""`lexaug feed --synthesize ... --samples K`: K draws of every record, as `lexaug synthesize --samples`."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from lexaug.feed import SynthSource, load_shards
from lexaug.feed.writer import ShardWriter
from lexaug.generators.samples import expand_samples
from lexaug.io import read_records
from lexaug_cli.main import cli

LEXICON = "cat\tpaka\ncat\tnyau\ndog\tmbwa\ndog\tkelb\nthe\tle\nthe\tla\nsat\tkaa\n"


def _generator(lexicon_path):
    from lexaug.synthesis import SynthesisOptions, build

    return build(SynthesisOptions(langs=("swa",), lexicons=(str(lexicon_path),))).generator


def test_samples_give_the_texts_of_synthesize_samples_in_order(tiny_dir, tmp_path):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    gen = _generator(lexicon)
    source = SynthSource(str(tiny_dir / "a.txt"), generator=gen, seed=4, samples=3)
    items = list(source.items(0, 1))
    texts, replaced = source.texts_batch([i for i, _ in items], [t for _, t in items], 0, 0)
    expected = [r.slots[0] for r in _generator(lexicon).run(expand_samples(read_records(tiny_dir / "a.txt"), 3), 4)]
    assert [t for group in texts for t in group] == expected  # what `synthesize --samples 3 --seed 4` writes
    assert all(len(group) == 3 for group in texts) and len(texts) == len(items)
    assert len(set(texts[0])) > 1  # "the cat sat.": the samples draw different translations
    # the per-record path gives the same texts
    per_record = [t for r in read_records(tiny_dir / "a.txt") for t, _ in source.texts(r, 0, 0)]
    assert per_record == expected
    assert replaced > 0 and source.describe()["samples"] == 3


def _feed(args, out):
    return CliRunner().invoke(cli, ["feed", *map(str, args), "--output", str(out)])


def interrupted(monkeypatch, args, out, after_blocks):
    """Run the feed and make it fail once `after_blocks` blocks were handed to the writer (as a power cut)."""
    original = ShardWriter.add

    def add(self, block):
        if self.blocks == after_blocks:
            raise RuntimeError("power cut")
        original(self, block)

    monkeypatch.setattr(ShardWriter, "add", add)
    result = _feed(args, out)
    monkeypatch.setattr(ShardWriter, "add", original)
    assert isinstance(result.exception, RuntimeError) and not (out / "index.json").exists()
    return json.loads((out / "checkpoint.json").read_text())


def same_output(a, b):
    left, right = load_shards(a), load_shards(b)
    assert set(left) == set(right) and all(np.array_equal(left[col], right[col]) for col in left)


def test_feed_samples_cli_report_determinism_and_resume(tiny_dir, tmp_path):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    base = ["--tokenizer", tiny_dir / "tok", "--block-size", 6, "--synthesize", tiny_dir / "a.txt",
            "--lang", "swa", "--lexicon", lexicon, "--seed", 3, "--line-by-line", "--shuffle-buffer", 0,
            "--synth-workers", 0]
    one = _feed(base, tmp_path / "one")
    three = _feed([*base, "--samples", 3], tmp_path / "three")
    again = _feed([*base, "--samples", 3, "--synth-workers", 1], tmp_path / "again")
    assert one.exit_code == three.exit_code == again.exit_code == 0, three.output
    r1 = json.loads((tmp_path / "one" / "report.json").read_text())
    r3 = json.loads((tmp_path / "three" / "report.json").read_text())
    assert r1["options"]["samples"] == 1 and "samples" not in r1["synthesis"]
    assert r3["options"]["samples"] == 3 and r3["synthesis"]["samples"] == 3
    assert r3["blocks"] == 3 * r1["blocks"]  # line by line: one block per text, 3 texts per record
    assert (tmp_path / "three" / "input_ids-00000.npy").read_bytes() == \
        (tmp_path / "again" / "input_ids-00000.npy").read_bytes()  # same for any --synth-workers
    bad = _feed([*base, "--samples", 0], tmp_path / "zero")
    assert bad.exit_code == 1 and bad.output.startswith("Error: ") and "--samples must be an integer >= 1" in bad.output
    unused = _feed(["--tokenizer", tiny_dir / "tok", "--block-size", 6, "--source", tiny_dir / "a.txt",
                    "--samples", 2], tmp_path / "unused")
    assert unused.exit_code == 1 and "--samples" in unused.output


def test_resume_with_samples_continues_exactly_and_refuses_other_samples(tiny_dir, tmp_path, monkeypatch):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    args = ["--tokenizer", tiny_dir / "tok", "--block-size", 6, "--source", f"{tiny_dir / 'b.txt'}:2",
            "--synthesize", f"{tiny_dir / 'a.txt'}:1", "--lang", "swa", "--lexicon", lexicon, "--seed", 3,
            "--epochs", 2, "--blocks-per-shard", 5, "--synth-workers", 0, "--samples", 2]
    assert _feed(args, tmp_path / "whole").exit_code == 0
    checkpoint = interrupted(monkeypatch, args, tmp_path / "cut", after_blocks=12)
    assert checkpoint["options"]["samples"] == 2
    other = _feed([*args[:-1], 3, "--resume"], tmp_path / "cut")
    assert other.exit_code == 1 and "other options (samples)" in other.output
    resumed = _feed([*args, "--resume"], tmp_path / "cut")
    assert resumed.exit_code == 0, resumed.output
    same_output(tmp_path / "whole", tmp_path / "cut")
