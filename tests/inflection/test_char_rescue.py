"""`char_rescue`: a character member that has learned next to nothing by half its time starts again from the
encoder of the last edit-script member, for the time it has left. In the committed result files the cold
character member ended below a tenth of its edit-script siblings' dev accuracy in 7 runs (2022 small Hebrew seed
1, 2022 large Gothic and Pomak, 2023 Amharic, Egyptian Arabic, Hebrew and unvocalised Hebrew), where the
ensemble then rests on two networks; where it learns, the run is unchanged."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lexaug.errors import ConfigError
from lexaug_cli.main import cli

torch = pytest.importorskip("torch")

from test_char_warm import _same  # noqa: E402  (tests/inflection is on sys.path)
from test_neural_budget import _rows, _tiny  # noqa: E402

# members that learn something in 40 steps (edit-script members reach 50% of dev; the character member 0%)
QUICK = {**_tiny(), "max_steps": 40, "eval_every": 10, "warmup": 5, "lr": 0.01}


def test_train_model_gives_up_at_the_first_evaluation_past_the_point_below_the_bar():
    """Without a clock the point is a share of `max_steps`: with a bar no model can reach (101%) training stops
    at the first evaluation at or after step 10 of 20 and says so; with a bar of 0 it never stops early and
    trains the very network it trains without the option."""
    from lexaug.inflection.neural_model import NeuralHParams
    from lexaug.inflection.neural_train import train_model
    from lexaug.inflection.vocab import CharVocab

    rows = _rows(10, 2)
    vocab = CharVocab.build(rows, actions=False)
    hp = NeuralHParams(layers=1, d_model=32, ffn=64, heads=2, max_steps=20, eval_every=4)
    _, stopped = train_model(rows, rows[:4], vocab, hp, seed=0, threads=1, give_up=(0.5, 101.0))
    assert stopped.gave_up and stopped.steps == 12  # evaluations at 4, 8, 12: 12 is the first at or past 10
    assert [step for step, _ in stopped.curve] == [4, 8, 12]
    kept, log = train_model(rows, rows[:4], vocab, hp, seed=0, threads=1, give_up=(0.5, 0.0))
    plain, plain_log = train_model(rows, rows[:4], vocab, hp, seed=0, threads=1)
    assert not log.gave_up and log.steps == plain_log.steps == 20
    assert _same(kept, plain)


@pytest.fixture
def calls(monkeypatch) -> list:
    """(encoder given?, give_up, max_steps) of every `train_model` call of the serial path, in order."""
    from lexaug.inflection import neural_train

    seen: list = []
    real_train = neural_train.train_model

    def spy(*args, **kwargs):
        seen.append((kwargs.get("encoder") is not None, kwargs.get("give_up"), args[3].max_steps))
        return real_train(*args, **kwargs)

    monkeypatch.setattr(neural_train, "train_model", spy)
    return seen


def test_a_character_member_below_the_bar_starts_again_warm(calls):
    """Ensemble of 3, one character member, 40 steps each, `char_rescue=1.0` (the bar: the best edit-script
    member's dev accuracy, which a character member of 20 steps is far below): the character member stops at the
    evaluation at step 20 and trains again from member 2's encoder for the 20 steps left; the info says so. The
    edit-script members are the networks of a run without the option."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(30, 3)
    train, dev = rows[:70], rows[70:]
    opts = dict(seed=4, ensemble=3, char_members=1, char_hallucinate=10, beam=1, **QUICK)
    rescued = NeuralInflector.train(train, dev, char_rescue=1.0, **opts)
    edit_best = max(m["best_dev"] for m in rescued.info["members"][:2])
    assert edit_best > 0
    assert [c[:2] for c in calls] == [(False, None), (False, None), (False, (0.5, edit_best)), (True, None)]
    assert calls[3][2] == 20  # the steps the cold start left
    third = rescued.info["members"][2]
    assert third["init"] == "encoder of member 2" and third["steps"] == 20
    assert third["rescue"]["cold_steps"] == 20 and third["rescue"]["cold_best_dev"] < edit_best
    assert third["rescue"]["bar"] == edit_best
    assert rescued.info["char_rescue"] == 1.0
    calls.clear()
    plain = NeuralInflector.train(train, dev, **opts)
    assert [c[:2] for c in calls] == [(False, None)] * 3
    assert "rescue" not in plain.info["members"][2] and "char_rescue" not in plain.info
    assert _same(rescued.models[0], plain.models[0]) and _same(rescued.models[1], plain.models[1])


def test_no_rescue_for_a_member_that_starts_warm_or_without_dev(calls):
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(30, 3)
    opts = dict(seed=4, ensemble=3, char_members=1, char_hallucinate=10, beam=1, char_rescue=1.0,
                **QUICK)
    NeuralInflector.train(rows[:70], rows[70:], char_warm=True, **opts)
    assert [c[:2] for c in calls] == [(False, None), (False, None), (True, None)]
    calls.clear()
    model = NeuralInflector.train(rows, None, **opts)  # no dev: nothing to judge the member by
    assert [c[:2] for c in calls] == [(False, None)] * 3 and "rescue" not in model.info["members"][2]


@pytest.mark.parametrize("value", [-0.1, 1.5, True, "half"])
def test_char_rescue_is_a_share(value):
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(10, 1)
    with pytest.raises(ConfigError, match=r"char_rescue") as err:
        NeuralInflector.train(rows, rows[:5], char_rescue=value, **_tiny())
    assert "expected a share between 0 and 1" in str(err.value) and "\n" not in str(err.value)


def test_char_rescue_needs_members_trained_one_after_another():
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(10, 1)
    with pytest.raises(ConfigError, match=r"char_rescue=0.1 .*workers=1"):
        NeuralInflector.train(rows, rows[:5], ensemble=3, workers=2, char_rescue=0.1, **_tiny())


def test_cli_rejects_a_bad_share_in_one_line(tmp_path):
    from test_neural_budget import _write

    rows = _rows(10, 1)
    _write(tmp_path / "t.train", rows)
    res = CliRunner().invoke(cli, ["inflect", "train", "--model", "neural", "--train", str(tmp_path / "t.train"),
                                   "--dev", str(tmp_path / "t.train"), "--out", str(tmp_path / "m"),
                                   "-o", "char_rescue=2"])
    assert res.exit_code == 1
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and "char_rescue=2" in lines[0]
    assert not (tmp_path / "m").exists()


def test_under_a_clock_the_point_is_a_share_of_the_time():
    """With a deadline the point is `share` of the time from the start to it, whatever the step."""
    import time

    from lexaug.inflection.neural_train import below_bar_at

    now = time.perf_counter()
    curve = [(200, 1.0), (400, 3.0)]
    assert not below_bar_at((0.5, 5.0), 400, 10, start=now - 60, end=now + 100, curve=curve)  # point: now + 20
    assert below_bar_at((0.5, 5.0), 400, 10, start=now - 100, end=now + 50, curve=curve)  # point: now - 25
    assert not below_bar_at((0.5, 3.0), 400, 10, start=now - 100, end=now + 50, curve=curve)  # 3.0 reached the bar
