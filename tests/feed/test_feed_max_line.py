"""`lexaug feed --max-line-mb`: the bound on input line length that `lexaug synthesize --max-line-mb` sets, with
the same default, validation and error (file and line), for `--source` and `--synthesize` sources; a run that
stopped at a long line resumes with a raised bound."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from lexaug import defaults
from lexaug_cli.main import cli

MB = 1 << 20
SHORT = 300  # short lines before the long one: enough for some shards before the run reaches it


@pytest.fixture()
def long_file(tmp_path) -> Path:
    """SHORT short lines, one line of 2.5 MB (line SHORT + 1), a last short line."""
    path = tmp_path / "long.txt"
    path.write_bytes(b"the cat sat\n" * SHORT + b"cat " * int(2.5 * MB / 4) + b"\nthe end\n")
    return path


@pytest.fixture()
def lexicon(tmp_path) -> Path:
    path = tmp_path / "en_xx.tsv"
    path.write_text("cat\tpaka\n", encoding="utf-8")
    return path


def feed(tiny_dir: Path, out: Path, *args) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["feed", "--tokenizer", str(tiny_dir / "tok"), "--block-size", "8",
                                      "--shuffle-buffer", "0", "--blocks-per-shard", "50", "--output", str(out),
                                      *map(str, args)])
    return result.exit_code, result.output


def source_args(kind: str, path: Path, lexicon: Path) -> list:
    return ["--source", path] if kind == "source" else ["--synthesize", path, "--lang", "xx", "--lexicon", lexicon]


@pytest.mark.parametrize("kind", ["source", "synthesize"])
@pytest.mark.parametrize("workers", ["0", "1"])
def test_long_line_is_one_error_naming_file_and_line(tiny_dir, tmp_path, long_file, lexicon, kind, workers):
    code, output = feed(tiny_dir, tmp_path / "out", *source_args(kind, long_file, lexicon), "--max-line-mb", "1",
                        "--synth-workers", workers)
    assert code == 1, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    assert lines[0].startswith(f"Error: {long_file}, line {SHORT + 1}: a line longer than 1 MB"), output
    assert "raise the limit with --max-line-mb" in lines[0]
    assert not (tmp_path / "out" / "report.json").exists()


@pytest.mark.parametrize("kind", ["source", "synthesize"])
def test_raised_bound_reads_the_long_line(tiny_dir, tmp_path, long_file, lexicon, kind):
    out = tmp_path / "out"
    code, output = feed(tiny_dir, out, *source_args(kind, long_file, lexicon), "--max-line-mb", "3",
                        "--synth-workers", "0", "--line-by-line")  # the long line: one block, not 80,000
    assert code == 0, output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["options"]["max_line_mb"] == 3.0
    assert report["sources"][0]["records_in"] == SHORT + 2


def test_same_option_as_synthesize():
    """One definition of the option's meaning: type (at least 1), default, shown default."""
    opts = {name: next(p for p in cli.commands[name].params if p.name == "max_line_mb")
            for name in ("feed", "synthesize")}
    for opt in opts.values():
        assert isinstance(opt.type, click.FloatRange) and opt.type.min == 1.0 and opt.type.max is None
        assert opt.default == defaults.MAX_LINE_MB and opt.show_default
    assert opts["feed"].help == opts["synthesize"].help


@pytest.mark.parametrize("value", ["0.5", "0", "-3", "lots"])
def test_out_of_range_value_is_refused_as_synthesize_refuses_it(tiny_dir, tmp_path, value):
    code, output = feed(tiny_dir, tmp_path / "out", "--source", tiny_dir / "a.txt", "--max-line-mb", value)
    synth = CliRunner().invoke(cli, ["synthesize", "--lang", "xx", "--lexicon", str(tiny_dir / "a.txt"), "--input",
                                     str(tiny_dir / "a.txt"), "--output", str(tmp_path / "o.txt"), "--max-line-mb",
                                     value])
    assert code == synth.exit_code == 2
    error = [line for line in output.splitlines() if line.startswith("Error:")]
    assert error == [line for line in synth.output.splitlines() if line.startswith("Error:")]
    assert "'--max-line-mb'" in error[0]
    assert not (tmp_path / "out").exists() and not (tmp_path / "o.txt").exists()


def test_resume_after_a_long_line_with_a_raised_bound(tiny_dir, tmp_path, long_file):
    """The run stops at the long line after writing some shards; resumed with --max-line-mb 3 (the only option
    that may change on resume besides --synth-workers) it writes the shards of an uninterrupted run."""
    out, whole = tmp_path / "out", tmp_path / "whole"
    args = ["--source", long_file, "--synth-workers", "0", "--max-blocks", "200"]
    code, output = feed(tiny_dir, out, *args, "--max-line-mb", "1")
    assert code == 1 and f"line {SHORT + 1}" in output
    assert (out / "checkpoint.json").is_file() and sorted(out.glob("input_ids-*.npy"))
    code, output = feed(tiny_dir, out, *args, "--max-line-mb", "3", "--resume")
    assert code == 0, output
    code, output = feed(tiny_dir, whole, *args, "--max-line-mb", "3")
    assert code == 0, output
    shards = sorted(p.name for p in whole.glob("*.npy"))
    assert shards == sorted(p.name for p in out.glob("*.npy")) and len(shards) >= 3
    for name in shards:
        assert (out / name).read_bytes() == (whole / name).read_bytes(), name
