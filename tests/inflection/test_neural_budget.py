"""Neural inflector under a wall-clock budget: `--minutes`, `--device`, metadata, a quiet stderr, the rule
fallback and length-normalised beam search (issue 11)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time

import pytest

from lexaug.errors import ConfigError, ResourceError

torch = pytest.importorskip("torch")

RULES = {"V;PST": "ed", "V;3;SG;PRS": "s", "N;PL": "en"}
SMALL = ["-o", "layers=1", "-o", "d_model=32", "-o", "ffn=64", "-o", "heads=2", "-o", "hallucinate=40",
         "-o", "eval_every=15", "-o", "beam=1"]


def _rows(n: int, seed: int) -> list[tuple[str, str, str]]:
    rnd, lemmas = random.Random(seed), set()
    while len(lemmas) < n:
        lemmas.add("".join(rnd.choice("abcdefgh") for _ in range(rnd.randint(3, 6))))
    return [(l, l + suf, f) for l in sorted(lemmas) for f, suf in RULES.items()]


def _write(path, rows, covered=False):
    text = "".join(f"{l}\t{t}\n" if covered else f"{l}\t{f}\t{t}\n" for l, f, t in rows)
    path.write_text(text, encoding="utf-8")


def _lexaug(*args: str) -> subprocess.CompletedProcess:
    """The real command in a fresh interpreter, so stderr shows what a user would see (warnings included)."""
    return subprocess.run([sys.executable, "-c", "from lexaug_cli.main import main; main()", *args],
                          capture_output=True, text=True, timeout=300)


def test_train_within_minutes_saves_reloads_predicts_same(tmp_path):
    """A tiny model trained in seconds through the CLI: budget, device and time in the metadata, a progress
    line per dev evaluation, no dependency warning on stderr, and the reloaded model predicts the same (also
    where 6 seconds on a loaded machine teach it nothing: CI, stop 37, where it decoded '' everywhere)."""
    from lexaug.inflection.base import load_inflector
    from lexaug.loaders.sigmorphon import read_sigmorphon

    rows = _rows(60, 0)
    _write(tmp_path / "t.train", rows[:150])
    _write(tmp_path / "t.dev", rows[150:])
    _write(tmp_path / "t.test", rows[150:], covered=True)
    start = time.perf_counter()
    res = _lexaug("inflect", "train", "--model", "neural", "--train", str(tmp_path / "t.train"), "--dev",
                  str(tmp_path / "t.dev"), "--out", str(tmp_path / "m"), "--minutes", "0.1", "--device", "cpu",
                  *SMALL)
    assert res.returncode == 0, res.stderr
    manifest = json.loads((tmp_path / "m" / "inflector.json").read_text(encoding="utf-8"))
    info = manifest["info"]
    assert info["device"] == "cpu" and info["budget_minutes"] == 0.1
    # The budget counts from the start of `train`, importing torch included, and the members share what is left:
    # their training stops at their deadlines. The whole run's seconds are not bounded here: on a loaded machine
    # the import alone can take longer than these 6 seconds (CI; a 10-minute budget makes it negligible).
    members = info.get("ensemble", 1)
    trained = [m["seconds"] for m in info["members"]] if members > 1 else [info["seconds"]]
    assert 0 < sum(trained) <= 0.1 * 60 + 2 and info["seconds"] > 0
    assert time.perf_counter() - start < 60
    # one progress line per dev evaluation; with an ensemble (the default) each names its member
    first = "step " if members == 1 else f"member 1/{members}: step "
    progress = [line for line in res.stderr.splitlines() if line.startswith(first)]
    assert len(progress) == len(info["curve"]) >= 1 and " dev " in progress[0]
    if members > 1:
        assert len(info["members"]) == members and (tmp_path / "m" / f"member{members - 1}").is_dir()
    res2 = _lexaug("inflect", "predict", "--model", str(tmp_path / "m"), "--input", str(tmp_path / "t.test"),
                   "--output", str(tmp_path / "p.tsv"))
    assert res2.returncode == 0, res2.stderr
    for err in (res.stderr, res2.stderr):  # no library warning, deprecation notice or progress bar
        assert "warn" not in err.lower() and "deprecat" not in err.lower() and "it/s" not in err, err
    written = [i.form for i in read_sigmorphon(tmp_path / "p.tsv")]
    pairs = read_sigmorphon(tmp_path / "t.test").pairs()
    assert written == load_inflector(tmp_path / "m").predict_many(pairs)


def test_device_choice():
    from lexaug.inflection.neural import resolve_device

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="torch sees no GPU"):
            resolve_device("cuda")
    with pytest.raises(ConfigError, match="unknown device"):
        resolve_device("tpu")


@pytest.mark.parametrize("opts, message", [
    ({"max_steps": "abc"}, "expected an integer"), ({"max_steps": -1}, "at least 1"),
    ({"d_model": 0}, "at least 1"), ({"d_model": 30}, "multiple of heads"), ({"lr": "fast"}, "a number"),
    ({"dropout": 1.5}, "dropout"), ({"actions": 1}, "true or false"), ({"max_minutes": -2}, "negative"),
])
def test_bad_hparams_rejected(opts, message):
    from lexaug.inflection.neural import NeuralInflector

    with pytest.raises(ConfigError, match=message):
        NeuralInflector.train([("walk", "walked", "V;PST")], **opts)


def test_rule_fallback_round_trip_and_length_normalised_beam(tmp_path):
    from lexaug.inflection.base import load_inflector
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(40, 1)
    model = NeuralInflector.train(rows[:90], rows[90:], seed=0, threads=1, hallucinate=0, max_steps=10,
                                  eval_every=5, layers=1, d_model=32, ffn=64, heads=2, beam=1)
    fb = model.info["fallback_dev"]  # a barely trained model: the rule baseline wins on dev
    assert fb["margin"] is not None and fb["dev_accuracy"] >= fb["rules_dev_accuracy"] > 50
    pairs = [(l, f) for l, _, f in rows[90:]]
    gold = [form for _, form, _ in rows[90:]]
    # the rule form replaces the model's exactly where the model scores it within the margin of its own
    own = [form for form, _ in model.predict_scored(pairs)]
    rules = [form for form in model.fallback.predict_many(pairs)]
    gaps = model.score_gaps(pairs, own, rules)
    expected = [r if gap <= model.fallback_margin else o for o, r, gap in zip(own, rules, gaps)]
    assert model.predict_many(pairs) == expected
    assert 100.0 * sum(e == g for e, g in zip(expected, gold)) / len(gold) == fb["dev_accuracy"]  # dev = rows[90:]
    model.save(tmp_path / "m")
    assert (tmp_path / "m" / "fallback_rules" / "rules.json").is_file()
    loaded = load_inflector(tmp_path / "m")
    assert loaded.fallback_margin == model.fallback_margin
    assert loaded.predict_many(pairs) == model.predict_many(pairs)
    # a model saved before the margin existed (threshold only) still loads and applies its threshold
    manifest = json.loads((tmp_path / "m" / "inflector.json").read_text("utf-8"))
    manifest.pop("fallback_margin")
    manifest["fallback_below"] = 1.01  # every prediction is "unsure": the rule form everywhere
    (tmp_path / "m" / "inflector.json").write_text(json.dumps(manifest), "utf-8")
    assert load_inflector(tmp_path / "m").predict_many(pairs) == rules
    manifest["fallback_margin"] = "wide"
    (tmp_path / "m" / "inflector.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(ResourceError, match="fallback_margin='wide'"):
        load_inflector(tmp_path / "m")
    model.beam, model.hparams.length_alpha = 3, 1.0
    out = model.inflect("abcd", "V;PST")
    assert 1 <= len(out) <= 3 and all(0 < p <= 1 for _, p in out)


def _tiny(**extra):
    return dict(layers=1, d_model=32, ffn=64, heads=2, hallucinate=40, eval_every=15, max_steps=60, threads=1,
                **extra)


def test_ensemble_trains_members_saves_reloads_and_decodes_together(tmp_path):
    """An ensemble of 2: two networks with seeds 0 and 1 (the first the very model a single run trains), one manifest, a `member1` folder; the reloaded
    ensemble predicts the same forms (greedy and beam); its scores are the members' mean probability."""
    import math

    from lexaug.inflection.base import load_inflector
    from lexaug.inflection.neural import NeuralInflector
    from lexaug.inflection.neural_model import beam_decode, ensemble_logp, greedy_decode

    rows = _rows(40, 1)
    train, dev = rows[:90], rows[90:]
    pairs = [(l, f) for l, _, f in dev]
    ens = NeuralInflector.train(train, dev, seed=0, ensemble=2, beam=1, **_tiny())
    assert len(ens.models) == 2 and ens.info["ensemble"] == 2
    assert [m["seed"] for m in ens.info["members"]] == [0, 1]
    single = NeuralInflector.train(train, dev, seed=0, beam=1, **_tiny())  # member 1 is this model
    for a, b in zip(ens.models[0].state_dict().values(), single.model.state_dict().values()):
        assert torch.equal(a, b)
    ens.save(tmp_path / "m")
    assert (tmp_path / "m" / "member1" / "config.json").is_file()
    back = load_inflector(tmp_path / "m")
    assert len(back.models) == 2
    assert back.predict_many(pairs) == ens.predict_many(pairs)
    # the members' mean probability: an ensemble of one network twice decodes exactly as that network
    src = [ens.vocab.encode_source(l, f) for l, f in pairs]
    lens = [len(l) for l, _ in pairs]
    net = ens.models[0]
    alone = greedy_decode(net, src, lens, ens.hparams.max_len, ens.vocab.actions)
    twice = greedy_decode([net, net], src, lens, ens.hparams.max_len, ens.vocab.actions)
    assert [ids for ids, _ in twice] == [ids for ids, _ in alone]
    assert all(math.isclose(a, b, abs_tol=1e-4) for (_, a), (_, b) in zip(alone, twice))
    assert beam_decode([net, net], src[0], lens[0], 3, 20, True)[0][0] == beam_decode(net, src[0], lens[0], 3, 20,
                                                                                          True)[0][0]
    p1, p2 = torch.tensor([[0.7, 0.3]]), torch.tensor([[0.1, 0.9]])
    mean = ensemble_logp([p1.log(), p2.log()]).exp()
    assert torch.allclose(mean, torch.tensor([[0.4, 0.6]]))
    back.beam = ens.beam = 3
    assert back.predict_many(pairs[:5]) == ens.predict_many(pairs[:5])


