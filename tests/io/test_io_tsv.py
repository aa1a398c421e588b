"""`tsv`: a table with a header row and one text column (SIB-200). A `.tsv` file whose first line names the text
column is read as a table: before, SIB-200's `train.tsv` was read as CoNLL, its ids taken as the tokens, and written
back untranslated with exit 0."""

from __future__ import annotations

import gzip
import json

import pytest
from click.testing import CliRunner

from lexaug.io import ConllFormat, ReadReport, TsvFormat, format_for_path, read_records, write_records
from lexaug_cli.main import cli

TABLE = "index_id\tcategory\ttext\n7\tsports\tthe dog runs\n8\ttravel\ta cat sleeps\n"


def synthesize(tmp_path, source, *extra, lexicon_rows="dog\tkuku\ncat\tpaka\n"):
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text(lexicon_rows, encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "sw", "--lexicon", str(lexicon), "--input",
                                      str(source), "--output", str(out), "--no-progress", *extra])
    return result, out


def test_a_tsv_naming_the_text_column_is_a_table_else_conll(tmp_path):
    table, conll = tmp_path / "t.tsv", tmp_path / "c.tsv"
    table.write_text(TABLE, encoding="utf-8")
    conll.write_text("Paris\tB-LOC\nis\tO\n\n", encoding="utf-8")
    assert isinstance(format_for_path(table), TsvFormat)
    assert isinstance(format_for_path(conll), ConllFormat)
    assert isinstance(format_for_path(tmp_path / "missing.tsv"), ConllFormat)  # the reader names a missing file
    gz = tmp_path / "t.tsv.gz"
    gz.write_bytes(gzip.compress(TABLE.encode()))
    assert isinstance(format_for_path(gz), TsvFormat)
    other = tmp_path / "o.tsv"
    other.write_text("id\tsentence\n1\tthe dog\n", encoding="utf-8")
    assert isinstance(format_for_path(other, field="sentence"), TsvFormat)


def test_only_the_text_column_is_rewritten_and_the_rest_kept(tmp_path):
    source = tmp_path / "t.tsv"
    source.write_text(TABLE, encoding="utf-8")
    result, out = synthesize(tmp_path, source)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "index_id\tcategory\ttext\n7\tsports\tthe kuku runs\n8\ttravel\ta paka sleeps\n"
    counts = json.loads((tmp_path / "out.tsv.manifest.json").read_text())["counts"]
    assert counts["records_in"] == counts["records_out"] == 3  # the header is a record with no text


@pytest.mark.parametrize("data", [
    TABLE.replace("\n", "\r\n"), TABLE.rstrip("\n"), "\ufeff" + TABLE, TABLE.replace("7\t", "\n7\t"),
    "index_id\tcategory\ttext\n",
])
def test_well_formed_variants_round_trip_byte_for_byte(tmp_path, data):
    source = tmp_path / "t.tsv"
    source.write_bytes(data.encode())
    records = list(read_records(source))
    out = tmp_path / "copy.tsv"
    write_records(records, out, TsvFormat())
    assert out.read_bytes() == data.encode()


def test_a_row_with_other_cells_is_an_error_or_skipped(tmp_path):
    source = tmp_path / "t.tsv"
    source.write_text(TABLE + "9\tscience\tthe dog\twith a tab\n10\thealth\tthe cat\n", encoding="utf-8")
    result, out = synthesize(tmp_path, source)
    assert result.exit_code == 1 and not out.exists()
    assert result.output.strip() == (f"Error: {source}, line 4: expected 3 tab-separated cells (as the header), "
                                     "got 4; fix the row (a TAB inside a text splits it)")
    result, out = synthesize(tmp_path, source, "--lenient")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "10\thealth\tthe paka"
    assert json.loads((tmp_path / "out.tsv.manifest.json").read_text())["counts"]["skipped"] == {"columns": 1}


@pytest.mark.parametrize("mode", ["--strict", "--lenient"])
def test_a_header_without_the_column_is_one_line_in_every_mode(tmp_path, mode):
    source = tmp_path / "t.tsv"
    source.write_text(TABLE, encoding="utf-8")
    result, out = synthesize(tmp_path, source, "--format", "tsv", "--text-field", "sentence", mode)
    assert result.exit_code == 1 and not out.exists()
    assert result.output.strip() == (f"Error: {source}, line 1: the header has no column 'sentence' (columns: "
                                     "index_id, category, text); name the text column with --text-field")


def test_lenient_read_counts_a_bad_row(tmp_path):
    source = tmp_path / "t.tsv"
    source.write_text(TABLE + "x\n", encoding="utf-8")
    report = ReadReport()
    records = list(read_records(source, strict=False, report=report))
    assert [r.slots for r in records] == [[], ["the dog runs"], ["a cat sleeps"]]
    assert report.skipped == {"columns": 1}


def test_real_sib200_labels_and_ids_unchanged(shared_data, tmp_path):
    source = shared_data / "sib200" / "eng_Latn" / "dev.tsv"
    lexicon = (shared_data / "lexicons" / "gatitos" / "en_tpi.tsv").read_text(encoding="utf-8")
    result, out = synthesize(tmp_path, source, lexicon_rows=lexicon)
    assert result.exit_code == 0, result.output
    before = source.read_text(encoding="utf-8").splitlines()
    after = out.read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after) and before[0] == after[0]
    assert [row.split("\t")[:2] for row in before] == [row.split("\t")[:2] for row in after]
    changed = sum(b.split("\t")[2] != a.split("\t")[2] for b, a in zip(before[1:], after[1:]))
    assert changed > 0.9 * (len(before) - 1)  # nearly every text has a word GATITOS translates


def test_workers_give_the_same_bytes(shared_data, tmp_path):
    """Chunks after the first carry the header from the first chunk (`Format.sniff`): 2 workers, small chunks."""
    source = shared_data / "sib200" / "eng_Latn" / "dev.tsv"
    lexicon = (shared_data / "lexicons" / "gatitos" / "en_tpi.tsv").read_text(encoding="utf-8")
    one, out = synthesize(tmp_path, source, lexicon_rows=lexicon)
    first = out.read_bytes()
    two, out = synthesize(tmp_path, source, "--workers", "2", "--chunk-records", "16", lexicon_rows=lexicon)
    assert one.exit_code == two.exit_code == 0, two.output
    assert out.read_bytes() == first
