"""Hostile inputs to `lexaug feed`: bad weights, sources, tokenizer folders, checkpoints, epochs and option
combinations. Each case ends in exit 1 with one `Error: <file>...: <what>; <fix>` line and no traceback, or in
exit 0 with correct shards; no half-written shard is ever left as if complete."""

from __future__ import annotations

import errno
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli

LINES = ["the cat sat on the mat", "a dog ran home", "the dog sat", "cats and dogs and birds", "the end"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder with `a.txt`, `b.txt` and a word-level tokenizer folder `tok`."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("hostile_feed")
    (folder / "a.txt").write_text("\n".join(LINES * 20) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(reversed(LINES)) + "\n", encoding="utf-8")
    tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    tok.train_from_iterator(LINES, trainers.WordLevelTrainer(special_tokens=specials))
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]",
                                                       special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                            sep_token="[SEP]").save_pretrained(str(folder / "tok"))
    return folder


def run(args: list) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(cli, ["feed", *map(str, args)])
    return result.exit_code, result.output, result.exception


def assert_one_line_error(code: int, output: str, exc: BaseException | None, *needles: str) -> None:
    assert code == 1, output
    assert "Traceback" not in output and (exc is None or isinstance(exc, SystemExit)), (output, exc)
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), output
    for needle in needles:
        assert needle in lines[0], (needle, output)


def base(corpus: Path, out: Path) -> list:
    return ["--tokenizer", corpus / "tok", "--block-size", 8, "--synth-workers", 0, "--output", out]


# --- weights and source specs -------------------------------------------------------------------------------
@pytest.mark.parametrize("weight", ["inf", "-inf", "nan", "0", "-1", "1e400"])
def test_non_finite_or_non_positive_weight_is_refused(corpus, tmp_path, weight):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", f"{corpus / 'a.txt'}:{weight}"])
    assert_one_line_error(code, out, exc, "a.txt", "weight", "positive")
    assert not (tmp_path / "o" / "index.json").exists()


def test_weights_whose_sum_overflows_are_refused(corpus, tmp_path):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", f"{corpus / 'a.txt'}:1e308",
                          "--source", f"{corpus / 'b.txt'}:1e308"])
    assert_one_line_error(code, out, exc, "weight", "sum")


def test_large_finite_weights_mix_like_small_ones(corpus, tmp_path):
    big = run([*base(corpus, tmp_path / "big"), "--source", f"{corpus / 'a.txt'}:1e300",
               "--source", f"{corpus / 'b.txt'}:3e300"])
    small = run([*base(corpus, tmp_path / "small"), "--source", f"{corpus / 'a.txt'}:1",
                 "--source", f"{corpus / 'b.txt'}:3"])
    assert big[0] == small[0] == 0, (big[1], small[1])
    reports = [json.loads((tmp_path / d / "report.json").read_text()) for d in ("big", "small")]
    assert [s["records"] for s in reports[0]["sources"]] == [s["records"] for s in reports[1]["sources"]]


def test_report_is_strict_json(corpus, tmp_path):
    code, out, _ = run([*base(corpus, tmp_path / "o"), "--source", f"{corpus / 'a.txt'}:0.5"])
    assert code == 0, out

    def no_constants(name):
        raise AssertionError(f"report.json holds {name}")

    report = json.loads((tmp_path / "o" / "report.json").read_text(), parse_constant=no_constants)
    assert math.isfinite(report["sources"][0]["weight"])


def test_weight_that_is_not_a_number_is_named(corpus, tmp_path):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", f"{corpus / 'a.txt'}:abc"])
    assert_one_line_error(code, out, exc, "a.txt:abc", "'abc'", "not a number", "PATH:WEIGHT")
    assert "source file not found" not in out


def test_a_file_whose_name_holds_a_colon_still_reads(corpus, tmp_path):
    odd = tmp_path / "odd:abc.txt"
    odd.write_text("the cat sat\n" * 10, encoding="utf-8")
    code, out, _ = run([*base(corpus, tmp_path / "o"), "--source", odd])
    assert code == 0, out


