"""Batch tokenization with a `transformers` tokenizer, and packing into fixed-size blocks.

Special tokens (read from the tokenizer): `start` = `cls_token_id`, else `bos_token_id`; `end` =
`sep_token_id`, else `eos_token_id` (either may be absent).

* `packed` mode (RoBERTa "full-sentences" style): texts are tokenized without specials and concatenated, each
  text followed by `end` as a document separator. Every block is `[start] + block_size - 2 stream tokens +
  [end]` (without the start/end that do not exist), so every block is exactly `block_size` long, the
  `attention_mask` is all ones and `special_tokens_mask` is 1 at the start, at the end and at every document
  separator inside. The tail that does not fill a block carries over to the next block (across epochs) and is
  dropped only when the stream ends (counted as `dropped_tail_tokens`).
* `line` mode: one block per text: `[start] + text tokens + [end]`, truncated to `block_size` (counted as
  `truncated_tokens`) and right-padded with the pad token (attention 0, special 1, as `transformers` marks pads).
"""

from __future__ import annotations

from typing import Any, Iterator

from lexaug.errors import ConfigError

MODES = ("packed", "line")


def load_tokenizer(tokenizer: Any) -> Any:
    """A tokenizer object as is, or `AutoTokenizer.from_pretrained(dir, local_files_only=True)` for a path."""
    if not isinstance(tokenizer, (str, bytes)) and not hasattr(tokenizer, "__fspath__"):
        return tokenizer
    from pathlib import Path

    from transformers import AutoTokenizer

    if not Path(tokenizer).is_dir():
        raise ConfigError(f"{tokenizer}: tokenizer folder not found (give a folder written by save_pretrained)")
    return AutoTokenizer.from_pretrained(str(tokenizer), local_files_only=True)


def batch_encoder(tokenizer: Any):
    """A function texts -> list of token id lists, without special tokens. Fast tokenizers go straight to
    their Rust backend (`encode_batch`, which also runs in parallel); others through `tokenizer(texts)`."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None and hasattr(backend, "encode_batch_fast"):
        def encode_fast(texts: list[str]) -> list[list[int]]:
            return [e.ids for e in backend.encode_batch_fast(texts, add_special_tokens=False)]
        return encode_fast
    if backend is not None and hasattr(backend, "encode_batch"):
        def encode_backend(texts: list[str]) -> list[list[int]]:
            return [e.ids for e in backend.encode_batch(texts, add_special_tokens=False)]
        return encode_backend

    def encode(texts: list[str]) -> list[list[int]]:
        return tokenizer(texts, add_special_tokens=False, return_attention_mask=False)["input_ids"]
    return encode


def _first(*ids: Any) -> int | None:
    for i in ids:
        if i is not None:
            return int(i)
    return None


class Packer:
    """Turns token id lists into blocks (see module docstring); its pending tokens are part of the feed state."""

    def __init__(self, tokenizer: Any, block_size: int, mode: str = "packed"):
        if mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode, self.block_size = mode, int(block_size)
        self.start = _first(getattr(tokenizer, "cls_token_id", None), getattr(tokenizer, "bos_token_id", None))
        self.end = _first(getattr(tokenizer, "sep_token_id", None), getattr(tokenizer, "eos_token_id", None))
        self.pad = getattr(tokenizer, "pad_token_id", None)
        self.head = [] if self.start is None else [self.start]
        self.tail = [] if self.end is None else [self.end]
        self.room = self.block_size - len(self.head) - len(self.tail)
        if self.room < 1:
            raise ConfigError(f"block_size {block_size} leaves no room for text between the special tokens")
        if mode == "line" and self.pad is None:
            raise ConfigError("line mode pads blocks: the tokenizer needs a pad token (pad_token)")
        self.ids: list[int] = []  # packed: pending stream tokens; line: not used
        self.flags: list[int] = []  # packed: 1 where a pending token is a document separator
        self.lines: list[list[int]] = []  # line: pending texts (already truncated)
        self.truncated = 0

    def add(self, ids: list[int]) -> int:
        """Append one text's tokens (no specials) to the pending stream; returns the tokens truncated (line)."""
        if self.mode == "packed":
            self.ids.extend(ids)
            self.flags.extend([0] * len(ids))
            if self.end is not None:
                self.ids.append(self.end)
                self.flags.append(1)
            return 0
        cut = max(0, len(ids) - self.room)
        if cut:
            self.truncated += cut
            ids = ids[: self.room]
        self.lines.append(ids)
        return cut

    def blocks(self) -> Iterator[dict[str, list[int]]]:
        """Pop the complete blocks pending, one at a time (the state between two yields is exact)."""
        size, head, tail = self.block_size, self.head, self.tail
        if self.mode == "packed":
            room = self.room
            ones = [1] * size
            while len(self.ids) >= room:
                chunk, flags = self.ids[:room], self.flags[:room]
                del self.ids[:room], self.flags[:room]
                yield {"input_ids": head + chunk + tail, "attention_mask": list(ones),
                       "special_tokens_mask": [1] * len(head) + flags + [1] * len(tail)}
        else:
            while self.lines:
                ids = self.lines.pop(0)
                n = len(head) + len(ids) + len(tail)
                pad = size - n
                yield {"input_ids": head + ids + tail + [self.pad] * pad,
                       "attention_mask": [1] * n + [0] * pad,
                       "special_tokens_mask": [1] * len(head) + [0] * len(ids) + [1] * (len(tail) + pad)}

    def pending_tokens(self) -> int:
        return len(self.ids)

    def state(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "flags": list(self.flags), "lines": [list(x) for x in self.lines],
                "truncated": self.truncated}

    def load(self, state: dict[str, Any]) -> None:
        self.ids, self.flags = list(state["ids"]), list(state["flags"])
        self.lines = [list(x) for x in state["lines"]]
        self.truncated = state["truncated"]
