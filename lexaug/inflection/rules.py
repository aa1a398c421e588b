"""The non-neural SIGMORPHON inflection baseline (CoNLL-SIGMORPHON 2017 onwards), from its description.

Training (per full feature string): decide whether the language is mainly prefixing (shift alignment of
every pair, leading vs trailing pads; reverse all strings if prefixing), split each pair into
prefix | stem | suffix by a Levenshtein alignment, and count suffix rules (``"en>" -> "t>"``) and prefix
rules (``"<" + prefix + stem[:i]``). Prediction: unseen feature string -> the lemma; else the suffix rule
whose left side matches the end of ``<lemma>`` with the longest left side (ties: count, then longer right
side, then first seen), then the most frequent matching prefix rule (ties: first seen).

``compat="2020"`` reproduces the Python 3 ports used in 2020-2022: their shift aligner returned the padded
form as an empty string (a ``zip`` iterator read twice), so the detector counted only the lemma's pads.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from lexaug.errors import ConfigError, FormatError
from lexaug.inflection.align import leading, shift_align, split_affixes, trailing
from lexaug.inflection.base import Inflector, Triple

COMPAT = (None, "2017", "2020")
_RULES_FILE = "rules.json"


def prefix_bias(pairs: Iterable[tuple[str, str]], compat: str | None = None) -> tuple[int, int]:
    """(prefix score, suffix score) of lemma/form pairs: pads at the start vs the end of shift alignments.

    Pairs whose aligned strings contain a space or a hyphen are left out, as in the published baseline.
    With `compat="2020"` the aligned form is taken as empty, as in the 2020-2022 ports (see module doc).
    """
    pre = suf = 0
    for lemma, form in pairs:
        a, b = shift_align(lemma, form)
        if compat == "2020":
            b = ""
        if " " in a or " " in b or "-" in a or "-" in b:
            continue
        pre += leading(a) + leading(b)
        suf += trailing(a) + trailing(b)
    return pre, suf


def extract_rules(lemma: str, form: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(prefix rules, suffix rules) of one pair, each a set of (left, right) with ``<``/``>`` boundaries."""
    lp, lr, ls, fp, fr, fs = split_affixes(lemma, form)
    ins, outs = lr + ls + ">", fr + fs + ">"
    suffix = {(ins[i:].replace("_", ""), outs[i:].replace("_", "")) for i in range(min(len(ins), len(outs)))}
    # The published baseline builds prefix rules from the *form's* stem on both sides.
    prefix = {(("<" + lp + fr[:i]).replace("_", ""), ("<" + fp + fr[:i]).replace("_", ""))
              for i in range(len(fr))}
    return prefix, suffix


