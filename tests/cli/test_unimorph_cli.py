"""`lexaug unimorph stats|inflect|analyze` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli

TABLE = "run\tran\tV;PST\nrun\truns\tV;3;SG;PRS\nrun\tran\tV;PST\n\ndream\tdreamt\tV;PST\ndream\tdreamed\tV;PST\n"


@pytest.fixture()
def table(tmp_path: Path) -> Path:
    path = tmp_path / "eng"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_stats_path(table: Path) -> None:
    result = CliRunner().invoke(cli, ["unimorph", "stats", str(table)])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(None, 1) for line in result.output.splitlines())
    assert (lines["rows"], lines["lines"], lines["blank_lines"], lines["duplicates"]) == ("4", "6", "1", "1")
    assert (lines["lemmas"], lines["pos"], lines["skipped"]) == ("2", "V=4", "-")


def test_stats_json_and_lenient(tmp_path: Path) -> None:
    path = tmp_path / "bad"
    path.write_text("a\tb\tV\nbroken row\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["unimorph", "stats", str(path)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}, line 2: expected 3 tab-separated columns (lemma, form, features), "
                             "got 1; fix the row or read leniently to skip it (--lenient)\n")
    result = CliRunner().invoke(cli, ["unimorph", "stats", str(path), "--lenient", "--json"])
    assert result.exit_code == 0
    st = json.loads(result.stdout)
    assert (st["rows"], st["skipped"]) == (1, {"columns": 1})


def test_stats_language_from_cache(table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "eng").unlink()
    (tmp_path / "eng").mkdir()
    (tmp_path / "eng" / "eng").write_text(TABLE, encoding="utf-8")
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    result = CliRunner().invoke(cli, ["unimorph", "stats", "en", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 4
    result = CliRunner().invoke(cli, ["unimorph", "stats", "zul"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: no UniMorph table for 'zul' in {tmp_path / 'zul'}")
    assert "lexaug resources fetch zul" in result.output


def test_inflect(table: Path) -> None:
    result = CliRunner().invoke(cli, ["unimorph", "inflect", "dream", "PST;V", "--table", str(table)])
    assert (result.exit_code, result.output) == (0, "dreamt\ndreamed\n")
    result = CliRunner().invoke(cli, ["unimorph", "inflect", "run", "V;PRS;NOM(3,SG)", "-t", str(table), "--loose"])
    assert (result.exit_code, result.output) == (0, "runs\n")
    result = CliRunner().invoke(cli, ["unimorph", "inflect", "run", "V;FUT", "-t", str(table)])
    assert result.exit_code == 1
    assert result.output == ("Error: no form of 'run' with features 'V;FUT' ('run' has 2 rows; see "
                             "`lexaug unimorph analyze`)\n")
    result = CliRunner().invoke(cli, ["unimorph", "inflect", "run", "V;(", "-t", str(table)])
    assert result.output == "Error: bad FEATURES: unbalanced '(' in features 'V;('\n"


def test_inflect_needs_one_source(table: Path) -> None:
    result = CliRunner().invoke(cli, ["unimorph", "inflect", "run", "V;PST"])
    assert (result.exit_code, result.output) == (1, "Error: give exactly one of --lang LANG or --table PATH\n")


def test_analyze(table: Path) -> None:
    result = CliRunner().invoke(cli, ["unimorph", "analyze", "ran", "dreamt", "-t", str(table)])
    assert (result.exit_code, result.stdout) == (0, "ran\trun\tV;PST\ndreamt\tdream\tV;PST\n")
    result = CliRunner().invoke(cli, ["unimorph", "analyze", "RAN", "xyz", "-t", str(table), "--casefold"])
    assert result.exit_code == 1
    assert result.stdout == "ran\trun\tV;PST\n"
    assert result.stderr == "no analysis: xyz\n"
    result = CliRunner().invoke(cli, ["unimorph", "analyze", "ran", "-t", str(table), "--pos", "N"])
    assert (result.exit_code, result.stderr) == (1, "no analysis: ran\n")


def test_real_english(shared_data: Path) -> None:
    path = shared_data / "unimorph" / "eng" / "eng"
    result = CliRunner().invoke(cli, ["unimorph", "analyze", "ran", "-t", str(path)])
    assert result.stdout == "ran\trin\tV;PST\nran\trun\tV;PST\n"
    result = CliRunner().invoke(cli, ["unimorph", "stats", str(shared_data / "unimorph" / "mlt" / "mlt"), "--json"])
    st = json.loads(result.stdout)
    assert (st["rows"], st["duplicates"], st["blank_lines"], st["lines"]) == (1762, 1822, 116, 3700)
