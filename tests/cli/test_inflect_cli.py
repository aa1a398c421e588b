"""`lexaug inflect train / predict / evaluate` with click's CliRunner, on fixtures and a real 2022 file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lexaug_cli.main import cli

TRAIN = "walk\twalked\tV;PST\ntalk\ttalked\tV;PST\njump\tjumped\tV;PST\nsee\tsees\tV;3;SG;PRS\n"


def _run(*args):
    result = CliRunner().invoke(cli, ["inflect", *args])
    return result


def test_train_predict_evaluate(tmp_path):
    (tmp_path / "t.train").write_text(TRAIN, encoding="utf-8")
    (tmp_path / "t.test").write_text("play\tV;PST\nplay\tV;3;SG;PRS\nplay\tN;PL\n", encoding="utf-8")
    (tmp_path / "t.gold").write_text("play\tplayed\tV;PST\nplay\tplays\tV;3;SG;PRS\nplay\tplays\tN;PL\n",
                                     encoding="utf-8")
    res = _run("train", "--train", str(tmp_path / "t.train"), "--model", "rules", "--out", str(tmp_path / "m"))
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "m" / "inflector.json").read_text())["model"] == "rules"
    res = _run("predict", "--model", str(tmp_path / "m"), "--input", str(tmp_path / "t.test"),
               "--output", str(tmp_path / "t.pred"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "t.pred").read_text(encoding="utf-8") == (
        "play\tplayed\tV;PST\nplay\tplays\tV;3;SG;PRS\nplay\tplay\tN;PL\n")
    res = _run("evaluate", "--gold", str(tmp_path / "t.gold"), "--pred", str(tmp_path / "t.pred"),
               "--train", str(tmp_path / "t.train"))
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == [
        "lang\tn\taccuracy\tdistance\tboth_acc\tlemma_acc\tfeatures_acc\tneither_acc",
        "t\t3\t66.667\t0.333\t-\t-\t100.000\t0.000"]
    res = _run("evaluate", "--gold", str(tmp_path / "t.gold"), "--pred", str(tmp_path / "t.pred"),
               "--convention", "2017", "--json")
    assert json.loads(res.output)["t"]["n"] == 3


def test_predict_keeps_2023_layout(tmp_path):
    (tmp_path / "x.trn").write_text("walk\tV;PST\twalked\ntalk\tV;PST\ttalked\n", encoding="utf-8")
    (tmp_path / "x.dev").write_text("jump\tV;PST\tjumped\n", encoding="utf-8")
    assert _run("train", "--train", str(tmp_path / "x.trn"), "--out", str(tmp_path / "m")).exit_code == 0
    res = _run("predict", "--model", str(tmp_path / "m"), "--input", str(tmp_path / "x.dev"),
               "--output", str(tmp_path / "x.pred"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x.pred").read_text(encoding="utf-8") == "jump\tV;PST\tjumped\n"


def test_errors_are_one_line(tmp_path):
    (tmp_path / "bad.train").write_text("walk\twalked\tV;PST\noops\n", encoding="utf-8")
    res = _run("train", "--train", str(tmp_path / "bad.train"), "--out", str(tmp_path / "m"))
    assert res.exit_code == 1
    assert res.output.strip().endswith("bad.train, line 2: expected 2 or 3 tab-separated columns, got 1")
    (tmp_path / "empty").mkdir()
    res = _run("predict", "--model", str(tmp_path / "empty"), "--input", str(tmp_path / "bad.train"),
               "--output", str(tmp_path / "p"))
    assert res.exit_code == 1 and "no inflector.json" in res.output
    res = _run("train", "--train", str(tmp_path / "bad.train"), "--out", str(tmp_path / "m"), "--model",
               "neural", "--compat", "2020")
    assert res.exit_code == 1 and "--compat applies to the rules model only" in res.output


def test_real_krl_small_compat_2020(shared_data, tmp_path):
    folder = shared_data / "sigmorphon2022"
    for compat, expected in ((["--compat", "2020"], "5.411"), ([], "23.848")):
        out = tmp_path / f"m{len(compat)}"
        assert _run("train", "--train", str(folder / "krl_small.train"), "--out", str(out), *compat).exit_code == 0
        pred = tmp_path / "krl.pred"
        assert _run("predict", "--model", str(out), "--input", str(folder / "krl.test"),
                    "--output", str(pred)).exit_code == 0
        res = _run("evaluate", "--gold", str(folder / "krl.gold"), "--pred", str(pred), "--normalize", "none")
        assert res.output.splitlines()[1].split("\t")[:3] == ["krl", "1996", expected]


def test_train_takes_output_like_every_command(tmp_path):
    """`--output` names the model directory as it names every other command's output; `--out` still works."""
    (tmp_path / "t.train").write_text(TRAIN, encoding="utf-8")
    for flag, name in (("--output", "m1"), ("--out", "m2")):
        res = _run("train", "--train", str(tmp_path / "t.train"), "--model", "rules", flag, str(tmp_path / name))
        assert res.exit_code == 0, res.output
        assert json.loads((tmp_path / name / "inflector.json").read_text())["model"] == "rules"


def test_evaluate_scores_an_empty_prediction_as_wrong_and_says_so(tmp_path):
    """Another system's prediction file with an empty form column: a wrong prediction, as the official scorer
    counts it, and one line naming the file and how many; it was refused as 'row has no form while others do;
    give a gold file or a covered one', advice that does not fit a prediction file."""
    (tmp_path / "t.gold").write_text("play\tplayed\tV;PST\nplay\tplays\tV;3;SG;PRS\nrun\tran\tV;PST\n",
                                     encoding="utf-8")
    (tmp_path / "t.pred").write_text("play\tplayed\tV;PST\nplay\t\tV;3;SG;PRS\nrun\tran\tV;PST\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["inflect", "evaluate", "--gold", str(tmp_path / "t.gold"), "--pred",
                                   str(tmp_path / "t.pred"), "--json"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == f"{tmp_path / 't.pred'}: 1 prediction row has an empty form (line 2), scored as wrong"
    scores = json.loads("\n".join(lines[1:]))["t"]
    assert scores["n"] == 3 and round(scores["accuracy"], 3) == 66.667 and round(scores["distance"], 3) == 1.667
    # a gold file with an empty form is still refused: a gold row must have its form
    res = _run("evaluate", "--gold", str(tmp_path / "t.pred"), "--pred", str(tmp_path / "t.gold"))
    assert res.exit_code == 1 and "line 2: row has no form while others do" in res.output
