"""Hostile inputs to `lexaug unimorph stats` and the UniMorph loader: directories, unreadable files, missing
paths that look like files, compressed files. Each gives exit 1 and one `Error:` line naming the file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexaug.errors import FormatError
from lexaug.loaders.unimorph import MorphTable
from lexaug_cli.main import cli

ROWS = "walk\twalked\tV;PST\nwalk\twalks\tV;PRS;3;SG\n"


def stats(*args: str):
    result = CliRunner().invoke(cli, ["unimorph", "stats", *args])
    return result.exit_code, result.output, result.exception


def one_line_error(code: int, out: str, exc: BaseException | None, *needles: str) -> str:
    assert code == 1 and "Traceback" not in out and (exc is None or isinstance(exc, SystemExit)), (out, exc)
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), out
    for needle in needles:
        assert needle in lines[0], (needle, out)
    return lines[0]


def test_stats_on_a_directory(tmp_path):
    folder = tmp_path / "fin"
    folder.mkdir()
    line = one_line_error(*stats(str(folder)), str(folder), "directory")
    assert line.startswith(f"Error: {folder}")


def test_stats_on_an_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "t.um"
    path.write_text(ROWS, encoding="utf-8")
    original = Path.read_bytes

    def read_bytes(self):
        if self.name == "t.um":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    line = one_line_error(*stats(str(path)), str(path), "Permission denied")
    assert line.startswith(f"Error: {path}")


@pytest.mark.parametrize("name", ["nonexistent.um", "tables/fin", "./fin", "fin.1"])
def test_stats_on_a_missing_path_says_so(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    line = one_line_error(*stats(name), name, "no such file")
    assert "malformed language code" not in line


def test_stats_on_an_unknown_language_still_points_at_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    line = one_line_error(*stats("xyz"), "no UniMorph table for 'xyz'")
    assert "malformed language code" not in line


@pytest.mark.parametrize("suffix,compress", [(".gz", gzip.compress), ("", gzip.compress)])
def test_gzip_unimorph_file_is_named_as_compressed(tmp_path, suffix, compress):
    path = tmp_path / f"fin{suffix}"
    path.write_bytes(compress(ROWS.encode("utf-8")))
    line = one_line_error(*stats(str(path)), str(path), "gzip-compressed file", "gunzip")
    assert "LATIN1" not in line and "UTF-8" not in line


def test_zstd_unimorph_file_is_named_as_compressed(tmp_path):
    path = tmp_path / "fin.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 20)
    line = one_line_error(*stats(str(path)), str(path), "zstd-compressed file", "unzstd")
    assert "LATIN1" not in line and "UTF-8" not in line


def test_loader_reports_a_directory_as_format_error(tmp_path):
    with pytest.raises(FormatError, match="directory"):
        MorphTable.read(tmp_path)


def test_table_option_with_a_gzip_file(tmp_path):
    path = tmp_path / "fin.gz"
    path.write_bytes(gzip.compress(ROWS.encode("utf-8")))
    result = CliRunner().invoke(cli, ["unimorph", "inflect", "walk", "V;PST", "--table", str(path)])
    line = one_line_error(result.exit_code, result.output, result.exception, str(path), "gzip-compressed file")
    assert "LATIN1" not in line


def test_plain_file_still_reads(tmp_path):
    path = tmp_path / "fin"
    path.write_text(ROWS, encoding="utf-8")
    code, out, _ = stats(str(path))
    assert code == 0 and "rows             2" in out


@pytest.mark.parametrize("command", [["stats", "{t}"], ["inflect", "-t", "{t}", "walk", "V;PST"],
                                     ["analyze", "-t", "{t}", "walked"]])
def test_malformed_row_names_the_lenient_option(tmp_path, command):
    """The loader's "read leniently to skip it" now names the command's option, as the lexicon commands do."""
    table = tmp_path / "t.tsv"
    table.write_text(ROWS + "run\tran\n", encoding="utf-8")
    args = [a.format(t=table) for a in command]
    result = CliRunner().invoke(cli, ["unimorph", *args])
    one_line_error(result.exit_code, result.output, result.exception, f"{table}, line 3:", "(--lenient)")
    assert CliRunner().invoke(cli, ["unimorph", *args, "--lenient"]).exit_code == 0
