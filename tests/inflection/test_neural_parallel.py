"""Ensemble members trained in parallel processes (`workers` > 1, `lexaug.inflection.neural_parallel`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from procs import child_processes  # tests/ is on sys.path (conftest.py)

from lexaug.errors import ConfigError, TrainingError

torch = pytest.importorskip("torch")

from test_neural_budget import SMALL, _lexaug, _rows, _tiny, _write  # noqa: E402  (tests/inflection is on sys.path)

needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts child processes in /proc (Linux)")


@needs_proc
def test_parallel_members_equal_sequential_ones_and_leave_no_process():
    """With `max_steps` stopping the run, members trained two at a time in their own processes have the very
    weights of members trained one after another (same seeds, one thread), in any round layout; the progress
    lines name their member; no member process is left."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(40, 3)
    train, dev = rows[:90], rows[90:]
    before = child_processes(os.getpid())
    serial = NeuralInflector.train(train, dev, seed=5, ensemble=3, char_members=0, beam=1, **_tiny())
    lines: list[str] = []
    both = NeuralInflector.train(train, dev, seed=5, ensemble=3, char_members=0, beam=1, workers=2,
                                 progress=lines.append, **_tiny())
    assert child_processes(os.getpid()) == before
    assert both.info["workers"] == 2 and serial.info["workers"] == 1
    assert [m["seed"] for m in both.info["members"]] == [5, 6, 7]
    assert [m["steps"] for m in both.info["members"]] == [60, 60, 60]
    for a, b in zip(serial.models, both.models):
        sa, sb = a.state_dict(), b.state_dict()
        assert sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
    assert {line.split(":")[0] for line in lines} == {"member 1/3", "member 2/3", "member 3/3"}
    assert len(lines) == 3 * len(both.info["curve"])  # each member evaluates at the same steps
    pairs = [(l, f) for l, _, f in dev]
    assert both.predict_many(pairs) == serial.predict_many(pairs)
    # more workers than members: one round, capped at the ensemble size
    wide = NeuralInflector.train(train, dev, seed=5, ensemble=2, char_members=0, beam=1, workers=8, **_tiny())
    assert wide.info["workers"] == 2
    assert all(torch.equal(x, y) for x, y in zip(wide.models[1].state_dict().values(),
                                                 serial.models[1].state_dict().values()))


@needs_proc
def test_mixed_ensemble_members_in_parallel_equal_sequential_ones():
    """A mixed ensemble (`char_members`) trains in parallel too: each member process writes what its member
    writes (edit scripts, then characters) from its own data (`char_hallucinate`), so the weights, the dev-chosen
    character weight and the forms are those of the sequential run; no member process is left."""
    from lexaug.inflection.neural import NeuralInflector

    rows = _rows(40, 3)
    train, dev = rows[:90], rows[90:]
    before = child_processes(os.getpid())
    serial = NeuralInflector.train(train, dev, seed=2, ensemble=3, char_members=1, char_hallucinate=10, beam=2,
                                   **_tiny())
    both = NeuralInflector.train(train, dev, seed=2, ensemble=3, char_members=1, char_hallucinate=10, beam=2,
                                 workers=2, **_tiny())
    assert child_processes(os.getpid()) == before
    assert both.info["workers"] == 2
    assert [m["writes"] for m in both.info["members"]] == ["edit scripts", "edit scripts", "characters"]
    for a, b in zip(serial.models, both.models):
        sa, sb = a.state_dict(), b.state_dict()
        assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert both.info["char_weight_dev"] == serial.info["char_weight_dev"]
    pairs = [(l, f) for l, _, f in dev]
    assert both.predict_many(pairs) == serial.predict_many(pairs)


@needs_proc
def test_failing_member_is_one_error_and_stops_the_others():
    """A member that fails in its process ends the run with one line naming it and the cause; every member
    process is gone afterwards."""
    from lexaug.inflection.neural_model import NeuralHParams
    from lexaug.inflection.neural_parallel import train_members_parallel
    from lexaug.inflection.vocab import CharVocab

    rows = _rows(10, 4)
    bad = NeuralHParams(layers=1, d_model=30, ffn=64, heads=4, max_steps=5)  # 30 is not a multiple of 4
    before = child_processes(os.getpid())
    with pytest.raises(TrainingError, match=r"^ensemble member \d/2 failed: ValueError: ") as err:
        train_members_parallel(rows, rows[:5], CharVocab.build(rows, actions=True), bad, seed=0, ensemble=2,
                               workers=2, threads=1, deadline=None, progress=None)
    assert "\n" not in str(err.value)
    assert child_processes(os.getpid()) == before


def test_workers_option_checked():
    from lexaug.inflection.neural import NeuralInflector

    for value in (0, -1, 1.5, True):
        with pytest.raises(ConfigError, match="workers="):
            NeuralInflector.train(_rows(5, 0), None, workers=value, **_tiny())


def test_cli_parallel_members_within_budget_quiet_stderr(tmp_path):
    """`inflect train -o workers=2` through the real command under a budget: the run keeps its budget, the
    metadata says how the members were trained, stderr has progress lines and no library warning."""
    rows = _rows(60, 0)
    _write(tmp_path / "t.train", rows[:150])
    _write(tmp_path / "t.dev", rows[150:])
    res = _lexaug("inflect", "train", "--model", "neural", "--train", str(tmp_path / "t.train"), "--dev",
                  str(tmp_path / "t.dev"), "--out", str(tmp_path / "m"), "--minutes", "0.25", "--device", "cpu",
                  "-o", "ensemble=2", "-o", "workers=2", *SMALL)
    assert res.returncode == 0, res.stderr
    info = json.loads((tmp_path / "m" / "inflector.json").read_text(encoding="utf-8"))["info"]
    assert info["workers"] == 2 and info["ensemble"] == 2
    # the members train at the same time and stop at their deadlines; the whole run's seconds are not bounded
    # here, as it also counts starting two processes that import torch (17.3 s of a 15-second budget with four
    # busy processes on the 2 cores, session 29; a 10-minute budget makes that negligible)
    assert info["seconds"] > 0 and all(0 < m["seconds"] <= 0.25 * 60 + 2 for m in info["members"])
    assert all(m["steps"] > 0 for m in info["members"])
    assert any(line.startswith("member 2/2: step ") for line in res.stderr.splitlines())
    assert "warn" not in res.stderr.lower() and "deprecat" not in res.stderr.lower(), res.stderr
