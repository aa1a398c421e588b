"""`NeuralInflector`: a character-level encoder-decoder (tiny BART, `transformers`, trained from scratch).

Input: lemma characters then one token per feature tag, tags sorted (order-free); output: form characters.
Training data can be enlarged by hallucination (`lexaug.generators.hallucinate`, Anastasopoulos & Neubig
2019); the model is selected on dev exact-match accuracy. A saved model is a `save_pretrained` directory
(`config.json`, weights) plus `vocab.json` and the `inflector.json` manifest (hyper-parameters, seed,
training log), loadable with `lexaug.inflection.base.load_inflector`. Needs the `neural` extra (torch).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from lexaug import defaults
from lexaug.errors import ConfigError, ResourceError
from lexaug.inflection.base import Inflector, Triple, read_manifest
from lexaug.inflection.vocab import CharVocab, nfc

VOCAB_FILE = "vocab.json"


def _torch():
    try:
        import torch
    except ImportError:  # pragma: no cover - depends on the environment
        raise ResourceError("the neural model needs torch: pip install 'lexaug[neural]'") from None
    return torch


class NeuralInflector(Inflector):
    """A trained neural inflection model (see module docstring). Build with `train` or `load`."""

    name = "neural"

    def __init__(self, model: Any, vocab: CharVocab, hparams: Any, beam: int = defaults.NEURAL_BEAM,
                 info: dict[str, Any] | None = None) -> None:
        self.model, self.vocab, self.hparams, self.beam = model, vocab, hparams, beam
        self.info = info or {}

    @classmethod
    def train(cls, train: Sequence[Triple], dev: Sequence[Triple] | None = None, *, seed: int = defaults.SEED,
              threads: int | None = defaults.NEURAL_THREADS, hallucinate: int = defaults.NEURAL_HALLUCINATE,
              real_repeat: int = defaults.NEURAL_REAL_REPEAT, beam: int = defaults.NEURAL_BEAM,
              progress: Callable[[str], None] | None = None, **hparams: Any) -> "NeuralInflector":
        """Train on (lemma, form, features) triples, selecting on `dev` exact match when given.

        Args:
            train, dev: training and model-selection triples.
            seed: seeds hallucination, initialisation and batch order (same seed + threads: same model).
            threads: `torch.set_num_threads` (None: torch's default).
            hallucinate: number of hallucinated pairs to add (0: none).
            real_repeat: copies of the real pairs, so they are not swamped by hallucinated ones.
            beam: beam width used by `inflect`.
            progress: called with a line per dev evaluation.
            hparams: fields of `NeuralHParams` (layers, d_model, max_steps, batch_size, ...).
        """
        from lexaug.generators.hallucinate import hallucinate as make_hallucinated
        from lexaug.inflection.neural_model import NeuralHParams
        from lexaug.inflection.neural_train import train_model

        if not train:
            raise ConfigError("the neural model needs at least one training pair")
        known = set(NeuralHParams.__dataclass_fields__)
        unknown = sorted(set(hparams) - known)
        if unknown:
            raise ConfigError(f"unknown neural option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        hp = NeuralHParams(**hparams)
        vocab = CharVocab.build(train, actions=hp.actions)
        data = list(train) * max(1, real_repeat)
        stats: dict[str, int] = {}
        if hallucinate > 0:
            fake, stats = make_hallucinated(train, hallucinate, seed=seed)
            data += fake
        model, log = train_model(data, list(dev or []), vocab, hp, seed=seed, threads=threads, progress=progress)
        info = {"seed": seed, "threads": threads, "hallucinate": hallucinate, "real_repeat": real_repeat,
                "hallucination_stats": stats, "train_pairs": len(train), "steps": log.steps,
                "seconds": round(log.seconds, 1), "best_dev": log.best_dev, "best_step": log.best_step,
                "averaged": log.averaged, "curve": log.curve}
        return cls(model, vocab, hp, beam=beam, info=info)

    def inflect(self, lemma: str, features: str) -> list[tuple[str, float]]:
        """Up to `beam` forms with probabilities (exp of summed log-probabilities), best first; forms that
        decode to the same string are merged (probabilities added)."""
        from lexaug.inflection.neural_model import beam_decode, greedy_decode

        src, n = self.vocab.encode_source(lemma, features), len(nfc(lemma))
        if self.beam <= 1:
            hyps = greedy_decode(self.model, [src], [n], self.hparams.max_len, self.vocab.actions)
        else:
            hyps = beam_decode(self.model, src, n, self.beam, self.hparams.max_len, self.vocab.actions)
        merged: dict[str, float] = {}
        for ids, logp in hyps:
            form = self.vocab.decode(ids, lemma)
            merged[form] = merged.get(form, 0.0) + math.exp(logp)
        return sorted(merged.items(), key=lambda kv: -kv[1])

    def predict_many(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        """Best form per (lemma, features), in order: batched greedy search (beam 1), else beam search."""
        from lexaug.inflection.neural_model import greedy_decode

        pairs = list(pairs)
        if self.beam > 1:
            return [self.inflect(lemma, feats)[0][0] for lemma, feats in pairs]
        hyps = greedy_decode(self.model, [self.vocab.encode_source(l, f) for l, f in pairs],
                             [len(nfc(l)) for l, _ in pairs], self.hparams.max_len, self.vocab.actions)
        return [self.vocab.decode(ids, lemma) for (ids, _), (lemma, _) in zip(hyps, pairs)]

    def save(self, directory: str | Path) -> None:
        """`save_pretrained` files, `vocab.json`, and `inflector.json` (hyper-parameters, beam, training log)."""
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(path)
        self.vocab.save(path / VOCAB_FILE)
        self.write_manifest(path, version=1, hparams=self.hparams.to_dict(), beam=self.beam, info=self.info)

    @classmethod
    def load(cls, directory: str | Path) -> "NeuralInflector":
        """Read a directory written by `save` (local files only, never the hub)."""
        _torch()
        from transformers import BartForConditionalGeneration

        from lexaug.inflection.neural_model import NeuralHParams, generation_config

        path = Path(directory)
        manifest = read_manifest(path)
        if not (path / VOCAB_FILE).is_file():
            raise ResourceError(f"{path}: no {VOCAB_FILE}; the model directory is incomplete, retrain it")
        hp = NeuralHParams(**manifest.get("hparams", {}))
        model = BartForConditionalGeneration.from_pretrained(path, local_files_only=True)
        model.generation_config = generation_config(hp.max_len)
        model.eval()
        return cls(model, CharVocab.load(path / VOCAB_FILE), hp, beam=int(manifest.get("beam", 1)),
                   info=manifest.get("info", {}))
