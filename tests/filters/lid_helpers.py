"""Tiny fastText LID models trained on the fly for the filter tests (no downloads)."""

from __future__ import annotations

import random
from pathlib import Path

ENGLISH = "the of and to in that is was he for it with as his on be at by had not are but from or have".split()
PSEUDO = "kalu meno sawi tuba ngoro fela dimbu osi warra lemi kutu bango tisa mofu".split()


def sentences(words: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(4, 10))) for _ in range(n)]


def train_model(tmp_path: Path, labelled: dict[str, list[str]], name: str) -> Path:
    train = tmp_path / f"{name}.txt"
    with train.open("w", encoding="utf-8") as fh:
        for label, lines in labelled.items():
            for line in lines:
                fh.write(f"__label__{label} {line}\n")
    import fasttext

    # thread>=10: fewer threads leave fastText's memory uninitialised on this machine ("Encountered NaN")
    model = fasttext.train_supervised(str(train), epoch=15, lr=0.5, dim=16, minn=2, maxn=4, thread=10, verbose=0)
    path = tmp_path / f"{name}.bin"
    model.save_model(str(path))
    return path


