"""Batched beam search (`neural_model.beam_decode_many`): many sources searched in one decoder batch give
each source exactly the hypotheses of its own one-source search."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from test_neural_budget import _rows, _tiny  # noqa: E402  (tests/inflection is on sys.path)


@pytest.fixture(scope="module")
def trained():
    """Two tiny edit-script models (seeds 1, 2), a tiny character model, and 60 (lemma, features) pairs of
    lemma lengths 3-6."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(40, 7)
    train, dev = rows[:90], rows[90:]
    scripts = NeuralInflector.train(train, dev, seed=1, beam=1, **_tiny())
    other = NeuralInflector.train(train, dev, seed=2, beam=1, **_tiny())
    chars = NeuralInflector.train(train, dev, seed=1, beam=1, **_tiny(actions=False))
    pairs = [(lemma, feats) for lemma, _, feats in rows[::2]][:60]
    return scripts, other, chars, pairs


def _inputs(model, pairs):
    sources = [model.vocab.encode_source(lemma, feats) for lemma, feats in pairs]
    return sources, [len(lemma) for lemma, _ in pairs]


def _same(batched, alone):
    """The same hypotheses in the same order, scores equal up to float rounding."""
    assert len(batched) == len(alone)
    for many, one in zip(batched, alone):
        assert [ids for ids, _ in many] == [ids for ids, _ in one]
        assert all(math.isclose(a, b, abs_tol=1e-4) for (_, a), (_, b) in zip(many, one))


@pytest.mark.parametrize("kind", ["scripts", "chars"])
@pytest.mark.parametrize("length_alpha", [0.0, 1.0])
def test_batched_search_equals_one_source_at_a_time(trained, kind, length_alpha):
    from lexaug.inflection.neural_model import beam_decode, beam_decode_many

    scripts, _, chars, pairs = trained
    model = scripts if kind == "scripts" else chars
    sources, lens = _inputs(model, pairs)
    actions = model.vocab.actions
    alone = [beam_decode(model.model, s, n, 4, 64, actions, length_alpha) for s, n in zip(sources, lens)]
    assert all(1 <= len(found) <= 4 for found in alone)
    assert len({len(found[0][0]) for found in alone}) > 1  # sources whose searches end at different steps
    for batch_size in (7, 128):  # uneven last batch; all at once
        _same(beam_decode_many(model.model, sources, lens, 4, 64, actions, length_alpha, batch_size), alone)


def test_batched_search_of_an_ensemble_and_at_the_step_limit(trained):
    """An ensemble's batch equals its one-source searches; with a step limit too short for any hypothesis to
    finish, every source returns its live hypotheses, in the batch as alone."""
    from lexaug.inflection.neural_model import beam_decode, beam_decode_many

    scripts, other, _, pairs = trained
    assert other.vocab.itos == scripts.vocab.itos  # same training rows: one vocabulary
    sources, lens = _inputs(scripts, pairs)
    nets = [scripts.model, other.model]
    alone = [beam_decode(nets, s, n, 3, 64, True) for s, n in zip(sources, lens)]
    _same(beam_decode_many(nets, sources, lens, 3, 64, True), alone)
    short = [beam_decode(scripts.model, s, n, 3, 2, True) for s, n in zip(sources, lens)]
    assert all(len(found) == 3 and all(len(ids) == 2 for ids, _ in found) for found in short)
    _same(beam_decode_many(scripts.model, sources, lens, 3, 2, True), short)
