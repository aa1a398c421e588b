"""Chunking: parse over chunks gives the same records and ids whatever `max_records`; chunks and formats pickle."""

from __future__ import annotations

import io
import json
import pickle

import pytest

from lexaug.io import Chunk, ReadReport, get_format
from lexaug.io.base import text_lines

FIXTURES = {
    "text": ("text", {}, "a\r\n\nb c\nd\re\nlast"),
    "jsonl": ("jsonl", {}, '{"text": "a"}\n{"text": "b\\u00e9"}\r\n\n{"text": "c", "x": [1]}'),
    "conll": ("conll", {}, "\ufeffa O\nb B-X\n\nc O\n\n\n-DOCSTART- O\n\nd O\r\ne O\r\n\r\nf O"),
    "conllu": ("conllu", {}, "# text = a b\n1\ta\t_\t_\t_\t_\t_\t_\t_\t_\n2\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n"
               "# text = c\n1\tc\t_\t_\t_\t_\t_\t_\t_\t_\n\n\n1\td\t_\t_\t_\t_\t_\t_\t_\t_\n"),
    "massive": ("massive", {}, "\n".join(json.dumps({"utt": f"u {n}", "annot_utt": f"u [n : {n}]"})
                                         for n in range(5)) + "\n"),
}


def _read(fmt, text: str, max_records: int, strict: bool = True):
    report = ReadReport()
    chunks = list(fmt.chunks(io.StringIO(text, newline=""), max_records))
    records = [r for c in chunks for r in fmt.parse(c, path="f", strict=strict, report=report)]
    return chunks, records, report


@pytest.mark.parametrize("key", sorted(FIXTURES))
def test_chunking_does_not_change_records(key):
    name, options, text = FIXTURES[key]
    fmt = get_format(name, **options)
    _, whole, _ = _read(fmt, text, 10**6)
    assert "".join(fmt.render(r) for r in whole) == text
    assert [r.id for r in whole] == [str(n) for n in range(len(whole))]
    for size in range(1, len(whole) + 2):
        chunks, records, _ = _read(fmt, text, size)
        assert all(len(list(fmt.parse(c))) <= size for c in chunks)
        assert "".join(c.text for c in chunks) == text
        assert [(r.id, r.slots, r.frozen, r.payload) for r in records] == [
            (r.id, r.slots, r.frozen, r.payload) for r in whole]
        # a chunk's first_line matches where its text starts in the file
        offset = 0
        for chunk in chunks:
            assert chunk.first_line == len(list(text_lines(text[:offset]))) + 1
            offset += len(chunk.text)


def test_expected_record_counts():
    counts = {key: len(_read(get_format(n, **o), t, 2)[1]) for key, (n, o, t) in FIXTURES.items()}
    assert counts == {"text": 5, "jsonl": 4, "conll": 4, "conllu": 3, "massive": 5}


def test_errors_report_the_same_lines_whatever_the_chunking():
    fmt = get_format("conll")
    text = "a O\n\nb\n\nc O\n\nd O X\n\ne O\n"
    reports = [_read(fmt, text, size, strict=False)[2] for size in (1, 2, 5)]
    for report in reports:
        assert report.read == 3 and report.skipped == {"columns": 2}
        assert ["line 3" in report.errors[0], "line 7" in report.errors[1]] == [True, True]
    ids = [[r.id for r in _read(fmt, text, size, strict=False)[1]] for size in (1, 2, 5)]
    assert ids == [["0", "2", "4"]] * 3


def test_chunks_and_formats_pickle():
    fmt = get_format("conll", sep="space")
    chunk = next(fmt.chunks(io.StringIO("a O\n\nb O\n", newline=""), 1))
    fmt2, chunk2 = pickle.loads(pickle.dumps((fmt, chunk)))
    assert isinstance(chunk2, Chunk) and chunk2 == chunk
    assert [r.slots for r in fmt2.parse(chunk2)] == [["a"]]
    merged = ReadReport(read=2).merge(pickle.loads(pickle.dumps(ReadReport(read=3))))
    assert merged.as_dict() == {"read": 5, "skipped": {}, "errors": []}


def test_parse_accepts_plain_text():
    assert [r.slots for r in get_format("text").parse("x\ny")] == [["x"], ["y"]]


def test_lenient_parse_without_report_is_refused():
    from lexaug.errors import ConfigError

    with pytest.raises(ConfigError, match="needs a ReadReport"):
        list(get_format("text").parse("x\n", strict=False))


@pytest.mark.parametrize("key", ["text", "jsonl", "massive"])
def test_line_formats_chunk_a_file_as_they_chunk_a_stream(key, tmp_path):
    """Line formats read a `LineReader` many lines at a time (`read_lines`); the chunks are exactly those of a
    line-by-line read, including a lone CR inside a line, CRLF and a last line without a terminator."""
    from lexaug.io import open_input

    name, options, text = FIXTURES[key]
    fmt = get_format(name, **options)
    path = tmp_path / "in.txt"
    path.write_bytes(text.encode("utf-8"))
    for size in (1, 2, 3, 100):
        with open_input(path) as fh:
            from_file = list(fmt.chunks(fh, size))
        assert from_file == list(fmt.chunks(io.StringIO(text, newline=""), size))
        assert "".join(c.text for c in from_file) == text


def test_read_lines_crosses_decoded_blocks(tmp_path, monkeypatch):
    from lexaug.io import open_input, streams

    monkeypatch.setattr(streams, "_BLOCK", 7)  # blocks far shorter than the lines requested
    lines = [f"line {i}\n" for i in range(10)] + ["end"]
    path = tmp_path / "in.txt"
    path.write_text("".join(lines), encoding="utf-8")
    with open_input(path) as fh:
        got = [fh.read_lines(4), fh.read_lines(4), fh.read_lines(4), fh.read_lines(4)]
    assert got == [lines[0:4], lines[4:8], lines[8:11], []]
