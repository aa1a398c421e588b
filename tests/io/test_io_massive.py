"""MASSIVE JSONL: slots inside and outside brackets, utt rebuilt, frozen values, bracket errors."""

from __future__ import annotations

import json

import pytest

from lexaug.errors import FormatError
from lexaug.io import ReadReport, get_format, read_records
from lexaug.io.massive import parse_annot

# Shaped like MASSIVE 1.1 rows (fields and order as released); text written for this test.
ROWS = [
    {"id": "1", "locale": "en-US", "partition": "test", "scenario": "alarm", "intent": "alarm_set",
     "utt": "wake me up at five am this week", "annot_utt": "wake me up at [time : five am] [date : this week]",
     "worker_id": "1"},
    {"id": "2", "locale": "fr-FR", "partition": "train", "scenario": "weather", "intent": "weather_query",
     "utt": "météo à paris", "annot_utt": "météo à [place_name : paris]", "worker_id": "8"},
    {"id": "3", "locale": "en-US", "partition": "dev", "scenario": "general", "intent": "general_joke",
     "utt": "tell me a joke", "annot_utt": "tell me a joke", "worker_id": "2"},
]


def _reduce(annot: str) -> str:
    """How MASSIVE's utt relates to annot_utt: each `[name : value]` reduced to `value` (written independently)."""
    import re

    return re.sub(r"\[[^\]]*? : ([^\]]*)\]", r"\1", annot)


@pytest.fixture()
def massive_file(tmp_path):
    path = tmp_path / "massive.jsonl"
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n"
    path.write_bytes(text.encode("utf-8"))
    return path, text


def test_fixture_utt_is_annot_reduced():
    assert all(_reduce(r["annot_utt"]) == r["utt"] for r in ROWS)


def test_massive_slots_and_round_trip(massive_file):
    path, text = massive_file
    fmt = get_format("massive")
    records = list(read_records(path, fmt))
    assert records[0].slots == ["wake me up at ", "five am", " ", "this week", ""]
    assert records[1].slots == ["météo à ", "paris", ""]
    assert records[2].slots == ["tell me a joke"]
    assert records[0].frozen == frozenset()
    assert "".join(fmt.render(r) for r in records) == text


def test_massive_rewrite_keeps_brackets_and_utt(massive_file):
    path, _ = massive_file
    fmt = get_format("massive")
    records = list(read_records(path, fmt))
    for record in records:
        record.slots = [s.upper() for s in record.slots]
    rows = [json.loads(fmt.render(r, {"mode": "substitute"})) for r in records]
    assert rows[0]["annot_utt"] == "WAKE ME UP AT [time : FIVE AM] [date : THIS WEEK]"
    assert rows[0]["utt"] == "WAKE ME UP AT FIVE AM THIS WEEK"
    assert rows[1]["annot_utt"] == "MÉTÉO À [place_name : PARIS]" and rows[1]["utt"] == "MÉTÉO À PARIS"
    assert all(_reduce(row["annot_utt"]) == row["utt"] for row in rows)
    assert [row["lexaug"] for row in rows] == [{"mode": "substitute"}] * 3
    assert [list(row)[:-1] for row in rows] == [list(r) for r in ROWS]  # key order kept, provenance last


def test_massive_keep_slot_values_freezes_values(massive_file):
    path, _ = massive_file
    (first, *_) = read_records(path, "massive", keep_slot_values=True)
    assert first.frozen == frozenset({1, 3})


@pytest.mark.parametrize(
    "annot, fragment",
    [
        ("wake [time : five am", "unbalanced '[' at column 6"),
        ("wake time : five] am", "unbalanced ']' at column 17"),
        ("a [x : [y : b]]", "unbalanced '[' at column 3"),
        ("wake [time five am] now", "lacks '[slot_name : value]' form"),
    ],
)
def test_massive_bad_brackets(tmp_path, annot, fragment):
    path = tmp_path / "bad.jsonl"
    good = json.dumps(ROWS[2])
    path.write_text(good + "\n" + json.dumps({"utt": "x", "annot_utt": annot}) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_records(path, "massive"))
    assert err.value.line == 2 and fragment in str(err.value)
    report = ReadReport()
    assert len(list(read_records(path, "massive", strict=False, report=report))) == 1
    assert report.total_skipped == 1


def test_parse_annot_empty_value():
    assert parse_annot("[date : ] ok") == (["", "", " ok"], ["[date : "])


def test_massive_render_refuses_a_bracket_in_a_slot(massive_file):
    path, _ = massive_file
    (first, *_) = read_records(path, "massive")
    first.slots[1] = "five [am]"
    with pytest.raises(FormatError, match="may not contain"):
        get_format("massive").render(first)
