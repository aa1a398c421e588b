"""Packed shards on disk: the format `lexaug feed --output DIR` writes, and loaders for numpy and `datasets`.

Layout of DIR (format `lexaug-feed-npy`, version 1):

    index.json                           block_size, mode, dtypes, special token ids, shard list, block count
    input_ids-00000.npy                  int32 [n_blocks, block_size]
    attention_mask-00000.npy             int8  [n_blocks, block_size]
    special_tokens_mask-00000.npy        int8  [n_blocks, block_size]
    ... one triple per shard of at most `blocks_per_shard` blocks, in stream order
    report.json                          the feed report (per-source counts, fertility, unknown rate)

Load with numpy: `np.load(DIR/input_ids-00000.npy)` (or `load_shards(DIR)` for all shards, memory-mapped and
concatenated). Load with `datasets`: `datasets.Dataset.from_dict(load_shards(DIR))`, or `to_dataset(DIR)`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from lexaug import defaults
from lexaug.errors import ConfigError

FORMAT = "lexaug-feed-npy"
VERSION = 1
COLUMNS = {"input_ids": "int32", "attention_mask": "int8", "special_tokens_mask": "int8"}


class ShardWriter:
    """Buffers blocks and writes them as `.npy` shard triples of at most `blocks_per_shard` blocks."""

    def __init__(self, out_dir: str | Path, block_size: int, blocks_per_shard: int = defaults.FEED_BLOCKS_PER_SHARD,
                 *, shards: list[dict[str, Any]] | None = None,
                 on_flush: Callable[["ShardWriter"], Any] | None = None):
        """`shards`: the shards an interrupted run already wrote (to continue after them); `on_flush` is called
        after each shard is written (`lexaug feed` saves its checkpoint there)."""
        if blocks_per_shard < 1:
            raise ConfigError(f"blocks_per_shard must be >= 1, got {blocks_per_shard}")
        self.dir = Path(out_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        if (self.dir / "index.json").exists():
            raise ConfigError(f"{self.dir} already holds a feed (index.json); choose an empty --output folder")
        self.block_size, self.per_shard = block_size, blocks_per_shard
        self.rows: dict[str, list[list[int]]] = {c: [] for c in COLUMNS}
        self.shards: list[dict[str, Any]] = list(shards or [])
        self.blocks = sum(shard["blocks"] for shard in self.shards)
        self.on_flush = on_flush

    def add(self, block: dict[str, list[int]]) -> None:
        for col, rows in self.rows.items():
            row = block[col]
            if len(row) != self.block_size:
                raise ValueError(f"{col} has {len(row)} tokens, expected block_size {self.block_size}")
            rows.append(row)
        self.blocks += 1
        if len(self.rows["input_ids"]) >= self.per_shard:
            self._flush()

    def _flush(self) -> None:
        import numpy as np

        n = len(self.rows["input_ids"])
        if not n:
            return
        entry: dict[str, Any] = {"blocks": n}
        for col, dtype in COLUMNS.items():
            name = f"{col}-{len(self.shards):05d}.npy"
            np.save(self.dir / name, np.asarray(self.rows[col], dtype=dtype).reshape(n, self.block_size))
            entry[col] = name
            self.rows[col] = []
        self.shards.append(entry)
        if self.on_flush is not None:
            self.on_flush(self)

    def close(self, meta: dict[str, Any]) -> dict[str, Any]:
        """Write the last shard and `index.json` (with `meta` added); returns the index."""
        self._flush()
        index = {"format": FORMAT, "version": VERSION, "block_size": self.block_size, "blocks": self.blocks,
                 "dtypes": dict(COLUMNS), "shards": self.shards, **meta}
        (self.dir / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
        return index


def write_blocks(blocks: Iterable[dict[str, list[int]]], out_dir: str | Path, block_size: int, *,
                 meta: dict[str, Any] | None = None,
                 blocks_per_shard: int = defaults.FEED_BLOCKS_PER_SHARD) -> dict[str, Any]:
    """Write a stream of blocks as shards under `out_dir`; returns the index written."""
    writer = ShardWriter(out_dir, block_size, blocks_per_shard)
    for block in blocks:
        writer.add(block)
    return writer.close(meta or {})


def load_shards(out_dir: str | Path, *, mmap: bool = True) -> dict[str, Any]:
    """All shards of a feed folder as numpy arrays {column: [n_blocks, block_size]} (memory-mapped when one
    shard; concatenated otherwise)."""
    import numpy as np

    folder = Path(out_dir)
    try:
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{folder}: no index.json; not a folder written by `lexaug feed`") from None
    if index.get("format") != FORMAT:
        raise ConfigError(f"{folder}/index.json: format {index.get('format')!r} is not {FORMAT!r}")
    out = {}
    for col in COLUMNS:
        parts = [np.load(folder / shard[col], mmap_mode="r" if mmap else None) for shard in index["shards"]]
        if not parts:
            out[col] = np.zeros((0, index["block_size"]), dtype=COLUMNS[col])
        else:
            out[col] = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return out


def to_dataset(out_dir: str | Path) -> Any:
    """A `datasets.Dataset` with the columns input_ids, attention_mask, special_tokens_mask."""
    from datasets import Dataset

    return Dataset.from_dict(load_shards(out_dir, mmap=False))
