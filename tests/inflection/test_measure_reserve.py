"""`measure_reserve`: under a budget, the edit-script members' dev search runs as soon as they are trained, its
time sizes what is kept back for the tuning after the character member, and the tuning reuses it."""

from __future__ import annotations

import pytest

from lexaug.errors import ConfigError

torch = pytest.importorskip("torch")

from test_neural_budget import _rows, _tiny  # noqa: E402  (tests/inflection is on sys.path)

from lexaug.inflection.neural_groups import TUNING_PER_EDIT_SEARCH  # noqa: E402


@pytest.fixture
def searches(monkeypatch) -> list[int]:
    """The number of networks of every dev/test beam search, in call order."""
    from lexaug.inflection import neural_model

    calls: list[int] = []
    real = neural_model.beam_decode_many

    def spy(nets, *args, **kwargs):
        calls.append(len(nets))
        return real(nets, *args, **kwargs)

    monkeypatch.setattr(neural_model, "beam_decode_many", spy)
    return calls


def _train(measure: bool, minutes: float = 1.0):
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(30, 3)
    return NeuralInflector.train(rows[:70], rows[70:], seed=4, ensemble=3, char_members=1, char_hallucinate=10,
                                 measure_reserve=measure, beam=2, **_tiny(max_minutes=minutes)), rows[70:]


def test_the_edit_group_is_searched_once_before_the_character_member_and_reused(searches):
    model, dev = _train(True)
    assert searches == [2, 1]  # the edit-script pair, then (after the character member) the character member
    reserve = model.info["reserve"]
    assert reserve["seconds"] == pytest.approx(TUNING_PER_EDIT_SEARCH * reserve["edit_search_seconds"], abs=0.3)
    tuned = dict(model.info["char_weight_dev"])
    model._tune_char_weight(dev)  # searched afresh with the same networks: the same choice and dev accuracies
    assert model.info["char_weight_dev"] == tuned


def test_off_by_default_and_without_a_budget(searches):
    model, _ = _train(False)
    assert "reserve" not in model.info and searches == [2, 1]  # the same two searches, both after training
    searches.clear()
    model, _ = _train(True, minutes=0.0)  # no budget: nothing to reserve for
    assert "reserve" not in model.info and searches == [2, 1]


def test_bad_value_is_one_line():
    from lexaug.inflection.neural import NeuralInflector

    with pytest.raises(ConfigError, match="measure_reserve='yes'"):
        NeuralInflector.train(_rows(5, 1), measure_reserve="yes", **_tiny())