class RuleInflector(Inflector):
    """Prefix/suffix rule baseline of the SIGMORPHON shared tasks (see module doc)."""

    name = "rules"

    def __init__(self, suffix_rules: dict[str, dict[str, list[Any]]],
                 prefix_rules: dict[str, dict[str, list[Any]]], prefixing: bool,
                 compat: str | None = None, stats: dict[str, int] | None = None):
        # rules[features][left] = [right, count, first_seen]: the best right side for that left side.
        self.suffix_rules = suffix_rules
        self.prefix_rules = prefix_rules
        self.prefixing = prefixing
        self.compat = compat
        self.stats = dict(stats or {})

    @classmethod
    def train(cls, train: Sequence[Triple], dev: Sequence[Triple] | None = None, *,
              compat: str | None = None, **options: Any) -> "RuleInflector":
        """Count rules from (lemma, form, features) triples; `dev` is not used (the baseline has no tuning).

        Args:
            compat: None/"2017" (correct detector) or "2020" (the 2020-2022 ports' detector).
        """
        if compat not in COMPAT:
            raise ConfigError(f"unknown compat {compat!r}; choose 2017 or 2020 (or none)")
        if options:
            raise ConfigError(f"the rules model takes no options {sorted(options)}; only compat")
        triples = list(train)
        if not triples:
            raise FormatError(None, None, "no training rows; give a file with lemma, form, features rows")
        pre, suf = prefix_bias(((lemma, form) for lemma, form, _ in triples), compat)
        prefixing = pre > suf
        counts: dict[str, tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]] = {}
        order: dict[tuple[str, str, str, str], int] = {}  # first time a rule was counted
        for lemma, form, features in triples:
            if prefixing:
                lemma, form = lemma[::-1], form[::-1]
            prules, srules = extract_rules(lemma, form)
            pc, sc = counts.setdefault(features, (Counter(), Counter()))
            for kind, rules, counter in (("p", prules, pc), ("s", srules, sc)):
                for rule in rules:
                    counter[rule] += 1
                    order.setdefault((features, kind, *rule), len(order))
        suffix, prefix = {}, {}
        for features, (pc, sc) in counts.items():
            suffix[features] = cls._best_by_left(sc, lambda r: (sc[r], len(r[1]), -order[(features, "s", *r)]),
                                                 order, features, "s")
            if pc:
                prefix[features] = cls._best_by_left(pc, lambda r: (pc[r], -order[(features, "p", *r)]),
                                                     order, features, "p")
        stats = {"pairs": len(triples), "feature_strings": len(counts), "prefix_score": pre, "suffix_score": suf}
        return cls(suffix, prefix, prefixing, compat, stats)

    @staticmethod
    def _best_by_left(counter: Counter[tuple[str, str]], key: Any, order: dict, features: str,
                      kind: str) -> dict[str, list[Any]]:
        best: dict[str, tuple[str, str]] = {}
        for rule in counter:
            left = rule[0]
            if left not in best or key(rule) > key(best[left]):
                best[left] = rule
        return {left: [r[1], counter[r], order[(features, kind, *r)]] for left, r in best.items()}

    def inflect(self, lemma: str, features: str) -> list[tuple[str, float]]:
        """The baseline's one prediction, with score 1.0 (a copy of the lemma for unseen feature strings)."""
        return [(self._predict(lemma, features), 1.0)]

    def predict_many(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        """Best form for each (lemma, features) pair, in input order."""
        return [self._predict(lemma, features) for lemma, features in pairs]

    def _predict(self, lemma: str, features: str) -> str:
        srules = self.suffix_rules.get(features)
        prules = self.prefix_rules.get(features)
        if srules is None and prules is None:
            return lemma
        word = lemma[::-1] if self.prefixing else lemma
        base = "<" + word + ">"
        if srules:
            left = self._longest_suffix(base, srules)
            if left is not None:
                base = base.replace(left, srules[left][0])
        if prules:
            left = self._most_frequent_prefix(base, prules)
            if left is not None:
                base = base.replace(left, prules[left][0])
        out = base.replace("<", "").replace(">", "")
        return out[::-1] if self.prefixing else out

    @staticmethod
    def _longest_suffix(base: str, rules: dict[str, list[Any]]) -> str | None:
        if base.count(">") == 1 and base.count("<") == 1:
            # Left sides end with ">", which only ends `base`: the matching ones are suffixes of it.
            for start in range(len(base)):
                if base[start:] in rules:
                    return base[start:]
            return None
        # A lemma holding "<" or ">": fall back to the published substring test over all rules.
        found = [(len(k), v[1], len(v[0]), -v[2], k) for k, v in rules.items() if k in base]
        return max(found)[4] if found else None

    @staticmethod
    def _most_frequent_prefix(base: str, rules: dict[str, list[Any]]) -> str | None:
        if base.count("<") == 1:
            found = [(rules[base[:end]][1], -rules[base[:end]][2], base[:end])
                     for end in range(1, len(base) + 1) if base[:end] in rules]
        else:
            found = [(v[1], -v[2], k) for k, v in rules.items() if k in base]
        return max(found)[2] if found else None

    def save(self, directory: str | Path) -> None:
        """Write ``rules.json`` and ``inflector.json`` to `directory`."""
        path = Path(directory)
        self.write_manifest(path, compat=self.compat, prefixing=self.prefixing, stats=self.stats)
        data = {"prefixing": self.prefixing, "suffix": self.suffix_rules, "prefix": self.prefix_rules}
        (path / _RULES_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> "RuleInflector":
        """Read a model written by `save`."""
        from lexaug.inflection.base import read_manifest

        manifest = read_manifest(directory)
        path = Path(directory) / _RULES_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            suffix, prefix, prefixing = data["suffix"], data["prefix"], data["prefixing"]
        except FileNotFoundError:
            raise FormatError(path, None, "missing; the model directory is incomplete, retrain it") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as err:
            raise FormatError(path, None, f"not a rules file written by lexaug ({type(err).__name__}: "
                              f"{str(err)[:120]}); retrain the model") from None
        if not (isinstance(suffix, dict) and isinstance(prefix, dict)):
            raise FormatError(path, None, "not a rules file written by lexaug (rule tables are not objects); "
                              "retrain the model")
        return cls(suffix, prefix, bool(prefixing), manifest.get("compat"), manifest.get("stats"))
