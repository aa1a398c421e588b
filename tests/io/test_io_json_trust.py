"""JSONL/MASSIVE defects of issue 9: deep nesting (17), a message cut off mid-sentence, the missing-field hint
naming a real option (26), huge numbers; strict raises one FormatError with file and line, lenient counts."""

from __future__ import annotations

import pytest

from lexaug.errors import FormatError
from lexaug.io import ReadReport, read_records

CASES = [
    ("deep_array", '{"text": "a", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ("deep_object", '{"x": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + ', "text": "a"}', "nested too deeply"),
    ("deep_text", '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ("control", '{"text": "a\tb"}', "raw control character"),
    ("bignum", '{"text": "a", "n": ' + "1" * 5000 + "}", "more than"),
    ("missing", '{"txt": "a"}', "--text-field"),
    ("array_text", '{"text": [1, 2]}', "is an array, expected a string"),
]


@pytest.mark.parametrize("name, line, fragment", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("fmt", ["jsonl", "massive"])
def test_bad_json_line_is_one_format_error(tmp_path, name, line, fragment, fmt):
    good = '{"text": "ok", "annot_utt": "ok", "utt": "ok"}\n'
    if fmt == "massive":
        line = line.replace('"text"', '"annot_utt"')
        fragment = fragment.replace("--text-field", "annot_utt").replace("'text'", "'annot_utt'")
    path = tmp_path / f"{name}.jsonl"
    path.write_text(good + line + "\n" + good, encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_records(path, fmt))
    message = str(err.value)
    assert message.startswith(f"{path}, line 2: ") and fragment in message, message
    assert not message.rstrip().endswith(" at") and "sys." not in message and "--field" not in message
    report = ReadReport()
    assert len(list(read_records(path, fmt, strict=False, report=report))) == 2
    assert report.total_skipped == 1


def test_massive_missing_field_does_not_suggest_text_field(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text('{"utt": "a"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match="no field 'annot_utt'; MASSIVE records hold") as err:
        list(read_records(path, "massive"))
    assert "--text-field" not in str(err.value)
