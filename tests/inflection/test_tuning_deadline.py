"""The dev tuning after training (character weight, rule-fallback margin) stops at the budget's deadline: it tunes
on the dev items it reached, and with time to spare it is exactly the tuning without a deadline."""

from __future__ import annotations

import copy
import time

import pytest

torch = pytest.importorskip("torch")

from test_neural import TINY, _task  # noqa: E402


def test_batch_clock_stops_before_a_batch_that_would_end_late(monkeypatch):
    from lexaug.inflection import neural_model
    from lexaug.inflection.neural_model import BatchClock

    assert list(BatchClock(None).batches(10, 4)) == [0, 4, 8]
    assert list(BatchClock(time.perf_counter() + 1e6).batches(10, 4)) == [0, 4, 8]
    assert list(BatchClock(time.perf_counter() - 1).batches(10, 4)) == []  # the deadline has passed
    now = [100.0]  # a fake clock: each batch takes 3 s; the deadline at 107 leaves room for two
    monkeypatch.setattr(neural_model.time, "perf_counter", lambda: now[0])
    done = []
    for start in BatchClock(107.0).batches(20, 4):
        done.append(start)
        now[0] += 3.0
    assert done == [0, 4]  # at 106 a third batch (3 s, as the last) would end at 109


@pytest.fixture(scope="module")
def model_and_dev():
    from lexaug.inflection.neural import NeuralInflector

    train, test = _task()
    model = NeuralInflector.train(train[:400], None, seed=0, threads=1, hallucinate=0, real_repeat=1, beam=3,
                                  ensemble=2, char_members=1, max_steps=60, rule_fallback=False, **TINY)
    return model, train[:400], test[:200]


def _tuned(model, train, dev, deadline):
    tuned = copy.copy(model)
    tuned.info = dict(model.info)
    forms = tuned._tune_char_weight(dev, None, deadline)
    tuned._tune_fallback(train, dev, forms, deadline)
    return tuned, forms


@pytest.mark.slow
def test_time_to_spare_tunes_exactly_as_without_a_deadline(model_and_dev):
    model, train, dev = model_and_dev
    plain, forms = _tuned(model, train, dev, None)
    spare, spare_forms = _tuned(model, train, dev, time.perf_counter() + 1e6)
    assert spare_forms == forms and len(forms) == len(dev)
    for key in ("char_weight_dev", "fallback_dev", "ensemble_dev"):
        assert spare.info[key] == plain.info[key]
    assert "dev_items" not in spare.info["char_weight_dev"] and "dev_items" not in spare.info["fallback_dev"]
    assert (spare.char_weight, spare.fallback_margin) == (plain.char_weight, plain.fallback_margin)


@pytest.mark.slow
def test_a_spent_budget_tunes_nothing(model_and_dev):
    model, train, dev = model_and_dev
    late, forms = _tuned(model, train, dev, time.perf_counter() - 1)
    assert forms == [] and late.char_weight == 0.5  # the grid's first weight
    assert late.info["char_weight_dev"]["dev_items"] == 0 and late.info["fallback_dev"]["dev_items"] == 0
    assert late.info["fallback_dev"]["margin"] is None and late.fallback is None


@pytest.mark.slow
def test_a_deadline_mid_way_tunes_on_the_prefix_reached(model_and_dev, monkeypatch):
    """One batch a search or scoring pass (beam search: 128 of the 200 dev items): the weight and margin are those
    that tuning on that prefix alone chooses."""
    from lexaug.inflection import neural_model

    model, train, dev = model_and_dev

    def one_batch(self, n, size):  # under a deadline, each pass gets its first batch only
        if self.deadline is None:
            yield from range(0, n, size)
        elif n:
            yield 0

    monkeypatch.setattr(neural_model.BatchClock, "batches", one_batch)
    cut, forms = _tuned(model, train, dev, deadline=1.0)
    done = cut.info["char_weight_dev"]["dev_items"]
    assert 0 < done <= 128 and len(forms) == done
    monkeypatch.undo()
    prefix, prefix_forms = _tuned(model, train, dev[:done], None)
    assert forms == prefix_forms and cut.char_weight == prefix.char_weight
    assert cut.info["char_weight_dev"]["dev_accuracy"] == prefix.info["char_weight_dev"]["dev_accuracy"]
    reached = cut.info["fallback_dev"].get("dev_items", done)
    assert reached <= done
    if reached == done:  # the fallback's scoring fitted in its one batch
        assert cut.fallback_margin == prefix.fallback_margin
        assert cut.info["fallback_dev"] == {**prefix.info["fallback_dev"], "dev_items": done}


@pytest.mark.slow
def test_training_says_when_the_budget_cut_the_tuning(monkeypatch):
    """Under a budget the tuning gets the deadline: here every tuning pass finds it spent (batches refused), so the
    model keeps the first weight and no fallback, its info says on how many dev items, and one progress line says so."""
    from lexaug.inflection import neural_model
    from lexaug.inflection.neural import NeuralInflector

    def refuse(self, n, size):
        if self.deadline is None:
            yield from range(0, n, size)

    monkeypatch.setattr(neural_model.BatchClock, "batches", refuse)
    train, test = _task()
    lines: list[str] = []
    model = NeuralInflector.train(train[:200], test[:30], seed=0, threads=1, hallucinate=0, real_repeat=1,
                                  ensemble=2, char_members=1, max_steps=20, max_minutes=5, progress=lines.append,
                                  **TINY)
    assert model.info["char_weight_dev"]["dev_items"] == 0 and model.info["fallback_dev"]["dev_items"] == 0
    assert model.fallback is None and model.char_weight == 0.5
    assert lines[-1] == ("the budget ran out while tuning on dev (30 items): character weight chosen on 0, "
                         "rule fallback chosen on 0")
