"""The `Generator` base class, the registry of versioned generator names, and stats merging.

A generator implements one method, `generate(record, rng) -> list[Record]` (0 records = filtered). The base
class owns everything else (DESIGN.md convention 2): `run()` derives each record's random source from
(seed, record id, generator name) with `rng_for`, counts records in/out/filtered in `stats` (a `Counter`
that worker processes return and `merge_stats` adds up), and `signature()` describes the generator for the
run manifest. Names are versioned (`"substitute.v1"`): a behaviour change registers `.v2` so old manifests
still reproduce old corpora.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Callable, ClassVar

from lexaug.errors import ConfigError
from lexaug.generators.rng import RecordRng
from lexaug.types import Record

REGISTRY: dict[str, type["Generator"]] = {}


def register(name: str) -> Callable[[type["Generator"]], type["Generator"]]:
    """Class decorator: register a generator under a versioned name such as "substitute.v1"."""
    if "." not in name or not name.rsplit(".", 1)[1].startswith("v"):
        raise ValueError(f"generator names carry a version, e.g. 'substitute.v1'; got {name!r}")

    def deco(cls: type["Generator"]) -> type["Generator"]:
        if name in REGISTRY and REGISTRY[name] is not cls:
            raise ValueError(f"generator {name!r} is already registered")
        cls.name = name
        REGISTRY[name] = cls
        return cls

    return deco


def make_generator(name: str, **params: Any) -> "Generator":
    """Build a registered generator; a bare name ("substitute") means its newest version."""
    if name not in REGISTRY:
        versions = sorted((n for n in REGISTRY if n.rsplit(".", 1)[0] == name),
                          key=lambda n: int(n.rsplit(".v", 1)[1]))
        if not versions:
            raise ConfigError(f"unknown generator {name!r}; available: {', '.join(sorted(REGISTRY))}")
        name = versions[-1]
    return REGISTRY[name](**params)


def available() -> list[str]:
    """Registered generator names, sorted."""
    return sorted(REGISTRY)


def merge_stats(*stats: Counter | dict) -> Counter:
    """Sum the `stats` of several runs (e.g. one per worker process)."""
    total: Counter = Counter()
    for s in stats:
        total.update(s)
    return total


def _resource_info(obj: Any) -> dict[str, Any]:
    info = {"sha256": getattr(obj, "sha256", None)}
    for attr in ("src_lang", "tgt_lang", "paths"):
        value = getattr(obj, attr, None)
        if value is not None:
            info[attr] = list(value) if isinstance(value, tuple) else value
    return info


class Generator(ABC):
    """Base of all generators; subclasses set nothing but `generate` and `params` (and register a name)."""

    name: ClassVar[str] = "generator.v0"

    def __init__(self) -> None:
        self.stats: Counter = Counter()

    @abstractmethod
    def generate(self, record: Record, rng: RecordRng) -> list[Record]:
        """Rewrite one record. Returns the output records; an empty list filters the record out (the
        generator counts the reason in `stats` as `filtered:<reason>`)."""
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        """Parameters that determine the output (for the manifest), JSON-serialisable."""
        return {}

    def resources(self) -> dict[str, Any]:
        """Resources by role with their sha256 (and languages, paths), for the manifest."""
        return {}

    @property
    def version(self) -> str:
        return self.name.rsplit(".", 1)[1]

    def signature(self) -> dict[str, Any]:
        """Name, version, parameters and resource checksums: what reproduces this generator's output."""
        import lexaug

        return {"generator": self.name, "version": self.version, "params": self.params(),
                "resources": self.resources(), "lexaug": getattr(lexaug, "__version__", None)}

    def run(self, records: Iterable[Record], seed: int | str = 0) -> Iterator[Record]:
        """Generate over a stream of records, lazily, in input order; counts go to `self.stats`."""
        name, stats, generate = self.name, self.stats, self.generate
        n_in = n_out = n_filtered = 0
        try:
            for record in records:
                n_in += 1
                outs = generate(record, RecordRng(seed, record.id, name))
                if outs:
                    n_out += len(outs)
                    yield from outs
                else:
                    n_filtered += 1
        finally:
            stats["records_in"] += n_in
            stats["records_out"] += n_out
            stats["records_filtered"] += n_filtered

    def run_batch(self, records: Iterable[Record], seed: int | str = 0) -> list[Record]:
        """`run` for a batch (what an engine hands a worker): the outputs as a list."""
        return list(self.run(records, seed))

    def summary(self) -> dict[str, Any]:
        """Counts plus derived rates (coverage = replaced / tokens) for reports and manifests."""
        out: dict[str, Any] = dict(sorted(self.stats.items()))
        if self.stats.get("tokens"):
            out["coverage"] = round(self.stats.get("replaced", 0) / self.stats["tokens"], 6)
        return out


def resource_info(obj: Any) -> dict[str, Any]:
    """Manifest description of a lexicon or table: sha256, languages, paths where known."""
    return _resource_info(obj)
