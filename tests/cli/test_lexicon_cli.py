"""`lexaug lexicon stats` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lexaug_cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["lexicon", "stats", *args])


def test_stats_table(tmp_path):
    path = tmp_path / "en_lg.tsv"
    path.write_text("house\tennyumba\nhouse\tamaka\na lot\tbingi nnyo\n\n", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["file", "sep", "lines", "blank", "rows", "skipped", "sha256"]
    assert lines[1].split()[:6] == [str(path), "tab", "3", "1", "3", "-"]
    assert "languages                 eng -> lug" in lines
    assert "headwords                 2" in lines and "pairs                     3" in lines
    assert "translations/headword     mean 1.500, max 2" in lines
    assert "multiword sources         1 (50.0%)" in lines


def test_stats_json_with_options(tmp_path):
    path = tmp_path / "en_crs.tsv"
    path.write_text("address\tadrese (verb)\nacross\tlong wanpela sait i go\nbig\tgro\n", encoding="utf-8")
    result = run(str(path), "--strip-annotations", "--max-target-words", "3", "--reverse", "--json")
    assert result.exit_code == 0, result.output
    st = json.loads(result.output)
    assert (st["src_lang"], st["tgt_lang"]) == ("crs", "eng")
    assert st["rows_read"] == 3 and st["annotations_stripped"] == 1 and st["skipped"] == {}
    assert st["headwords"] == 3 and st["max_source_words"] == 5
    st = json.loads(run(str(path), "--max-target-words", "3", "--json").output)
    assert st["definition_like_dropped"] == 1 and st["rows_read"] == 2


def test_strict_error_is_one_line_and_lenient_counts(tmp_path):
    path = tmp_path / "en_arn.tsv"
    path.write_text("smart\tülmen\ntükuwküle\n", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {path}, line 2: expected 2 tab-separated columns, got 1; fix the row, or read leniently "
        "to skip it (--lenient)"]
    result = run(str(path), "--lenient")
    assert result.exit_code == 0
    assert "rows skipped              columns=1" in result.output.splitlines()


def test_space_separator_and_languages_option(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("house haus\n", encoding="utf-8")
    st = json.loads(run(str(path), "--sep", "space", "--src-lang", "en", "--tgt-lang", "ger", "--json").output)
    assert (st["src_lang"], st["tgt_lang"], st["pairs"]) == ("eng", "deu", 1)
    assert st["files"][0]["sep"] == "space"


def test_real_gatitos_merge(shared_data):
    gatitos = shared_data / "lexicons" / "gatitos"
    result = run(str(gatitos / "en_tn.tsv"), str(gatitos / "en_ts.tsv"), "--json")
    st = json.loads(result.output)
    assert st["files"][0]["sha256"] == st["files"][1]["sha256"]
    assert (st["rows_read"], st["pairs"], st["duplicate_rows"]) == (9000, 4500, 4500)


def test_stats_report_look_alike_letters(shared_data):
    """GATITOS Ewe spells open o with a phonetic small capital in 384 places: `stats` says what substitute.v3
    repairs, in the table and the JSON."""
    path = str(shared_data / "lexicons" / "gatitos" / "en_ee.tsv")
    result = run(path)
    assert result.exit_code == 0, result.output
    assert "look-alike letters        297 targets (ᴐ>ɔ 384; substitute.v3 repairs them)" in result.output.splitlines()
    st = json.loads(run(path, "--json").output)
    assert st["lookalikes"] == {"targets_fixed": 297, "letters": {"ᴐ>ɔ": 384}}
    clean = json.loads(run(str(shared_data / "lexicons" / "gatitos" / "en_wo.tsv"), "--json").output)
    assert clean["lookalikes"] == {"targets_fixed": 0, "letters": {}}


def test_lenient_option_is_named_after_its_own_clause(tmp_path):
    """The option was appended after the whole hint, after the --extra-columns clause it does not belong to."""
    path = tmp_path / "en_xx.tsv"
    path.write_text("dog\tkuku\tnoun\n", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 1
    assert "read leniently to skip it (--lenient), or use the first two columns" in result.output
    assert not result.output.rstrip().endswith("(--lenient)")
