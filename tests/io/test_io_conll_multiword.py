"""CoNLL multiword translations (issue 9, defect 3): a changed token holding whitespace is written as one line
per word with its tags continued, so every line written reads back with the file's column count."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lexaug.errors import FormatError
from lexaug.io import get_format, read_records
from lexaug.io.conll import continue_tag
from lexaug_cli.main import cli


def _records(tmp_path, data: str, name: str = "a.txt"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    return path, list(read_records(path, "conll"))


@pytest.mark.parametrize("tag, want", [
    ("B-ORG", ["B-ORG", "I-ORG", "I-ORG"]), ("I-ORG", ["I-ORG"] * 3), ("O", ["O"] * 3),
    ("S-PER", ["B-PER", "I-PER", "E-PER"]), ("E-PER", ["I-PER", "I-PER", "E-PER"]),
    ("U-LOC", ["B-LOC", "I-LOC", "L-LOC"]), ("L-LOC", ["I-LOC", "I-LOC", "L-LOC"]), ("NNP", ["NNP"] * 3),
])
def test_continue_tag(tag, want):
    assert [continue_tag(tag, k, 2) for k in range(3)] == want
    assert continue_tag(tag, 0, 0) == tag


def test_space_file_multiword_splits_rows_and_reads_back(tmp_path):
    path, records = _records(tmp_path, "Di O\nmilitary B-ORG\nunit I-ORG\ncome O\n\nlast O")
    fmt = get_format("conll")
    records[0].slots = ["Di", "Pasin bilong pait", "yunit", "kam  long"]
    records[1].slots = ["las tru"]
    out = "".join(fmt.render(r) for r in records)
    assert out == ("Di O\nPasin B-ORG\nbilong I-ORG\npait I-ORG\nyunit I-ORG\nkam O\nlong O\n\n"
                   "las O\ntru O")  # the missing final newline stays missing
    back = tmp_path / "back.txt"
    back.write_text(out, encoding="utf-8")
    assert [r.slots for r in read_records(back, "conll")] == [
        ["Di", "Pasin", "bilong", "pait", "yunit", "kam", "long"], ["las", "tru"]]


def test_crlf_and_unchanged_tokens_with_spaces_stay(tmp_path):
    path, records = _records(tmp_path, "New York\tB-LOC\r\nis\tO\r\n", "a.tsv")
    fmt = get_format("conll")
    assert fmt.render(records[0]) == "New York\tB-LOC\r\nis\tO\r\n"  # unchanged: as read
    records[0].slots = ["New York", "ist ja"]
    assert fmt.render(records[0]) == "New York\tB-LOC\r\nist\tO\r\nja\tO\r\n"


def test_token_that_cannot_be_a_line_is_a_render_error(tmp_path):
    path, records = _records(tmp_path, "a O\nb O\n")
    fmt = get_format("conll")
    for bad in ("", "  ", "-DOCSTART- x"):
        records[0].slots = ["a", bad]
        with pytest.raises(FormatError) as err:
            fmt.render(records[0])
        assert err.value.reason == "render"


def test_masakhaner_tpi_output_reads_back(shared_data, tmp_path):
    """Every shared MasakhaNER file, synthesized with the GATITOS tpi lexicon (many multiword entries), is read
    back by lexaug with the same sentences and one row per word."""
    lexicon = shared_data / "lexicons" / "gatitos" / "en_tpi.tsv"
    files = sorted((shared_data / "ner" / "masakhaner").glob("*/*.txt"))
    assert len(files) >= 8
    split = 0
    for source in files:
        out = tmp_path / f"{source.parent.name}_{source.name}"
        res = CliRunner().invoke(cli, ["synthesize", "--lang", "tpi", "--lexicon", str(lexicon), "--format",
                                       "conll", "--input", str(source), "--output", str(out)])
        assert res.exit_code == 0, res.output
        manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
        back = list(read_records(out, "conll"))  # strict: raises on any row with the wrong column count
        assert len(back) == manifest["counts"]["records_out"] == manifest["counts"]["records_in"]
        tokens_in = sum(len(r.slots) for r in read_records(source, "conll"))
        tokens_out = sum(len(r.slots) for r in back)
        assert tokens_out >= tokens_in
        split += tokens_out - tokens_in
    assert split > 100  # the lexicon's multiword entries were really split


@pytest.mark.parametrize("data", ["a O \nb O\nc O\n", "a O\nb O \n\nc O  \n", "a\tO\t\nb\tO\n"])
def test_trailing_separator_is_no_column_and_blames_no_line(tmp_path, data):
    path, records = _records(tmp_path, data)
    assert [t for r in records for t in r.slots] == ["a", "b", "c"][: data.count("\n") - data.count("\n\n")]
    assert "".join(get_format("conll").render(r) for r in records) == data


def test_wrong_line_after_a_trailing_space_is_the_one_blamed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a O \nb O\nlonely\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_records(path, "conll"))
    assert err.value.line == 3 and "got 1" in str(err.value)
