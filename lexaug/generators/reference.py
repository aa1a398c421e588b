"""The word-substitution generators written plainly, top to bottom: what `substitute.v1`/`substitute.v2` do
to one text, without the memos, batching and C-level passes of the fast path (`substitute.py`, `lookup.py`,
`fallbacks.FallbackTable`). Tests check that the fast path gives the same bytes on the shared corpora.

For one text:
1. split it into `[gap, word, gap, ..., word, gap]` (the generator's `WordSpec`);
2. draw one 32-bit number per word from the record's generator (`RecordRng(seed, id, name).u32(n)`);
3. for each word, its choices: the lexicon's translations of its lookup key (NFC, case-folded), repeated by
   count under count weighting, each given the word's case (lower, Title, UPPER); a translation equal to
   the key keeps the word as written. With no translation (substitute.v2): the fallbacks, in order
   contraction, lemma/spelling, parts (see `fallbacks`); otherwise the word itself;
4. the word becomes `choices[draw % len(choices)]`;
5. multiword headwords: left to right, a word starting the longest headword that matches the next words
   (separated by whitespace only) replaces the whole span, chosen with the first word's draw.
"""

from __future__ import annotations

from itertools import islice, product
from typing import Any

from lexaug.generators.fallbacks import (MAX_COMBINATIONS, SourceData, expand_contraction, lemma_candidates,
                                         spelling_candidates, split_parts)
from lexaug.generators.lookup import expand_weights
from lexaug.generators.words import (LOWER, TITLE, UPPER, WordSpec, case_class, lookup_key, restore_case,
                                     span_case, split_words)


class ReferenceSubstitute:
    """Plain `substitute.v1` (`data=None`) or `substitute.v2` (`data`: the source language's `SourceData`,
    `fallbacks`: the kinds in use) at rate 1."""

    def __init__(self, lexicon: Any, words: WordSpec, *, weighting: str = "uniform", case_fold: bool = True,
                 data: SourceData | None = None, fallbacks: tuple[str, ...] = ()) -> None:
        self.lexicon, self.words, self.weighting, self.case_fold = lexicon, words, weighting, case_fold
        self.data, self.fallbacks = data, fallbacks
        self.split, self.split_ascii = words.splitters()

    def translations(self, key: str) -> list[str | None] | None:
        """The weighted translations of a key (None for an identity translation), or None if it has none."""
        found = self.lexicon.translations(key)
        if not found:
            return None
        targets = [None if lookup_key(t.target, self.case_fold) == key else t.target for t in found]
        return list(expand_weights(targets, [t.count for t in found], self.weighting))

    def choices(self, word: str) -> list[str] | None:
        """The replacements of one word, or None when neither the lexicon nor a fallback translates it."""
        key = lookup_key(word, self.case_fold)
        case = case_class(word) if self.case_fold else LOWER
        found = self.translations(key)
        if found is not None:
            return [word if t is None else restore_case(t, case) for t in found]
        if self.data is None:
            return None
        if "contraction" in self.fallbacks:
            expanded = expand_contraction(key, self.data)
            if expanded:
                if case in (TITLE, UPPER):
                    expanded = restore_case(" ".join(expanded), case).split(" ")
                joined = self.combine(word, expanded, [" "] * (len(expanded) - 1))
                if joined is not None:
                    return joined
        for base in self.base_forms(key):
            found = self.translations(base)
            if found is not None:
                return [word if t is None else restore_case(t, case) if self.case_fold else t for t in found]
        parts = split_parts(word) if "parts" in self.fallbacks else None
        if parts:
            return self.combine(word, parts[::2], parts[1::2])
        return None

    def base_forms(self, key: str) -> list[str]:
        """Lemmas, then spelling variants and their lemmas, in the order they are tried."""
        assert self.data is not None
        out = list(lemma_candidates(key, self.data)) if "lemma" in self.fallbacks else []
        if "spelling" in self.fallbacks:
            for variant in spelling_candidates(key, self.data):
                out += [variant, *lemma_candidates(variant, self.data)]
        return out

    def combine(self, word: str, pieces: list[str], joiners: list[str]) -> list[str] | None:
        """Every combination of the pieces' choices (a piece without any stays as it is), joined by
        `joiners`, at most MAX_COMBINATIONS; None if no piece is translated; the word itself if every
        translation is an identity."""
        options = [self.choices(p) for p in pieces]
        if all(o is None for o in options):
            return None
        each = [o if o is not None else [p] for o, p in zip(options, pieces)]
        if all(c == p for o, p in zip(each, pieces) for c in o):
            return [word]
        out = []
        for combo in islice(product(*each), MAX_COMBINATIONS):
            text = combo[0]
            for joiner, piece in zip(joiners, combo[1:]):
                text += joiner + piece
            out.append(text)
        return out

    def multiword(self, parts: list[str], i: int) -> tuple[int, list[str]] | None:
        """(words covered, choices) of the longest multiword headword starting at word i, or None."""
        n_words = len(parts) // 2
        for n in range(min(self.lexicon.max_source_words, n_words - i), 1, -1):
            gaps = parts[2 * i + 2: 2 * (i + n): 2]
            if not all(g and g.isspace() for g in gaps):
                continue
            words = parts[2 * i + 1: 2 * (i + n): 2]
            found = self.translations(" ".join(lookup_key(w, self.case_fold) for w in words))
            if found is None:
                continue
            case = span_case(words) if self.case_fold else LOWER
            span = "".join(parts[2 * i + 1: 2 * (i + n)])
            return n, [span if t is None else restore_case(t, case) for t in found]
        return None

    def rewrite(self, text: str, rng: Any) -> str:
        """The substituted text; `rng` offers `u32(n)` (the record's `RecordRng`)."""
        parts = split_words(text, self.split, self.split_ascii)
        n = len(parts) // 2
        if not n:
            return text
        draws = rng.u32(n)
        out = list(parts)
        i = 0
        while i < n:
            span = self.multiword(parts, i) if self.lexicon.max_source_words > 1 else None
            if span is not None:
                covered, options = span
                out[2 * i + 1] = options[draws[i] % len(options)]
                for k in range(i + 1, i + covered):
                    out[2 * k] = out[2 * k + 1] = ""
                i += covered
                continue
            found = self.choices(parts[2 * i + 1])
            out[2 * i + 1] = found[draws[i] % len(found)] if found is not None else self.untranslated(parts, i)
            i += 1
        return "".join(out)

    def untranslated(self, parts: list[str], i: int) -> str:
        """What is written for word i when nothing translates it: the word as it is (a subclass may differ)."""
        return parts[2 * i + 1]
