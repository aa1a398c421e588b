"""lexaug.inflection.rules on tiny fixtures: rules, tie-breaking, detector, compat, save/load."""

from __future__ import annotations

import json

import pytest

from lexaug.errors import ConfigError, FormatError, ResourceError
from lexaug.inflection.base import load_inflector
from lexaug.inflection.rules import RuleInflector, extract_rules, prefix_bias

PAST = [("walk", "walked", "V;PST"), ("talk", "talked", "V;PST"), ("jump", "jumped", "V;PST")]


def test_extract_rules_of_one_pair():
    prefix, suffix = extract_rules("walk", "walked")
    assert suffix == {("walk>", "walked>"), ("alk>", "alked>"), ("lk>", "lked>"), ("k>", "ked>"),
                      (">", "ed>"), (">", "d>"), (">", ">")}
    assert prefix == {("<", "<"), ("<w", "<w"), ("<wa", "<wa"), ("<wal", "<wal")}


def test_suffix_rules_count_ties_go_to_the_longer_right_side():
    model = RuleInflector.train(PAST)
    # ">" -> "ed>", "d>" and ">" each have count 3: the longer right side wins.
    assert model.inflect("play", "V;PST") == [("played", 1.0)]
    assert model.predict_many([("play", "V;PST"), ("play", "V;PRS;3;SG")]) == ["played", "play"]


def test_longest_left_side_beats_count():
    model = RuleInflector.train(PAST + [("bake", "baked", "V;PST")])
    # "e>" -> "ed>" (count 1) has the longest matching left side.
    assert model.inflect("hope", "V;PST")[0][0] == "hoped"
    # For "play" only ">" matches; now "d>" and ">" have count 4, "ed>" 3: the published baseline says "playd".
    assert model.inflect("play", "V;PST")[0][0] == "playd"


def test_unseen_feature_string_copies_the_lemma():
    model = RuleInflector.train(PAST)
    assert model.inflect("walk", "V;PST;PL")[0][0] == "walk"  # feature strings are matched whole


def test_prefixing_language_is_reversed():
    train = [("soma", "nasoma", "V;PRS"), ("pika", "napika", "V;PRS"), ("lala", "nalala", "V;PRS")]
    assert prefix_bias((lemma, form) for lemma, form, _ in train) == (6, 0)
    model = RuleInflector.train(train)
    assert model.prefixing and model.stats["prefix_score"] == 6
    assert model.inflect("kula", "V;PRS")[0][0] == "nakula"


def test_prefix_rule_after_suffix_rule():
    train = [("machen", "gemacht", "V.PTCP;PST"), ("sagen", "gesagt", "V.PTCP;PST"),
             ("legen", "gelegt", "V.PTCP;PST"), ("machen", "machten", "V;PST;PL"), ("sagen", "sagten", "V;PST;PL"),
             ("legen", "legten", "V;PST;PL")]
    model = RuleInflector.train(train)
    assert model.stats["prefix_score"] < model.stats["suffix_score"]
    assert not model.prefixing
    assert model.inflect("fragen", "V.PTCP;PST")[0][0] == "gefragt"


def test_compat_2020_counts_only_the_lemma_pads():
    # The form drops a prefix: only the *form* has leading pads, which the 2020-2022 ports never saw.
    train = [("nasoma", "soma", "V;X"), ("napika", "pika", "V;X"), ("nalala", "lala", "V;X")]
    pairs = [(lemma, form) for lemma, form, _ in train]
    assert prefix_bias(pairs) == (6, 0)
    assert prefix_bias(pairs, compat="2020") == (0, 0)
    correct, compat = RuleInflector.train(train), RuleInflector.train(train, compat="2020")
    assert correct.prefixing and not compat.prefixing
    assert correct.inflect("nakula", "V;X")[0][0] == compat.inflect("nakula", "V;X")[0][0] == "kula"


def test_hyphen_and_space_pairs_are_left_out_of_the_detector():
    assert prefix_bias([("a-b", "xa-b"), ("c d", "yc d")]) == (0, 0)


def test_lemma_holding_boundary_symbols():
    model = RuleInflector.train([("a>b", "a>bs", "N;PL"), ("cd", "cds", "N;PL")])
    # As in the published baseline: rules match anywhere in "<x>y>", replace every occurrence, and the
    # boundary symbols are then removed from the output.
    assert model.inflect("x>y", "N;PL")[0][0] == "xsys"
    assert model.inflect("zz", "N;PL")[0][0] == "zzs"


def test_bad_arguments():
    with pytest.raises(ConfigError, match="unknown compat"):
        RuleInflector.train(PAST, compat="2019")
    with pytest.raises(ConfigError, match="no options"):
        RuleInflector.train(PAST, seed=1)
    with pytest.raises(FormatError, match="no training rows"):
        RuleInflector.train([])


def test_save_load_round_trip(tmp_path):
    train = PAST + [("soma", "nasoma", "V;PRS"), ("bake", "baked", "V;PST")]
    model = RuleInflector.train(train, compat="2020")
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "inflector.json").read_text())
    assert manifest["model"] == "rules" and manifest["compat"] == "2020"
    loaded = load_inflector(tmp_path / "m")
    assert isinstance(loaded, RuleInflector) and loaded.compat == "2020"
    queries = [("play", "V;PST"), ("hope", "V;PST"), ("kula", "V;PRS"), ("x", "N")]
    assert loaded.predict_many(queries) == model.predict_many(queries) == ["playd", "hoped", "nakula", "x"]
    with pytest.raises(ResourceError, match="no inflector.json"):
        load_inflector(tmp_path)
