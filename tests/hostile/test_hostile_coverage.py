"""Hostile input to `lexaug lexicon coverage`: an input named as `--missing-tsv` is refused, not replaced; a TSV row
without the `--column` is an error (it was dropped without a count); a malformed lexicon row or an undecodable
corpus line names `--lenient`, which skips and counts these and malformed rows."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lexaug_cli.main import cli


def run(*args) -> object:
    return CliRunner().invoke(cli, ["lexicon", "coverage", *map(str, args)])


def one_error_line(result, startswith: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and lines[0].startswith(startswith), result.stderr
    return lines[0]


def _files(tmp_path):
    lex, corpus = tmp_path / "en_xx.tsv", tmp_path / "c.txt"
    lex.write_text("dog\tkuku\ncat\tpaka\n", encoding="utf-8")
    corpus.write_text("the dog\na cat\n", encoding="utf-8")
    return lex, corpus


def test_missing_tsv_naming_an_input_is_refused_and_the_input_kept(tmp_path):
    lex, corpus = _files(tmp_path)
    for target in (corpus, lex):
        before = target.read_bytes()
        one_error_line(run(corpus, "--lexicon", lex, "--missing-tsv", target),
                       f"Error: {target}: --missing-tsv names the same file as")
        assert target.read_bytes() == before
    assert run(corpus, "--lexicon", lex, "--missing-tsv", tmp_path / "m.tsv").exit_code == 0
    assert (tmp_path / "m.tsv").read_text(encoding="utf-8").splitlines() == ["a\t1\t", "the\t1\t"]


def test_row_without_the_column_is_an_error_or_counted(tmp_path):
    lex, _ = _files(tmp_path)
    tsv = tmp_path / "c.tsv"
    tsv.write_text("id\ttext\n1\tthe dog\n2\n3\ta cat\n", encoding="utf-8")
    line = one_error_line(run(tsv, "--lexicon", lex, "--column", "text"), f"Error: {tsv}, line 3:")
    assert "expected 2 tab-separated cells (as the header), got 1" in line
    one_error_line(run(tsv, "--lexicon", lex, "--column", "sentence", "--lenient"),
                   f"Error: {tsv}, line 1: the header has no column 'sentence' (columns: id, text); name the text "
                   "column with --column")
    result = run(tsv, "--lexicon", lex, "--column", "text", "--lenient", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["before"]["tokens"] == 4 and report["skipped"] == {"corpus_lines": 1, "lexicon_rows": 0}


def test_malformed_lexicon_row_and_bad_corpus_bytes_name_lenient(tmp_path):
    lex, corpus = _files(tmp_path)
    bad_lex = tmp_path / "en_yy.tsv"
    bad_lex.write_text("dog\tkuku\nbroken\n", encoding="utf-8")
    assert "(--lenient)" in one_error_line(run(corpus, "--lexicon", bad_lex), f"Error: {bad_lex}, line 2:")
    latin1 = tmp_path / "l1.txt"
    latin1.write_bytes(b"the dog\nna\xefve cat\na cat\n")
    assert "(--lenient)" in one_error_line(run(latin1, "--lexicon", lex), f"Error: {latin1}, line 2:")
    result = run(latin1, "--lexicon", bad_lex, "--lenient", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["before"]["tokens"] == 4 and report["skipped"] == {"corpus_lines": 1, "lexicon_rows": 1}
    table = run(latin1, "--lexicon", bad_lex, "--lenient")
    assert "skipped: 1 lexicon rows, 1 corpus lines" in table.stderr
