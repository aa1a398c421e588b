"""Ensemble members trained one after another in this process (`workers=1`; `neural_parallel` trains them at the
same time). Under a deadline each member gets an equal share of the time left, the last one less the time kept
back for the ensemble's own dev tuning. A character member may start from the encoder of the last edit-script
member trained before it (`char_warm`), or start again from there when it has not started (`char_rescue`)."""

from __future__ import annotations

import dataclasses
import functools
import time
from typing import Any, Callable, Sequence

from lexaug.inflection.base import Triple
from lexaug.inflection.neural_members import last_edit_member, rescue_bar

# `char_rescue`: the share of a character member's time (of its steps without a clock) after which it is judged
RESCUE_AT = 0.5

# measure_reserve: given the edit-script members trained so far, search dev with them and return (the candidates
# for the weight tuning, the search's seconds, the seconds to keep back for the tuning); see `measured_reserve`
EditSearch = Callable[[list[Any]], tuple[dict[bool, Any], float, float]]


@dataclasses.dataclass
class SerialMembers:
    """What `train_members_serial` trained: per member its network, `TrainLog` and start (the member whose encoder
    it started from; None: random weights); the cold starts `char_rescue` replaced, by member index; with
    `edit_search`, the edit-script group's dev candidates and the search's and the reserve's seconds."""

    nets: list[Any]
    logs: list[Any]
    starts: list[int | None]
    rescues: dict[int, dict[str, Any]]
    known: dict[bool, Any] | None = None
    searched: float = 0.0
    measured: float = 0.0


def train_members_serial(member_data: Sequence[Sequence[Triple]], dev: list[Triple], vocab: Any, hp: Any, *,
                         seed: int, member_actions: Sequence[bool], threads: int | None, device: str,
                         deadline: float | None, reserve_evals: int, char_warm: bool, char_rescue: float,
                         edit_search: EditSearch | None,
                         progress: Callable[[str], None] | None) -> SerialMembers:
    """Train member i (seed `seed + i`) on `member_data[i]`, writing edit scripts where `member_actions[i]`, else
    characters. `deadline`: a `time.perf_counter()` value; the last member keeps back `reserve_evals` dev
    evaluations of the member before it, or the reserve `edit_search` measured (called once, just before the
    first character member that follows only edit-script members). None: no clock."""
    from lexaug.inflection.neural_train import train_model  # looked up here, so tests can wrap it

    ensemble = len(member_actions)
    done = SerialMembers(nets=[], logs=[], starts=[None] * ensemble, rescues={})
    for i in range(ensemble):
        writes_chars = not member_actions[i]
        start = last_edit_member(member_actions[:i]) if char_warm and writes_chars else None
        done.starts[i] = start
        encoder = None if start is None else done.nets[start].get_encoder().state_dict()
        if edit_search is not None and writes_chars and all(member_actions[:i]):
            done.known, done.searched, done.measured = edit_search(done.nets)
        member_deadline = None
        if deadline is not None:  # an equal share of the time left, less the reserve for the last
            reserve = 0.0
            if i == ensemble - 1 and done.known:
                reserve = done.measured
            elif i == ensemble - 1 and done.logs:
                reserve = reserve_evals * done.logs[-1].eval_seconds
            now = time.perf_counter()
            member_deadline = now + (deadline - now - reserve) / (ensemble - i)
        say = progress if ensemble == 1 or progress is None else (
            lambda line, i=i: progress(f"member {i + 1}/{ensemble}: {line}"))
        fit = functools.partial(train_model, member_data[i], dev, vocab.with_actions(member_actions[i]),
                                seed=seed + i, threads=threads, progress=say, device=device,
                                deadline=member_deadline)
        bar = None
        if dev and start is None and writes_chars:
            bar = rescue_bar(char_rescue, member_actions[:i], done.logs)
        net, log = fit(hp, encoder=encoder, give_up=None if bar is None else (RESCUE_AT, bar))
        if log.gave_up:  # below the bar at the point: start again from the edit-script member's encoder
            rescuer = last_edit_member(member_actions[:i])
            assert rescuer is not None and bar is not None  # a bar needs an edit-script member before it
            done.starts[i] = rescuer
            done.rescues[i] = {"bar": bar, "cold_steps": log.steps, "cold_best_dev": log.best_dev,
                               "cold_seconds": round(log.seconds, 1)}
            if say is not None:
                say(f"character member at {log.best_dev:.1f}% of dev after {log.steps} steps, below "
                    f"{bar:.1f}% (char_rescue={char_rescue:g} of the best edit-script member): it starts "
                    f"again from the encoder of member {rescuer + 1}")
            net, log = fit(dataclasses.replace(hp, max_steps=hp.max_steps - log.steps),
                           encoder=done.nets[rescuer].get_encoder().state_dict())
        done.nets.append(net)
        done.logs.append(log)
    return done
