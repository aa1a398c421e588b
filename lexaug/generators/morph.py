"""`morph.v1`: morphology-aware substitution through UniMorph tables.

For each word: analyse it with the source table (`analyze(form, casefold=True)`), translate the lemma with
the lexicon, and emit the target lemma's form with the same features from the target table; if the target
table has no such form, an optional `inflector` (`inflect(lemma, features) -> [(form, score), ...]`, e.g. the
SIGMORPHON baseline) is asked; otherwise the plain lexicon translation is used. Every outcome is counted by
reason in `stats` (`morph:table`, `morph:inflector`, `morph:fallback`, `morph:no_analysis`,
`morph:lemma_untranslated`, `untranslated`).

Feature mapping. Source and target bundles are compared as `comparable_features` sets, so UniMorph 3
(`V;3;SG;PRS`) and UniMorph 4 (`V;PRS;NOM(3,SG)`) notation meet, and known spelling variants are aliased (`PRES` = `PRS`). Source features that the target lemma's
paradigm never uses (English `V.PTCP` against a Swahili verb) cannot be mapped: they are dropped and counted
as `unmapped:<feature>`. Among the paradigm rows whose features include all mappable source features, the
row with the fewest extra features wins (ties: table order).

Ambiguity, decided deterministically: analyses are tried in source-table order and the first whose lemma
the lexicon translates *and* that yields a target form wins; if none yields a form, the first translatable
analysis gives the fallback. Words the source table does not know are translated directly (as
`substitute.v1` does). Multiword headwords are not matched by this generator.
"""

from __future__ import annotations

from typing import Any

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.generators.base import Generator, register, resource_info
from lexaug.generators.lookup import expand_weights
from lexaug.generators.rng import RecordRng
from lexaug.generators.slots import rewrite_slots
from lexaug.generators.words import WordSpec, case_class, lookup_key, restore_case
from lexaug.loaders.features import FeatureError, comparable_features
from lexaug.types import Record

# Spellings of one value that differ between UniMorph tables (Swahili `PRES`, the schema's `PRS`).
FEATURE_ALIASES = {"PRES": "PRS"}


def _features(text: str) -> frozenset[str]:
    return frozenset(FEATURE_ALIASES.get(f, f) for f in comparable_features(text))


