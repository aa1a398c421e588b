"""The later versions of word substitution: `substitute.v2` (`substitute.v1` plus source-side fallbacks) and
`substitute.v3` (v2 with look-alike letters in the lexicon's targets repaired). The hot path is v1's
(`substitute.Substitute`); these versions change the lookup table it reads."""

from __future__ import annotations

from collections import Counter
from typing import Any

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.generators.base import register
from lexaug.generators.fallbacks import KINDS, FallbackTable, source_data
from lexaug.generators.lookup import SurfaceTable
from lexaug.generators.substitute import Substitute
from lexaug.generators.words import WordSpec


@register("substitute.v2")
class SubstituteV2(Substitute):
    """`substitute.v1` plus source-side fallbacks (`lexaug.generators.fallbacks`): a word the lexicon misses
    as written is tried as its expanded contraction, its lemma, a spelling variant, and its hyphen- or
    apostrophe-joined parts. Words hold inner apostrophes and hyphens (`didn't`, `well-known` are one word,
    looked up whole first), except where the source language has its own preset (French elision). Each
    fallback is counted in `stats` as `fallback:<kind>` (word tokens it translated).

    Args:
        fallbacks: the fallbacks to use, a subset of `fallbacks.KINDS` (default: all).
        other arguments: as for `substitute.v1`.
    """

    def __init__(self, lexicon: Any, *, fallbacks: tuple[str, ...] | list[str] = KINDS, **kwargs: Any) -> None:
        unknown = sorted(set(fallbacks) - set(KINDS))
        if unknown:
            raise ConfigError(f"unknown fallback(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}")
        self.fallbacks = tuple(k for k in KINDS if k in fallbacks)
        super().__init__(lexicon, **kwargs)
        self._kinds = Counter()

    @staticmethod
    def _word_spec(src_lang: str | None) -> WordSpec:
        preset = WordSpec.for_language(src_lang)
        if preset.pattern is not None or preset.apostrophes != "none":
            return preset
        return WordSpec(apostrophes="inner", hyphens=True, digits=preset.digits)

    def _make_table(self) -> SurfaceTable:
        return FallbackTable(self._table_lexicon(), weighting=self.weighting, case_fold=self.case_fold,
                             data=source_data(self.src_lang or defaults.SRC_LANG), enabled=self.fallbacks)

    def _table_lexicon(self) -> Any:
        """The lexicon the lookup table reads (substitute.v3 repairs its targets)."""
        return self.lexicon

    def params(self) -> dict[str, Any]:
        return {**super().params(), "fallbacks": list(self.fallbacks)}


@register("substitute.v3")
class SubstituteV3(SubstituteV2):
    """`substitute.v2` with look-alike letters in the lexicon's targets repaired (`lexaug.generators.lookalikes`:
    Ewe `wᴐ` -> `wɔ`, Fon `mε` -> `mɛ`, Udmurt `öжыт` -> `ӧжыт`), so synthetic words are spelled with the letters
    text in the language uses. The parameters state how many targets changed and which letters
    (`lookalikes`). Its draws are its own (seeded with its name), as every generator version's."""

    def _table_lexicon(self) -> Any:
        from lexaug.generators.lookalikes import LookalikeLexicon

        self.repaired = LookalikeLexicon(self.lexicon)
        return self.repaired

    def params(self) -> dict[str, Any]:
        return {**super().params(), "lookalikes": self.repaired.summary()}