def test_missing_source_is_named(corpus, tmp_path):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", tmp_path / "nope.txt:0.5"])
    assert_one_line_error(code, out, exc, "nope.txt", "not found")


def test_source_that_is_a_directory_is_named(corpus, tmp_path):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", corpus])
    assert_one_line_error(code, out, exc, str(corpus), "is a directory")


def test_a_failed_run_leaves_no_output_folder_it_made(corpus, tmp_path):
    """A source that fails once the run has started (a bad byte, bad JSON) ends in one line and leaves no empty
    --output folder behind; a folder the user made stays."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"the cat\n\xff dog\n")
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"text": "the cat"}\n{oops\n', encoding="utf-8")
    for source in (bad, broken):
        code, out, exc = run([*base(corpus, tmp_path / "made" / "o"), "--source", source])
        assert_one_line_error(code, out, exc, str(source), "line 2")
        assert not (tmp_path / "made").exists()
    mine = tmp_path / "mine"
    mine.mkdir()
    code, out, exc = run([*base(corpus, mine), "--source", bad])
    assert_one_line_error(code, out, exc, "line 2")
    assert mine.is_dir() and not any(mine.iterdir())


# --- option combinations -------------------------------------------------------------------------------------
@pytest.mark.parametrize("extra,name", [(["--lang", "swa"], "--lang"), (["--lexicon", "x.tsv"], "--lexicon"),
                                        (["--rate", "0.5"], "--rate")])
def test_synthesis_options_without_synthesize_are_refused(corpus, tmp_path, extra, name):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", corpus / "a.txt", *extra])
    assert_one_line_error(code, out, exc, name, "--synthesize")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize("epochs", ["0", "-2"])
def test_epochs_below_one_are_refused(corpus, tmp_path, epochs):
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", corpus / "a.txt", "--epochs", epochs])
    assert_one_line_error(code, out, exc, "--epochs", ">= 1")


def test_two_epochs_write_twice_the_records(corpus, tmp_path):
    for n in (1, 2):
        code, out, _ = run([*base(corpus, tmp_path / f"e{n}"), "--source", corpus / "a.txt", "--epochs", n])
        assert code == 0, out
    one, two = (json.loads((tmp_path / f"e{n}" / "report.json").read_text()) for n in (1, 2))
    assert two["total"]["records"] == 2 * one["total"]["records"] == 200


# --- tokenizer folders -----------------------------------------------------------------------------------------
def _tok_empty(folder: Path) -> None:
    folder.mkdir()


def _tok_corrupt_json(folder: Path, corpus: Path) -> None:
    folder.mkdir()
    for f in (corpus / "tok").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    data = (folder / "tokenizer.json").read_bytes()
    (folder / "tokenizer.json").write_bytes(data[: len(data) // 2])


def _tok_garbage(folder: Path, corpus: Path) -> None:
    folder.mkdir()
    for f in (corpus / "tok").iterdir():
        (folder / f.name).write_bytes(b"\x00\xff garbage" * 10)


@pytest.mark.parametrize("kind", ["empty", "corrupt_json", "garbage", "file", "missing"])
def test_bad_tokenizer_folder_is_one_line(corpus, tmp_path, kind):
    folder = tmp_path / "tok"
    if kind == "empty":
        _tok_empty(folder)
    elif kind == "corrupt_json":
        _tok_corrupt_json(folder, corpus)
    elif kind == "garbage":
        _tok_garbage(folder, corpus)
    elif kind == "file":
        folder.write_text("not a folder\n")
    args = ["--tokenizer", folder, "--block-size", 8, "--synth-workers", 0, "--output", tmp_path / "o",
            "--source", corpus / "a.txt"]
    code, out, exc = run(args)
    if kind == "file":  # click refuses it before lexaug runs (exit 2, a usage line)
        assert code == 2 and "Traceback" not in out and "tok" in out
        return
    assert_one_line_error(code, out, exc, str(folder), "tokenizer")


# --- checkpoints ------------------------------------------------------------------------------------------------
def _interrupted_folder(corpus: Path, out: Path, monkeypatch) -> list:
    """A run cut after 2 shards (of 4 blocks): returns the args to resume it."""
    from lexaug.feed.writer import ShardWriter

    args = [*base(corpus, out), "--source", corpus / "a.txt", "--blocks-per-shard", 4]
    original = ShardWriter.add

    def add(self, block):
        if self.blocks == 9:
            raise RuntimeError("power cut")
        original(self, block)

    monkeypatch.setattr(ShardWriter, "add", add)
    code, _, exc = run(args)
    monkeypatch.setattr(ShardWriter, "add", original)
    assert isinstance(exc, RuntimeError) and (out / "checkpoint.json").is_file()
    return args


def _damage_checkpoint(path: Path, kind: str) -> None:
    text = path.read_text()
    data = json.loads(text)
    if kind == "truncated":
        path.write_text(text[: len(text) // 2])
    elif kind == "empty":
        path.write_text("")
    elif kind == "braces":
        path.write_text("{}")
    elif kind == "list":
        path.write_text("[1, 2]")
    elif kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage")
    elif kind == "bad_rng":
        data["feed_state"]["mixer"]["rng"] = [3, [1, 2, 3], None]
        path.write_text(json.dumps(data))
    elif kind == "rng_string":
        data["feed_state"]["mixer"]["rng"] = "abc"
        path.write_text(json.dumps(data))
    elif kind == "emitted":
        data["feed_state"]["mixer"]["cursors"][0]["emitted"] = "many"
        path.write_text(json.dumps(data))
    elif kind == "blocks":  # the shard list disagrees with the state
        data["feed_state"]["blocks"] += 4
        path.write_text(json.dumps(data))
    elif kind == "shards_dropped":
        data["shards"] = data["shards"][:1]
        path.write_text(json.dumps(data))
    elif kind == "shard_path":
        data["shards"][0]["input_ids"] = "../../etc/passwd"
        path.write_text(json.dumps(data))
    else:
        raise AssertionError(kind)


CHECKPOINT_DAMAGE = ["truncated", "empty", "braces", "list", "binary", "bad_rng", "rng_string", "emitted",
                     "blocks", "shards_dropped", "shard_path"]


@pytest.mark.parametrize("kind", CHECKPOINT_DAMAGE)
def test_damaged_checkpoint_is_refused(corpus, tmp_path, monkeypatch, kind):
    out = tmp_path / "o"
    args = _interrupted_folder(corpus, out, monkeypatch)
    _damage_checkpoint(out / "checkpoint.json", kind)
    code, text, exc = run([*args, "--resume"])
    assert_one_line_error(code, text, exc, "checkpoint.json")
    assert not (out / "index.json").exists() and (out / "checkpoint.json").exists()


# --- disk full ------------------------------------------------------------------------------------------------
def _fail_writes(monkeypatch, after_bytes: int, only: str | None = None) -> None:
    """Make writes through the feed's atomic writer fail with ENOSPC after `after_bytes` bytes (to files named
    `only`, or to all files)."""
    from lexaug.feed import writer

    written = {"n": 0}
    original = writer.HashingFile.write

    def write(self, data):
        if only is None or Path(self.path).name == only:
            written["n"] += len(data)
            if written["n"] > after_bytes:
                raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(writer.HashingFile, "write", write)


@pytest.mark.parametrize("after_bytes", [0, 100, 10_000])
def test_disk_full_names_the_file_and_leaves_no_half_shard(corpus, tmp_path, monkeypatch, after_bytes):
    import numpy as np

    _fail_writes(monkeypatch, after_bytes)
    out = tmp_path / "o"
    code, text, exc = run([*base(corpus, out), "--source", corpus / "a.txt", "--blocks-per-shard", 4])
    assert_one_line_error(code, text, exc, "No space left on device", str(out))
    left = list(out.iterdir()) if out.exists() else []  # a folder left empty is removed
    assert not [p.name for p in left if "partial" in p.name]
    assert not (out / "index.json").exists()
    assert out.exists() == (after_bytes == 10_000)  # there, a first shard and its checkpoint were written
    for shard in out.glob("*.npy"):  # whatever is there is complete
        assert np.load(shard).shape[1:] == (8,)


@pytest.mark.parametrize("name", ["report.json", "index.json", "checkpoint.json"])
def test_disk_full_on_json_files_names_them(corpus, tmp_path, monkeypatch, name):
    _fail_writes(monkeypatch, 0, only=name)
    out = tmp_path / "o"
    code, text, exc = run([*base(corpus, out), "--source", corpus / "a.txt", "--blocks-per-shard", 4])
    assert_one_line_error(code, text, exc, name, "No space left on device")
    assert not (out / "index.json").exists()  # the feed is never marked complete without its report
    assert not [p.name for p in out.iterdir() if "partial" in p.name]


# --- option values --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("extra,needle", [
    (["--block-size", "100000000000"], "--block-size"),
    (["--block-size", "0"], "block_size 0"),
    (["--world-size", "0"], "--world-size"),
    (["--shuffle-buffer", "-1"], "--shuffle-buffer"),
    (["--max-blocks", "0"], "--max-blocks"),
    (["--blocks-per-shard", "0"], "blocks_per_shard"),
    (["--text-field", "body"], "--text-field"),
])
def test_out_of_range_or_unused_option_values_are_refused(corpus, tmp_path, extra, needle):
    args = ["--tokenizer", corpus / "tok", "--block-size", 8, "--synth-workers", 0, "--output", tmp_path / "o",
            "--source", corpus / "a.txt", *extra]
    code, out, exc = run(args)
    assert_one_line_error(code, out, exc, needle)


def test_non_utf8_source_names_file_and_line(corpus, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"the cat\n\xff\xfe dog\n")
    code, out, exc = run([*base(corpus, tmp_path / "o"), "--source", bad])
    assert_one_line_error(code, out, exc, str(bad), "line 2")


def test_text_field_with_a_jsonl_source_is_used(corpus, tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text("".join(json.dumps({"body": line}) + "\n" for line in LINES * 4), encoding="utf-8")
    code, out, _ = run([*base(corpus, tmp_path / "o"), "--source", src, "--text-field", "body"])
    assert code == 0, out
    assert json.loads((tmp_path / "o" / "report.json").read_text())["total"]["records"] == 20


# --- sources that are fine -------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_compressed_source_gives_the_shards_of_the_plain_one(corpus, tmp_path, suffix):
    import gzip

    import numpy as np

    from lexaug.feed import load_shards

    data = (corpus / "a.txt").read_bytes()
    packed = tmp_path / f"a.txt{suffix}"
    if suffix == ".gz":
        packed.write_bytes(gzip.compress(data))
    else:
        zstandard = pytest.importorskip("zstandard")
        packed.write_bytes(zstandard.ZstdCompressor().compress(data))
    plain = run([*base(corpus, tmp_path / "plain"), "--source", corpus / "a.txt"])
    comp = run([*base(corpus, tmp_path / "comp"), "--source", packed])
    assert plain[0] == comp[0] == 0, (plain[1], comp[1])
    left, right = load_shards(tmp_path / "plain"), load_shards(tmp_path / "comp")
    assert all(np.array_equal(left[c], right[c]) for c in left) and len(left["input_ids"]) > 0


def test_empty_source_writes_an_empty_feed(corpus, tmp_path):
    from lexaug.feed import load_shards

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = run([*base(corpus, tmp_path / "o"), "--source", empty])
    assert code == 0 and "0 blocks" in out, out
    assert load_shards(tmp_path / "o")["input_ids"].shape == (0, 8)
    assert json.loads((tmp_path / "o" / "report.json").read_text())["blocks"] == 0
