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

import unicodedata
from collections import Counter
from itertools import accumulate, chain, compress, islice, repeat
from operator import attrgetter, contains, eq, gt, not_
from typing import Any, TypeVar, cast

from lexaug import defaults
from lexaug.generators.batch import REC
from lexaug.generators.words import LOWER, case_class, lookup_key, restore_case, span_case


_T = TypeVar("_T")


def expand_weights(targets: list[_T], counts: list[int], weighting: str,
                   slots: int = defaults.MAX_WEIGHT_SLOTS) -> tuple[_T, ...]:
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


_TARGET = attrgetter("target")
PREPARE_ALL_KEYS = 200_000  # lexicons up to this many headwords are prepared when the table is made (`prepare`)


def lookup_keys(words: list[str], case_fold: bool = True) -> list[str]:
    """`[lookup_key(w, case_fold) for w in words]` with one normalisation call over all words joined by
    newlines: NFC never composes across a newline and `casefold` maps characters one by one, so each piece
    comes out as its own `lookup_key`. Words holding a newline take the per-word path."""
    if not words:
        return []
    joined = "\n".join(words)
    if joined.count("\n") != len(words) - 1:
        return [lookup_key(w, case_fold) for w in words]
    if joined.isascii():
        return (joined.lower() if case_fold else joined).split("\n")
    nfc = unicodedata.normalize("NFC", joined)
    return (unicodedata.normalize("NFC", nfc.casefold()) if case_fold else nfc).split("\n")



