"""A neural model that decodes nothing (cut short by its budget, or barely trained) never writes an empty form:
an empty third column reads back as "no form", so such a prediction file would not even reload for `evaluate`
(CI, stop 37: a 6-second model on a slower machine predicted '' everywhere)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("torch")

RULES = {"V;PST": "ed", "N;PL": "en"}


def _rows() -> list[tuple[str, str, str]]:
    lemmas = ["abc", "abd", "bcd", "cde", "def", "efa", "fab", "gab", "hab", "bag", "cag", "dag"]
    return [(l, l + suffix, f) for l in lemmas for f, suffix in RULES.items()]


def _model(dev: bool):
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows()
    return NeuralInflector.train(rows[:16], rows[16:] if dev else None, seed=0, threads=1, hallucinate=0,
                                 max_steps=2, eval_every=1, layers=1, d_model=16, ffn=32, heads=2, beam=1)


def test_empty_form_becomes_the_rule_form_where_the_model_has_a_fallback():
    model = _model(dev=True)
    assert model.fallback is not None
    pairs = [("abc", "V;PST"), ("zzz", "N;PL")]
    rule_forms = model.fallback.predict_many(pairs)
    assert rule_forms == ["abced", "zzzen"]
    model.fallback_margin, model.fallback_below = None, 0.0  # the fallback itself would not replace anything
    assert model.apply_fallback(pairs, [("", 0.99), ("zzzx", 0.99)]) == ["abced", "zzzx"]
    assert model.replaced_empty == 1


def test_empty_form_becomes_the_lemma_without_a_fallback():
    model = _model(dev=False)
    assert model.fallback is None
    pairs = [("abc", "V;PST"), ("zzz", "N;PL"), ("ab\u0301", "N;PL")]
    assert model.apply_fallback(pairs, [("", 0.5), ("zzzen", 0.5), ("", 0.5)]) == ["abc", "zzzen", "ab\u0301"]
    assert model.replaced_empty == 2
    assert model.apply_fallback(pairs[1:2], [("zzzen", 0.5)]) == ["zzzen"] and model.replaced_empty == 0


def test_cli_predict_says_how_many_forms_were_empty_and_evaluate_reads_the_file(tmp_path):
    """Through the CLI: a model whose network writes nothing; every line gets a form, stderr counts them, and
    `inflect evaluate` scores the file (it refused a file with some empty forms)."""
    model = _model(dev=False)
    model.save(tmp_path / "m")
    gold = tmp_path / "g.tsv"
    gold.write_text("".join(f"{l}\t{t}\t{f}\n" for l, t, f in _rows()[16:]), encoding="utf-8")
    script = ("import sys; from lexaug.inflection.neural import NeuralInflector as N; "
              "N.predict_scored = lambda self, pairs: [('' if i % 2 else p[0] + 'x', 0.5) "
              "for i, p in enumerate(pairs)]; "
              "from lexaug_cli.main import main; sys.argv[0] = 'lexaug'; main()")
    res = subprocess.run([sys.executable, "-c", script, "inflect", "predict", "--model", str(tmp_path / "m"),
                          "--input", str(gold), "--output", str(tmp_path / "p.tsv")],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "4 of 8 forms: the model wrote nothing; the lemma written instead" in res.stderr
    lines = (tmp_path / "p.tsv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8 and all(line.split("\t")[1] for line in lines)
    res = subprocess.run([sys.executable, "-c", "from lexaug_cli.main import main; main()", "inflect", "evaluate",
                          "--gold", str(gold), "--pred", str(tmp_path / "p.tsv"), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    scores = json.loads(res.stdout)["g.tsv"]  # the name `parse_name` gives
    assert scores["n"] == 8 and scores["accuracy"] == 0.0  # the lemmas and "lemma + x" are all wrong here
