"""Regression: a UTF-8 byte-order mark opening a CoNLL-U, JSONL or MASSIVE file (as Windows tools write it) is
kept byte for byte and is not part of the first line's data (found by tests/properties)."""

from __future__ import annotations

import json

import pytest

from lexaug.errors import FormatError
from lexaug.io import ReadReport, get_format, read_records, write_records

BOM = "\ufeff"
CONLLU = (BOM + "# text = The house\n"
          "1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n"
          "2\thouse\thouse\tNOUN\t_\t_\t0\troot\t_\t_\n\n")


def test_conllu_bom_round_trips_and_is_not_part_of_the_first_line(tmp_path):
    src, out = tmp_path / "in.conllu", tmp_path / "out.conllu"
    src.write_bytes(CONLLU.encode("utf-8"))
    records = list(read_records(src))
    assert [r.slots for r in records] == [["The", "house"]]
    write_records(records, out)
    assert out.read_bytes() == src.read_bytes()
    records[0].slots = ["Le", "maison"]
    assert get_format("conllu").render(records[0]) == (
        BOM + "# text = Le maison\n1\tLe\tthe\tDET\t_\t_\t2\tdet\t_\t_\n2\tmaison\thouse\tNOUN\t_\t_\t0\troot\t_\t_\n\n")


def test_conllu_bom_before_a_word_line():
    (record,) = get_format("conllu").parse(BOM + "1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n")
    assert record.slots == ["Hi"]
    assert get_format("conllu").render(record) == BOM + "1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n"


@pytest.mark.parametrize("fmt, line, slots", [
    ("jsonl", '{"text": "The house", "id": 1}', ["The house"]),
    ("massive", '{"utt": "wake me at five", "annot_utt": "wake me at [time : five]"}', ["wake me at ", "five", ""]),
])
def test_json_bom_opening_the_file_is_kept(tmp_path, fmt, line, slots):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes((BOM + line + "\n" + line + "\r\n").encode("utf-8"))
    records = list(read_records(src, fmt))
    assert [r.slots for r in records] == [slots, slots]
    write_records(records, out, fmt)
    assert out.read_bytes() == src.read_bytes()
    records[0].slots = [s.upper() for s in slots]
    rendered = get_format(fmt).render(records[0], {"seed": 0})
    assert rendered.startswith(BOM + "{")
    assert json.loads(rendered[1:])["lexaug"] == {"seed": 0}


def test_json_bom_on_a_later_line_is_still_an_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(('{"text": "a"}\n' + BOM + '{"text": "b"}\n').encode("utf-8"))
    with pytest.raises(FormatError, match="line 2"):
        list(read_records(src))
    report = ReadReport()
    assert [r.slots for r in read_records(src, strict=False, report=report)] == [["a"]]
    assert report.skipped == {"json": 1}


def test_jsonl_bom_on_a_blank_first_line_is_a_blank_record(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes((BOM + " \n" + '{"text": "a"}\n').encode("utf-8"))
    records = list(read_records(src))
    assert [r.slots for r in records] == [[], ["a"]]
    write_records(records, out)
    assert out.read_bytes() == src.read_bytes()
