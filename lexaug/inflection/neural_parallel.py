"""Ensemble members of the neural inflector trained at the same time, one process each (`workers` > 1).

On a CPU one small network per core trains faster than one network on several torch threads (tiny matrices
scale poorly across threads), so with `NeuralInflector.train(..., ensemble=3, workers=3)` the three members
train at once, each in its own process with `threads` torch threads, each until the end of the budget
instead of a third of it. With fewer workers than members, members go in rounds of `workers`, each round an
equal share of the time left. A member's weights are those of a sequential run with the same seed and thread
count when `max_steps` (not the clock) stops it (tested).

Each member is a fresh `python -m lexaug.inflection.neural_parallel` process (not a fork: a fork of a process
holding torch's thread pools can hang; not multiprocessing's "spawn", which re-runs the caller's script
when it lacks an `if __name__ == "__main__"` guard). It reads its job on stdin (two pickles: what all members
share, then its own settings), and writes
length-prefixed pickled messages to a pipe of its own: progress lines, then its weights and training log, or
one error line. The kernel kills it if the parent dies (`engines.signals.die_with_parent`); a member that
fails or dies ends the whole run with its error, and the other members are stopped.
"""

from __future__ import annotations

import io
import os
import pickle
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from lexaug.errors import ConfigError, TrainingError

POLL_SECONDS = 0.5  # how often the parent checks on its members while none writes
_HEADER = 8  # bytes of a message's length, before the pickled message


