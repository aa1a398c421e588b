"""lexaug.inflection.evaluate: 2022 and 2017 conventions, partitions, tables."""

from __future__ import annotations

import unicodedata

import pytest

from lexaug.errors import ConfigError, FormatError
from lexaug.inflection.evaluate import Evaluation, Score, evaluate, levenshtein, partition_of, summary_table
from lexaug.loaders.sigmorphon import read_sigmorphon

NFD_E = unicodedata.normalize("NFD", "é")


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_sigmorphon(path)


def test_levenshtein():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == levenshtein("abc", "") == 3
    assert levenshtein("flaw", "lawn") == 2


def test_2022_positional_nfc_and_partitions(tmp_path):
    gold = _file(tmp_path, "x.gold", f"walk\twalked\tV;PST\nwalk\twalks\tV;PRS\ncaf\tcaf{NFD_E}s\tN;PL\n"
                                     "go\twent\tV;PST\n")
    pred = [("walk", "walked", "V;PST"), ("walk", "walk", "V;PRS"), ("caf", "cafés", "N;PL"), ("go", "goed", "V;PST")]
    train = [("walk", "walking", "V;PTCP"), ("jump", "jumped", "V;PST")]
    result = evaluate(gold, pred, train=train)
    assert (result.overall.n, result.overall.correct, result.overall.distance) == (4, 2, 1 + 4)
    assert result.overall.accuracy == 50.0 and result.overall.mean_distance == 1.25
    parts = {name: (s.n, s.correct) for name, s in result.partitions.items()}
    assert parts == {"both": (1, 1), "lemma": (1, 0), "features": (1, 0), "neither": (1, 1)}
    raw = evaluate(gold, pred, normalize=None)
    assert raw.overall.correct == 1 and raw.partitions == {}
    assert raw.as_dict() == {"n": 4, "accuracy": 25.0, "distance": 1.75}


def test_2022_needs_one_prediction_per_line(tmp_path):
    gold = _file(tmp_path, "x.gold", "walk\twalked\tV;PST\n")
    with pytest.raises(FormatError, match="0 predictions for 1 gold lines"):
        evaluate(gold, [])
    with pytest.raises(ConfigError, match="unknown convention"):
        evaluate(gold, [], convention="2019")


def test_2017_keyed_with_several_gold_forms(tmp_path):
    gold = _file(tmp_path, "x-uncovered-test", "dream\tdreamed\tV;PST\ndream\tdreamt\tV;PST\ngo\twent\tV;PST\n")
    pred = [("go", "goed", "V;PST"), ("dream", "dreamt", "V;PST")]  # any order, one per key
    result = evaluate(gold, pred, convention="2017")
    assert (result.overall.n, result.overall.correct, result.overall.distance) == (2, 1, 4)
    with pytest.raises(FormatError, match="no prediction for \\('go', 'V;PST'\\)"):
        evaluate(gold, pred[1:], convention="2017")


def test_partition_of():
    assert partition_of("a", "F", {"a"}, {"F"}) == "both"
    assert partition_of("a", "G", {"a"}, {"F"}) == "lemma"
    assert partition_of("b", "F", {"a"}, {"F"}) == "features"
    assert partition_of("b", "G", {"a"}, {"F"}) == "neither"


def test_summary_table_macro_micro():
    results = {"aaa": Evaluation(Score(4, 3, 2)), "bbb": Evaluation(Score(1, 0, 3))}
    assert summary_table(results, digits=2) == (
        "lang\tn\taccuracy\tdistance\n"
        "aaa\t4\t75.00\t0.50\n"
        "bbb\t1\t0.00\t3.00\n"
        "macro\t5\t37.50\t1.75\n"
        "micro\t5\t60.00\t1.00\n")
