"""Feed sources: where training text comes from, and the `PATH[:WEIGHT]` syntax of the CLI.

A source yields the corpus records of one file (any `lexaug.io` format: text lines, JSONL with a text field,
CoNLL, ...) with their global 0-based index, and turns a record into the texts fed to the tokenizer:

* `CorpusSource`: real monolingual text or already synthesized files; one record gives one text.
* `SynthSource`: on-the-fly synthesis; a generator (e.g. `substitute.v1`) rewrites each record of a source
  corpus with the per-record random stream of `lexaug.generators.rng_for`. Pass 0 of epoch 0 uses the seed
  as given, so it yields exactly what `lexaug synthesize --seed N` writes; later epochs/passes draw fresh
  translations from the seed `"N/e<epoch>p<pass>"` (more variety for repeated data).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from lexaug.errors import ConfigError
from lexaug.types import Record

SPACE_JOINED = ("conll", "conllu")  # formats whose slots are single tokens: joined with one space


def parse_weighted(spec: str) -> tuple[str, float]:
    """`PATH[:WEIGHT]` -> (path, weight); weight 1.0 when absent. A path may itself contain `:`: a tail with a
    path separator, or an existing file named `spec`, is read as a path; otherwise the part after the last `:`
    must be a positive finite number."""
    path, sep, tail = spec.rpartition(":")
    if not (sep and path) or "/" in tail or "\\" in tail:  # no colon, or one inside the path (C:/data/a.txt)
        return spec, 1.0
    try:
        weight = float(tail)
    except ValueError:
        if Path(spec).exists():
            return spec, 1.0
        raise ConfigError(f"{spec}: no such file, and {tail!r} after the last ':' is not a number; write PATH or "
                          f"PATH:WEIGHT with a positive weight (e.g. {path}:0.5)") from None
    if not (weight > 0 and math.isfinite(weight)):
        raise ConfigError(f"{spec}: the weight after ':' must be a positive finite number, got {tail!r}; write "
                          f"PATH:WEIGHT (e.g. {path}:0.5)")
    return path, weight


def text_of(record: Record, fmt_name: str) -> str:
    """The training text of a record: its slots joined (with spaces for token-per-slot formats)."""
    slots = record.slots
    if len(slots) == 1:
        return slots[0]
    return (" " if fmt_name in SPACE_JOINED else "").join(slots)


@dataclass
class CorpusSource:
    """A corpus file read as-is (real text, or a file `lexaug synthesize` wrote).

    Args:
        path: file path (`.gz`/`.zst` read transparently).
        weight: relative sampling weight (probability of drawing this source, per record).
        name: label in reports and state (default: the file name).
        fmt: a `lexaug.io` format name (default: from the extension; `.txt` text, `.jsonl` JSONL, `.tsv` a table
            when its header names the text column, else CoNLL: `lexaug.io.format_for_path`).
        format_options: options of the format, e.g. `{"field": "text"}` for JSONL.
        max_line_mb: longest line read, in MB (default `defaults.MAX_LINE_MB`); a longer one is a FormatError
            naming the file and line (`lexaug.io.open_input`), as in `lexaug synthesize --max-line-mb`.

    Reading is strict: a malformed record raises FormatError naming file and line (clean a corpus first, e.g.
    with `lexaug synthesize --lenient`, which counts what it skips), so the feed never drops text silently.
    """

    path: str
    weight: float = 1.0
    name: str = ""
    fmt: str | None = None
    format_options: dict[str, Any] = field(default_factory=dict)
    max_line_mb: float | None = field(default=None, kw_only=True)
    kind = "corpus"

    def __post_init__(self) -> None:
        from lexaug.io import format_for_path, get_format

        if not (self.weight > 0 and math.isfinite(self.weight)):
            raise ConfigError(f"{self.path}: source weight must be a positive finite number, got {self.weight}")
        if Path(self.path).is_dir():
            raise ConfigError(f"{self.path}: is a directory, not a source file; give a .txt or .jsonl file")
        if not Path(self.path).is_file():
            raise ConfigError(f"{self.path}: source file not found; check the path")
        self.name = self.name or Path(self.path).name
        form = get_format(self.fmt, **self.format_options) if self.fmt else \
            format_for_path(self.path, **self.format_options)
        self.fmt_name = form.name

    def records(self, shard: int, num_shards: int) -> Iterator[tuple[int, Record]]:
        """(global index, record) for the records of this file with `index % num_shards == shard`."""
        from lexaug.io import read_records

        if self.fmt_name == "text":
            yield from self._text_records(shard, num_shards)
            return
        for record in read_records(self.path, self.fmt_name, strict=True, max_line_mb=self.max_line_mb,
                                   **self.format_options):
            index = int(record.id)
            if index % num_shards == shard:
                yield index, record

    def _text_records(self, shard: int, num_shards: int) -> Iterator[tuple[int, Record]]:
        # Fast path for plain text, the bulk of pretraining data: the records of other shards are skipped
        # without building them. Same records as `TextFormat` (slot = line without terminator).
        from lexaug.io import open_input
        from lexaug.io.text import split_terminator

        with open_input(self.path, max_line_mb=self.max_line_mb) as fh:
            lines: Iterator[tuple[int, str]] = enumerate(fh)
            if shard or num_shards > 1:
                lines = itertools.islice(lines, shard, None, num_shards)
            for index, line in lines:
                content, end = split_terminator(line)
                yield index, Record(str(index), [content], payload=end)

    def items(self, shard: int, num_shards: int) -> Iterator[tuple[int, Any]]:
        """(global index, item) of this shard, what the feed holds in its shuffle buffer: for plain text the
        line's content (a str: small, and invisible to the garbage collector, which otherwise rescans a
        buffer of records on every full collection), for other formats the `Record`."""
        if self.fmt_name != "text":
            yield from self.records(shard, num_shards)
            return
        from lexaug.io import open_input

        with open_input(self.path, max_line_mb=self.max_line_mb) as fh:
            lines: Iterator[tuple[int, str]] = enumerate(fh)
            if shard or num_shards > 1:
                lines = itertools.islice(lines, shard, None, num_shards)
            for index, line in lines:  # the terminator rule of `split_terminator`, inlined
                if line[-1:] == "\n":
                    line = line[:-2] if line[-2:] == "\r\n" else line[:-1]
                yield index, line

    def texts(self, record: Record, epoch: int, pass_: int) -> list[tuple[str, int]]:
        """(text, words replaced by synthesis) for each text one record contributes: one, 0 replaced."""
        return [(text_of(record, self.fmt_name), 0)]

    def texts_batch(self, indices: list[int], items: list[Any], epoch: int, pass_: int) -> tuple[list[Any], int]:
        """The texts of several `items` (see `items`) of one (epoch, pass), in order: (one entry per item, a
        str when the item gives exactly one text, else a list of texts; words replaced in all)."""
        if self.fmt_name == "text":
            return items, 0
        fmt = self.fmt_name
        return [text_of(r, fmt) for r in items], 0

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "path": self.path, "weight": self.weight,
                "format": self.fmt_name}


@dataclass
class SynthSource(CorpusSource):
    """On-the-fly synthesis: `generator` rewrites each record of the corpus at `path` (see module docstring).

    Args (besides CorpusSource's):
        generator: a `lexaug.generators.Generator` (build one with `lexaug.synthesis.build`).
        seed: the synthesis seed (same meaning as `lexaug synthesize --seed`).
        samples: K draws of every record (`lexaug synthesize --samples`): the record's texts are those of its
            samples `<id>#0` .. `<id>#<K-1>`, in that order (`lexaug.generators.samples`).
    """

    generator: Any = None
    seed: int = 0
    samples: int = 1
    kind = "synth"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.generator is None:
            raise ConfigError(f"synthesized source {self.path}: a generator is required")
        if self.name == Path(self.path).name:
            self.name = f"{self.name}+{self.generator.name}"

    def synth_seed(self, epoch: int, pass_: int) -> int | str:
        return self.seed if epoch == 0 and pass_ == 0 else f"{self.seed}/e{epoch}p{pass_}"

    def texts(self, record: Record, epoch: int, pass_: int) -> list[tuple[str, int]]:
        """(text, words replaced) for each generator output of one record (empty when it is filtered)."""
        from lexaug.generators import rng_for

        from lexaug.generators.samples import expand_samples

        gen, seed = self.generator, self.synth_seed(epoch, pass_)
        outs = [out for one in expand_samples([record], self.samples)
                for out in gen.generate(one, rng_for(seed, one.id, gen.name))]
        return [(text_of(out, self.fmt_name), out.meta.get("replaced", 0)) for out in outs]

    def texts_batch(self, indices: list[int], items: list[Any], epoch: int, pass_: int) -> tuple[list[Any], int]:
        """`texts` of several items through the generator's batch path (`run_batch`: the same outputs as
        `generate` per record, faster where the generator batches its work), in order (see
        `CorpusSource.texts_batch` for the shape)."""
        fmt, gen = self.fmt_name, self.generator
        if self.samples > 1:
            return self._samples_batch(indices, items, epoch, pass_)
        if fmt == "text" and hasattr(gen, "run_texts") and not getattr(gen, "min_replacements", 0):
            # plain lines without record objects (`run_texts`: the same texts and stats); nothing is
            # filtered, so the replaced words of the outputs are those the generator counted
            before = gen.stats["replaced"]
            texts = gen.run_texts(list(map(str, indices)), items, self.synth_seed(epoch, pass_))
            return texts, gen.stats["replaced"] - before
        if fmt == "text":
            records = [Record(str(i), [t]) for i, t in zip(indices, items)]
        else:
            records = items
        outs = self.generator.run_batch(records, self.synth_seed(epoch, pass_))
        replaced = sum(out.meta.get("replaced", 0) for out in outs)
        if len(outs) == len(records) and all(o.id == r.id for o, r in zip(outs, records)):
            return [text_of(out, fmt) for out in outs], replaced  # one text per record: the usual case
        by_id: dict[str, list[str]] = {}
        for out in outs:
            by_id.setdefault(out.id, []).append(text_of(out, fmt))
        return [by_id.get(r.id, []) for r in records], replaced

    def _samples_batch(self, indices: list[int], items: list[Any], epoch: int, pass_: int
                       ) -> tuple[list[Any], int]:
        """`texts_batch` with `samples` > 1: every item expanded to its K samples (ids `<index>#<k>`), the
        samples rewritten in one batch, and each item's kept texts gathered in sample order."""
        from lexaug.generators.samples import expand_samples

        k, fmt = self.samples, self.fmt_name
        if fmt == "text":
            records = [Record(str(i), [t]) for i, t in zip(indices, items)]
        else:
            records = items
        expanded = list(expand_samples(records, k))
        owner = {r.id: n // k for n, r in enumerate(expanded)}  # sample id -> position of its item
        outs = self.generator.run_batch(expanded, self.synth_seed(epoch, pass_))
        texts: list[list[str]] = [[] for _ in records]
        replaced = 0
        for out in outs:
            texts[owner[out.id]].append(text_of(out, fmt))
            replaced += out.meta.get("replaced", 0)
        return texts, replaced

    def describe(self) -> dict[str, Any]:
        out = {**super().describe(), "generator": self.generator.signature(), "seed": self.seed}
        if self.samples > 1:
            out["samples"] = self.samples
        return out