def test_ensemble_option_is_checked(tmp_path):
    from lexaug.inflection.neural import NeuralInflector

    with pytest.raises(ConfigError, match="ensemble=0"):
        NeuralInflector.train(_rows(5, 0), None, ensemble=0, **_tiny())


def test_ensemble_member_missing_is_one_line(tmp_path):
    import shutil

    from lexaug.errors import ResourceError
    from lexaug.inflection.base import load_inflector
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(20, 2)
    NeuralInflector.train(rows[:40], rows[40:], ensemble=2, beam=1, **_tiny()).save(tmp_path / "m")
    shutil.rmtree(tmp_path / "m" / "member1")
    with pytest.raises(ResourceError, match="member1: the model weights cannot be read"):
        load_inflector(tmp_path / "m")


def test_patience_waits_for_the_first_right_dev_form():
    """Dev patience stops a model that stopped improving, not one that has yet to get a dev form right: a
    character model can spend thousands of steps at 0% before it starts (Hebrew's did, then stopped at step
    2,200 with nothing learned). Here dev is unlearnable (its forms share no character with the training data),
    so the model stays at 0% and trains to max_steps; a model that got forms right and then stalled still stops."""
    from lexaug.inflection.neural_model import NeuralHParams
    from lexaug.inflection.neural_train import stalled, train_model
    from lexaug.inflection.vocab import CharVocab

    train = [(w, w + "s", "N;PL") for w in ("cat", "dog", "bat", "cot", "tag", "god")]
    dev = [("cat", "QQQQ", "N;PL")]
    vocab = CharVocab.build(train + dev)
    hp = NeuralHParams(layers=1, d_model=16, ffn=32, heads=2, max_steps=24, eval_every=2, patience=2, warmup=2)
    _, log = train_model(train, dev, vocab, hp, seed=0)
    assert log.steps == 24 and log.best_dev == 0.0 and len(log.curve) == 12
    assert not stalled([(2 * i, 0.0) for i in range(1, 12)], patience=2)
    assert stalled([(2, 0.0), (4, 10.0), (6, 10.0), (8, 5.0)], patience=2)
    assert not stalled([(2, 0.0), (4, 10.0), (6, 12.0)], patience=2)
