"""Neural inflector: learns a tiny suffixing task, order-free features, beam scores, save/load, seeds."""

from __future__ import annotations

import json
import random

import pytest

from lexaug.errors import ConfigError, ResourceError
from lexaug.inflection.vocab import EOS_ID, UNK_ID, CharVocab, split_features

torch = pytest.importorskip("torch")

RULES = {"V;PST": "ed", "V;3;SG;PRS": "s", "N;PL": "en", "V;PRS": ""}
TINY = dict(layers=1, d_model=64, ffn=128, heads=2, dropout=0.0, label_smoothing=0.0, batch_size=64, lr=5e-3,
            warmup=50, eval_every=100)


def _lemmas(n: int, seed: int) -> list[str]:
    rnd, out = random.Random(seed), set()
    while len(out) < n:
        out.add("".join(rnd.choice("abcdefgh") for _ in range(rnd.randint(3, 6))))
    return sorted(out)


def _task() -> tuple[list, list]:
    lemmas = _lemmas(340, 0)
    train = [(l, l + suf, f) for l in lemmas[:300] for f, suf in RULES.items()]
    test = [(l, l + suf, f) for l in lemmas[300:] for f, suf in RULES.items()]
    return train, test


def test_edit_scripts_round_trip():
    from lexaug.inflection.vocab import COPY_ID, DEL_ID, edit_script

    assert edit_script("walk", "walked") == (None, None, None, None, "e", "d")
    assert edit_script("sing", "sang") == (None, "", "a", None, None)
    assert edit_script("machen", "gemacht") == ("g", "e", None, None, None, None, "", "", "t")
    pairs = [("sing", "sang", "V"), ("machen", "gemacht", "V"), ("ab", "", "X"), ("", "xy", "X")]
    vocab = CharVocab.build(pairs, actions=True)
    for lemma, form, _ in pairs:
        assert vocab.decode(vocab.encode_target(form, lemma), lemma) == form
    assert vocab.encode_target("sang", "sing")[:2] == [COPY_ID, DEL_ID]
    # an unseen stem character is copied, not lost
    assert vocab.decode(vocab.encode_target("qsang", "qsing"), "qsing") == "qsang"
    # a script shorter than the lemma deletes the rest; extra copies past its end are ignored
    assert vocab.decode([COPY_ID, EOS_ID], "sing") == "s"
    assert vocab.decode([COPY_ID] * 6 + [EOS_ID], "ab") == "ab"


def test_pointer_positions_follow_the_script():
    from lexaug.inflection.neural_model import pointer_positions
    from lexaug.inflection.vocab import COPY_ID, DEL_ID

    vocab = CharVocab.build([("sing", "sang", "V")], actions=True)
    script = vocab.encode_target("sang", "sing")  # copy, del, insert a, copy, copy, </s>
    assert script[:2] == [COPY_ID, DEL_ID]
    assert pointer_positions(4, script, actions=True) == [0, 1, 2, 2, 3, 4]
    assert pointer_positions(4, script, actions=False) == [-1] * 6


def test_vocab_order_free_and_unknown_copy(tmp_path):
    vocab = CharVocab.build([("walk", "walked", "V;PST"), ("go", "went", "V;PST;3")])
    assert split_features("V;PST;3") == ["3", "PST", "V"] == split_features("3;V;PST;;V")
    assert vocab.encode_source("walk", "V;PST") == vocab.encode_source("walk", "PST;V")
    src = vocab.encode_source("xwalk", "V;PST")
    assert src[0] == UNK_ID and src[-1] == EOS_ID and len(src) == 5 + 2 + 1
    # an <unk> in the output is filled with the lemma's next out-of-vocabulary character
    ids = vocab.encode_target("walked")[:-1]
    assert vocab.decode([UNK_ID] + ids + [EOS_ID, ids[0]], lemma="xwalk") == "xwalked"
    vocab.save(tmp_path / "v.json")
    assert CharVocab.load(tmp_path / "v.json").itos == vocab.itos
    assert vocab.itos[6:] == sorted("walkedgont") + ["[3]", "[PST]", "[V]"]


@pytest.fixture(scope="module")
def trained():
    from lexaug.inflection.neural import NeuralInflector

    train, test = _task()
    model = NeuralInflector.train(train, test[:40], seed=0, threads=1, hallucinate=0, real_repeat=1, beam=1,
                                  max_steps=300, **TINY)
    return model, test


@pytest.mark.slow
def test_learns_suffixing_rule(trained):
    model, test = trained
    pred = model.predict_many([(l, f) for l, _, f in test])
    acc = sum(p == g for p, (_, g, _) in zip(pred, test)) / len(test)
    assert acc > 0.9, acc
    assert model.info["steps"] == 300 and model.info["best_dev"] > 90.0
    assert [s for s, _ in model.info["curve"]] == [100, 200, 300]


