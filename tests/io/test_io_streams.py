"""Streams: gz/zst round trips, stdin/stdout through `-`, undecodable bytes, registry and extension guessing."""

from __future__ import annotations

import gzip
import io
import sys

import pytest
import zstandard

from lexaug.errors import ConfigError, FormatError
from lexaug.io import ReadReport, format_for_path, get_format, open_input, open_output, read_records, write_records

DATA = "héllo wörld\r\nsecond\n\nno newline"


@pytest.mark.parametrize("name", ["c.txt.gz", "c.txt.zst", "c.txt"])
def test_compressed_round_trip(tmp_path, name):
    path = tmp_path / name
    with open_output(path) as fh:
        fh.write(DATA)
    raw = path.read_bytes()
    if name.endswith(".gz"):
        assert gzip.decompress(raw) == DATA.encode()
    elif name.endswith(".zst"):
        assert zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)).read() == DATA.encode()
    records = list(read_records(path))
    assert [r.slots[0] for r in records] == ["héllo wörld", "second", "", "no newline"]
    out = tmp_path / ("out-" + name)
    write_records(records, out)
    with open_input(out) as fh:
        assert fh.read() == DATA


def test_compression_is_sniffed_not_trusted_from_name(tmp_path):
    path = tmp_path / "misnamed.txt"
    path.write_bytes(gzip.compress(DATA.encode()) )
    assert open_input(path).read() == DATA


def test_zst_multiple_frames(tmp_path):
    path = tmp_path / "two.zst"
    cctx = zstandard.ZstdCompressor()
    path.write_bytes(cctx.compress(b"a\n") + cctx.compress(b"b\n"))
    assert [r.slots for r in read_records(path, "text")] == [["a"], ["b"]]


class _Std:
    def __init__(self, data: bytes = b""):
        self.buffer = io.BytesIO(data)

    def flush(self) -> None:
        pass


def test_stdin_and_stdout_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Std(DATA.encode("utf-8")))
    records = list(read_records("-", "text"))
    assert len(records) == 4
    out = _Std()
    monkeypatch.setattr(sys, "stdout", out)
    write_records(records, "-", "text")
    assert out.buffer.getvalue() == DATA.encode("utf-8")
    assert not out.buffer.closed  # stdout stays open for whoever writes next


def test_stdin_gzip(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Std(gzip.compress(b"x\ny\n")))
    assert [r.slots for r in read_records("-", "text")] == [["x"], ["y"]]


def test_undecodable_byte_names_file_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"ok\nalso ok\ncaf\xe9\nfine\n")
    with pytest.raises(FormatError) as err:
        list(read_records(path))
    assert err.value.line == 3 and err.value.reason == "encoding"
    assert str(err.value).startswith(f"{path}, line 3: byte(s) e9 at column 4 are not valid UTF-8")
    report = ReadReport()
    records = list(read_records(path, strict=False, report=report))
    assert [(r.id, r.slots[0]) for r in records] == [("0", "ok"), ("1", "also ok"), ("3", "fine")]
    assert report.skipped == {"encoding": 1} and "line 3" in report.errors[0]


def test_undecodable_byte_line_number_beyond_first_block(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"abcdefghij\n" * 200_000 + b"\xff\n")  # 2.2 MB: the bad byte is in the third block
    with pytest.raises(FormatError) as err:
        list(read_records(path))
    assert err.value.line == 200_001


def test_missing_input_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="cannot open"):
        list(read_records(tmp_path / "nope.txt"))


def test_registry_and_extension_guessing():
    assert [type(format_for_path(p)).__name__ for p in
            ["a.txt", "a.jsonl.gz", "b.conll", "c.tsv.zst", "d.conllu", "e.ndjson"]] == [
        "TextFormat", "JsonlFormat", "ConllFormat", "ConllFormat", "ConlluFormat", "JsonlFormat"]
    assert get_format("massive", keep_slot_values=True).keep_slot_values is True
    with pytest.raises(ConfigError, match="unknown format 'csv'"):
        get_format("csv")
    with pytest.raises(ConfigError, match="cannot tell the format"):
        format_for_path("data.bin")
    with pytest.raises(ConfigError, match="--text-field applies to --format jsonl, parquet or tsv only, not text"):
        get_format("text", field="x")
    # issue 9 (26): an option of another format is named as the CLI option, not a Python TypeError
    with pytest.raises(ConfigError) as err:
        get_format("text", keep_slot_values=True)
    assert str(err.value) == ("--keep-slot-values applies to --format massive only, not text; drop it or pass "
                              "the right --format")
    with pytest.raises(ConfigError, match="'nope' is not an option of any format"):
        get_format("conll", nope=1)


def test_stdout_without_buffer_is_left_open(monkeypatch):
    target = io.StringIO()
    monkeypatch.setattr(sys, "stdout", target)
    with open_output("-") as fh:
        fh.write("a\r\n")
    assert not target.closed and target.getvalue() == "a\r\n"


def test_cli_runner_stdout(tmp_path):
    import click
    from click.testing import CliRunner

    path = tmp_path / "in.txt"
    path.write_bytes(b"x\r\ny")

    @click.command()
    def copy() -> None:
        write_records(read_records(path), "-", "text")

    result = CliRunner().invoke(copy, [])
    assert result.exit_code == 0 and result.stdout_bytes == b"x\r\ny"
