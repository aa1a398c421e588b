"""Source-side fallbacks for words a lexicon misses only because of their surface form (`substitute.v2`).

A word the lexicon does not know as it is written is tried, in this order, as:

1. `contraction`: an English contraction expanded to its words (`didn't` -> `did not`, `they're` ->
   `they are`), each word then looked up (with the fallbacks below), data in `resources/source/<iso>.contractions.tsv`;
2. `lemma`: its lemma (`months` -> `month`, `went` -> `go`): irregular forms from a table (UniMorph English,
   shipped compressed, plus a short hand list), regular ones by suffix rules whose result must be a lexicon
   headword (`worked` -> `work`, `cakes` -> `cake`, `ordering` -> `order`, `studies` -> `study`);
3. `spelling`: a spelling variant the lexicon has (`colour` -> `color`, `organise` -> `organize`), rules in
   `resources/source/<iso>.spelling.tsv`, then the variant's lemma;
4. `parts`: a hyphenated or apostrophe-joined word (`well-known`, `e-mail`, `O'Brien`) split at its joiners,
   each part looked up on its own (with fallbacks 1-3) and re-joined with the original joiners.

Only languages with data get fallbacks 1-3 (English today); `parts` works for every language. A fallback
that finds only identity translations (a lexicon mapping words to themselves) leaves the word as it was, so
the lossless guarantee holds with every fallback on.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from itertools import compress, islice, product
from typing import Any, Pattern

from lexaug import defaults
from lexaug.generators.batch import REC
from lexaug.generators.lookup import SurfaceTable
from lexaug.generators.words import LOWER, TITLE, UPPER, case_class, lookup_key, restore_case

KINDS = ("contraction", "lemma", "spelling", "parts")
APOSTROPHES = ("'", "\u2019")


def _lines(name: str) -> list[list[str]]:
    """Rows of a shipped TSV (comments and blank lines skipped); [] when the file does not exist."""
    path = files("lexaug.resources").joinpath("source", name)
    if not path.is_file():
        return []
    data = path.read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return [line.split("\t") for line in data.decode("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class SourceData:
    """Contractions, irregular lemmas and spelling rules of one source language (empty for most)."""

    contractions: dict[str, str] = field(default_factory=dict)
    contraction_suffixes: tuple[tuple[str, str], ...] = ()
    lemmas: dict[str, tuple[str, ...]] = field(default_factory=dict)  # form -> lemmas, tried in order
    spelling: tuple[tuple[str, str, bool], ...] = ()  # (old, new, at end only), both directions listed
    rules: bool = False  # English suffix rules for regular inflection
    spelling_any: Pattern[str] | None = None  # matches where any spelling rule might apply (a quick pre-test)

    @property
    def empty(self) -> bool:
        return not (self.contractions or self.contraction_suffixes or self.lemmas or self.spelling or self.rules)


@lru_cache(maxsize=8)
def source_data(iso: str | None) -> SourceData:
    """The shipped fallback data of a source language (ISO 639-3); empty `SourceData` when none is shipped."""
    if not iso:
        return SourceData()
    whole: dict[str, str] = {}
    suffixes = []
    for row in _lines(f"{iso}.contractions.tsv"):
        form, expansion = row[0], row[1]
        if form.startswith("*"):
            suffixes.append((form[1:], expansion[1:]))
        else:
            whole[form] = expansion
    lemmas: dict[str, tuple[str, ...]] = {}
    for row in _lines(f"{iso}.lemmas-extra.tsv") + _lines(f"{iso}.lemmas.tsv.gz"):
        lemmas[row[0]] = (*lemmas.get(row[0], ()), row[1])
    spelling = []
    for row in _lines(f"{iso}.spelling.tsv"):
        old, new = row[0].lstrip("*"), row[1]
        end = old.endswith("$")
        old = old.rstrip("$")
        spelling += [(old, new, end), (new, old, end)]
    olds = sorted({old for old, _, _ in spelling}, key=len, reverse=True)
    return SourceData(whole, tuple(sorted(suffixes, key=lambda s: -len(s[0]))), lemmas, tuple(spelling),
                      rules=iso == "eng", spelling_any=re.compile("|".join(map(re.escape, olds))) if olds else None)


def expand_contraction(key: str, data: SourceData) -> list[str] | None:
    """The words a contraction stands for (`didn't` -> [did, not]), or None. `key` is a lookup key."""
    plain = key.replace("\u2019", "'")
    if plain in data.contractions:
        return data.contractions[plain].split()
    for suffix, expansion in data.contraction_suffixes:
        if plain.endswith(suffix) and len(plain) > len(suffix):
            return [plain[: -len(suffix)], *expansion.split()]
    return None


# English regular inflection: (suffix, replacement); candidates must be lexicon headwords to count.
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ily", "y"), ("ves", "f"), ("es", ""), ("s", ""), ("ed", ""),
             ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""))
_NOT_PLURAL = ("ss", "us", "is", "'s")  # glass, bus, basis are not `-s` plurals
_SUFFIX_ENDS = frozenset(suffix[-1] for suffix, _ in _SUFFIXES)  # a key ending otherwise has no rule to try


def lemma_candidates(key: str, data: SourceData) -> list[str]:
    """Possible lemmas of a lookup key, most likely first (irregular table, then suffix rules)."""
    out: list[str] = []
    out += data.lemmas.get(key, ())
    if not data.rules or key[-1:] not in _SUFFIX_ENDS or not key.isalpha():
        return out
    for suffix, repl in _SUFFIXES:
        if not key.endswith(suffix):  # tested first: most rules do not apply, and it costs no new string
            continue
        stem = key[: -len(suffix)]
        if len(stem) + len(repl) < 3 or (suffix == "ly" and len(stem) < 4):
            continue
        if suffix == "s" and key.endswith(_NOT_PLURAL):
            continue
        out.append(stem + repl)
        if suffix in ("ed", "ing") and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiosl":
            out.append(stem[:-1])  # stopped -> stop, running -> run (not: seeing, passed, called)
    return out


def spelling_candidates(key: str, data: SourceData) -> list[str]:
    """Spelling variants of a lookup key (one rule applied once, at least three letters before it)."""
    out: list[str] = []
    if data.spelling_any is None or not data.spelling_any.search(key, 3):
        return out
    for old, new, end in data.spelling:
        at = len(key) - len(old) if end else key.find(old, 3)
        if at >= 3 and key[at:at + len(old)] == old:
            out.append(key[:at] + new + key[at + len(old):])
    return out


def split_parts(word: str) -> list[str] | None:
    """`[part, joiner, part, ...]` of a word holding hyphens or apostrophes between letters, or None."""
    if "-" not in word and "'" not in word and "\u2019" not in word:
        return None
    out, start = [], 0
    for i, ch in enumerate(word):
        if ch == "-" or ch in APOSTROPHES:
            out += [word[start:i], ch]
            start = i + 1
    out.append(word[start:])
    if any(not p for p in out[::2]):
        return None
    return out


def build_lemma_table(unimorph_path: str) -> list[tuple[str, str]]:
    """(form, lemma) rows of an English UniMorph table that the suffix rules do not recover (how
    `resources/source/eng.lemmas.tsv.gz` was made)."""
    data = SourceData(rules=True)
    rows = set()
    with open(unimorph_path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                continue
            lemma, form = cols[0].lower(), cols[1].lower()
            if form != lemma and " " not in form + lemma and form.replace("'", "").replace("-", "").isalpha() \
                    and lemma.replace("-", "").isalpha() and lemma not in lemma_candidates(form, data):
                rows.add((form, lemma))
    return sorted(rows)


MAX_COMBINATIONS = 64  # choices kept for a word made of several looked-up parts (first ones, in order)


class FallbackTable(SurfaceTable):
    """A `SurfaceTable` whose missing words go through the fallbacks above (memoised per surface form like
    every entry, so a corpus pays each fallback once per distinct word). `kinds` records which fallback
    resolved each cached surface form; `take_counts` counts them over a list of words.

    Args:
        lexicon, weighting, case_fold, cache_size: as for `SurfaceTable`.
        data: the source language's `SourceData`.
        enabled: the fallbacks to use (a subset of `KINDS`).
    """

    _MEMOS = SurfaceTable._MEMOS + ("kinds", "resolved", "_kinds_clears", "_stale")

    def __init__(self, lexicon: Any, *, weighting: str, case_fold: bool = True, data: SourceData,
                 enabled: tuple[str, ...] = KINDS, cache_size: int = defaults.SURFACE_CACHE_SIZE) -> None:
        self.data, self.enabled = data, frozenset(enabled)
        super().__init__(lexicon, weighting=weighting, case_fold=case_fold, cache_size=cache_size)

    def _reset_memos(self) -> None:
        super()._reset_memos()
        self.kinds: dict[str, str] = {}
        # form -> entry found by a fallback. Speed: the form cache keeps such a form's direct entry `(form,)`
        # ("not found as written"), so the batched path finds the few fallback words among the words its
        # lookup missed instead of testing every word (`Substitute._batch`); `entries` gives the final ones.
        self.resolved: dict[str, tuple[str, ...]] = {}
        self._kinds_clears = 0  # `_clears` last seen by `_entry`
        self._stale = False  # the form cache was cleared since `kinds` and `resolved` were last emptied

    def _entry(self, word: str) -> tuple[str, ...]:
        if self._clears != self._kinds_clears:  # the form cache was cleared part way through a batch: `kinds`
            self._stale = True  # and `resolved` still serve this batch, then go with the cache (`_drop_stale`)
            self._kinds_clears = self._clears
        ent = super()._entry(word)
        if len(ent) > 1 or word == REC:
            return ent
        found = self._fallback(word)
        if found is not None:
            self.kinds[word], self.resolved[word] = found
        return ent

    def entries(self, words: list[str]) -> list[tuple[str, ...]]:
        """One entry per word, fallbacks applied (`kind_counts` of the same words may follow)."""
        ents = self.direct_entries(words)
        self.resolve(words, ents, [i for i, e in enumerate(ents) if len(e) == 1], drop=False)
        return ents

    def entry(self, word: str) -> tuple[str, ...]:
        ent = self._lookup(word)
        return self.resolved.get(word, ent)

    def resolve(self, words: list[str], ents: list[tuple[str, ...]], places: list[int],
                counter: Counter[str] | None = None, drop: bool = True) -> list[int]:
        """Put the fallback entries into `ents` at those of `places` (words not found as written) that a fallback
        resolved, count their kinds into `counter`; returns those places. With `drop`, memos left stale by a
        cache clear during this batch are emptied afterwards."""
        resolved = self.resolved
        fixed = list(compress(places, map(resolved.__contains__, map(words.__getitem__, places)))) \
            if resolved and places else []
        for p in fixed:
            ents[p] = resolved[words[p]]
        if counter is not None and fixed:
            counter.update(map(self.kinds.__getitem__, map(words.__getitem__, fixed)))
        if drop:
            self.end_batch()
        return fixed

    def end_batch(self) -> None:
        """After a batch's lookups, multiword matching and counting: empty memos a cache clear left stale."""
        if self._stale:
            self._drop_stale()

    def _drop_stale(self) -> None:
        """Empty `kinds`, `resolved` and the form cache together (the cache was cleared once part way through
        a batch; what it gained since is dropped too, so every cached miss has its fallback memo)."""
        self._stale = False
        self.kinds.clear()
        self.resolved.clear()
        cache = self._cache
        cache.clear()
        cache[REC] = (REC, REC)
        self.mw_surface.clear()
        self._clears += 1
        self._kinds_clears = self._clears

    def kind_counts(self, words: list[str]) -> Counter[str]:
        """How many of `words` (already looked up with `entries`) each fallback resolved."""
        kinds = self.kinds
        out: Counter[str] = Counter()
        if kinds:  # few forms need a fallback: count those forms in one C-level pass, then add up by kind
            for word, n in Counter(filter(kinds.__contains__, words)).items():
                out[kinds[word]] += n
        if self._stale:
            self._drop_stale()
        return out

    def _fallback(self, word: str) -> tuple[str, tuple[str, ...]] | None:
        """(kind, entry) of a word the lexicon misses, or None (see module docstring for the order)."""
        fold, data, on = self.case_fold, self.data, self.enabled
        key = lookup_key(word, fold)
        cls = case_class(word) if fold else LOWER
        if "contraction" in on and (data.contractions or data.contraction_suffixes):
            words = expand_contraction(key, data)
            if words:
                surfaces = restore_case(" ".join(words), cls).split(" ") if cls in (TITLE, UPPER) else words
                ent = self._combine(word, [self.entry(s) for s in surfaces], surfaces, [" "] * (len(words) - 1))
                if ent is not None:
                    return "contraction", ent
        if "lemma" in on or "spelling" in on:
            found = self._base_form(key)
            if found is not None:
                kind, choices = found
                out = tuple(word if t is None else restore_case(t, cls) if fold else t for t in choices)
                return kind, out if len(out) > 1 else out * 2
        if "parts" in on:
            parts = split_parts(word)
            if parts:
                ent = self._combine(word, [self.entry(p) for p in parts[::2]], parts[::2], parts[1::2])
                if ent is not None:
                    return "parts", ent
        return None

    def _base_form(self, key: str) -> tuple[str, tuple[str | None, ...]] | None:
        """("lemma" | "spelling", choices) of the first lemma or spelling variant the lexicon translates."""
        data, choices = self.data, self.choices
        if "lemma" in self.enabled:
            for lemma in lemma_candidates(key, data):
                found = choices(lemma)
                if found is not None:
                    return "lemma", found
        if "spelling" in self.enabled:
            for variant in spelling_candidates(key, data):
                for candidate in (variant, *lemma_candidates(variant, data)):
                    found = choices(candidate)
                    if found is not None:
                        return "spelling", found
        return None

    @staticmethod
    def _combine(word: str, ents: list[tuple[str, ...]], surfaces: list[str], joiners: list[str]
                 ) -> tuple[str, ...] | None:
        """The entry of a word made of parts: every combination of the parts' choices joined by `joiners`.
        None when no part is found; the word itself when every found part is an identity translation."""
        if all(len(e) == 1 for e in ents):
            return None
        # a found entry of one choice is stored doubled (see `lookup`): combine its single choice
        ents = [e[:1] if len(e) == 2 and e[0] == e[1] else e for e in ents]
        if all(c == s for e, s in zip(ents, surfaces) for c in e):
            return (word, word)  # only identities: keep the word's own bytes (lossless)
        out = []
        for combo in islice(product(*ents), MAX_COMBINATIONS):
            pieces = [combo[0]]
            for joiner, piece in zip(joiners, combo[1:]):
                pieces += [joiner, piece]
            out.append("".join(pieces))
        return tuple(out) if len(out) > 1 else tuple(out) * 2


def coverage_figures(stats: Any, kinds: Any = None) -> dict[str, Any]:
    """Manifest figures from generator stats: coverage without the fallbacks and the share of tokens each
    fallback in `kinds` translated (empty when the generator has no fallbacks)."""
    tokens = stats.get("tokens", 0)
    by_kind = {k.split(":", 1)[1]: n for k, n in stats.items() if k.startswith("fallback:")}
    if not tokens or not kinds:
        return {}
    before = stats.get("replaced", 0) - sum(by_kind.values())
    return {"coverage_before_fallbacks": round(before / tokens, 6),
            "coverage_by_fallback": {k: round(by_kind.get(k, 0) / tokens, 6) for k in kinds}}
