"""`evaluate classify` inputs: TSV (SIB-200), an unclosed CSV quote, the output folder checked before any work,
and `--samples`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lexaug.downstream.classify import synthesize
from lexaug.downstream.labelled import read_labelled
from lexaug.errors import FormatError
from lexaug.generators import make_generator
from lexaug.loaders.lexicon import Lexicon
from lexaug_cli.main import cli


def test_tsv_is_split_on_tabs_only_quotes_kept(tmp_path):
    path = tmp_path / "train.tsv"
    path.write_text('index_id\tcategory\ttext\n1\tsports\t"Quoted" start, and a "half\n2\thealth\tplain\n',
                    encoding="utf-8")
    data = read_labelled(path, text_column="text", label_column="category")
    assert data.texts == ['"Quoted" start, and a "half', "plain"] and data.labels == ["sports", "health"]
    path.write_text("index_id\tcategory\ttext\n1\tsports\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"train.tsv, line 2: expected 3 tab-separated columns"):
        read_labelled(path, text_column="text", label_column="category")


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("name, content", [("t.tsv", "text\tlabel\na b\tx\n"), ("t.csv", "text,label\na b,x\n"),
                                           ("t.jsonl", '{"text": "a b", "label": "x"}\n')])
def test_utf16_file_is_named_in_every_format_and_mode(tmp_path, name, content, strict):
    # session 22: "not UTF-8; re-encode the file" (TSV, CSV) or a traceback (JSONL: UnicodeDecodeError)
    path = tmp_path / name
    path.write_bytes(content.encode("utf-16"))
    with pytest.raises(FormatError, match=rf"{name}, line 1: file is UTF-16 \(byte-order mark\); convert it"):
        read_labelled(path, strict=strict)


def test_latin1_jsonl_is_one_error_naming_the_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_bytes('{"text": "a", "label": "x"}\n{"text": "caf\u00e9", "label": "y"}\n'.encode("latin-1"))
    with pytest.raises(FormatError, match=r"t.jsonl, line 2: not UTF-8"):
        read_labelled(path, strict=False)


def test_real_sib200_tsv_reads_every_row(shared_data):
    data = read_labelled(shared_data / "sib200" / "wol_Latn" / "train.tsv", text_column="text",
                         label_column="category")
    assert len(data) == 701 and len(set(data.labels)) == 7


def test_unclosed_csv_quote_is_named_as_such(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('text,label\nfine,a\n"never closed,b\nmore,c\n', encoding="utf-8")
    with pytest.raises(FormatError) as err:
        read_labelled(path)
    assert "line 3" in str(err.value) and "never closed" in str(err.value)
    assert "empty text or label" not in str(err.value)


def test_jsonl_values_that_are_not_text_or_one_label(tmp_path):
    """JSONL: a number as the text, or a list/object as the label, is named as such (not as "empty"), and in
    lenient mode skipped and counted under its own reason; numbers and true/false as labels are labels."""
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": 1}\n{"text": 5, "label": "b"}\n{"text": "c", "label": ["x", "y"]}\n'
                    '{"text": "d", "label": true}\n{"text": " ", "label": "e"}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"d\.jsonl, line 2: the 'text' value is a number, not a string"):
        read_labelled(path)
    data = read_labelled(path, strict=False)
    assert data.texts == ["a", "d"] and data.labels == ["1", "True"]
    assert data.skipped == {"not_text": 1, "bad_label": 1, "empty": 1}
    path.write_text('{"text": "c", "label": {"k": 1}}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"line 1: the 'label' value is a JSON object, not one label"):
        read_labelled(path)


def test_missing_output_folder_fails_first_with_one_line(tmp_path):
    train = tmp_path / "train.csv"
    train.write_text("text,label\na b,x\n", encoding="utf-8")
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("a\tb\n", encoding="utf-8")
    args = ["evaluate", "classify", "--train", str(train), "--test", str(train), "--lang", "xx", "--lexicon",
            str(lexicon), "--output"]
    result = CliRunner().invoke(cli, [*args, str(tmp_path / "no" / "r.json")])
    assert result.exit_code == 1 and "does not exist" in result.output  # before reading or training anything
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    result = CliRunner().invoke(cli, [*args, str(tmp_path)])  # click's own check: a usage error, no traceback
    assert result.exit_code == 2 and "is a directory" in result.output and "Traceback" not in result.output


def test_output_that_is_an_input_is_refused_before_any_work(tmp_path):
    """`--output` naming --train, --test or a --lexicon file would replace it with the report (it did): one
    line naming both options, exit 1, every input unchanged."""
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    train.write_text("text,label\na b,x\n", encoding="utf-8")
    test.write_text("text,label\nb,x\n", encoding="utf-8")
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("a\tb\n", encoding="utf-8")
    before = {p: p.read_text(encoding="utf-8") for p in (train, test, lexicon)}
    args = ["evaluate", "classify", "--train", str(train), "--test", str(test), "--lang", "xx", "--lexicon",
            str(lexicon), "--seeds", "1", "--output"]
    for target, option in ((train, "--train"), (test, "--test"), (lexicon, "--lexicon")):
        result = CliRunner().invoke(cli, [*args, str(target)])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert result.output.startswith(f"Error: {target}: --output names the same file as {option}")
        assert result.output.count("\n") == 1
    assert {p: p.read_text(encoding="utf-8") for p in before} == before


def test_samples_multiply_synthetic_examples_with_their_labels(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("text,label\nthe dog,a\nthe cat,b\n", encoding="utf-8")
    lex = Lexicon.from_pairs([("dog", f"d{k}") for k in range(30)] + [("cat", "paka")])
    texts, labels = synthesize(read_labelled(path), make_generator("substitute.v2", lexicon=lex), 0, samples=3)
    assert labels == ["a", "a", "a", "b", "b", "b"] and len(set(texts[:3])) == 3


def _two_labels(tmp_path):
    """A 40-row SIB-200-like TSV with two labels, and a lexicon covering its words."""
    train = tmp_path / "train.tsv"
    rows = "".join(f"{i}\t{'x' if i % 2 else 'y'}\t{'good ball' if i % 2 else 'bad rice'} {i}\n" for i in range(40))
    train.write_text("index_id\tlabel\ttext\n" + rows, encoding="utf-8")
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("good\tnzuri\nball\tbola\nbad\tmbaya\nrice\twali\n", encoding="utf-8")
    return train, lexicon


def test_cli_samples_recorded(tmp_path):
    pytest.importorskip("fasttext")
    train, lexicon = _two_labels(tmp_path)
    out = tmp_path / "r.json"
    result = CliRunner().invoke(cli, ["evaluate", "classify", "--train", str(train), "--test", str(train),
                                      "--lang", "xx", "--lexicon", str(lexicon), "--seeds", "1", "--samples", "2",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["settings"]["samples"] == 2 and report["synthetic"]["train_examples"] == 80


def test_output_dash_prints_the_report_on_stdout_and_writes_no_file(tmp_path, monkeypatch):
    """`--output -` is stdout (as for every other command): the JSON report on stdout, the table on stderr, and no
    file named `-` in the working folder (it was created there)."""
    pytest.importorskip("fasttext")
    train, lexicon = _two_labels(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["evaluate", "classify", "--train", str(train), "--test", str(train),
                                      "--lang", "xx", "--lexicon", str(lexicon), "--seeds", "1", "--output", "-"])
    assert result.exit_code == 0, result.output
    assert list(work.iterdir()) == []
    report = json.loads(result.stdout)
    assert report["synthetic"]["train_examples"] == 40 * report["settings"]["samples"]
    assert "synthetic" in result.stderr