def own_key_entry(key: str, choices: tuple[str | None, ...] | None) -> tuple[str, ...]:
    """The cache entry of a surface form equal to its own lookup key: its choices with identity translations
    (None) spelled as the key, at least two long (the batched path indexes entries by a draw modulo length);
    `(key,)` for an unknown word."""
    if choices is None:
        return (key,)
    # no None in `choices` means every choice is a str (mypy cannot narrow a tuple's items)
    ent = tuple(key if t is None else t for t in choices) if None in choices else choices
    return cast("tuple[str, ...]", ent * 2 if len(ent) == 1 else ent)

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
        # surface form -> entry; a miss calls `_fill` (dict.__missing__), so one C-level `map` over a batch's
        # words both looks up the known forms and fills in the new ones, without a second pass
        self._reset_memos()
        # multiword headwords: first word -> most words of an entry starting with it
        self.mw_first: dict[str, int] = {}
        if getattr(lexicon, "max_source_words", 1) > 1:
            for key in lexicon.keys():
                if " " in key:
                    first, n = key.split(" ", 1)[0], key.count(" ") + 1
                    if n > self.mw_first.get(first, 0):
                        self.mw_first[first] = n
        if len(lexicon.keys()) <= PREPARE_ALL_KEYS:
            self.prepare()

    _MEMOS: tuple[str, ...] = ("_cache", "get", "_lookup", "_clears", "_choices", "_complete", "_lower", "mw_surface")

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its memos (most of its size): a worker or feed producer that unpickles a table
        rebuilds them with `prepare`, faster than unpickling them."""
        return {k: v for k, v in self.__dict__.items() if k not in self._MEMOS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset_memos()
        if len(self.lexicon.keys()) <= PREPARE_ALL_KEYS:
            self.prepare()

    def _reset_memos(self) -> None:
        self._cache = _FormCache(self)
        self._cache[REC] = (REC, REC)  # batch.REC maps to itself, never counted
        self.get = self._cache.get  # bound once; the dict is cleared, never replaced
        self._lookup = self._cache.__getitem__
        self._clears = 0  # times the cache was full and cleared
        self._choices: dict[str, tuple[str | None, ...] | None] = {}
        self._complete = False  # `_choices` holds every headword (absent keys are not memoised then)
        self._lower: dict[str, tuple[str, ...]] = {}  # entries of forms equal to their key (`_lower_entry`)
        self.mw_surface: dict[str, int] = {}  # surface forms that may start a multiword entry

    def choices(self, key: str) -> tuple[str | None, ...] | None:
        """Weighted choices for a lookup key; None marks an identity translation; None overall = absent."""
        memo = self._choices
        if key in memo:
            return memo[key]
        if self._complete:  # every headword is memoised: an absent key has no translation
            return None
        self._prepare([key])
        return memo[key]

    def prepare(self) -> None:
        """Memoise the choices of every headword and the cache entries of the lower-case single-word ones, in
        a few C-level passes (about 3 times cheaper per key than one by one on a miss). `__init__` calls it for
        lexicons up to `PREPARE_ALL_KEYS` headwords, so lexicon loading pays it once, not every corpus pass
        (and worker processes inherit it). Results do not depend on it."""
        keys = list(self.lexicon.keys())
        self._prepare(keys)
        memo, cache, lower = self._choices, self._cache, self._lower
        self._complete = len(memo) == len(keys)
        single = list(compress(keys, map(not_, map(contains, keys, repeat(" ")))))
        own = list(compress(single, map(eq, lookup_keys(single, self.case_fold), single)))
        if self.case_fold:  # keys that casefold leaves upper case (Cherokee) take `_entry`'s case path
            own = list(compress(own, map(not_, map(str.isupper, own))))
        if len(cache) + len(own) > self.cache_size:
            return
        mw_first, mw_surface = self.mw_first, self.mw_surface
        for key in own:  # what `_entry` gives a surface form equal to its key
            lower[key] = cache[key] = ent = own_key_entry(key, memo[key])
            if key in mw_first:
                mw_surface[key] = mw_first[key]

    def _prepare(self, keys: list[str]) -> None:
        """Memoise `choices` of distinct keys not yet memoised, with C-level passes over all their targets:
        one vectorised `lookup_keys` (the identity test), one comparison pass, one tuple per key; only keys
        with an identity translation or count weights take a Python step of their own."""
        memo, fold = self._choices, self.case_fold
        if len(memo) + len(keys) > self.cache_size:
            memo.clear()
            self._complete = False
        found = list(map(self.lexicon.translations, keys))
        sizes = list(map(len, found))
        flat = list(chain.from_iterable(found))
        targets = list(map(_TARGET, flat))
        same = list(map(eq, lookup_keys(targets, fold), chain.from_iterable(map(repeat, keys, sizes))))
        source = iter(targets)
        memo.update(zip(keys, map(tuple, map(islice, repeat(source), sizes))))
        special = set(compress(chain.from_iterable(map(repeat, keys, sizes)), same))  # identity translations
        if self.weighting != "uniform":
            special.update(compress(keys, map(gt, sizes, repeat(1))))
        if 0 in sizes:
            special.update(compress(keys, map(not_, sizes)))
        if special:
            starts = dict(zip(keys, accumulate(sizes, initial=0)))
            stored = cast("dict[str, tuple[str | None, ...]]", memo)  # every key of `keys` was just given a tuple
            for key in special:
                start, n = starts[key], len(stored[key])
                if not n:
                    memo[key] = None
                    continue
                out = [None if same[i] else targets[i] for i in range(start, start + n)]
                if self.weighting != "uniform" and n > 1:
                    memo[key] = expand_weights(out, [t.count for t in flat[start:start + n]], self.weighting)
                else:
                    memo[key] = tuple(out)

    def _entry(self, word: str) -> tuple[str, ...]:
        """The entry of one surface form (see module docstring); notes multiword starts in `mw_surface`."""
        fold = self.case_fold
        key = (word.lower() if fold else word) if word.isascii() else lookup_key(word, fold)
        mw_first = self.mw_first
        if mw_first and key in mw_first:
            self.mw_surface[word] = mw_first[key]
        # the word is its own key: lower case (or caseless), the shared entry of the key; casefold maps some
        # scripts (Cherokee) to upper case, and those words still need their case restored
        if key == word and not (fold and word.isupper()):
            ent = self._lower.get(key)
            return ent if ent is not None else self._lower_entry(key)
        choices = self.choices(key)
        if choices is None:
            return (word,)
        cls = case_class(word) if fold else LOWER
        out = tuple(word if t is None else restore_case(t, cls) for t in choices)
        return out if len(out) > 1 else out * 2

    def _fill(self, word: str) -> tuple[str, ...]:
        """Compute, memoise and return the entry of a form the cache lacks (clearing the cache when full)."""
        cache = self._cache
        if len(cache) >= self.cache_size:
            cache.clear()
            cache[REC] = (REC, REC)
            self.mw_surface.clear()
            self._clears += 1
        ent = cache[word] = self._entry(word)
        return ent

    def _lower_entry(self, key: str) -> tuple[str, ...]:
        """The entry of a surface form equal to its own lookup key (no case to restore: `restore_case` leaves
        targets as written for LOWER and for caseless OTHER), memoised per key beside `choices`."""
        ent = own_key_entry(key, self.choices(key))
        lower = self._lower
        if len(lower) >= self.cache_size:
            lower.clear()
        lower[key] = ent
        return ent

    def entries(self, words: list[str]) -> list[tuple[str, ...]]:
        """One entry per word (see module docstring)."""
        clears = self._clears
        ents = list(map(self._lookup, words))
        if self._clears != clears and self.mw_first:
            # the cache was cleared part way: note again the multiword starts among this batch's earlier forms
            mw_first, mw_surface = self.mw_first, self.mw_surface
            forms = list(dict.fromkeys(words))
            for word, key in zip(forms, lookup_keys(forms, self.case_fold)):
                if key in mw_first:
                    mw_surface[word] = mw_first[key]
        return ents

    def entry(self, word: str) -> tuple[str, ...]:
        """The entry of one word."""
        return self._lookup(word)

    def direct_entries(self, words: list[str]) -> list[tuple[str, ...]]:
        """`SurfaceTable.entries` without a subclass's fallbacks (`fallbacks.FallbackTable.resolve` adds them)."""
        return SurfaceTable.entries(self, words)

    def kind_counts(self, words: list[str]) -> Counter[str]:
        """How many of `words` each fallback translated: none here (`fallbacks.FallbackTable` has some)."""
        return Counter()

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


class _FormCache(dict):
    """The surface-form cache: a dict whose misses are filled by the table (`SurfaceTable._fill`)."""

    __slots__ = ("table",)

    def __init__(self, table: SurfaceTable) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, word: str) -> tuple[str, ...]:
        return self.table._fill(word)
