"""`char_warm`: character members start from the encoder of the last edit-script member trained before them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from procs import child_processes  # tests/ is on sys.path (conftest.py)

from lexaug.errors import ConfigError

torch = pytest.importorskip("torch")

from test_neural_budget import _rows, _tiny  # noqa: E402  (tests/inflection is on sys.path)


def _same(a, b) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_train_model_starts_from_the_given_encoder():
    """`train_model(encoder=...)` loads those weights before the first step: with a learning rate too small to
    move them, the trained encoder is the given one, and the tied token embeddings with it; without it the
    network starts from its seed's random weights."""
    from lexaug.inflection.neural_model import NeuralHParams, build_model
    from lexaug.inflection.neural_train import train_model
    from lexaug.inflection.vocab import CharVocab

    rows = _rows(10, 2)
    vocab = CharVocab.build(rows, actions=False)
    hp = NeuralHParams(layers=1, d_model=32, ffn=64, heads=2, lr=1e-30, max_steps=2, eval_every=1)
    torch.manual_seed(123)
    donor = build_model(len(vocab), hp).get_encoder().state_dict()
    warm, log = train_model(rows, rows[:4], vocab, hp, seed=0, threads=1, encoder=donor)
    assert log.steps == 2
    got = warm.get_encoder().state_dict()
    assert got.keys() == donor.keys()
    assert all(torch.allclose(got[k], donor[k], atol=1e-6) for k in donor)
    assert torch.allclose(warm.get_decoder().embed_tokens.weight, donor["embed_tokens.weight"], atol=1e-6)
    cold, _ = train_model(rows, rows[:4], vocab, hp, seed=0, threads=1)
    assert not torch.allclose(cold.get_encoder().embed_tokens.weight, donor["embed_tokens.weight"])


@pytest.fixture
def encoders(monkeypatch) -> list:
    """The `encoder` argument of every `train_model` call of the serial path, in member order."""
    from lexaug.inflection import neural_train

    calls: list = []
    real_train = neural_train.train_model

    def spy(*args, **kwargs):
        calls.append(kwargs.get("encoder"))
        return real_train(*args, **kwargs)

    monkeypatch.setattr(neural_train, "train_model", spy)
    return calls


def test_the_character_member_gets_the_second_members_encoder(encoders):
    """Ensemble of 3 with one character member: members 1 and 2 start from random weights, member 3 from
    member 2's trained encoder (the info says so); without `char_warm` (the default) every member starts from
    random weights, and members 1 and 2 are the same networks either way."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(30, 3)
    train, dev = rows[:70], rows[70:]
    warm = NeuralInflector.train(train, dev, seed=4, ensemble=3, char_members=1, char_hallucinate=10,
                                 char_warm=True, beam=1, **_tiny())
    assert encoders[:2] == [None, None] and encoders[2] is not None
    second = warm.models[1].get_encoder().state_dict()
    assert all(torch.equal(encoders[2][k], second[k]) for k in second)
    assert [m["init"] for m in warm.info["members"]] == ["random", "random", "encoder of member 2"]
    encoders.clear()
    cold = NeuralInflector.train(train, dev, seed=4, ensemble=3, char_members=1, char_hallucinate=10, beam=1,
                                 **_tiny())
    assert encoders == [None, None, None]
    assert [m["init"] for m in cold.info["members"]] == ["random"] * 3
    assert _same(warm.models[0], cold.models[0]) and _same(warm.models[1], cold.models[1])
    assert not _same(warm.models[2], cold.models[2])


def test_without_edit_script_members_before_it_a_character_member_starts_cold():
    """Every member writes characters (`actions=false`): no edit-script encoder to start from, all random."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(20, 2)
    model = NeuralInflector.train(rows, rows[:6], seed=1, ensemble=2, actions=False, char_warm=True, beam=1,
                                  **_tiny())
    assert [m["init"] for m in model.info["members"]] == ["random", "random"]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts child processes in /proc (Linux)")
def test_parallel_rounds_warm_the_later_round_only():
    """workers=2 (rounds of members 1-2, then 3): the character member starts from member 2's encoder as in the
    serial run, to the same weights; workers=3 (one round): nothing is trained before it, so it starts cold,
    as the serial run without `char_warm`. No member process is left."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(30, 3)
    train, dev = rows[:70], rows[70:]
    opts = dict(seed=4, ensemble=3, char_members=1, char_hallucinate=10, char_warm=True, beam=1, **_tiny())
    before = child_processes(os.getpid())
    serial = NeuralInflector.train(train, dev, **opts)
    rounds = NeuralInflector.train(train, dev, workers=2, **opts)
    at_once = NeuralInflector.train(train, dev, workers=3, **opts)
    assert child_processes(os.getpid()) == before
    assert [m["init"] for m in rounds.info["members"]] == ["random", "random", "encoder of member 2"]
    assert all(_same(a, b) for a, b in zip(serial.models, rounds.models))
    assert [m["init"] for m in at_once.info["members"]] == ["random"] * 3
    cold = NeuralInflector.train(train, dev, **{**opts, "char_warm": False})
    assert _same(at_once.models[2], cold.models[2])


def test_char_warm_must_be_true_or_false():
    from lexaug.inflection.neural import NeuralInflector

    with pytest.raises(ConfigError, match="char_warm='yes'"):
        NeuralInflector.train(_rows(5, 1), None, char_warm="yes", **_tiny())