@register("morph.v1")
class MorphSubstitute(Generator):
    """Substitute words with correctly inflected translations (see module docstring).

    Args:
        lexicon: source-to-target lexicon (lemma translations).
        source_table: `MorphTable` of the source language (analysis).
        target_table: `MorphTable` of the target language, or None (every word then falls back).
        inflector: optional object with `inflect(lemma, features) -> list[(form, score)]`.
        fallback: "lexicon" (plain lexicon translation when no form is found) or "keep" (leave the word).
        weighting, case_fold, words, src_lang: as for `substitute.v1`.
    """

    def __init__(self, lexicon: Any, source_table: Any, target_table: Any = None, *, inflector: Any = None,
                 fallback: str = defaults.MORPH_FALLBACK, weighting: str | None = None,
                 case_fold: bool = defaults.CASE_FOLD, words: WordSpec | None = None,
                 src_lang: str | None = None, rate: float = defaults.SUBSTITUTE_RATE) -> None:
        super().__init__()
        if fallback not in ("lexicon", "keep"):
            raise ConfigError(f"fallback must be 'lexicon' or 'keep', got {fallback!r}")
        if not 0.0 <= rate <= 1.0:
            raise ConfigError(f"rate must be between 0 and 1, got {rate}")
        self.rate = rate
        self.lexicon, self.source_table, self.target_table = lexicon, source_table, target_table
        self.inflector, self.fallback, self.case_fold = inflector, fallback, case_fold
        self.weighting = weighting or getattr(lexicon, "weighting", None) or defaults.WEIGHTING
        self.words = words or WordSpec.for_language(src_lang or getattr(lexicon, "src_lang", None))
        self._split, _ = self.words.splitters()
        self._memo: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {}

    def params(self) -> dict[str, Any]:
        out = {"weighting": self.weighting, "fallback": self.fallback, "case_fold": self.case_fold,
               "inflector": type(self.inflector).__name__ if self.inflector is not None else None,
               "words": self.words.__dict__.copy()}
        if self.rate < 1.0:  # stated only when it changes anything
            out["rate"] = self.rate
        return out

    def resources(self) -> dict[str, Any]:
        out = {"lexicon": resource_info(self.lexicon), "source_table": resource_info(self.source_table)}
        if self.target_table is not None:
            out["target_table"] = resource_info(self.target_table)
        return out

    def _translations(self, key: str) -> tuple[str, ...]:
        trs = self.lexicon.translations(key)
        if not trs:
            return ()
        return expand_weights([t.target for t in trs], [t.count for t in trs], self.weighting)

    def _target_form(self, lemma: str, features: str) -> tuple[str | None, str, tuple[str, ...]]:
        """(form or None, how, unmapped features) for a target lemma and source features."""
        table = self.target_table
        if table is not None:
            paradigm = table.paradigm(lemma)
            if paradigm:
                src = _features(features)
                rows = [(_features(e.features), k, e.form) for k, e in enumerate(paradigm)]
                used = frozenset().union(*(r[0] for r in rows))
                mappable = src & used
                unmapped = tuple(sorted(src - used))
                fits = [(len(feats - mappable), k, form) for feats, k, form in rows if mappable <= feats]
                if fits:
                    return min(fits)[2], "table", unmapped
        if self.inflector is not None:
            # an empty candidate is no form (an undertrained network can write nothing): a word never vanishes
            scored = [(form, score) for form, score in self.inflector.inflect(lemma, features) if form]
            if scored:
                best = max(range(len(scored)), key=lambda k: (scored[k][1], -k))
                return scored[best][0], "inflector", ()
        return None, "fallback", ()

    def _options(self, key: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
        """(candidate target forms, reason, unmapped features) for a lookup key; memoised."""
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        analyses = self.source_table.analyze(key, casefold=True)
        first: tuple[str, ...] | None = None
        result: tuple[tuple[str, ...], str, tuple[str, ...]] | None = None
        for entry in analyses:
            lemmas = self._translations(lookup_key(entry.lemma, self.case_fold))
            if not lemmas:
                continue
            first = first or lemmas
            try:
                found = [self._target_form(t, entry.features) for t in lemmas]
            except FeatureError:
                continue
            if all(f[0] is not None for f in found):
                how = found[0][1]
                unmapped = tuple(sorted({u for f in found for u in f[2]}))
                # the `all(... is not None)` above makes every f[0] a str; mypy cannot narrow through it
                result = (tuple(f[0] for f in found), how, unmapped)  # type: ignore[misc]
                break
        if result is None:
            direct = self._translations(key)
            if first is not None:
                plain = direct or first
                result = (plain if self.fallback == "lexicon" else (), "fallback", ())
            elif direct:
                result = (direct, "no_analysis" if not analyses else "lemma_untranslated", ())
            else:
                result = ((), "untranslated", ())
        if len(self._memo) >= defaults.SURFACE_CACHE_SIZE:
            self._memo.clear()
        self._memo[key] = result
        return result

    def _rewrite(self, text: str, rng: RecordRng, acc: list[int]) -> str:
        parts = self._split.split(text)
        words = parts[1::2]
        n = len(words)
        if not n:
            return text
        u = rng.u32(n)
        # with rate < 1, a second draw per word (after the choice draws, so rate 1 output is unchanged)
        keep = None if self.rate >= 1.0 else [x < int(self.rate * 4294967296.0) for x in rng.u32(n)]
        stats = self.stats
        acc[0] += n
        for i, word in enumerate(words):
            if keep is not None and not keep[i]:
                stats["not_drawn"] += 1
                continue
            key = lookup_key(word, self.case_fold)
            forms, reason, unmapped = self._options(key)
            stats["untranslated" if reason == "untranslated" else f"morph:{reason}"] += 1
            for feature in unmapped:
                stats[f"unmapped:{feature}"] += 1
            if not forms:
                continue
            acc[1] += 1
            form = forms[u[i] % len(forms)]
            if lookup_key(form, self.case_fold) != key:  # an identity translation keeps the word's bytes
                parts[2 * i + 1] = restore_case(form, case_class(word)) if self.case_fold else form
        return "".join(parts)

    def generate(self, record: Record, rng: RecordRng) -> list[Record]:
        acc = [0, 0]
        slots = rewrite_slots(record, lambda text: self._rewrite(text, rng, acc))
        self.stats["tokens"] += acc[0]
        self.stats["replaced"] += acc[1]
        meta = {**record.meta, "tokens": acc[0], "replaced": acc[1]}
        return [Record(record.id, slots, record.frozen, record.payload, meta)]


@register("morph.v2")
class MorphSubstituteV2(MorphSubstitute):
    """`morph.v1` reading the lexicon with look-alike letters in its targets repaired, as `substitute.v3` does
    (`lexaug.generators.lookalikes`): a target lemma spelled `mlᴐ` is then found in a table that writes `mlɔ`.
    The parameters state what changed (`lookalikes`). Its draws are its own (seeded with its name)."""

    def __init__(self, lexicon: Any, source_table: Any, target_table: Any = None, **kwargs: Any) -> None:
        from lexaug.generators.lookalikes import LookalikeLexicon

        self.repaired = LookalikeLexicon(lexicon)
        super().__init__(self.repaired, source_table, target_table, **kwargs)

    def params(self) -> dict[str, Any]:
        return {**super().params(), "lookalikes": self.repaired.summary()}
