"""Look-alike letters in lexicon targets, repaired (`substitute.v3`, `codeswitch.v2`, `morph.v2`).

Lexicons typed on keyboards without a language's letters often hold a look-alike from another block or
script: GATITOS Ewe writes `wᴐ` (U+1D10, a phonetic small capital) beside `wɔ` (U+0254, the Ewe letter) in 384
of its open-o's, Fon writes Greek `ε` for Latin `ɛ` 32 times, Udmurt a Latin `ö` inside Cyrillic words. Text in
the language uses the real letter, so a synthetic word spelled with the look-alike never matches it.

A letter of a target word is *suspect* when
* its script differs from the script of most of the word's letters (`ayijε`: Greek in a Latin word; on a tie,
  `mε`, the script of most letters of the lexicon's targets), or
* it lies in a block for phonetic notation or symbols, not orthographies (U+1D00-U+1DBF phonetic extensions,
  U+2100-U+218F letterlike symbols and number forms: `ᴐ`, `ↄ`).
A suspect letter is replaced by a letter of the word's script that Unicode lists as confusable with it
(UTS #39 confusables, through the `confusable_homoglyphs` package, at most two steps: `ε` -> `ꞓ` -> `ɛ`),
choosing among those the letter the lexicon's own targets use most; with no such letter it stays. Letters
are compared without their combining marks (NFD), so Latin `ö` in a Cyrillic word becomes `ӧ`. Letters the
orthography itself uses (Mooré `ɩ`, Ewe `ɖ`, Bambara `ɲ`) are never suspect: they are Latin letters outside
those blocks.

A target spelled as its own headword (an identity entry: a name, a loanword, an identity lexicon) is never
changed, so the lossless guarantee holds.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

import regex

from lexaug.generators.words import lookup_key
from lexaug.types import Translation

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")
# blocks of letters for phonetic notation and symbols, which no orthography writes words with
_NOTATION = regex.compile("[\u1d00-\u1dbf\u2100-\u218f]")
_NEUTRAL = {"COMMON", "INHERITED"}


def _notation(ch: str) -> bool:
    return _NOTATION.match(ch) is not None


class LookalikeFixer:
    """Repairs target words of one lexicon (see module docstring).

    Args:
        targets: every target of the lexicon (their letters decide which look-alike replacement is used).
    """

    def __init__(self, targets: Iterable[str]) -> None:
        from confusable_homoglyphs import categories, confusables  # a 0.9 MB table, loaded when needed

        self._alias = categories.alias
        self._scripts: dict[str, str] = {}  # letter -> script, memoised (`categories.alias` searches per call)
        self._graph: dict[str, list[dict[str, str]]] = confusables.confusables_data
        every = Counter(unicodedata.normalize("NFD", "\n".join(targets)).lower())  # counted in C
        self.letters: Counter[str] = Counter({ch: n for ch, n in every.items() if ch.isalpha()})
        by_script: Counter[str] = Counter()
        for ch, n in self.letters.items():
            by_script[self._script(ch)] += n
        self.script = by_script.most_common(1)[0][0] if by_script else ""  # the lexicon's main script
        self._memo: dict[tuple[str, str], str | None] = {}
        self.replaced: Counter[str] = Counter()  # "ᴐ>ɔ" -> letters replaced, over the targets fixed so far

    def fix(self, target: str) -> str:
        """`target` with its suspect letters replaced (the same string when none is)."""
        if target.isascii():
            return target
        return _WORD.sub(self._fix_word, target)

    def _script(self, ch: str) -> str:
        script = self._scripts.get(ch)
        if script is None:
            script = self._scripts[ch] = self._alias(ch)
        return script

    def _fix_word(self, match: "regex.Match[str]") -> str:
        word = match.group()
        letters = unicodedata.normalize("NFD", word)
        distinct = set(letters)
        if len({self._script(ch) for ch in distinct} - _NEUTRAL) < 2 and _NOTATION.search(letters) is None:
            return word  # one script, no notation letter: nothing is suspect (most words; checked per distinct letter)
        scripts = Counter(s for s in map(self._script, filter(str.isalpha, letters)) if s not in _NEUTRAL)
        if not scripts:
            return word
        top = max(scripts.values())
        tied = [s for s, n in scripts.items() if n == top]
        # a tie (`mε`: one Latin, one Greek letter) goes to the script most letters of the lexicon's targets use
        major = tied[0] if len(tied) == 1 else self.script if self.script in tied else None
        if major is None:
            return word
        out, changed = [], False
        for ch in letters:
            if ch.isalpha() and (_notation(ch) or self._script(ch) not in (major, *_NEUTRAL)):
                new = self._replacement(ch, major)
                if new is not None:
                    self.replaced[f"{ch}>{new}"] += 1
                    out.append(new)
                    changed = True
                    continue
            out.append(ch)
        return unicodedata.normalize("NFC", "".join(out)) if changed else word

    def _replacement(self, ch: str, script: str) -> str | None:
        """The letter of `script` most used by the lexicon among the confusables of `ch`, or None."""
        key = (ch, script)
        if key not in self._memo:
            found = set()
            frontier = [ch]
            for _ in range(2):  # look-alikes of look-alikes: `ε` -> `ꞓ` -> `ɛ`
                step = [d["c"] for c in frontier for d in self._graph.get(c, ()) if len(d["c"]) == 1]
                found.update(step)
                frontier = step
            good = [d for d in found if d != ch and d.isalpha() and not _notation(d) and self._script(d) == script
                    and self.letters[d.lower()] > 0 and d.isupper() == ch.isupper()]
            self._memo[key] = max(good, key=lambda d: (self.letters[d.lower()], -ord(d))) if good else None
        return self._memo[key]


class LookalikeLexicon:
    """A lexicon seen with its targets repaired (`LookalikeFixer`); everything else is the lexicon's own.
    Targets equal to their headword stay as they are; translations that become equal merge (counts add)."""

    def __init__(self, lexicon: Any) -> None:
        self._lexicon = lexicon
        fixer = LookalikeFixer(t.target for key in lexicon.keys() for t in lexicon.translations(key))
        self._fixed: dict[str, tuple[Translation, ...]] = {}
        self.targets_fixed = 0
        for key in lexicon.keys():
            old = lexicon.translations(key)
            new = [t if lookup_key(t.target) == key else Translation(fixer.fix(t.target), t.count) for t in old]
            if all(a.target == b.target for a, b in zip(old, new)):
                continue
            self.targets_fixed += sum(a.target != b.target for a, b in zip(old, new))
            merged: dict[str, int] = {}
            for t in new:
                merged[t.target] = merged.get(t.target, 0) + t.count
            self._fixed[key] = tuple(Translation(target, count) for target, count in merged.items())
        self.replaced = dict(sorted(fixer.replaced.items(), key=lambda kv: (-kv[1], kv[0])))

    def translations(self, key: str) -> tuple[Translation, ...]:
        fixed = self._fixed.get(key)
        return fixed if fixed is not None else self._lexicon.translations(key)

    def __getattr__(self, name: str) -> Any:  # keys, max_source_words, sha256, languages: the lexicon's
        if name.startswith("_"):  # not set yet (unpickling): no delegation
            raise AttributeError(name)
        return getattr(self._lexicon, name)

    def summary(self) -> dict[str, Any]:
        """What was repaired, as generators state it in their parameters and `lexicon stats` prints it."""
        return {"targets_fixed": self.targets_fixed, "letters": self.replaced}
