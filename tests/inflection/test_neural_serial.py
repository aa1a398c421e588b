"""`train_members_serial`: how members trained one after another share the budget, and what they start from.

The networks are stand-ins and the clock is a counter (nothing trains): each stand-in member "trains" until the
deadline it is given, so the shares can be checked to the second."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")  # neural_train imports it

from lexaug.inflection import neural_serial, neural_train  # noqa: E402
from lexaug.inflection.neural_train import TrainLog  # noqa: E402


class _Vocab:
    def with_actions(self, actions: bool) -> str:
        return "scripts" if actions else "chars"


class _Net:
    def __init__(self, index: int) -> None:
        self.index = index

    def get_encoder(self) -> "_Net":
        return self

    def state_dict(self) -> str:
        return f"encoder of member {self.index + 1}"


def _run(monkeypatch, *, actions=(True, True, False), deadline=300.0, reserve_evals=32, eval_seconds=1.0,
         edit_search=None, char_warm=False):
    """Train stand-in members from clock 0; returns (the result, one record per member: the deadline it got, its
    vocabulary kind, its seed, the encoder it started from)."""
    now = [0.0]
    calls = []

    def fake_train(data, dev, vocab, hp, *, seed, threads, progress, device, deadline, encoder=None, give_up=None):
        calls.append({"deadline": deadline, "vocab": vocab, "seed": seed, "encoder": encoder, "data": data})
        now[0] = deadline if deadline is not None else now[0]
        return _Net(len(calls) - 1), TrainLog(steps=10, seconds=1.0, best_dev=50.0, eval_seconds=eval_seconds)

    monkeypatch.setattr(neural_train, "train_model", fake_train)
    monkeypatch.setattr(neural_serial.time, "perf_counter", lambda: now[0])
    done = neural_serial.train_members_serial(
        [[("a", "b", f"T{i}")] for i in range(len(actions))], [("a", "b", "T0")], _Vocab(), hp=None, seed=7,
        member_actions=list(actions), threads=1, device="cpu", deadline=deadline, reserve_evals=reserve_evals,
        char_warm=char_warm, char_rescue=0.0, edit_search=edit_search, progress=None)
    return done, calls


def test_members_share_the_time_left_and_the_last_keeps_the_evaluation_reserve(monkeypatch):
    """300 s, three members: the first gets a third (100 s), the second half of what is left (100 s), the last the
    rest less 32 dev evaluations of 1 s (68 s). Seeds count up from the given one; each member gets its own
    training rows and the vocabulary of its kind."""
    done, calls = _run(monkeypatch)
    assert [c["deadline"] for c in calls] == [100.0, 200.0, 268.0]
    assert [c["seed"] for c in calls] == [7, 8, 9]
    assert [c["vocab"] for c in calls] == ["scripts", "scripts", "chars"]
    assert [c["data"][0][2] for c in calls] == ["T0", "T1", "T2"]
    assert [net.index for net in done.nets] == [0, 1, 2] and len(done.logs) == 3
    assert done.starts == [None, None, None] and done.rescues == {} and done.known is None


def test_a_measured_reserve_replaces_the_evaluation_reserve(monkeypatch):
    """`edit_search` is called once, with the two edit-script networks, just before the character member; the
    seconds it measured (10) are what the last member keeps back instead of 32 evaluations."""
    seen = []

    def search(nets):
        seen.append([net.index for net in nets])
        return {True: ["candidates"]}, 2.0, 10.0

    done, calls = _run(monkeypatch, edit_search=search)
    assert seen == [[0, 1]]
    assert calls[-1]["deadline"] == 290.0
    assert (done.known, done.searched, done.measured) == ({True: ["candidates"]}, 2.0, 10.0)


def test_no_deadline_means_no_clock_and_char_warm_starts_from_the_last_edit_member(monkeypatch):
    done, calls = _run(monkeypatch, deadline=None, char_warm=True)
    assert [c["deadline"] for c in calls] == [None, None, None]
    assert [c["encoder"] for c in calls] == [None, None, "encoder of member 2"]
    assert done.starts == [None, None, 1]


def test_a_single_member_has_the_whole_budget(monkeypatch):
    """One member: no reserve (there is no earlier member's evaluation to size it by)."""
    done, calls = _run(monkeypatch, actions=(True,))
    assert [c["deadline"] for c in calls] == [300.0]
