"""`SurfaceTable`: a lexicon seen from the text side, memoised per surface form for speed.

The generators' hot path is "for every word of a slot, pick one translation, with the word's case". A
`SurfaceTable` answers that per *surface form* (`The`, `the`, `THE` are three entries) with a tuple of
choices in which case restoration and count weighting are already applied, so one dict lookup per word and
`choices[u % len(choices)]` replace per-word normalisation, case tests and weighted sampling:

* a word with no translation gets the 1-tuple `(word,)`; every found word gets a tuple of length >= 2
  (a single translation is doubled), so `len(entry) == 1` tells "not found" without a second lookup;
* count weighting (`weighting="count"`) repeats each target `count` times; totals above
  `defaults.MAX_WEIGHT_SLOTS` are quantised to that many slots by largest remainder (each target keeps >= 1);
* a translation equal to the lookup key (an identity entry, e.g. a name kept as is) keeps the original word
  byte for byte, including its case and normalisation form (NFD text stays NFD).

The memo is bounded (`defaults.SURFACE_CACHE_SIZE`) and cleared when full, so memory does not grow with
corpus size; results never depend on it.
"""

from __future__ import annotations

from itertools import compress
from operator import not_
from typing import Any

from lexaug import defaults
from lexaug.generators.batch import REC
from lexaug.generators.words import LOWER, case_class, lookup_key, restore_case, span_case


