"""Per-source counts of a feed run and the report built from them.

Definitions (per source, over the texts the shard tokenized):

* `records_in`: source records drawn; `filtered`: drawn records a generator turned into no text;
  `records`: texts tokenized (a generator may make several texts of one record).
* `tokens`: subword tokens of the texts, without the special tokens the packer adds.
* `words`: whitespace-separated words (`str.split`), the usual denominator of tokenizer fertility.
* `fertility` = tokens / words (subwords per word; Rust et al. 2021), `unk_rate` = unknown tokens / tokens.
* `replaced` (synthesized sources): source words the generator replaced; `truncated_tokens` (line mode).

Pseudo-words and new scripts inflate fertility and the unknown rate: compare a synthesized source with the
real text of the same language before a long run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Sequence

COUNTS = ("records_in", "filtered", "records", "tokens", "words", "unk", "replaced", "truncated_tokens")


@dataclass
class SourceStats:
    """Running counts of one source (see module docstring)."""

    records_in: int = 0
    filtered: int = 0
    records: int = 0
    tokens: int = 0
    words: int = 0
    unk: int = 0
    replaced: int = 0
    truncated_tokens: int = 0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        out["fertility"] = round(self.tokens / self.words, 6) if self.words else 0.0
        out["unk_rate"] = round(self.unk / self.tokens, 6) if self.tokens else 0.0
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SourceStats":
        return cls(**{k: int(data[k]) for k in COUNTS})


def merge(stats: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Add several per-source count dicts (e.g. one per rank) and recompute the rates."""
    total = SourceStats()
    for data in stats:
        for key in COUNTS:
            setattr(total, key, getattr(total, key) + int(data.get(key, 0)))
    return total.as_dict()


def build_report(sources: Sequence[Any], stats: Sequence[SourceStats], *, blocks: int, block_size: int,
                 mode: str, dropped_tail_tokens: int, pending_tokens: int, epoch: int,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The feed report: per source its description, counts, rates and shares of records and tokens."""
    all_records = sum(s.records for s in stats) or 1
    all_tokens = sum(s.tokens for s in stats) or 1
    per_source = []
    for source, st in zip(sources, stats):
        entry = {**source.describe(), **st.as_dict()}
        entry["share_records"] = round(st.records / all_records, 6)
        entry["share_tokens"] = round(st.tokens / all_tokens, 6)
        per_source.append(entry)
    total = merge([st.as_dict() for st in stats])
    return {"mode": mode, "block_size": block_size, "blocks": blocks, "block_tokens": blocks * block_size,
            "dropped_tail_tokens": dropped_tail_tokens, "pending_tokens": pending_tokens, "epoch": epoch,
            "sources": per_source, "total": total, **(extra or {})}