@pytest.mark.slow
def test_feature_order_beam_and_round_trip(trained, tmp_path):
    from lexaug.inflection.base import load_inflector

    model, test = trained
    model.beam = 4
    lemmas = [l for l, _, _ in test[:12:4]]
    for lemma in lemmas:
        a, b = model.inflect(lemma, "V;3;SG;PRS"), model.inflect(lemma, "PRS;SG;3;V")
        assert a == b
        scores = [s for _, s in a]
        assert scores == sorted(scores, reverse=True) and 1 <= len(a) <= 4
        assert all(0.0 < s <= 1.0 for s in scores) and sum(scores) <= 1.0 + 1e-6
    model.save(tmp_path / "m")
    manifest = json.loads((tmp_path / "m" / "inflector.json").read_text())
    assert manifest["model"] == "neural" and manifest["beam"] == 4 and manifest["hparams"]["d_model"] == 64
    loaded = load_inflector(tmp_path / "m")
    pairs = [(l, f) for l, _, f in test]
    assert loaded.predict_many(pairs) == model.predict_many(pairs)
    for lemma in lemmas:  # same forms; scores equal up to float summation order
        a, b = loaded.inflect(lemma, "V;PST"), model.inflect(lemma, "V;PST")
        assert [f for f, _ in a] == [f for f, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], rel=1e-5)
    loaded.beam = model.beam = 1
    assert loaded.predict_many(pairs) == model.predict_many(pairs)


def test_same_seed_same_model_other_seed_differs():
    from lexaug.inflection.neural import NeuralInflector

    train, _ = _task()
    opts = dict(threads=1, hallucinate=20, real_repeat=1, max_steps=8, **{**TINY, "eval_every": 4})
    a = NeuralInflector.train(train[:100], train[:10], seed=3, **opts)
    b = NeuralInflector.train(train[:100], train[:10], seed=3, **opts)
    c = NeuralInflector.train(train[:100], train[:10], seed=4, **opts)
    sa, sb, sc = a.model.state_dict(), b.model.state_dict(), c.model.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not all(torch.equal(sa[k], sc[k]) for k in sa)
    assert a.info["hallucination_stats"]["hallucinated"] == 20 and a.info["steps"] == 8
    assert len(a.info["curve"]) == 2


def test_bad_options_and_missing_model(tmp_path):
    from lexaug.inflection.base import load_inflector
    from lexaug.inflection.neural import NeuralInflector

    with pytest.raises(ConfigError, match="unknown neural option"):
        NeuralInflector.train([("a", "b", "X")], layerz=3)
    with pytest.raises(ConfigError):
        NeuralInflector.train([])
    (tmp_path / "inflector.json").write_text('{"model": "neural"}')
    with pytest.raises(ResourceError, match="vocab.json"):
        load_inflector(tmp_path)


@pytest.mark.slow
def test_real_file_short_run(shared_data, tmp_path):
    """A short run on real data (hsi, 70 training rows): trains, saves, loads, predicts every test item."""
    from lexaug.inflection.base import load_inflector
    from lexaug.inflection.neural import NeuralInflector
    from lexaug.loaders.sigmorphon import read_sigmorphon

    folder = shared_data / "sigmorphon2022"
    train = read_sigmorphon(folder / "hsi_small.train").triples()
    dev = read_sigmorphon(folder / "hsi.dev").triples()
    test = read_sigmorphon(folder / "hsi.test")
    assert (len(train), len(dev), len(test)) == (70, 15, 30)
    model = NeuralInflector.train(train, dev, seed=0, threads=1, hallucinate=200, max_steps=60,
                                  **{**TINY, "eval_every": 30})
    assert model.info["hallucination_stats"]["hallucinated"] == 200
    assert model.info["train_pairs"] == 70 and model.info["steps"] == 60
    model.save(tmp_path / "hsi")
    preds = load_inflector(tmp_path / "hsi").predict_many(test.pairs())
    assert len(preds) == 30 and preds == model.predict_many(test.pairs())


@pytest.mark.slow
def test_cli_train_predict_neural(tmp_path):
    from click.testing import CliRunner

    from lexaug.loaders.sigmorphon import read_sigmorphon
    from lexaug_cli.main import cli

    train, test = _task()
    (tmp_path / "t.train").write_text("".join(f"{l}\t{f}\t{t}\n" for l, f, t in train[:200]), encoding="utf-8")
    (tmp_path / "t.test").write_text("".join(f"{l}\t{t}\n" for l, _, t in test[:10]), encoding="utf-8")
    args = ["inflect", "train", "--train", str(tmp_path / "t.train"), "--dev", str(tmp_path / "t.train"),
            "--model", "neural", "--out", str(tmp_path / "m"), "--seed", "2", "-o", "max_steps=20",
            "-o", "eval_every=10", "-o", "hallucinate=30", "-o", "layers=1", "-o", "d_model=32", "-o", "ffn=64"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "trained neural on 200 pairs" in result.output and "step 20" in result.output
    result = CliRunner().invoke(cli, ["inflect", "predict", "--model", str(tmp_path / "m"), "--input",
                                      str(tmp_path / "t.test"), "--output", str(tmp_path / "p.tsv")])
    assert result.exit_code == 0, result.output
    pred = read_sigmorphon(tmp_path / "p.tsv")
    assert [(i.lemma, i.features) for i in pred] == [(l, t) for l, _, t in test[:10]]
    bad = CliRunner().invoke(cli, args[:-2] + ["-o", "nonsense=1"])
    assert bad.exit_code == 1 and "unknown neural option" in bad.output
