"""Text and JSONL formats on tiny fixtures: round trips, edits, provenance, errors."""

from __future__ import annotations

import json

import pytest

from lexaug.errors import FormatError
from lexaug.io import ReadReport, get_format, read_records, write_records


def _write(tmp_path, name: str, data: str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    return path


def test_text_keeps_crlf_empty_lines_and_missing_final_newline(tmp_path):
    data = "first line\r\n\nthird\r\n  \nlast without newline"
    path = _write(tmp_path, "a.txt", data)
    records = list(read_records(path))
    assert [r.slots for r in records] == [["first line"], [""], ["third"], ["  "], ["last without newline"]]
    assert [r.payload for r in records] == ["\r\n", "\n", "\r\n", "\n", ""]
    assert [r.id for r in records] == ["0", "1", "2", "3", "4"]
    out = tmp_path / "out.txt"
    assert write_records(records, out, "text") == 5
    assert out.read_bytes() == data.encode("utf-8")


def test_text_lone_carriage_return_stays_inside_its_line(tmp_path):
    path = _write(tmp_path, "cr.txt", "a\rb\nc\n")
    records = list(read_records(path, "text"))
    assert [r.slots for r in records] == [["a\rb"], ["c"]]


def test_text_upper_case_keeps_line_structure(tmp_path):
    path = _write(tmp_path, "a.txt", "ab c\r\n\nd")
    fmt = get_format("text")
    records = list(read_records(path, fmt))
    for record in records:
        record.slots = [s.upper() for s in record.slots]
    assert "".join(fmt.render(r) for r in records) == "AB C\r\n\nD"


JSONL = (
    '{"id": 7, "text": "caf\\u00e9 \\"au\\" lait", "n": 1.50, "tags": ["x"]}\n'
    '{"meta":{"lang":"en"},"text":"plain",   "x": null}\r\n'
    '{"text": "nested ignored", "doc": {"text": "deep", "k": [1, {"a": 2}]}}'
)


def test_jsonl_round_trip_keeps_escapes_and_spacing(tmp_path):
    path = _write(tmp_path, "a.jsonl", JSONL)
    fmt = get_format("jsonl")
    records = list(read_records(path, fmt))
    assert [r.slots for r in records] == [['café "au" lait'], ["plain"], ["nested ignored"]]
    assert "".join(fmt.render(r) for r in records) == JSONL


def test_jsonl_edit_splices_value_only(tmp_path):
    path = _write(tmp_path, "a.jsonl", JSONL)
    fmt = get_format("jsonl")
    records = list(read_records(path, fmt))
    records[0].slots = ["thé noir"]
    records[1].slots = ["PLAIN ñ"]
    lines = [fmt.render(r) for r in records]
    # escaped original -> escaped output; raw original -> raw UTF-8
    assert lines[0] == '{"id": 7, "text": "th\\u00e9 noir", "n": 1.50, "tags": ["x"]}\n'
    assert lines[1] == '{"meta":{"lang":"en"},"text":"PLAIN ñ",   "x": null}\r\n'
    assert json.loads(lines[0])["text"] == "thé noir"


def test_jsonl_nested_field(tmp_path):
    path = _write(tmp_path, "a.jsonl", JSONL.split("\n")[2] + "\n")
    fmt = get_format("jsonl", field="doc.text")
    (record,) = read_records(path, fmt)
    assert record.slots == ["deep"]
    record.slots = ["DEEP"]
    assert fmt.render(record) == ('{"text": "nested ignored", "doc": {"text": "DEEP", "k": [1, {"a": 2}]}}\n')


def test_jsonl_provenance_spliced_before_closing_brace(tmp_path):
    path = _write(tmp_path, "a.jsonl", '{"text": "a", "x": 1 }\r\n{}\n{"text": "b", "lexaug": {"old": 1}}\n')
    fmt = get_format("jsonl")
    records = list(read_records(path, fmt, strict=False, report=(report := ReadReport())))
    # `{}` has no text field: skipped and counted, not lost silently
    assert report.read == 2 and report.skipped == {"missing_field": 1}
    assert "line 2" in report.errors[0] and "'text'" in report.errors[0]
    prov = {"lang": "yor", "seed": 3}
    assert fmt.render(records[0], prov) == '{"text": "a", "x": 1, "lexaug": {"lang": "yor", "seed": 3} }\r\n'
    assert fmt.render(records[1], prov) == '{"text": "b", "lexaug": {"lang": "yor", "seed": 3}}\n'
    assert fmt.render(records[0]) == '{"text": "a", "x": 1 }\r\n'
    assert [r.id for r in records] == ["0", "2"]


@pytest.mark.parametrize(
    "line, reason, fragment",
    [
        ('{"text": "a",}\n', "json", "line 2"),
        ('{"text": 3}\n', "not_string", "is a number, expected a string"),
        ('{"other": "a"}\n', "missing_field", "no field 'text'"),
        ('["text"]\n', "json", "expected a JSON object"),
        ('{"text": "a"} x\n', "json", "extra text"),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path, line, reason, fragment):
    path = _write(tmp_path, "bad.jsonl", '{"text": "ok"}\n' + line)
    with pytest.raises(FormatError) as err:
        list(read_records(path))
    assert err.value.reason == reason and err.value.line == 2
    assert str(err.value).startswith(f"{path}, line 2: ")
    assert fragment in str(err.value) or fragment == "line 2"
    report = ReadReport()
    assert [r.slots for r in read_records(path, strict=False, report=report)] == [["ok"]]
    assert report.skipped == {reason: 1} and report.read == 1


def test_jsonl_blank_line_is_kept(tmp_path):
    path = _write(tmp_path, "a.jsonl", '{"text": "a"}\n\n{"text": "b"}\n')
    fmt = get_format("jsonl")
    records = list(read_records(path, fmt))
    assert [r.slots for r in records] == [["a"], [], ["b"]]
    assert "".join(fmt.render(r, {"p": 1}) for r in records).count("\n") == 3
