"""Producer processes (`lexaug.feed.producers`): the automatic choice, the fallbacks, and the failure modes
of the child processes (death, output on stdout, a script without a `__main__` guard)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lexaug.errors import ConfigError, LexaugError
from lexaug.feed import CorpusSource, Feed, SynthSource
from lexaug.feed.mixing import Mixer
from lexaug.feed.producers import auto_workers, pack_setup

ROOT = Path(__file__).resolve().parents[2]


class PrintingSource(CorpusSource):
    """A source whose batches print to stdout (as a chatty generator might)."""

    def texts_batch(self, indices, items, epoch, pass_):
        print("chatty generator output", indices)
        return super().texts_batch(indices, items, epoch, pass_)


class DyingSource(CorpusSource):
    """A source that kills the process it is unpickled in (a producer dying without a word)."""

    def __setstate__(self, state):
        os._exit(3)


class ScriptThing:
    """Stands for a class defined in the user's script (pickled as `__main__.ScriptThing`)."""


ScriptThing.__module__ = "__main__"


class FakeSynth:
    """Just enough of a source for `auto_workers`."""

    def __init__(self, kind):
        self.kind = kind


def test_auto_workers_picks_a_producer_only_for_synthesis_with_two_cores():
    synth, plain = FakeSynth("synth"), FakeSynth("corpus")
    assert auto_workers([plain, synth], cpus=2, daemon=False) == 1
    assert auto_workers([plain, synth], cpus=16, daemon=False) == 1
    assert auto_workers([plain, synth], cpus=1, daemon=False) == 0  # one core: a process only adds work
    assert auto_workers([plain, synth], cpus=2, daemon=True) == 0  # a DataLoader worker synthesizes itself
    assert auto_workers([plain, plain], cpus=2, daemon=False) == 0  # plain text: nothing to move out


def test_pack_setup_falls_back_only_in_auto_mode(tiny_dir, monkeypatch):
    source = CorpusSource(str(tiny_dir / "a.txt"))
    mixer = Mixer([source], shard=0, num_shards=1, buffer_size=2, seed=0)
    assert isinstance(pack_setup(mixer, [source], 2, 1), bytes)
    source.generator = lambda record: record  # unpicklable
    assert pack_setup(mixer, [source], 2, 1, strict=False) is None
    with pytest.raises(ConfigError, match="use synth_workers=0"):
        pack_setup(mixer, [source], 2, 1)
    del source.generator
    main = sys.modules["__main__"]
    monkeypatch.setattr(main, "ScriptThing", ScriptThing, raising=False)
    source.extra = ScriptThing()  # a class of the user's script: the child could not import it
    assert pack_setup(mixer, [source], 2, 1, strict=False) is None
    assert isinstance(pack_setup(mixer, [source], 2, 1), bytes)  # asked for explicitly: the child will say why
    monkeypatch.setattr(sys, "executable", "")
    del source.extra
    assert pack_setup(mixer, [source], 2, 1, strict=False) is None
    with pytest.raises(ConfigError, match="sys.executable"):
        pack_setup(mixer, [source], 2, 1)


def test_default_feed_with_unpicklable_generator_synthesizes_in_process(tiny_dir):
    class Upper:  # a local class: cannot be pickled, so the default runs it in this process
        name = "upper.v1"

        def run_batch(self, records, seed):
            return [type(r)(r.id, [r.slots[0].upper()]) for r in records]

    source = SynthSource(str(tiny_dir / "a.txt"), generator=Upper())
    blocks = list(Feed([source], tiny_dir / "tok", 16, mode="line", shuffle_buffer=0, synth_workers=None))
    assert len(blocks) == 5
    with pytest.raises(ConfigError, match="cannot be pickled"):
        list(Feed([source], tiny_dir / "tok", 16, mode="line", synth_workers=1))


@pytest.mark.slow
def test_stdout_of_a_producer_does_not_corrupt_the_batches(tiny_dir, capfd):
    sources = [PrintingSource(str(tiny_dir / "a.txt")), CorpusSource(str(tiny_dir / "b.txt"))]
    here = list(Feed(sources, tiny_dir / "tok", 5, seed=3, epochs=2, batch_size=2, synth_workers=0))
    capfd.readouterr()
    there = list(Feed(sources, tiny_dir / "tok", 5, seed=3, epochs=2, batch_size=2, synth_workers=1))
    assert there == here and len(here) > 10
    captured = capfd.readouterr()
    assert "chatty generator output" in captured.err  # the child's prints went to stderr
    assert "chatty generator output" not in captured.out


@pytest.mark.slow
def test_a_producer_that_dies_is_an_error_not_a_hang(tiny_dir):
    sources = [DyingSource(str(tiny_dir / "a.txt"))]
    with pytest.raises(LexaugError, match=r"producer process 0 (died|exited at start-up) \(exit code 3\)"):
        list(Feed(sources, tiny_dir / "tok", 5, synth_workers=1))


@pytest.mark.slow
def test_script_without_main_guard_uses_a_producer(tiny_dir, tmp_path):
    """A training script without `if __name__ == "__main__":` (fine under fork, the Linux DataLoader default)
    must not be re-run by the producer: the child is no multiprocessing child and imports no `__main__`."""
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("cat\tpaka\nthe\tle\n", encoding="utf-8")
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from lexaug.feed import Feed, SynthSource
        from lexaug.synthesis import SynthesisOptions, build
        print("script top level runs", file=sys.stderr)
        gen = build(SynthesisOptions(langs=("swa",), lexicons=({str(lexicon)!r},), seed=0)).generator
        def run(workers):
            return list(Feed([SynthSource({str(tiny_dir / "a.txt")!r}, generator=gen)], {str(tiny_dir / "tok")!r},
                             5, batch_size=2, synth_workers=workers))
        assert run(1) == run(0)
        print(len(run(1)))
    """), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "cli")])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("script top level runs") == 1  # never again in the producer
    assert int(done.stdout.strip()) > 3


@pytest.mark.slow
def test_a_class_of_the_script_is_a_clear_error_when_asked_for_a_producer(tiny_dir, monkeypatch):
    monkeypatch.setattr(sys.modules["__main__"], "ScriptThing", ScriptThing, raising=False)
    source = CorpusSource(str(tiny_dir / "a.txt"))
    source.extra = ScriptThing()
    with pytest.raises(ConfigError, match=r"cannot rebuild the sources .*move them to a module"):
        list(Feed([source], tiny_dir / "tok", 5, synth_workers=1))
    assert len(list(Feed([source], tiny_dir / "tok", 5, mode="line", synth_workers=None))) == 5  # auto: here
