"""A line too long to rewrite in bounded memory (issue 9, defect 26: a 50 MB line took 1.47 GB) is an error
naming the file and line; `max_line_mb` / `--max-line-mb` raises the bound."""

from __future__ import annotations

import gzip

import pytest
from click.testing import CliRunner

from lexaug.errors import FormatError
from lexaug.io import open_input, read_records
from lexaug_cli.main import cli

MB = 1 << 20


def _file(tmp_path, name="long.txt", size=int(2.5 * MB), final_newline=True):
    data = b"short\n" * 3 + b"word " * (size // 5) + (b"\n" if final_newline else b"") + b"after\n" * final_newline
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path, data


@pytest.mark.parametrize("name", ["long.txt", "long.txt.gz"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_long_line_is_an_error_naming_file_and_line(tmp_path, name, final_newline):
    path, data = _file(tmp_path, name, final_newline=final_newline)
    with pytest.raises(FormatError) as err:
        list(read_records(path, "text", max_line_mb=1))
    assert err.value.line == 4 and err.value.reason == "line_too_long"
    assert str(err.value).startswith(f"{path}, line 4: a line longer than 1 MB") and "--max-line-mb" in str(err.value)
    with open_input(path, max_line_mb=3) as fh:
        assert "".join(fh).encode() == data


def test_line_just_under_the_bound_crossing_blocks_reads(tmp_path):
    data = b"a" * (MB - 10) + b"\n" + b"b" * (MB + 5) + b"\n" + b"c\n"
    path = tmp_path / "edge.txt"
    path.write_bytes(data)
    with pytest.raises(FormatError) as err:
        list(read_records(path, "text", max_line_mb=1))
    assert err.value.line == 2
    with open_input(path, max_line_mb=1.01) as fh:
        assert [len(line) for line in fh] == [MB - 9, MB + 6, 2]


def test_cli_max_line_mb(tmp_path):
    path, data = _file(tmp_path)
    lex = tmp_path / "lex.tsv"
    lex.write_text("word\tneno\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    base = ["synthesize", "--lang", "xx", "--lexicon", str(lex), "--input", str(path), "--output", str(out)]
    res = CliRunner().invoke(cli, base + ["--max-line-mb", "1"])
    assert res.exit_code == 1 and res.output.strip().splitlines()[-1].startswith(f"Error: {path}, line 4: ")
    assert not out.exists()
    res = CliRunner().invoke(cli, base + ["--max-line-mb", "3"])
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == data.replace(b"word", b"neno")