def expand_weights(targets: list[str], counts: list[int], weighting: str,
                   slots: int = defaults.MAX_WEIGHT_SLOTS) -> tuple[str, ...]:
    """Targets repeated so a uniform pick honours the weighting ("uniform" or "count")."""
    if weighting == "uniform" or len(targets) == 1:
        return tuple(targets)
    total = sum(counts)
    if total > slots:  # quantise: floor shares, then hand the remaining slots to the largest remainders
        shares = [max(1, c * slots // total) for c in counts]
        order = sorted(range(len(counts)), key=lambda i: (-(counts[i] * slots % total), i))
        for i in order[: max(0, slots - sum(shares))]:
            shares[i] += 1
        counts = shares
    return tuple(t for t, c in zip(targets, counts) for _ in range(c))


class SurfaceTable:
    """Memoised choices per surface form for one lexicon (see module docstring).

    Args:
        lexicon: object with `translations(key) -> tuple[Translation, ...]`, `keys()`, `max_source_words`.
        weighting: "uniform" or "count".
        case_fold: look up case-folded keys and restore case (True) or exact case (False).
        cache_size: most surface forms memoised at once.
    """

    def __init__(self, lexicon: Any, *, weighting: str, case_fold: bool = True,
                 cache_size: int = defaults.SURFACE_CACHE_SIZE) -> None:
        if weighting not in ("uniform", "count"):
            raise ValueError(f"weighting must be 'uniform' or 'count', got {weighting!r}")
        self.lexicon, self.weighting, self.case_fold, self.cache_size = lexicon, weighting, case_fold, cache_size
        self._cache: dict[str, tuple[str, ...]] = {REC: (REC, REC)}  # batch.REC maps to itself, never counted
        self.get = self._cache.get  # bound once; the dict is cleared, never replaced
        self._choices: dict[str, tuple[str | None, ...] | None] = {}
        self._lower: dict[str, tuple[str, ...]] = {}  # entries of forms equal to their key (`_lower_entry`)
        # multiword headwords: first word -> most words of an entry starting with it
        self.mw_first: dict[str, int] = {}
        if getattr(lexicon, "max_source_words", 1) > 1:
            for key in lexicon.keys():
                if " " in key:
                    first, n = key.split(" ", 1)[0], key.count(" ") + 1
                    if n > self.mw_first.get(first, 0):
                        self.mw_first[first] = n
        self.mw_surface: dict[str, int] = {}  # surface forms that may start a multiword entry

    def choices(self, key: str) -> tuple[str | None, ...] | None:
        """Weighted choices for a lookup key; None marks an identity translation; None overall = absent."""
        memo = self._choices
        if key in memo:
            return memo[key]
        translations = self.lexicon.translations(key)
        if not translations:
            out = None
        else:
            targets = [None if lookup_key(t.target, self.case_fold) == key else t.target for t in translations]
            out = expand_weights(targets, [t.count for t in translations], self.weighting)  # type: ignore[arg-type]
        if len(memo) >= self.cache_size:
            memo.clear()
        memo[key] = out
        return out

    def _entry(self, word: str) -> tuple[str, ...]:
        return self._new_entries([word])[0]

    def _new_entries(self, words: list[str]) -> list[tuple[str, ...]]:
        """Entries of surface forms not in the cache, in one loop with the per-form work inlined: filling
        the cache for a corpus's distinct forms is a one-time cost that the first pass pays in full."""
        fold, memo, mw_first, mw_surface = self.case_fold, self._choices, self.mw_first, self.mw_surface
        lower_memo, choices_of = self._lower, self.choices
        out: list[tuple[str, ...]] = []
        append = out.append
        for word in words:
            key = (word.lower() if fold else word) if word.isascii() else lookup_key(word, fold)
            if mw_first and key in mw_first:
                mw_surface[word] = mw_first[key]
            if key == word:  # the word is its own key: lower case (or caseless), the shared entry of the key
                ent = lower_memo.get(key)
                if ent is None:
                    ent = self._lower_entry(key)
                append(ent)
                continue
            choices = memo[key] if key in memo else choices_of(key)
            if choices is None:
                append((word,))
                continue
            cls = case_class(word) if fold else LOWER
            ent = tuple(word if t is None else restore_case(t, cls) for t in choices)
            append(ent if len(ent) > 1 else ent * 2)
        return out

    def _lower_entry(self, key: str) -> tuple[str, ...]:
        """The entry of a surface form equal to its own lookup key (no case to restore: `restore_case` leaves
        targets as written for LOWER and for caseless OTHER), memoised per key beside `choices`."""
        choices = self.choices(key)
        if choices is None:
            ent: tuple[str, ...] = (key,)
        else:
            ent = tuple(key if t is None else t for t in choices)
            if len(ent) == 1:
                ent *= 2
        lower = self._lower
        if len(lower) >= self.cache_size:
            lower.clear()
        lower[key] = ent
        return ent

    def entries(self, words: list[str]) -> list[tuple[str, ...]]:
        """One entry per word (see module docstring)."""
        ents = list(map(self.get, words))
        if not all(ents):  # a None (unseen word); all() tests tuples' truth faster than `None in` compares
            # positions and distinct forms of the unseen words, found in C (compress, dict.fromkeys)
            cache = self._cache
            missing = list(compress(range(len(words)), map(not_, ents)))
            new = dict.fromkeys(map(words.__getitem__, missing))
            if len(cache) + len(new) > self.cache_size:
                cache.clear()
                cache[REC] = (REC, REC)
                self.mw_surface.clear()
                new = dict.fromkeys(words)  # every form of this batch again, so `mw_surface` knows them
                new.pop(REC, None)
            cache.update(zip(new, self._new_entries(list(new))))
            for i, ent in zip(missing, map(cache.__getitem__, map(words.__getitem__, missing))):
                ents[i] = ent
        return ents

    def entry(self, word: str) -> tuple[str, ...]:
        """The entry of one word."""
        ent = self.get(word)
        if ent is None:
            return self.entries([word])[0]
        return ent

    def match_span(self, parts: list[str], i: int, longest: int) -> tuple[int, tuple[str, ...]] | None:
        """Longest multiword entry starting at word `i` of a split slot (`parts` from `split`, word i at
        `parts[2*i+1]`), over words separated by whitespace only; (word count, choices) or None."""
        n_words = len(parts) // 2
        top = min(longest, n_words - i)
        for n in range(top, 1, -1):
            gaps = parts[2 * i + 2: 2 * (i + n): 2]
            if not all(g and g.isspace() for g in gaps):
                continue
            words = parts[2 * i + 1: 2 * (i + n): 2]
            choices = self.choices(" ".join(lookup_key(w, self.case_fold) for w in words))
            if choices is None:
                continue
            cls = span_case(words) if self.case_fold else LOWER
            span = "".join(parts[2 * i + 1: 2 * (i + n)])
            out = tuple(span if t is None else restore_case(t, cls) for t in choices)
            return n, out if len(out) > 1 else out * 2  # found entries have length >= 2, as in `entries`
        return None
