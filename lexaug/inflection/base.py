"""The `Inflector` interface every inflection model implements (rule baseline, neural model).

A trained model lives in a directory holding ``inflector.json`` (``{"model": "<name>", "version": N, ...}``)
beside the model's own files; `load_inflector(dir)` reads that file and dispatches to the registered class.
(``config.json`` is left free for a `transformers` ``save_pretrained`` directory.)
"""

from __future__ import annotations

import importlib
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar, Iterable, Sequence

from lexaug import __version__
from lexaug.errors import ConfigError, ResourceError

MANIFEST = "inflector.json"

# model name -> "module:Class"; a new model adds one row.
REGISTRY: dict[str, str] = {
    "rules": "lexaug.inflection.rules:RuleInflector",
    "neural": "lexaug.inflection.neural:NeuralInflector",
}

Triple = tuple[str, str, str]  # (lemma, form, features), the UniMorph / SIGMORPHON 2017-2022 column order


class Inflector(ABC):
    """An inflection model: (lemma, feature string) -> inflected forms.

    Subclasses set `name` (the registry key) and implement `train`, `inflect`, `save` and `load`.
    """

    name: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def train(cls, train: Sequence[Triple], dev: Sequence[Triple] | None = None, **options: Any) -> "Inflector":
        """Fit a model on (lemma, form, features) triples; `dev` may be used for model selection.

        Options are model-specific (e.g. `compat="2020"` for the rule baseline, `seed`, `epochs` for neural).
        """

    @abstractmethod
    def inflect(self, lemma: str, features: str) -> list[tuple[str, float]]:
        """Candidate forms with scores, best first (at least one; scores are model-specific, higher is better)."""

    def predict_many(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        """The best form for each (lemma, features) pair, in input order. Models may override to batch."""
        return [self.inflect(lemma, features)[0][0] for lemma, features in pairs]

    @abstractmethod
    def save(self, directory: str | Path) -> None:
        """Write the model to `directory` (created if needed), including the manifest (`write_manifest`)."""

    @classmethod
    @abstractmethod
    def load(cls, directory: str | Path) -> "Inflector":
        """Read a model written by `save`."""

    def write_manifest(self, directory: str | Path, **extra: Any) -> Path:
        """Write ``inflector.json`` naming this model; `extra` adds options (compat, seed, data sha256...)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        data = {"model": self.name, "lexaug_version": __version__, **extra}
        (path / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path / MANIFEST


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The ``inflector.json`` of a model directory; `ResourceError` if it is missing or unreadable."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise ResourceError(f"{directory}: no {MANIFEST}; train a model with `lexaug inflect train --output DIR`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ResourceError(f"{path}: not valid JSON ({err}); retrain the model") from None
    if not isinstance(data, dict) or "model" not in data:
        raise ResourceError(f"{path}: no \"model\" key; retrain the model")
    return data


def inflector_class(name: str) -> type[Inflector]:
    """The class registered under `name` ("rules", "neural"), imported on demand."""
    if name not in REGISTRY:
        raise ConfigError(f"unknown inflection model {name!r}; choose one of {', '.join(sorted(REGISTRY))}")
    module, attr = REGISTRY[name].split(":")
    return getattr(importlib.import_module(module), attr)


def load_inflector(directory: str | Path) -> Inflector:
    """Load any saved model: reads ``inflector.json`` and calls the registered class's `load`."""
    return inflector_class(read_manifest(directory)["model"]).load(directory)
