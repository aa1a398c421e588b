"""CoNLL-U defects of issue 9: IDs that `int()` cannot read (17), backwards ranges (25), `# text` that does not
match the FORMs (21), FORMs a CoNLL-U line cannot hold."""

from __future__ import annotations

import pytest

from lexaug.errors import FormatError
from lexaug.io import ReadReport, get_format, read_records

ROW = "\t_\t_\t_\t_\t_\t_\t_\t_\n"


def _write(tmp_path, data: str, name: str = "a.conllu"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    return path


@pytest.mark.parametrize("wid", ["²", "١", "1²", "3-²", "²-3", "1.²", "５"])
def test_non_ascii_digit_ids_are_format_errors(tmp_path, wid):
    data = f"1\tok{ROW}\n# text = x\n1\ta{ROW}{wid}\tb{ROW}\n1\tz{ROW}\n"
    path = _write(tmp_path, data)
    with pytest.raises(FormatError) as err:
        list(read_records(path))
    assert err.value.line == 5 and err.value.reason == "bad_id"
    report = ReadReport()
    assert [r.slots for r in read_records(path, strict=False, report=report)] == [["ok"], ["z"]]
    assert report.skipped == {"bad_id": 1}


@pytest.mark.parametrize("wid", ["5-3", "2-2"])
def test_backwards_range_is_an_error(tmp_path, wid):
    path = _write(tmp_path, f"{wid}\tab{ROW}2\ta{ROW}3\tb{ROW}")
    with pytest.raises(FormatError, match=rf"line 1: .*range {wid}") as err:
        list(read_records(path))
    assert err.value.reason == "bad_id"


MISMATCH = "# text = I have a dog\n1\tI" + ROW + "2\thvae" + ROW + "3\ta" + ROW + "4\tdog" + ROW + "\n"


def test_text_that_does_not_match_the_forms_is_left_alone_and_counted(tmp_path):
    path = _write(tmp_path, MISMATCH)
    fmt = get_format("conllu")
    (record,) = read_records(path, fmt)
    record.slots = ["I", "hbennve", "a", "xaj"]
    out = fmt.render(record)
    assert out.startswith("# text = I have a dog\n")  # not "I hbennve a xaj" nor anything guessed
    assert "2\thbennve\t" in out and "4\txaj\t" in out
    assert fmt.notes == {"conllu_text_unmatched": 1}


def test_text_that_matches_is_rewritten_and_not_counted(tmp_path):
    path = _write(tmp_path, "# text = I have a dog.\n1\tI" + ROW + "2\thave" + ROW + "3\ta" + ROW
                  + "4\tdog" + ROW.replace("_\n", "SpaceAfter=No\n") + "5\t." + ROW + "\n")
    fmt = get_format("conllu")
    (record,) = read_records(path, fmt)
    record.slots = ["Yo", "tengo", "un", "perro", "."]
    assert fmt.render(record).startswith("# text = Yo tengo un perro.\n")
    assert not fmt.notes


def test_form_that_cannot_be_a_field_is_a_render_error(tmp_path):
    path = _write(tmp_path, "1\ta" + ROW)
    fmt = get_format("conllu")
    (record,) = read_records(path, fmt)
    record.slots = ["New York"]  # a FORM with a space is valid CoNLL-U (UD v2): kept as one word
    assert fmt.render(record).startswith("1\tNew York\t_")
    for bad in ("a\tb", "a\nb"):
        record.slots = [bad]
        with pytest.raises(FormatError) as err:
            fmt.render(record)
        assert err.value.reason == "render"