def _send(out: Any, message: tuple) -> None:
    """One message on the member's pipe: its length, then the pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(_HEADER, "little") + data)
    out.flush()


def _member_main(fd: int, parent_pid: int) -> None:
    """A member process: read the job from stdin, train, send ("done", weights, log) or ("error", line);
    progress lines go out as ("line", text)."""
    from lexaug.engines.signals import die_with_parent

    die_with_parent(parent_pid)
    job = pickle.load(sys.stdin.buffer)  # what every member shares (data, vocabulary, hyper-parameters)
    job.update(pickle.load(sys.stdin.buffer))  # this member's seed and deadline
    with os.fdopen(fd, "wb") as out:
        try:
            import torch

            from lexaug.inflection.neural_train import train_model

            deadline = job.pop("deadline_epoch")
            if deadline is not None:  # the wall-clock deadline, on this process's perf_counter
                deadline = time.perf_counter() + (deadline - time.time())
            net, log = train_model(**job, deadline=deadline, progress=lambda line: _send(out, ("line", line)))
            buffer = io.BytesIO()
            torch.save(net.state_dict(), buffer)
            _send(out, ("done", buffer.getvalue(), log))
        except Exception as err:  # noqa: BLE001 - reported to the parent, which raises it as one line
            text = str(err).splitlines()[0] if str(err) else ""
            _send(out, ("error", f"{type(err).__name__}: {text}"))


class _Member:
    """The parent's view of one member process: its pipe, the bytes read so far, its result."""

    def __init__(self, index: int, shared: bytes, own: dict[str, Any]) -> None:
        self.index = index
        read_fd, write_fd = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])  # the folder holding `lexaug`
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "lexaug.inflection.neural_parallel", str(write_fd), str(os.getpid())],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, pass_fds=(write_fd,), env=env)
        finally:
            os.close(write_fd)
        self.fd = read_fd
        self.buffer = b""
        self.result: tuple[bytes, Any] | None = None
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(shared + pickle.dumps(own, protocol=pickle.HIGHEST_PROTOCOL))
            self.proc.stdin.close()
        except BrokenPipeError:  # it died at once: its exit is reported when its pipe ends
            pass

    def messages(self, chunk: bytes) -> list[tuple]:
        """The complete messages in the bytes read so far, plus `chunk`."""
        self.buffer += chunk
        out = []
        while len(self.buffer) >= _HEADER:
            size = int.from_bytes(self.buffer[:_HEADER], "little")
            if len(self.buffer) < _HEADER + size:
                break
            out.append(pickle.loads(self.buffer[_HEADER:_HEADER + size]))
            self.buffer = self.buffer[_HEADER + size:]
        return out

    def stop(self) -> None:
        """Kill the process if it still runs, reap it, close the pipe."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        try:
            os.close(self.fd)
        except OSError:  # closed already
            pass


def train_members_parallel(data: Sequence[tuple[str, str, str]], dev: list[tuple[str, str, str]], vocab: Any,
                           hp: Any, *, seed: int, ensemble: int, workers: int, threads: int | None,
                           deadline: float | None, progress: Callable[[str], None] | None,
                           member_actions: Sequence[bool] | None = None, reserve_evals: float | None = None,
                           member_data: Sequence[Sequence[tuple[str, str, str]]] | None = None,
                           char_warm: bool = False) -> tuple[list[Any], list[Any], list[int | None]]:
    """(networks, training logs, starts) of `ensemble` members with seeds seed, seed + 1, ..., at most
    `workers` at a time. `member_actions`: per member, whether it writes edit scripts (else characters; default:
    as `vocab`). `member_data`: per member, its training triples where they are not `data` (sent to that member
    alone). `char_warm`: a character member starts from the encoder of the last edit-script member of an
    earlier round (none in the first round); `starts` gives that member's index per member (None: random).
    `deadline`: a `time.perf_counter()` value by which the members (and the caller's own dev tuning, for which
    the last round keeps `reserve_evals` dev evaluations, default one per further member) must be done; None:
    no clock."""
    from lexaug.inflection.neural_members import last_edit_member

    if workers < 2:
        raise ConfigError(f"workers={workers}: parallel training needs at least 2")
    shared = pickle.dumps({"train": data, "dev": dev, "vocab": vocab, "hp": hp, "threads": threads, "device": "cpu"},
                          protocol=pickle.HIGHEST_PROTOCOL)  # pickled once, sent to every member
    actions = list(member_actions) if member_actions is not None else [vocab.actions] * ensemble
    reserve_last = ensemble - 1 if reserve_evals is None else reserve_evals
    rounds = [list(range(start, min(start + workers, ensemble))) for start in range(0, ensemble, workers)]
    results: list[tuple[bytes, Any] | None] = [None] * ensemble
    starts: list[int | None] = [None] * ensemble
    for r, indices in enumerate(rounds):
        epoch_deadline = None
        if deadline is not None:  # an equal share of the time left, as a wall-clock time the members can read
            epoch_deadline = time.time() + (deadline - time.perf_counter()) / (len(rounds) - r)
        reserve = reserve_last if r == len(rounds) - 1 else 0
        members: list[_Member] = []
        try:
            for i in indices:
                own = {"seed": seed + i, "deadline_epoch": epoch_deadline, "reserve_evals": reserve,
                       "vocab": vocab.with_actions(actions[i])}  # replaces the shared vocabulary
                if member_data is not None and member_data[i] is not data:
                    own["train"] = member_data[i]  # replaces the shared training triples
                start = last_edit_member(actions[:indices[0]]) if char_warm and not actions[i] else None
                if start is not None:  # an edit-script member of an earlier round (those are done)
                    own["encoder"] = _network(results[start], vocab, hp).get_encoder().state_dict()
                starts[i] = start
                members.append(_Member(i, shared, own))
            _collect(members, ensemble, progress)
        finally:
            for member in members:
                member.stop()
        for member in members:
            results[member.index] = member.result
    nets = [_network(found, vocab, hp) for found in results]
    logs = [found[1] for found in results if found is not None]
    return nets, logs, starts


def _network(found: tuple[bytes, Any] | None, vocab: Any, hp: Any) -> Any:
    """A member's weights back in a network built as the member built its own."""
    import torch

    from lexaug.inflection.neural_model import build_model

    assert found is not None
    net = build_model(len(vocab), hp)
    net.load_state_dict(torch.load(io.BytesIO(found[0]), weights_only=True))
    net.eval()
    return net


def _collect(members: list[_Member], ensemble: int, progress: Callable[[str], None] | None) -> None:
    """Read the members' pipes until each has sent its result; raise `TrainingError` on a failure."""
    selector = selectors.DefaultSelector()
    for member in members:
        selector.register(member.fd, selectors.EVENT_READ, member)
    waiting = len(members)
    try:
        while waiting:
            for key, _ in selector.select(timeout=POLL_SECONDS):
                member = key.data
                name = f"ensemble member {member.index + 1}/{ensemble}"
                chunk = os.read(member.fd, 1 << 20)
                if not chunk:  # the pipe ended
                    selector.unregister(member.fd)
                    if member.result is None:
                        status = member.proc.wait()
                        raise TrainingError(f"{name} stopped without a result (exit status {status}); "
                                            "retrain with -o workers=1 to see why")
                    continue
                for kind, *rest in member.messages(chunk):
                    if kind == "line":
                        if progress is not None:
                            progress(f"member {member.index + 1}/{ensemble}: {rest[0]}")
                    elif kind == "error":
                        raise TrainingError(f"{name} failed: {rest[0]}")
                    else:
                        member.result = (rest[0], rest[1])
                        waiting -= 1
    finally:
        selector.close()


if __name__ == "__main__":
    _member_main(int(sys.argv[1]), int(sys.argv[2]))
