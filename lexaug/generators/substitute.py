"""`substitute.v1`: word-substitution pseudo-translation (Wang, Ruder & Neubig 2022, "Expanding Pretrained
Models to Thousands More Languages via Lexicon-based Adaptation").

Every word found in the lexicon is replaced by one of its translations (multiword headwords first, longest
match wins: "a lot" before "a"); other words and every character between words are copied. The choice among
translations is uniform or count-weighted; case is restored (lower, Title, UPPER). Records with fewer than
`min_replacements` replaced words are filtered (their recipe used 3). Each output record's `meta` gets
`tokens` and `replaced` (source words covered by a translation); `stats` sums them over the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import accumulate, compress, count, islice, repeat
from operator import eq, getitem, mod, not_
from typing import Any, cast

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.generators.base import Generator, register, resource_info
from lexaug.generators.batch import (BATCH_RECORDS, REC, aligned_draws, materials, pack, record_slots, record_text,
                                     word_counts)
from lexaug.generators.lookup import SurfaceTable, lookup_keys
from lexaug.generators.rng import RecordRng
from lexaug.generators.slots import rewrite_slots
from lexaug.generators.words import WordSpec, split_words
from lexaug.types import Record


_np: Any = None  # numpy, imported when the first generator is made (its import is part of loading)


def _load_numpy() -> Any:
    """numpy (a core dependency), imported once."""
    global _np
    import numpy

    _np = numpy
    return numpy


def entry_lengths(ents: list[tuple[str, ...]]) -> Any:
    """`len` of every entry as a numpy array: uint8 when no entry holds 256 choices or more (nearly always).
    Speed: `bytearray` packs small ints in C about 40% faster than `np.fromiter` (which converts each one through
    numpy's generic setitem), 2.5% of the instructions of bench_synthesize.py's KJV pass."""
    np = _np or _load_numpy()
    try:
        return np.frombuffer(bytearray(map(len, ents)), np.uint8)
    except ValueError:  # an entry of 256 choices or more
        return np.fromiter(map(len, ents), np.intp, len(ents))


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
                 words: WordSpec | None = None, src_lang: str | None = None,
                 rate: float = defaults.SUBSTITUTE_RATE) -> None:
        super().__init__()
        if min_replacements < 0:
            raise ConfigError(f"min_replacements must be >= 0, got {min_replacements}")
        if not 0.0 <= rate <= 1.0:
            raise ConfigError(f"rate must be between 0 and 1, got {rate}")
        self.lexicon = lexicon
        self.weighting = weighting or getattr(lexicon, "weighting", None) or defaults.WEIGHTING
        self.min_replacements = min_replacements
        self.case_fold = case_fold
        self.rate = rate
        self.src_lang = src_lang or getattr(lexicon, "src_lang", None)
        self.words = words or self._word_spec(self.src_lang)
        self.table = self._make_table()
        _load_numpy()
        self._split, self._split_ascii = self.words.splitters()
        self._batch_split = self.words.batch_splitters()
        self._counts = [0, 0]  # tokens, replaced of the record being rewritten
        self._kinds: Counter[str] | None = None  # fallback counts (substitute.v2), moved into `stats` per batch
        # surface forms of the words left untranslated, counted only while a caller sets a Counter here
        # (`lexaug.synthesis` does, per chunk, and takes it with `take_untranslated`); None: not counted
        self.untranslated: Counter[str] | None = None

    @staticmethod
    def _word_spec(src_lang: str | None) -> WordSpec:
        """The word options preset of the source language."""
        return WordSpec.for_language(src_lang)

    def _make_table(self) -> SurfaceTable:
        """The lookup table (substitute.v2 adds fallbacks)."""
        return SurfaceTable(self.lexicon, weighting=self.weighting, case_fold=self.case_fold)

    def params(self) -> dict[str, Any]:
        out = {"weighting": self.weighting, "min_replacements": self.min_replacements,
               "case_fold": self.case_fold, "words": self.words.__dict__.copy()}
        if self.rate < 1.0:  # stated only when it changes anything (a rate of 1 replaces every word found)
            out["rate"] = self.rate
        return out

    def _keep_mask(self, n: int, rng: Any) -> list[bool] | None:
        """With `rate` < 1: per word, True where the word may be replaced (drawn after the choice draws, so
        rate 1 output is unchanged); None at rate 1."""
        if self.rate >= 1.0:
            return None
        limit = int(self.rate * 4294967296.0)
        return [x < limit for x in rng.u32(n)]

    def resources(self) -> dict[str, Any]:
        return {"lexicon": resource_info(self.lexicon)}

    def _rewrite(self, text: str, rng: Any) -> str:
        """Rewrite one string; `rng` offers `u32(n)`. Adds to `self._counts` (tokens, replaced)."""
        parts = split_words(text, self._split, self._split_ascii)
        words = parts[1::2]
        n = len(words)
        if not n:
            return text
        table = self.table
        ents = table.entries(words)
        u = rng.u32(n)
        keep = self._keep_mask(n, rng)
        if keep is not None:  # a partial pseudo-translation: words not drawn stay as they are
            ents = [e if k else (w,) for e, k, w in zip(ents, keep, words)]
            words = [w if k else REC for w, k in zip(words, keep)]  # REC never starts a multiword entry
        lens = list(map(len, ents))
        chosen: list[str] = list(map(getitem, ents, map(mod, u, lens)))
        replaced = n - lens.count(1)
        hit: list[bool] | None = None
        if table.mw_surface and not table.mw_surface.keys().isdisjoint(words):
            hit = [k > 1 for k in lens]
            self._multiword_all(parts, words, chosen, hit, u)
            replaced = sum(hit)
        if self._kinds is not None:  # after the multiword matching: counting ends the table's batch
            self._kinds.update(table.kind_counts(words))
        miss = self.untranslated
        if miss is not None and replaced < n:  # REC marks words the rate left out: not untranslated
            gone = compress(words, map(not_, hit)) if hit is not None else compress(words, map(eq, lens, repeat(1)))
            miss.update(w for w in gone if w != REC)
        parts[1::2] = chosen
        counts = self._counts
        counts[0] += n
        counts[1] += replaced
        return "".join(parts)

    def generate(self, record: Record, rng: RecordRng) -> list[Record]:
        counts = self._counts
        counts[0] = counts[1] = 0
        slots = rewrite_slots(record, lambda text: self._rewrite(text, rng))
        tokens, replaced = counts
        stats = self.stats
        stats["tokens"] += tokens
        stats["replaced"] += replaced
        self._take_kinds()
        if replaced < self.min_replacements:
            stats["filtered:min_replacements"] += 1
            return []
        meta = dict(record.meta)
        meta["tokens"] = tokens
        meta["replaced"] = replaced
        return [Record(record.id, slots, record.frozen, record.payload, meta)]

    def run(self, records: Iterable[Record], seed: int | str = 0) -> Iterator[Record]:
        """As `Generator.run`, batch by batch (`batch.BATCH_RECORDS` records): one split, one lookup
        pass and one join per batch (`generators.batch`) instead of per record. Output and stats are
        identical to calling `generate` per record (tested)."""
        source = iter(records)
        while batch := list(islice(source, BATCH_RECORDS)):  # batches cut in C
            yield from self.run_records(batch, seed)

    def run_records(self, records: list[Record], seed: int | str = 0) -> list[Record]:
        """Rewrite a list of records as one batch; returns the kept output records in input order."""
        if self._batch_split is None:
            texts: list[str | None] = [None] * len(records)
        else:
            texts = list(map(record_text, records))
        if None in texts:  # slots holding NUL, or a custom word pattern: those records one by one
            todo = [i for i, t in enumerate(texts) if t is not None]
            some = [records[i] for i in todo]
            batch_texts = cast("list[str]", [texts[i] for i in todo])  # the records whose text is not None
            done = dict(zip(todo, zip(*self._batch([r.id for r in some], batch_texts, seed, some))))
            results: Iterable[tuple[Any, int, int]] = [done[i] if i in done else self._generic(r, seed)
                                                       for i, r in enumerate(records)]
        else:  # `None in texts` was false
            results = zip(*self._batch([r.id for r in records], cast("list[str]", texts), seed, records))
        outs: list[Record] = []
        tokens = replaced = 0
        k_min = self.min_replacements
        append = outs.append
        for record, (slots, n, r) in zip(records, results):
            tokens += n
            replaced += r
            if r >= k_min:
                meta = {**record.meta, "tokens": n, "replaced": r} if record.meta else {"tokens": n, "replaced": r}
                if slots.__class__ is str:
                    slots = [slots] if len(record.slots) == 1 and not record.frozen else record_slots(record, slots)
                append(Record(record.id, slots, record.frozen, record.payload, meta))
        self._count(len(records), len(outs), tokens, replaced)
        return outs

    def _count(self, n_in: int, n_out: int, tokens: int, replaced: int) -> None:
        """Add a batch's counts to `stats` (records filtered here are filtered by `min_replacements`)."""
        stats = self.stats
        stats["records_in"] += n_in
        stats["records_out"] += n_out
        stats["records_filtered"] += n_in - n_out
        stats["tokens"] += tokens
        stats["replaced"] += replaced
        if n_in - n_out:
            stats["filtered:min_replacements"] += n_in - n_out
        self._take_kinds()

    def _take_kinds(self) -> None:
        """Move the fallback counts gathered so far into `stats` as `fallback:<kind>` (substitute.v2)."""
        kinds = self._kinds
        if kinds:
            stats = self.stats
            for kind, n in kinds.items():
                stats[f"fallback:{kind}"] += n
            kinds.clear()

    def _generic(self, record: Record, seed: int | str) -> tuple[list[str], int, int]:
        """(slots, tokens, replaced) of one record through the per-record path."""
        counts = self._counts
        counts[0] = counts[1] = 0
        rng = RecordRng(seed, record.id, self.name)
        slots = rewrite_slots(record, lambda text: self._rewrite(text, rng))
        return slots, counts[0], counts[1]

    def run_texts(self, ids: list[str], texts: list[str], seed: int | str = 0) -> list[str | None]:
        """Records of one plain-text slot each, given as their ids and texts: the output text of each (None
        where filtered), with output and stats exactly those of `run` over `Record(id, [text])` (tested), but
        no record objects built (`SynthesisJob` uses it for text files)."""
        if self._batch_split is None:  # a custom word pattern: record by record
            kept = {r.id: r.slots[0] for r in self.run([Record(i, [t]) for i, t in zip(ids, texts)], seed)}
            return [kept.get(i) for i in ids]
        out: list[str | None] = []
        tokens = replaced = 0
        k_min = self.min_replacements
        for b in range(0, len(texts), BATCH_RECORDS):
            pieces, counts, reps = self._batch(ids[b:b + BATCH_RECORDS], texts[b:b + BATCH_RECORDS], seed)
            tokens += sum(counts)
            replaced += sum(reps)
            if k_min:
                pieces = [p if r >= k_min else None for p, r in zip(pieces, reps)]
            out += pieces
        self._count(len(texts), len(texts) - out.count(None) if k_min else len(texts), tokens, replaced)
        return out

    def run_lines(self, ids: list[str], texts: list[str], seed: int | str = 0) -> tuple[str, int]:
        """Lines of a text file that each end in "\\n", given without it, with their ids: the kept output lines,
        each followed by "\\n", as one string, and how many were kept; the bytes and stats of `run_texts`
        (tested). Speed: a batch's parts get "\\n" at their records' `REC` tokens and are joined once, instead
        of joined, split at `REC` and joined again with the line ends (3% of the instructions of
        bench_synthesize.py's KJV pass). Joined per batch, not per call: a list of every part of the call
        costs about 2% more instructions, mostly garbage collections traversing it."""
        if self.min_replacements or self.rate < 1.0 or self._batch_split is None:
            kept = [t for t in self.run_texts(ids, texts, seed) if t is not None]
            return "".join([t + "\n" for t in kept]), len(kept)
        out: list[str] = []
        tokens = replaced = 0
        for b in range(0, len(texts), BATCH_RECORDS):
            some_ids, some = ids[b:b + BATCH_RECORDS], texts[b:b + BATCH_RECORDS]
            done = self._batch_parts(some_ids, some, seed, sep="\n")
            if done is None:  # a text holds REC: the per-record path
                pieces, counts, reps = self._one_by_one(some_ids, some, seed, None)
                parts = ["\n".join(pieces)]
            else:
                parts, counts, reps = done
            parts.append("\n")  # the end of the batch's last line
            out.append("".join(parts))
            tokens += sum(counts)
            replaced += sum(reps)
        self._count(len(texts), len(texts), tokens, replaced)
        return "".join(out), len(texts)

    def _batch(self, ids: list[str], texts: list[str], seed: int | str, records: list[Record] | None = None
               ) -> tuple[list[Any], list[int], list[int]]:
        """(new texts, tokens, replaced), one each per record, exactly as `_rewrite` gives them one by one.
        Where a batch has to be redone record by record (a text holding REC), the new texts are slot lists of
        `records` (default: one-slot records of `texts`)."""
        if not ids:
            return [], [], []
        # the rate mask is drawn per record: the per-record path
        done = self._batch_parts(ids, texts, seed) if self.rate >= 1.0 else None
        if done is None:
            return self._one_by_one(ids, texts, seed, records)
        parts, counts, reps = done
        pieces = "".join(parts).split(REC)
        if len(pieces) != len(ids):  # a translation contains REC: redo one by one, without counting again
            return self._uncounted(ids, texts, seed, records)
        return pieces, counts, reps

    def _uncounted(self, ids: list[str], texts: list[str], seed: int | str, records: list[Record] | None
                   ) -> tuple[list[Any], list[int], list[int]]:
        """`_one_by_one` for a batch whose fallbacks and untranslated words `_batch_parts` has counted already."""
        kinds, miss = self._kinds, self.untranslated
        self._kinds, self.untranslated = (None if kinds is None else Counter()), None
        try:
            return self._one_by_one(ids, texts, seed, records)
        finally:
            self._kinds, self.untranslated = kinds, miss

    def _batch_parts(self, ids: list[str], texts: list[str], seed: int | str, sep: str = REC
                     ) -> tuple[list[str], list[int], list[int]] | None:
        """The batch rewritten at rate 1 as `pack`'s parts with the chosen translations in place and `sep` at
        the `REC` token between two records, then tokens and replaced per record; None where a text holds
        `REC` (the caller takes the per-record path)."""
        assert self._batch_split is not None
        packed = pack(texts, *self._batch_split)
        if packed is None:
            return None
        parts, toks, ends = packed
        counts = word_counts(ends)
        table = self.table
        ents = table.direct_entries(toks)
        u = aligned_draws(materials(seed, self.name, ids, 0), counts)
        # Speed: numpy does the per-word arithmetic of the batch in C (about a tenth of the generator's time on
        # KJV): the draw modulo the entry length without a Python int per draw, and the untranslated words'
        # places and per-record counts. The result is that of `_rewrite` (tested, and against `reference.py`).
        np = _np or _load_numpy()
        lens = entry_lengths(ents)
        kinds = self._kinds
        if kinds is not None:  # substitute.v2: the fallback words are among those not found as written
            fixed = table.resolve(toks, ents, np.flatnonzero(lens == 1).tolist(), kinds,  # type: ignore[attr-defined]
                                  drop=False)
            if fixed:
                sizes = [len(ents[p]) for p in fixed]
                if max(sizes) > 255:  # a fallback entry of 256 choices or more
                    lens = lens.astype(np.intp)
                lens[fixed] = sizes
        chosen: list[str] = list(map(getitem, ents, (np.frombuffer(u, np.uint32)[:len(ents)] % lens).tolist()))
        miss = self.untranslated
        if table.mw_surface and not table.mw_surface.keys().isdisjoint(toks):
            hit = (lens != 1).tolist()  # found (an entry of length >= 2); REC counts too
            self._multiword_all(parts, toks, chosen, hit, u)
            # replaced words of record k = hits strictly between its start and its REC, from running totals
            total = list(accumulate(hit, initial=0))
            reps = [total[e] - total[s + 1] for s, e in zip([-1, *ends[:-1]], ends)]
            if miss is not None and total[-1] < len(toks):
                miss.update(compress(toks, map(not_, hit)))
        else:  # words without a translation come off their records' word counts
            places = np.flatnonzero(lens == 1)
            reps = counts
            if len(places):
                reps = (np.array(counts) - np.bincount(np.searchsorted(ends, places), minlength=len(counts))).tolist()
                if miss is not None:
                    miss.update(map(toks.__getitem__, places.tolist()))
        if kinds is not None:
            table.end_batch()  # type: ignore[attr-defined]
        if sep != REC:
            for e in ends[:-1]:
                chosen[e] = sep
        parts[1::2] = chosen
        return parts, counts, reps

    def _one_by_one(self, ids: list[str], texts: list[str], seed: int | str, records: list[Record] | None
                    ) -> tuple[list[Any], list[int], list[int]]:
        """`_batch`'s result through the per-record path: slot lists of `records`, or without `records` the
        texts of one-slot records made from `texts`."""
        done = [self._generic(r, seed) for r in records or [Record(i, [t]) for i, t in zip(ids, texts)]]
        slots, counts, reps = zip(*done)
        return [s[0] for s in slots] if records is None else list(slots), list(counts), list(reps)

    def take_untranslated(self, limit: int | None = None) -> tuple[dict[str, int], bool]:
        """The untranslated words counted since `untranslated` was set, by lookup key (`The` and `the` are one
        word), at most `limit` of them (default `defaults.UNTRANSLATED_PER_CHUNK`; most frequent first, ties by
        word), and whether some were left out;
        the counter starts again empty."""
        miss = self.untranslated
        if not miss:
            return {}, False
        limit = defaults.UNTRANSLATED_PER_CHUNK if limit is None else limit
        merged: Counter[str] = Counter()
        forms = list(miss)
        for key, n in zip(lookup_keys(forms, self.case_fold), map(miss.__getitem__, forms)):
            merged[key] += n
        miss.clear()
        if len(merged) <= limit:
            return dict(merged), False
        return dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]), True

    def _multiword_all(self, parts: list[str], words: list[str], chosen: list[str], hit: list[bool],
                       u: Any) -> None:
        """Put multiword translations into `chosen` (left to right, longest match first, visiting only the
        words that may start a multiword entry) and blank the gaps and words they cover; `parts` still holds
        the source words. `hit` becomes True for every word a translation covers."""
        table = self.table
        starts = table.mw_surface
        end = 0
        for i in compress(count(), map(starts.__contains__, words)):
            if i < end:
                continue
            found = table.match_span(parts, i, starts[words[i]])
            if found is not None:
                span, ents = found
                chosen[i] = ents[u[i] % len(ents)]
                for k in range(i + 1, i + span):
                    parts[2 * k] = chosen[k] = ""
                    hit[k] = True
                hit[i] = True
                end = i + span
