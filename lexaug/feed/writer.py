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

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterable

from lexaug import defaults
from lexaug.errors import ConfigError, LexaugError

FORMAT = "lexaug-feed-npy"
VERSION = 1
COLUMNS = {"input_ids": "int32", "attention_mask": "int8", "special_tokens_mask": "int8"}


PARTIAL = ".partial"  # suffix of a file being written: renamed into place once complete, so never half-written


class HashingFile:
    """A binary file being written to `path` (through `<path>.partial`) that hashes the bytes it is given, so a
    shard's sha256 costs no second read. Use `atomic_write`."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(f".{path.name}{PARTIAL}")
        self.fh = open(self.partial, "wb")
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: Any) -> int:
        self.sha.update(data)
        n = self.fh.write(data)
        self.size += memoryview(data).nbytes
        return n


def atomic_write(path: Path, fill: Callable[[HashingFile], Any]) -> tuple[int, str]:
    """Write `path` with `fill(file)` into a partial file, then rename it into place; returns (bytes, sha256).

    Any OSError (disk full, permissions, ...) removes the partial file and becomes one LexaugError naming
    `path`; a process killed meanwhile leaves at most a hidden `.<name>.partial` (removed by the next run)."""
    out: HashingFile | None = None
    try:
        out = HashingFile(path)
        fill(out)
        out.fh.close()
        os.replace(out.partial, path)
    except BaseException as err:  # disk full, but also Ctrl-C: never leave the partial file behind
        if out is not None:
            try:
                out.fh.close()
            except OSError:
                pass
            out.partial.unlink(missing_ok=True)
        if not isinstance(err, OSError):
            raise
        raise LexaugError(f"{path}: cannot write ({err.strerror or err}); free some space or fix the folder, "
                          "then rerun (with --resume where a checkpoint.json was kept)") from None
    return out.size, out.sha.hexdigest()


def write_json_atomic(path: str | Path, data: Any, **dump_options: Any) -> None:
    """`data` as strict JSON (no NaN/Infinity) plus a newline, written atomically (see `atomic_write`)."""
    text = json.dumps(data, allow_nan=False, **dump_options) + "\n"
    atomic_write(Path(path), lambda fh: fh.write(text.encode("utf-8")))


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
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise LexaugError(f"{self.dir}: cannot create the output folder ({err.strerror or err}); choose "
                              "another --output") from None
        if (self.dir / "index.json").exists():
            raise ConfigError(f"{self.dir} already holds a feed (index.json); choose an empty --output folder")
        self.block_size, self.per_shard = block_size, blocks_per_shard
        self.rows: dict[str, list[list[int]]] = {c: [] for c in COLUMNS}
        self.shards: list[dict[str, Any]] = list(shards or [])
        self.blocks = sum(shard["blocks"] for shard in self.shards)
        self.on_flush = on_flush
        for stale in self.dir.glob(f".*{PARTIAL}"):  # a killed run's unfinished file (never listed anywhere)
            stale.unlink(missing_ok=True)

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
        entry: dict[str, Any] = {"blocks": n, "bytes": {}, "sha256": {}}
        for col, dtype in COLUMNS.items():
            name = shard_name(col, len(self.shards))
            array = np.asarray(self.rows[col], dtype=dtype).reshape(n, self.block_size)
            size, sha = atomic_write(self.dir / name, lambda fh: np.save(fh, array))  # type: ignore[arg-type]
            entry[col] = name
            entry["bytes"][col], entry["sha256"][col] = size, sha
            self.rows[col] = []
        self.shards.append(entry)
        if self.on_flush is not None:
            self.on_flush(self)

    def finish(self) -> None:
        """Write the last (partial) shard."""
        self._flush()

    def close(self, meta: dict[str, Any]) -> dict[str, Any]:
        """Write the last shard and `index.json` (with `meta` added; written last, it marks the folder
        complete); returns the index."""
        self._flush()
        index = {"format": FORMAT, "version": VERSION, "block_size": self.block_size, "blocks": self.blocks,
                 "dtypes": dict(COLUMNS), "shards": self.shards, **meta}
        write_json_atomic(self.dir / "index.json", index, indent=2)
        return index


def shard_name(col: str, number: int) -> str:
    """The file name of column `col` of shard `number`."""
    return f"{col}-{number:05d}.npy"


def verify_shards(folder: str | Path, shards: Any, *, fix: str) -> int:
    """Check that the shards listed (by a checkpoint) are on disk as written: names in order, block counts,
    byte sizes and sha256 of every file. Returns the number of blocks; raises LexaugError naming the first
    damaged file and `fix`."""
    folder = Path(folder)
    if not isinstance(shards, list):
        raise ConfigError(f"{folder}: the checkpoint's shard list is not a list; {fix}")
    blocks = 0
    for number, shard in enumerate(shards):
        if not isinstance(shard, dict) or not isinstance(shard.get("blocks"), int) or shard["blocks"] < 1 \
                or not isinstance(shard.get("bytes"), dict) or not isinstance(shard.get("sha256"), dict):
            raise ConfigError(f"{folder}: the checkpoint's entry of shard {number} is malformed (written by an "
                              f"older lexaug without checksums, or edited); {fix}")
        blocks += shard["blocks"]
        for col in COLUMNS:
            name = shard_name(col, number)
            path = folder / name
            if shard.get(col) != name:
                raise ConfigError(f"{folder}: the checkpoint lists {shard.get(col)!r} where {name!r} belongs; {fix}")
            size, sha = shard["bytes"].get(col), shard["sha256"].get(col)
            try:
                actual = path.stat().st_size
            except OSError as err:
                raise ConfigError(f"{path}: shard file missing or unreadable ({err.strerror or err}); {fix}") from None
            if actual != size:
                raise ConfigError(f"{path}: shard file has {actual:,} bytes, the checkpoint recorded {size!r} "
                                  f"(truncated or replaced); {fix}")
            digest = hashlib.sha256()
            try:
                with open(path, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
            except OSError as err:
                raise ConfigError(f"{path}: cannot read the shard file ({err.strerror or err}); {fix}") from None
            if digest.hexdigest() != sha:
                raise ConfigError(f"{path}: shard file changed since it was written (sha256 differs from the "
                                  f"checkpoint); {fix}")
    return blocks


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
