"""Real files from ../shared/data: byte-for-byte round trips, exact record/token counts (checked with awk:
sentences = blank lines, tokens = non-blank lines; UD words = lines whose ID is an integer), and an upper-casing
transformation that must keep labels, other columns and line structure."""

from __future__ import annotations

import pytest

from lexaug.errors import FormatError
from lexaug.io import get_format, read_records, write_records

# (language, split): (sentences, tokens)
MASAKHANER = {
    ("lug", "dev"): (200, 3771), ("lug", "test"): (407, 9841), ("lug", "train"): (1428, 33003),
    ("luo", "dev"): (92, 2567), ("luo", "test"): (186, 5159), ("luo", "train"): (644, 18577),
    ("pcm", "dev"): (306, 7728), ("pcm", "test"): (600, 15731), ("pcm", "train"): (2124, 52604),
    ("wol", "dev"): (267, 4384), ("wol", "test"): (539, 11682), ("wol", "train"): (1871, 36805),
}
# file: (sentences, words, words inside multiword tokens = frozen)
UD = {
    "UD_English-EWT/en_ewt-ud-dev.conllu": (2001, 25147, 719),
    "UD_English-EWT/en_ewt-ud-test.conllu": (2077, 25094, 708),
    "UD_Manx-Cadhan/gv_cadhan-ud-test.conllu": (1164, 10347, 2158),
    "UD_Wolof-WTB/wo_wtb-ud-test.conllu": (470, 10403, 663),
}


def _render_all(fmt, records) -> str:
    return "".join(fmt.render(r) for r in records)


def _upper_first_column(line: str, sep: str) -> str:
    bom = "\ufeff" if line.startswith("\ufeff") else ""
    line = line[len(bom):]
    if not line.strip():
        return bom + line
    token, rest = line.split(sep, 1)
    return bom + token.upper() + sep + rest


def test_masakhaner_files_are_all_covered(shared_data):
    found = {(p.parent.name, p.stem) for p in (shared_data / "ner" / "masakhaner").glob("*/*.txt")}
    assert found == set(MASAKHANER)


@pytest.mark.parametrize("lang, split", sorted(MASAKHANER))
def test_masakhaner_round_trip_and_upper(shared_data, lang, split):
    path = shared_data / "ner" / "masakhaner" / lang / f"{split}.txt"
    original = path.read_bytes().decode("utf-8")
    fmt = get_format("conll")
    records = list(read_records(path, fmt, max_records=97))
    assert (len(records), sum(len(r.slots) for r in records)) == MASAKHANER[(lang, split)]
    assert _render_all(fmt, records) == original
    if (lang, split) == ("luo", "train"):
        assert original.startswith("\ufeffJii O\n") and records[0].slots[0] == "Jii"
    for record in records:
        record.slots = [s.upper() for s in record.slots]
    expected = "".join(_upper_first_column(line, " ") for line in original.splitlines(keepends=True))
    assert _render_all(fmt, records) == expected


def test_ud_files_are_all_covered(shared_data):
    assert {str(p.relative_to(shared_data / "ud")) for p in (shared_data / "ud").glob("*/*.conllu")} == set(UD)


@pytest.mark.parametrize("name", sorted(UD))
def test_ud_round_trip_and_upper(shared_data, name, tmp_path):
    path = shared_data / "ud" / name
    original = path.read_bytes().decode("utf-8")
    fmt = get_format("conllu")
    records = list(read_records(path, fmt, max_records=500))
    sentences, words, frozen = UD[name]
    assert len(records) == sentences
    assert sum(len(r.slots) for r in records) == words
    assert sum(len(r.frozen) for r in records) == frozen
    out = tmp_path / "out.conllu.gz"
    write_records(records, out, fmt)
    assert [r.payload for r in read_records(out, fmt)] == [r.payload for r in records]
    assert _render_all(fmt, records) == original

    for record in records:
        record.slots = [s if i in record.frozen else s.upper() for i, s in enumerate(record.slots)]
    new_lines = _render_all(fmt, records).split("\n")
    old_lines = original.split("\n")
    assert len(new_lines) == len(old_lines)
    in_range: set[int] = set()
    for old, new in zip(old_lines, new_lines):
        if old.startswith("# text = "):
            in_range = set()  # a new sentence
            continue
        if old.startswith("#") or not old:
            assert new == old
            continue
        o, n = old.split("\t"), new.split("\t")
        assert o[:1] + o[2:] == n[:1] + n[2:]  # every column but FORM unchanged
        if "-" in o[0]:
            start, end = map(int, o[0].split("-"))
            in_range |= set(range(start, end + 1))
        if o[0].isdigit():
            assert n[1] == (o[1] if int(o[0]) in in_range else o[1].upper())
    # sentences without multiword tokens: the text comment is exactly the upper-cased text
    for record, rendered in zip(records, _render_all(fmt, records).split("\n\n")):
        parts, _, surface, text_at = record.payload
        if all(isinstance(item, int) for item in surface):
            old_text = parts[text_at[0]][text_at[1]:text_at[2]]
            assert f"# text = {old_text.upper()}\n" in rendered


def test_kjv_text_round_trip_and_upper(shared_data):
    path = shared_data / "text" / "kjv_verses.txt"
    original = path.read_bytes().decode("utf-8")
    fmt = get_format("text")
    records = list(read_records(path, fmt))
    assert len(records) == 31100 and records[-1].id == "31099"
    assert _render_all(fmt, records) == original
    for record in records:
        record.slots = [record.slots[0].upper()]
    assert _render_all(fmt, records) == original.upper()


def test_gatitos_as_tab_conll(shared_data):
    path = shared_data / "lexicons" / "gatitos" / "en_luo.tsv"
    original = path.read_bytes().decode("utf-8")
    fmt = get_format("conll", sep="tab")
    (record,) = read_records(path, fmt)  # no blank lines: the whole file is one "sentence"
    assert len(record.slots) == 5198
    assert _render_all(fmt, [record]) == original
    # multiword entries stay as they are (a changed one would be split into one line per word)
    record.slots = [s if " " in s else s.upper() for s in record.slots]
    assert fmt.render(record) == "".join(line if " " in line.split("\t", 1)[0] else _upper_first_column(line, "\t")
                                         for line in original.splitlines(keepends=True))


def test_gatitos_malformed_line_is_reported(shared_data):
    path = shared_data / "lexicons" / "gatitos" / "en_arn.tsv"
    with pytest.raises(FormatError) as err:
        list(read_records(path, "conll", sep="tab"))
    assert err.value.line == 3235 and "got 1: 'tükuwküle'" in str(err.value)
