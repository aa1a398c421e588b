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

from collections import deque
from typing import Any, Iterator, cast

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
    if not any(Path(tokenizer).iterdir()):
        raise ConfigError(f"{tokenizer}: tokenizer folder is empty (give a folder written by save_pretrained)")
    try:
        return AutoTokenizer.from_pretrained(str(tokenizer), local_files_only=True)
    except Exception as err:  # transformers/tokenizers raise many kinds (OSError, ValueError, Rust errors)
        first = (str(err).strip().splitlines() or [""])[0][:200]
        raise ConfigError(f"{tokenizer}: cannot load a tokenizer from this folder ({type(err).__name__}: {first}); "
                          "give a folder written by save_pretrained (tokenizer.json or the vocabulary files, "
                          "tokenizer_config.json)") from None


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
        self.pad: int | None = getattr(tokenizer, "pad_token_id", None)
        self.head = [] if self.start is None else [self.start]
        self.tail = [] if self.end is None else [self.end]
        self.room = self.block_size - len(self.head) - len(self.tail)
        if self.room < 1:
            raise ConfigError(f"block_size {block_size} leaves no room for text between the special tokens")
        if mode == "line" and self.pad is None:
            raise ConfigError("line mode pads blocks: the tokenizer needs a pad token (pad_token)")
        self.ids: list[int] = []  # packed: the stream tokens, pending from `self.pos` on; line: not used
        self.pos = 0
        self.seps: deque[int] = deque()  # packed: positions in `ids` of the pending document separators
        self.lines: deque[list[int]] = deque()  # line: pending texts (already truncated)
        self.truncated = 0

    def add(self, ids: list[int]) -> int:
        """Append one text's tokens (no specials) to the pending stream; returns the tokens truncated (line)."""
        return self.add_batch([ids])

    def add_batch(self, batch: list[list[int]]) -> int:
        """`add` for several texts in order; returns the tokens truncated (line mode)."""
        if self.mode == "packed":
            stream, end = self.ids, self.end
            if end is None:
                for ids in batch:
                    stream += ids
            else:
                seps = self.seps
                for ids in batch:
                    stream += ids
                    seps.append(len(stream))
                    stream.append(end)
            return 0
        room, cut = self.room, 0
        for ids in batch:
            if len(ids) > room:
                cut += len(ids) - room
                ids = ids[:room]
            self.lines.append(ids)
        self.truncated += cut
        return cut

    def blocks(self) -> Iterator[dict[str, list[int]]]:
        """Pop the complete blocks pending, one at a time (the state between two yields is exact)."""
        size, head, tail = self.block_size, self.head, self.tail
        if self.mode == "packed":
            room, stream, seps, offset = self.room, self.ids, self.seps, len(head)
            ones = [1] * size
            mask = [1] * offset + [0] * room + [1] * len(tail)
            while len(stream) - self.pos >= room:
                start = self.pos
                stop = start + room
                special = mask.copy()
                while seps and seps[0] < stop:
                    special[offset + seps.popleft() - start] = 1
                self.pos = stop
                yield {"input_ids": head + stream[start:stop] + tail, "attention_mask": ones.copy(),
                       "special_tokens_mask": special}
            if self.pos:  # drop the consumed tokens once per call, not once per block
                del stream[: self.pos]
                self.seps = deque(p - self.pos for p in seps)
                self.pos = 0
        else:
            lines = self.lines
            pad_id = cast(int, self.pad)  # `__init__` refuses line mode without a pad token
            while lines:
                ids = lines.popleft()
                n = len(head) + len(ids) + len(tail)
                pad = size - n
                yield {"input_ids": head + ids + tail + [pad_id] * pad,
                       "attention_mask": [1] * n + [0] * pad,
                       "special_tokens_mask": [1] * len(head) + [0] * len(ids) + [1] * (len(tail) + pad)}

    def pending_tokens(self) -> int:
        return len(self.ids) - self.pos

    def state(self) -> dict[str, Any]:
        pos = self.pos
        flags = [0] * (len(self.ids) - pos)
        for p in self.seps:
            flags[p - pos] = 1
        return {"ids": self.ids[pos:], "flags": flags, "lines": [list(x) for x in self.lines],
                "truncated": self.truncated}

    def load(self, state: dict[str, Any]) -> None:
        self.ids, self.pos = list(state["ids"]), 0
        self.seps = deque(i for i, f in enumerate(state["flags"]) if f)
        self.lines = deque(list(x) for x in state["lines"])
        self.truncated = state["truncated"]
