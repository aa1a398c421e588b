"""Hostile inputs for `lexaug inflect` (train, predict, evaluate, hallucinate): every bad input ends with
exit status 1 and one line `Error: <file>[, line N]: <what>; <fix>` on stderr, no traceback, and no file
written or changed. Issue 9 defects 10, 12, 19, 20 and 25 (the inflection parts)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli

TRAIN = "walk\twalked\tV;PST\ntalk\ttalked\tV;PST\njump\tjumped\tV;PST\nsee\tsees\tV;3;SG;PRS\n"
TEST = "play\tV;PST\nplay\tV;3;SG;PRS\n"
GOLD = "play\tplayed\tV;PST\nplay\tplays\tV;3;SG;PRS\n"
LATIN1 = "walk\twalked\tV;PST\nca\xf1on\tca\xf1ones\tN;PL\n".encode("latin-1")  # line 2 is not UTF-8


def _files(tmp: Path) -> dict[str, Path]:
    """Valid files and a trained rules model under `tmp`."""
    paths = {"train": tmp / "t.train", "test": tmp / "t.test", "gold": tmp / "t.gold", "pred": tmp / "t.pred"}
    paths["train"].write_text(TRAIN, encoding="utf-8")
    paths["test"].write_text(TEST, encoding="utf-8")
    paths["gold"].write_text(GOLD, encoding="utf-8")
    paths["pred"].write_text(GOLD, encoding="utf-8")
    paths["latin1"] = tmp / "latin1.train"
    paths["latin1"].write_bytes(LATIN1)
    paths["utf16"] = tmp / "utf16.gold"
    paths["utf16"].write_bytes(GOLD.encode("utf-16"))  # with its byte-order mark, as Windows tools save it
    paths["utf32"] = tmp / "utf32.train"
    paths["utf32"].write_bytes(TRAIN.encode("utf-32"))
    paths["empty"], paths["blank"] = tmp / "empty.tsv", tmp / "blank.tsv"
    paths["empty"].write_text("", encoding="utf-8")
    paths["blank"].write_text("\n\n", encoding="utf-8")
    paths["model"] = tmp / "rules"
    result = CliRunner().invoke(cli, ["inflect", "train", "--train", str(paths["train"]), "--out", str(paths["model"])])
    assert result.exit_code == 0, result.output
    return paths


def _swapped(p: dict[str, Path]) -> list[str]:
    p["pred"].write_text("".join(reversed(GOLD.splitlines(keepends=True))), encoding="utf-8")
    return ["evaluate", "--gold", str(p["gold"]), "--pred", str(p["pred"])]


def _other_rows(p: dict[str, Path]) -> list[str]:
    p["pred"].write_text("run\tran\tV;PST\nrun\truns\tV;3;SG;PRS\n", encoding="utf-8")
    return ["evaluate", "--gold", str(p["gold"]), "--pred", str(p["pred"])]


def _empty_gold(p: dict[str, Path]) -> list[str]:
    p["gold"].write_text("", encoding="utf-8")
    p["pred"].write_text("", encoding="utf-8")
    return ["evaluate", "--gold", str(p["gold"]), "--pred", str(p["pred"])]


def _truncated_rules(p: dict[str, Path]) -> list[str]:
    rules = p["model"] / "rules.json"
    rules.write_bytes(rules.read_bytes()[:20])
    return ["predict", "--model", str(p["model"]), "--input", str(p["test"]), "--output", str(p["pred"])]


def _broken_model_missing_folder(p: dict[str, Path]) -> list[str]:
    (p["model"] / "inflector.json").unlink()  # the output check must come first, before loading anything
    return ["predict", "--model", str(p["model"]), "--input", str(p["test"]), "--output", str(p["model"] / "no" / "x")]


def _neural(*opts: str) -> Callable[[dict[str, Path]], list[str]]:
    def build(p: dict[str, Path]) -> list[str]:
        args = ["train", "--model", "neural", "--train", str(p["train"]), "--out", str(p["train"].parent / "nn")]
        for opt in opts:
            args += ["-o", opt]
        return args
    return build


def _no_rows(role: str, model: str, name: str = "empty") -> Callable[[dict[str, Path]], list[str]]:
    """`train` with a file without rows (`empty`: 0 bytes, `blank`: blank lines) as --train or --dev."""
    def build(p: dict[str, Path]) -> list[str]:
        train = p[name] if role == "train" else p["train"]
        args = ["train", "--model", model, "--train", str(train), "--out", str(p["train"].parent / "m4")]
        return args + (["--dev", str(p[name])] if role == "dev" else [])
    return build


# (case id, builder of the `inflect` arguments, text the error line must contain)
CASES: list[tuple[str, Callable[[dict[str, Path]], list[str]], str]] = [
    # defect 10: output folder missing / output is a directory, checked before any work
    ("predict-output-folder-missing", lambda p: ["predict", "--model", str(p["model"]), "--input", str(p["test"]),
                                                 "--output", str(p["test"].parent / "missing" / "x.pred")],
     "does not exist"),
    ("predict-output-is-directory", lambda p: ["predict", "--model", str(p["model"]), "--input", str(p["test"]),
                                               "--output", str(p["test"].parent)], "is a directory"),
    ("predict-output-checked-before-model", _broken_model_missing_folder, "does not exist"),
    ("hallucinate-output-folder-missing", lambda p: ["hallucinate", "--train", str(p["train"]), "-n", "5",
                                                     "--output", str(p["train"].parent / "missing" / "h.tsv")],
     "does not exist"),
    ("hallucinate-output-is-directory", lambda p: ["hallucinate", "--train", str(p["train"]), "-n", "5",
                                                   "--output", str(p["train"].parent)], "is a directory"),
    # defect 19: --output equal to --input
    ("predict-output-is-input", lambda p: ["predict", "--model", str(p["model"]), "--input", str(p["test"]),
                                           "--output", str(p["test"])], "names the same file as --input"),
    ("hallucinate-output-is-train", lambda p: ["hallucinate", "--train", str(p["train"]), "-n", "5",
                                               "--output", str(p["train"])], "names the same file as --train"),
    # defect 12: non-UTF-8 files, truncated rules.json, bad option values
    ("train-latin1", lambda p: ["train", "--train", str(p["latin1"]), "--out", str(p["train"].parent / "m2")],
     "line 2: not UTF-8"),
    ("predict-latin1", lambda p: ["predict", "--model", str(p["model"]), "--input", str(p["latin1"]),
                                  "--output", str(p["test"].parent / "l.pred")], "line 2: not UTF-8"),
    ("evaluate-latin1", lambda p: ["evaluate", "--gold", str(p["latin1"]), "--pred", str(p["pred"])],
     "line 2: not UTF-8"),
    ("hallucinate-latin1", lambda p: ["hallucinate", "--train", str(p["latin1"]), "-n", "5",
                                      "--output", str(p["train"].parent / "h.tsv")], "line 2: not UTF-8"),
    # session 21: a UTF-16 file is named as UTF-16 (the message suggested `iconv -f LATIN1`)
    ("evaluate-utf16-gold", lambda p: ["evaluate", "--gold", str(p["utf16"]), "--pred", str(p["pred"])],
     "utf16.gold, line 1: file is UTF-16 (byte-order mark); convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"),
    ("train-utf16", lambda p: ["train", "--train", str(p["utf16"]), "--out", str(p["train"].parent / "m5")],
     "file is UTF-16"),
    # session 22: UTF-32 was named UTF-16 (its little-endian mark starts with UTF-16's)
    ("train-utf32", lambda p: ["train", "--train", str(p["utf32"]), "--out", str(p["train"].parent / "m6")],
     "utf32.train, line 1: file is UTF-32 (byte-order mark); convert it to UTF-8, e.g. `iconv -f UTF-32 -t UTF-8`"),
    ("predict-truncated-rules-json", _truncated_rules, "rules.json"),
    ("neural-max-steps-abc", _neural("max_steps=abc"), "max_steps='abc': expected an integer"),
    ("neural-d-model-zero", _neural("d_model=0"), "d_model=0: must be at least 1"),
    ("neural-d-model-not-multiple-of-heads", _neural("d_model=30"), "not a multiple of heads"),
    ("neural-beam-zero", _neural("beam=0"), "beam=0"),
    ("neural-auto-mark-clusters-yes", _neural("auto_mark_clusters=yes"),
     "option auto_mark_clusters='yes': expected true or false"),
    # defect 25: degenerate requests
    ("neural-max-steps-negative", _neural("max_steps=-1"), "max_steps=-1: must be at least 1"),
    ("evaluate-empty-gold-and-pred", _empty_gold, "no gold rows"),
    # defect 20: prediction rows that do not match the gold rows
    ("evaluate-swapped-rows", _swapped, "does not match gold line 1"),
    ("evaluate-other-rows", _other_rows, "does not match gold line 1"),
    # session 17: an empty training or dev file is named, not reported as `<input>` or silently dropped
    ("train-empty-file", _no_rows("train", "rules"), "empty.tsv: no rows"),
    ("train-blank-lines-only", _no_rows("train", "rules", "blank"), "blank.tsv: no rows"),
    ("neural-empty-train-file", _no_rows("train", "neural"), "empty.tsv: no rows"),
    ("neural-empty-dev-file", _no_rows("dev", "neural"), "empty.tsv: no rows"),
    ("hallucinate-empty-train", lambda p: ["hallucinate", "--train", str(p["empty"]), "-n", "5",
                                           "--output", str(p["train"].parent / "h.tsv")], "empty.tsv: no rows"),
    ("evaluate-empty-train", lambda p: ["evaluate", "--gold", str(p["gold"]), "--pred", str(p["pred"]),
                                        "--train", str(p["blank"])], "blank.tsv: no rows"),
    ("evaluate-covered-pred", lambda p: ["evaluate", "--gold", str(p["gold"]), "--pred", str(p["test"])],
     "t.test: file has no form column (a covered test file); give a file of lemma, form and features rows"),
    ("train-covered-file", lambda p: ["train", "--train", str(p["test"]), "--out", str(p["train"].parent / "m4")],
     "t.test: file has no form column"),
    ("rules-with-minutes", lambda p: ["train", "--train", str(p["train"]), "--out", str(p["train"].parent / "m3"),
                                      "--minutes", "1"], "neural model only"),
]


@pytest.mark.parametrize("case, build, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_error_line(tmp_path, case, build, expected):
    paths = _files(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = CliRunner().invoke(cli, ["inflect", *build(paths)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # no uncaught exception
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert expected in lines[0]
    assert result.stdout == ""
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    touched = case in ("predict-truncated-rules-json", "evaluate-empty-gold-and-pred", "evaluate-swapped-rows",
                       "evaluate-other-rows", "predict-output-checked-before-model")
    assert after <= set(before), sorted(map(str, after - set(before)))  # nothing new written
    if not touched:
        assert all(p.read_bytes() == data for p, data in before.items() if p.exists())


def test_predict_output_equal_to_input_leaves_the_input(tmp_path):
    paths = _files(tmp_path)
    CliRunner().invoke(cli, ["inflect", "predict", "--model", str(paths["model"]), "--input", str(paths["test"]),
                             "--output", str(paths["test"])])
    assert paths["test"].read_text(encoding="utf-8") == TEST


def test_evaluate_align_by_key_reports_moved_rows(tmp_path):
    paths = _files(tmp_path)
    args = _swapped(paths) + ["--align", "key"]
    result = CliRunner().invoke(cli, ["inflect", *args])
    assert result.exit_code == 0, result.output
    assert "2 prediction rows re-aligned" in result.stderr
    assert "t\t2\t100.000\t0.000" in result.stdout


def test_hallucinate_stops_early_and_says_how_many(tmp_path):
    (tmp_path / "two.train").write_text("walk\twalked\tV;PST\ntalk\ttalked\tV;PST\n", encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["inflect", "hallucinate", "--train", str(tmp_path / "two.train"),
                                      "-n", "1000000", "--output", str(tmp_path / "h.tsv")])
    assert time.perf_counter() - start < 20  # 74 s before the fix
    assert result.exit_code == 0, result.output
    made = len((tmp_path / "h.tsv").read_text(encoding="utf-8").splitlines())
    assert 0 < made < 1_000_000
    assert f"only {made} of the 1000000 requested pairs could be made" in result.stderr


def test_neural_bad_option_writes_no_model(tmp_path):
    paths = _files(tmp_path)
    result = CliRunner().invoke(cli, ["inflect", *_neural("max_steps=-1")(paths)])
    assert result.exit_code == 1
    assert not (tmp_path / "nn").exists()


@pytest.mark.parametrize("command", ["predict", "hallucinate"])
def test_output_dash_is_stdout_and_writes_no_file(tmp_path, monkeypatch, command):
    """`--output -` is stdout, as for `synthesize` and `evaluate classify`: the rows on stdout, no file named `-`
    in the working folder (one was created there)."""
    paths = _files(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    if command == "predict":
        args = ["predict", "--model", str(paths["model"]), "--input", str(paths["test"]), "--output", "-"]
    else:
        args = ["hallucinate", "--train", str(paths["train"]), "-n", "3", "--output", "-"]
    result = CliRunner().invoke(cli, ["inflect", *args])
    assert result.exit_code == 0, result.output
    assert list(work.iterdir()) == []
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(row) == 3 for row in rows)
    if command == "predict":
        assert [(row[0], row[2]) for row in rows] == [("play", "V;PST"), ("play", "V;3;SG;PRS")]


def test_output_fifo_is_written_to_not_replaced(tmp_path):
    """A special file (here a fifo; /dev/null is one too) is opened and written, never renamed over: the partial
    file's rename replaced it with a regular file (as root, `--output /dev/null` replaced the device)."""
    import os
    import threading

    paths = _files(tmp_path)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(cli, ["inflect", "predict", "--model", str(paths["model"]), "--input",
                                      str(paths["test"]), "--output", str(fifo)])
    assert result.exit_code == 0, result.output
    assert not fifo.is_file() and fifo.is_fifo()
    reader.join(timeout=10)
    assert got and got[0].decode("utf-8").count("\n") == 2
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]
