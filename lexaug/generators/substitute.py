"""`substitute.v1`: word-substitution pseudo-translation (Wang, Ruder & Neubig 2022, "Expanding Pretrained
Models to Thousands More Languages via Lexicon-based Adaptation").

Every word found in the lexicon is replaced by one of its translations (multiword headwords first, longest
match wins: "a lot" before "a"); other words and every character between words are copied. The choice among
translations is uniform or count-weighted; case is restored (lower, Title, UPPER). Records with fewer than
`min_replacements` replaced words are filtered (their recipe used 3). Each output record's `meta` gets
`tokens` and `replaced` (source words covered by a translation); `stats` sums them over the run.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from hashlib import shake_128
from operator import getitem, mod
from typing import Any

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.generators.base import Generator, register, resource_info
from lexaug.generators.lookup import SurfaceTable
from lexaug.generators.rng import _LITTLE, RecordRng
from lexaug.generators.slots import rewrite_slots
from lexaug.generators.words import WordSpec
from lexaug.types import Record


@register("substitute.v1")
class Substitute(Generator):
    """Replace every word the lexicon knows (see module docstring).

    Args:
        lexicon: a `Lexicon` (or any object with `translations`, `keys`, `max_source_words`, `sha256`).
        weighting: "uniform" or "count"; None takes the lexicon's `weighting` (else defaults.WEIGHTING).
        min_replacements: keep only records with at least this many replaced words (0 keeps all).
        case_fold: case-insensitive lookup with case restored (default) or exact case.
        words: a `WordSpec`; None uses `WordSpec.for_language(src_lang)`.
        src_lang: source language code, for the word options preset.
    """

    def __init__(self, lexicon: Any, *, weighting: str | None = None,
                 min_replacements: int = defaults.MIN_REPLACEMENTS, case_fold: bool = defaults.CASE_FOLD,
                 words: WordSpec | None = None, src_lang: str | None = None) -> None:
        super().__init__()
        if min_replacements < 0:
            raise ConfigError(f"min_replacements must be >= 0, got {min_replacements}")
        self.lexicon = lexicon
        self.weighting = weighting or getattr(lexicon, "weighting", None) or defaults.WEIGHTING
        self.min_replacements = min_replacements
        self.case_fold = case_fold
        self.words = words or WordSpec.for_language(src_lang or getattr(lexicon, "src_lang", None))
        self.table = SurfaceTable(lexicon, weighting=self.weighting, case_fold=case_fold)
        self._split, self._split_ascii = self.words.splitters()
        self._counts = [0, 0]  # tokens, replaced of the record being rewritten

    def params(self) -> dict[str, Any]:
        return {"weighting": self.weighting, "min_replacements": self.min_replacements,
                "case_fold": self.case_fold, "words": self.words.__dict__.copy()}

    def resources(self) -> dict[str, Any]:
        return {"lexicon": resource_info(self.lexicon)}

    def _rewrite(self, text: str, rng: Any) -> str:
        """Rewrite one string; `rng` offers `u32(n)`. Adds to `self._counts` (tokens, replaced)."""
        fast = self._split_ascii
        parts = fast.split(text) if fast is not None and text.isascii() else self._split.split(text)
        words = parts[1::2]
        n = len(words)
        if not n:
            return text
        table = self.table
        ents = table.entries(words)
        lens = list(map(len, ents))
        u = rng.u32(n)
        chosen = list(map(getitem, ents, map(mod, u, lens)))
        replaced = n - lens.count(1)
        if table.mw_surface and not table.mw_surface.keys().isdisjoint(words):
            replaced = self._multiword(parts, words, chosen, lens, u)
        parts[1::2] = chosen
        counts = self._counts
        counts[0] += n
        counts[1] += replaced
        return "".join(parts)

    def _multiword(self, parts: list[str], words: list[str], chosen: list[str], lens: list[int], u: Any) -> int:
        """Put multiword translations into `chosen` (left to right, longest match first) and blank the gaps
        and words they cover; `parts` still holds the source words. Returns the replaced word count."""
        table = self.table
        starts = table.mw_surface
        hit = [n > 1 for n in lens]
        i, n_words = 0, len(words)
        while i < n_words:
            longest = starts.get(words[i])
            if longest is not None:
                found = table.match_span(parts, i, longest)
                if found is not None:
                    span, ents = found
                    chosen[i] = ents[u[i] % len(ents)]
                    for k in range(i + 1, i + span):
                        parts[2 * k] = chosen[k] = ""
                        hit[k] = True
                    hit[i] = True
                    i += span
                    continue
            i += 1
        return sum(hit)

    def generate(self, record: Record, rng: RecordRng) -> list[Record]:
        counts = self._counts
        counts[0] = counts[1] = 0
        slots = rewrite_slots(record, lambda text: self._rewrite(text, rng))
        tokens, replaced = counts
        stats = self.stats
        stats["tokens"] += tokens
        stats["replaced"] += replaced
        if replaced < self.min_replacements:
            stats["filtered:min_replacements"] += 1
            return []
        meta = dict(record.meta)
        meta["tokens"] = tokens
        meta["replaced"] = replaced
        return [Record(record.id, slots, record.frozen, record.payload, meta)]

    def run(self, records: Iterable[Record], seed: int | str = 0) -> Iterator[Record]:
        """As `Generator.run`, with the common case (one unfrozen slot) inlined: the per-record overhead of
        the generic path (rng object, slot plumbing, stats updates) costs about a third of the time on
        short lines. Output and stats are identical to calling `generate` per record (tested)."""
        stats, name, generate, rewrite = self.stats, self.name, self.generate, self._rewrite
        counts, k_min = self._counts, self.min_replacements
        draw = _Draw(seed, name)
        n_in = n_out = tokens = replaced = filtered = 0
        try:
            for record in records:
                n_in += 1
                slots = record.slots
                if len(slots) != 1 or record.frozen:
                    outs = generate(record, RecordRng(seed, record.id, name))
                    n_out += len(outs)
                    yield from outs
                    continue
                counts[0] = counts[1] = 0
                draw.record_id = record.id
                text = rewrite(slots[0], draw)
                n, r = counts
                tokens += n
                replaced += r
                if r < k_min:
                    filtered += 1
                    continue
                meta = {**record.meta, "tokens": n, "replaced": r} if record.meta else {"tokens": n, "replaced": r}
                n_out += 1
                yield Record(record.id, [text], record.frozen, record.payload, meta)
        finally:
            stats["records_in"] += n_in
            stats["records_out"] += n_out
            stats["records_filtered"] += n_in - n_out
            stats["tokens"] += tokens
            stats["replaced"] += replaced
            stats["filtered:min_replacements"] += filtered
            if not stats["filtered:min_replacements"]:
                del stats["filtered:min_replacements"]


class _Draw:
    """The first `u32` block of `RecordRng(seed, record_id, name)` without building the object."""

    __slots__ = ("prefix", "suffix", "record_id")

    def __init__(self, seed: int | str, name: str) -> None:
        self.prefix, self.suffix, self.record_id = f"{seed}\x1f", f"\x1f{name}", ""

    def u32(self, n: int) -> array:
        material = (self.prefix + self.record_id + self.suffix).encode("utf-8", "surrogatepass")
        out = array("I", shake_128(material + b"\x00\x00\x00\x00").digest(4 * n))
        if not _LITTLE:
            out.byteswap()
        return out
