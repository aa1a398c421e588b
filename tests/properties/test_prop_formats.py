"""Properties of the corpus readers and writers (`lexaug.io`): parse + render with unchanged slots is the identity
on arbitrary well-formed documents of every format, whatever the chunk size; malformed records raise
FormatError with a line number (strict) or are skipped and counted (lenient): records in = read + skipped."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexaug.errors import FormatError
from lexaug.io import ReadReport, get_format, read_records, write_records
from lexaug.io.base import text_lines

from prop_strategies import DOCS, conllu_document, jsonl_line, massive_line, texts  # noqa: E402

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(doc: str, fmt: str, chunk: int, **options) -> tuple[bytes, list]:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.write_bytes(doc.encode("utf-8"))
        records = list(read_records(src, fmt, max_records=chunk, **options))
        write_records(records, out, fmt, **options)
        return out.read_bytes(), records


@pytest.mark.parametrize("fmt", sorted(DOCS))
@SETTINGS
@given(data=st.data(), chunk=st.integers(1, 4))
def test_parse_render_is_identity(fmt, data, chunk):
    doc = data.draw(DOCS[fmt])
    got, records = round_trip(doc, fmt, chunk)
    assert got == doc.encode("utf-8")
    assert [r.id for r in records] == [str(i) for i in range(len(records))]


@SETTINGS
@given(data=st.data(), chunk=st.integers(1, 3), field=st.sampled_from(["text", "meta.text"]))
def test_jsonl_slot_is_the_decoded_field(data, chunk, field):
    """The slot is exactly the decoded JSON string (escapes and all), and a changed slot re-encodes to it."""
    import json

    line = data.draw(jsonl_line())
    if field == "meta.text":
        inner = json.loads(line)
        line = json.dumps({"meta": {"text": inner["text"], "n": 1}, "x": 2}, ensure_ascii=data.draw(st.booleans()))
    doc = line + "\n"
    got, records = round_trip(doc, "jsonl", chunk, field=field)
    assert got == doc.encode("utf-8")
    value = json.loads(line)["text"] if field == "text" else json.loads(line)["meta"]["text"]
    assert records[0].slots == [value]
    fmt = get_format("jsonl", field=field)
    records[0].slots = [value + "!"]
    changed = json.loads(fmt.render(records[0]))
    assert (changed["text"] if field == "text" else changed["meta"]["text"]) == value + "!"


@SETTINGS
@given(data=st.data())
def test_massive_changed_slots_keep_brackets_valid(data):
    """Appending to every slot rebuilds annot_utt with the same brackets and utt as MASSIVE builds it."""
    import json

    from lexaug.io.massive import parse_annot

    line = data.draw(massive_line())
    fmt = get_format("massive")
    (record,) = fmt.parse(line + "\n")
    slots, openings = parse_annot(json.loads(line)["annot_utt"])
    assert record.slots == slots
    record.slots = [s + "é" for s in record.slots]
    obj = json.loads(fmt.render(record))
    new_slots, new_openings = parse_annot(obj["annot_utt"])
    assert new_openings == openings and new_slots == record.slots
    assert obj["utt"] == "".join(record.slots)


# --- malformed input ----------------------------------------------------------------------------------------

BAD_LINES = {
    "jsonl": ['{"text": "a"', '{"text": 3}', '{"txt": "a"}', "[1, 2]", '{"text": "a"} x', '{"text": "\\x"}',
              "{'text': 'a'}", '{"text": "a",}'],
    "massive": ['{"annot_utt": "a [b : c", "utt": "a c"}', '{"annot_utt": "a ] b", "utt": "a b"}',
                '{"annot_utt": "[x]", "utt": "x"}', '{"utt": "a"}', '{"annot_utt": "[a : [b : c]]"}'],
}


@pytest.mark.parametrize("fmt", ["jsonl", "massive"])
@SETTINGS
@given(data=st.data(), chunk=st.integers(1, 4))
def test_bad_json_lines_fail_with_line_or_are_counted(fmt, data, chunk):
    good = data.draw(st.lists(jsonl_line() if fmt == "jsonl" else massive_line(), min_size=1, max_size=5))
    bad_at = data.draw(st.integers(0, len(good)))
    bad = data.draw(st.sampled_from(BAD_LINES[fmt]))
    lines = good[:bad_at] + [bad] + good[bad_at:]
    doc = "".join(line + "\n" for line in lines)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.write_bytes(doc.encode("utf-8"))
        with pytest.raises(FormatError) as err:
            list(read_records(src, fmt, max_records=chunk))
        assert err.value.line == bad_at + 1
        assert f"line {bad_at + 1}" in str(err.value)
        report = ReadReport()
        records = list(read_records(src, fmt, strict=False, report=report, max_records=chunk))
        assert len(records) == len(good) and report.read == len(good) and report.total_skipped == 1
        assert [r.id for r in records] == [str(i) for i in range(len(lines)) if i != bad_at]


@SETTINGS
@given(data=st.data(), chunk=st.integers(1, 3))
def test_bad_conll_sentence_fails_with_line_or_is_counted(data, chunk):
    """A token line with the wrong column count: strict names its line; lenient skips its sentence only."""
    sep = data.draw(st.sampled_from(["\t", " "]))
    sentences = data.draw(st.lists(st.lists(st.sampled_from(["a", "bé", "नमस्ते", "x-y"]), min_size=1,
                                            max_size=3), min_size=2, max_size=5))
    bad_s = data.draw(st.integers(1, len(sentences) - 1))  # the first sentence fixes the column count
    bad_t = data.draw(st.integers(0, len(sentences[bad_s]) - 1))
    lines, bad_line = [], 0
    for s, toks in enumerate(sentences):
        for t, tok in enumerate(toks):
            if (s, t) == (bad_s, bad_t):
                lines.append(f"{tok}{sep}O{sep}extra")
                bad_line = len(lines)
            else:
                lines.append(f"{tok}{sep}O")
        lines.append("")
    doc = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.conll"
        src.write_bytes(doc.encode("utf-8"))
        with pytest.raises(FormatError) as err:
            list(read_records(src, "conll", max_records=chunk))
        assert err.value.line == bad_line
        report = ReadReport()
        records = list(read_records(src, "conll", strict=False, report=report, max_records=chunk))
        assert report.skipped == {"columns": 1} and len(records) == len(sentences) - 1
        assert [r.slots for r in records] == [s for i, s in enumerate(sentences) if i != bad_s]


@SETTINGS
@given(data=st.data(), chunk=st.integers(1, 3))
def test_bad_conllu_sentence_fails_with_line_or_is_counted(data, chunk):
    doc = data.draw(conllu_document())
    lines = doc.split("\n")
    word_lines = [i for i, line in enumerate(lines) if line[:1].isdigit()]
    at = data.draw(st.sampled_from(word_lines))
    broken = data.draw(st.sampled_from(["cols", "id"]))
    cols = lines[at].split("\t")
    lines[at] = "\t".join(cols[:9]) if broken == "cols" else "\t".join(["x" + cols[0], *cols[1:]])
    bad = "\n".join(lines)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.conllu"
        src.write_bytes(bad.encode("utf-8"))
        with pytest.raises(FormatError) as err:
            list(read_records(src, "conllu", max_records=chunk))
        assert err.value.line == at + 1
        report = ReadReport()
        records = list(read_records(src, "conllu", strict=False, report=report, max_records=chunk))
        total = doc.count("# sent_id")
        assert report.total_skipped == 1 and len(records) == total - 1 == report.read


@SETTINGS
@given(data=st.data(), chunk=st.integers(1, 4))
def test_undecodable_bytes_fail_with_line_or_are_counted(data, chunk):
    lines = data.draw(st.lists(st.sampled_from(["abc", "नमस्ते", "", "x y"]), min_size=1, max_size=6))
    at = data.draw(st.integers(0, len(lines) - 1))
    raw = [line.encode("utf-8") for line in lines]
    raw[at] += b"\x80\xff"  # not b"\xff\xfe": at the start of a file that is UTF-16's byte-order mark, a whole-file error
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.txt"
        src.write_bytes(b"\n".join(raw) + b"\n")
        with pytest.raises(FormatError) as err:
            list(read_records(src, "text", max_records=chunk))
        assert err.value.line == at + 1
        report = ReadReport()
        records = list(read_records(src, "text", strict=False, report=report, max_records=chunk))
        assert report.skipped == {"encoding": 1} and [r.slots[0] for r in records] == lines[:at] + lines[at + 1:]


ARBITRARY = st.one_of(texts(allow_newline=True), st.lists(st.sampled_from(
    ["a\tO", "b O", "", " ", "-DOCSTART-", "1\tw\t_\t_\t_\t_\t_\t_\t_\t_", "1-2\tx", "# text = a", "\ufeff",
     '{"text": "a"}', '{"annot_utt": "[a : b]"}', "\r", "x\ty\tz"]), max_size=8).map("\n".join))


@pytest.mark.parametrize("fmt", sorted(DOCS))
@SETTINGS
@given(doc=ARBITRARY, chunk=st.integers(1, 3))
def test_arbitrary_input_round_trips_or_fails_with_a_line(fmt, doc, chunk):
    """Any input: a strict read either reproduces it exactly or raises FormatError naming a line; a lenient
    read never loses a record silently (every record is either returned or counted as skipped)."""
    try:
        got, _ = round_trip(doc, fmt, chunk)
    except FormatError as err:
        assert err.line is not None and err.line >= 1
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in"
            src.write_bytes(doc.encode("utf-8"))
            report = ReadReport()
            records = list(read_records(src, fmt, strict=False, report=report, max_records=chunk))
            assert report.total_skipped >= 1 and report.read == len(records)
            assert report.read + report.total_skipped == len(list(get_format(fmt).split_records(text_lines(doc))))
    else:
        assert got == doc.encode("utf-8")
