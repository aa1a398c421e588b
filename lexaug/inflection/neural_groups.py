"""Ensemble members of two kinds (edit scripts, characters) decoded and scored together, and the dev tuning of
how (the character weight, the rule-fallback margin): a mixin of `neural.NeuralInflector` (see its class doc for
the ranking rule)."""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from lexaug.inflection.base import Triple
from lexaug.inflection.fallback_margin import best_margin
from lexaug.inflection.vocab import CharVocab, nfc

# Weights of the character-writing members in a mixed ensemble, in order of preference on dev ties.
_CHAR_WEIGHT_GRID = (0.5, 0.25, 0.75, 0.0, 1.0)


def _torch():
    from lexaug.inflection.neural import _torch as load

    return load()


class MemberGroups:
    """Decoding and scoring over the member groups of `models` (set by `NeuralInflector`)."""

    models: list[Any]
    vocab: CharVocab
    beam: int
    hparams: Any
    member_actions: list[bool]
    char_weight: float
    threads: int | None
    info: dict[str, Any]
    fallback: Any
    fallback_margin: float | None
    fallback_below: float
    replaced_empty: int

    def member_vocab(self, i: int) -> CharVocab:
        """The vocabulary member `i` reads and writes with (edit scripts or characters)."""
        return self.vocab.with_actions(self.member_actions[i])

    def groups(self) -> list[tuple[CharVocab, list[Any], float]]:
        """(vocabulary, networks, weight) per kind of member: one group (weight 1) unless the ensemble is
        mixed, then the edit-script members (weight 1 - char_weight) and the character members."""
        kinds = [flag for flag in (True, False) if flag in self.member_actions]
        if len(kinds) == 1:
            return [(self.vocab.with_actions(kinds[0]), self.models, 1.0)]
        return [(self.vocab.with_actions(flag), [n for n, a in zip(self.models, self.member_actions) if a == flag],
                 1.0 - self.char_weight if flag else self.char_weight) for flag in kinds]

    def score_forms(self, pairs: Sequence[tuple[str, str]], forms: Sequence[str],
                    deadline: float | None = None) -> list[float]:
        """Log-probability of each form given its (lemma, features) under the model, teacher forced (each
        group's members by their mean probability per step; a mixed ensemble weights its two groups). With
        `deadline`, the scores of a prefix of the forms (scoring stops at the deadline)."""
        with self._threads():
            return _combine(self._group_scores(pairs, forms, deadline), [weight for _, _, weight in self.groups()])

    @contextmanager
    def _threads(self) -> Iterator[None]:
        """Decode with `self.threads` torch threads, then give torch its earlier setting back."""
        torch = _torch()
        before = torch.get_num_threads()
        if self.threads and self.threads != before:
            torch.set_num_threads(self.threads)
        try:
            yield
        finally:
            if torch.get_num_threads() != before:
                torch.set_num_threads(before)

    def _group_scores(self, pairs: Sequence[tuple[str, str]], forms: Sequence[str],
                      deadline: float | None = None) -> list[list[float]]:
        """Per group (`groups`), the log-probability of each form under that group alone (with `deadline`: of a
        prefix of the forms, maybe shorter for the later group)."""
        from lexaug.inflection.neural_model import score_targets

        limit = self.hparams.max_len
        lens = [len(nfc(lemma)) for lemma, _ in pairs]
        out = []
        for vocab, nets, _ in self.groups():
            sources = [vocab.encode_source(lemma, feats) for lemma, feats in pairs]
            targets = [vocab.encode_target(form, lemma)[:limit] for form, (lemma, _) in zip(forms, pairs)]
            out.append(score_targets(nets, sources, targets, lens, vocab.actions, deadline=deadline))
        return out

    def _group_candidates(self, pairs: Sequence[tuple[str, str]], beam: int,
                          known: dict[bool, list[list[tuple[str, float]]]] | None = None,
                          deadline: float | None = None) -> list[list[list[tuple[str, float]]]]:
        """Per group, per pair: the group's forms with their probabilities, best first (greedy: one form;
        beam search: up to `beam`, forms that decode alike merged by adding their probabilities). A group
        whose kind (`actions`) is in `known` is not searched again: its candidates are those. With `deadline`,
        a group's list may cover only a prefix of the pairs."""
        from lexaug.inflection.neural_model import beam_decode_many, greedy_decode

        out = []
        for vocab, nets, _ in self.groups():
            if known and vocab.actions in known:
                out.append(known[vocab.actions])
                continue
            if beam <= 1:
                hyps = greedy_decode(nets, [vocab.encode_source(l, f) for l, f in pairs],
                                     [len(nfc(l)) for l, _ in pairs], self.hparams.max_len, vocab.actions,
                                     deadline=deadline)
                out.append([[(vocab.decode(ids, lemma), math.exp(logp))] for (ids, logp), (lemma, _) in
                            zip(hyps, pairs)])
                continue
            per_pair = []
            searched = beam_decode_many(nets, [vocab.encode_source(lemma, feats) for lemma, feats in pairs],
                                        [len(nfc(lemma)) for lemma, _ in pairs], beam, self.hparams.max_len,
                                        vocab.actions, self.hparams.length_alpha, deadline=deadline)
            for (lemma, _), found in zip(pairs, searched):
                merged: dict[str, float] = {}
                for ids, logp in found:
                    form = vocab.decode(ids, lemma)
                    merged[form] = merged.get(form, 0.0) + math.exp(logp)
                per_pair.append(sorted(merged.items(), key=lambda kv: -kv[1]))
            out.append(per_pair)
        return out

    def _ranked(self, pairs: Sequence[tuple[str, str]], beam: int) -> list[list[tuple[str, float]]]:
        """Per pair, the candidate forms best first with their probabilities: the one group's own (mean
        probability search), or for a mixed ensemble the union of both groups' forms ranked by `score_forms`
        (probability: exp of that score)."""
        with self._threads():
            return self._ranked_forms(pairs, beam)

    def _ranked_forms(self, pairs: Sequence[tuple[str, str]], beam: int) -> list[list[tuple[str, float]]]:
        per_group = self._group_candidates(pairs, beam)
        if len(per_group) == 1:
            return per_group[0]
        union, flat_pairs, flat_forms = _union(pairs, per_group)
        scores = iter(self.score_forms(flat_pairs, flat_forms))
        ranked = []
        for forms in union:
            scored = [(form, math.exp(next(scores))) for form in forms]
            ranked.append(sorted(scored, key=lambda kv: -kv[1]))
        return ranked

    def _decode(self, pairs: Sequence[tuple[str, str]], beam: int) -> list[tuple[str, float]]:
        """The best form per pair with its probability (see `_ranked`), without the rule fallback."""
        return [ranked[0] for ranked in self._ranked(pairs, beam)]

    def _tune_char_weight(self, dev: Sequence[Triple],
                          known: dict[bool, list[list[tuple[str, float]]]] | None = None,
                          deadline: float | None = None) -> list[str]:
        """Choose the character members' weight of a mixed ensemble by dev exact match, on the candidates
        decoding gives (both groups' searches at `self.beam`; ties: the earlier weight of `_CHAR_WEIGHT_GRID`).
        Returns the dev forms at that weight (what decoding gives, so the fallback tuning need not decode dev
        again). Tuned on greedy candidates instead, the weight could not see what beam search adds: Middle Low
        German at 4 minutes, test, beam 5: weight 0 61.2%, 0.5 54.5%, where greedy dev tied 0, 0.25 and 0.5.
        `known`: a group's dev candidates searched already (by `actions`: True for the edit-script group).
        `deadline`: the search and scoring stop there, and the weight is chosen on the dev items done by then (a
        prefix of dev; none: the grid's first weight), their number in the info (`dev_items`); the forms
        returned are those items'."""
        pairs = [(lemma, feats) for lemma, _, feats in dev]
        gold = [nfc(form) for _, form, _ in dev]
        per_group = self._group_candidates(pairs, self.beam, known, deadline)
        searched = min(len(candidates) for candidates in per_group)
        union, flat_pairs, flat_forms = _union(pairs[:searched], [c[:searched] for c in per_group])
        by_group = self._group_scores(flat_pairs, flat_forms, deadline)
        union = _scored_prefix(union, min(len(scores) for scores in by_group))
        right: dict[float, int] = {}
        chosen: dict[float, list[str]] = {}
        for w in _CHAR_WEIGHT_GRID:
            scores = iter(_combine(by_group, [1.0 - w, w]))  # groups: edit-script members, character members
            chosen[w] = []
            for forms in union:
                scored = [(next(scores), form) for form in forms]
                chosen[w].append(max(scored, key=lambda t: t[0])[1])  # the first best, as `_ranked` sorts
            right[w] = sum(form == g for form, g in zip(chosen[w], gold))
        self.char_weight = max(_CHAR_WEIGHT_GRID, key=lambda w: right[w])  # first of the best on ties
        done = len(union)
        self.info["char_weight_dev"] = {"weight": self.char_weight, "dev_accuracy": {
            str(w): 100.0 * n / done if done else 0.0 for w, n in right.items()}}
        if done < len(dev):
            self.info["char_weight_dev"]["dev_items"] = done
        return chosen[self.char_weight]


    def _tune_fallback(self, train: Sequence[Triple], dev: Sequence[Triple],
                       ours: list[str] | None = None, deadline: float | None = None) -> None:
        """Train the rule baseline and pick the fallback margin by dev exact match (ties: the smaller
        margin, fewer replacements; no fallback when none beats the model alone on dev). `ours`: the model's
        dev forms when the caller has them already (a mixed ensemble's, as it decodes them, maybe of a prefix of
        dev only; else greedy).
        `deadline`: decoding and scoring stop there, and the margin is chosen on the dev items done by then (a
        prefix; none: no fallback), their number in the info (`dev_items`)."""
        from lexaug.inflection.rules import RuleInflector

        rules = RuleInflector.train(train)
        pairs = [(lemma, feats) for lemma, _, feats in dev]
        gold = [nfc(form) for _, form, _ in dev]
        if ours is None:  # one kind of member: its greedy forms
            with self._threads():
                ours = [found[0][0] for found in self._group_candidates(pairs, 1, deadline=deadline)[0]]
        theirs = [nfc(f) for f in rules.predict_many(pairs[:len(ours)])]
        gaps = self.score_gaps(pairs[:len(ours)], ours, theirs, deadline)
        done = len(gaps)
        ours, theirs, gold = ours[:done], theirs[:done], gold[:done]
        if len(self.models) > 1:
            self.info["ensemble_dev"] = 100.0 * sum(o == g for o, g in zip(ours, gold)) / done if done else 0.0
        best, best_right = best_margin([o == g for o, g in zip(ours, gold)], [t == g for t, g in zip(theirs, gold)],
                                       gaps)
        if not done:
            best = None
        self.info["fallback_dev"] = {"margin": best, "dev_accuracy": 100.0 * best_right / done if done else 0.0,
                                     "rules_dev_accuracy": 100.0 * sum(t == g for t, g in zip(theirs, gold)) / done
                                     if done else 0.0}
        if done < len(dev):
            self.info["fallback_dev"]["dev_items"] = done
        if best is not None:
            self.fallback, self.fallback_margin, self.fallback_below = rules, best, 0.0

    def apply_fallback(self, pairs: Sequence[tuple[str, str]], scored: Sequence[tuple[str, float]]) -> list[str]:
        """Forms of `predict_scored`, with the rule baseline's form where the fallback rule (class doc)
        picks it (unchanged when there is no fallback), and no empty form (`_fill_empty`)."""
        forms = [form for form, _ in scored]
        if self.fallback is not None and self.fallback_margin is not None:
            theirs = [nfc(f) for f in self.fallback.predict_many(pairs)]
            gaps = self.score_gaps(pairs, [nfc(f) for f in forms], theirs)
            forms = [t if gap <= self.fallback_margin else f for f, t, gap in zip(forms, theirs, gaps)]
        elif self.fallback is not None and self.fallback_below > 0:
            unsure = [i for i, (_, p) in enumerate(scored) if p < self.fallback_below]
            for i, form in zip(unsure, self.fallback.predict_many([pairs[i] for i in unsure])):
                forms[i] = nfc(form)
        return self._fill_empty(pairs, forms)

    def _fill_empty(self, pairs: Sequence[tuple[str, str]], forms: list[str]) -> list[str]:
        """`forms` with each empty one replaced by the rule baseline's form, or the lemma without a fallback
        (class doc); their number in `replaced_empty`."""
        empty = [i for i, form in enumerate(forms) if form == ""]
        self.replaced_empty = len(empty)
        if not empty:
            return forms
        if self.fallback is not None:
            fills = [nfc(form) for form in self.fallback.predict_many([pairs[i] for i in empty])]
        else:
            fills = [nfc(pairs[i][0]) for i in empty]
        for i, form in zip(empty, fills):
            forms[i] = form
        return forms

    def score_gaps(self, pairs: Sequence[tuple[str, str]], ours: Sequence[str], theirs: Sequence[str],
                   deadline: float | None = None) -> list[float]:
        """Per item, log P(own form) - log P(rule form) under the model (0 where the forms agree). With
        `deadline`, the gaps of a prefix of the items (scoring stops at the deadline)."""
        differ = [i for i, (o, t) in enumerate(zip(ours, theirs)) if o != t]
        gaps = [0.0] * len(pairs)
        if differ:
            own = self.score_forms([pairs[i] for i in differ], [ours[i] for i in differ], deadline)
            rule = self.score_forms([pairs[i] for i in differ], [theirs[i] for i in differ], deadline)
            for i, a, b in zip(differ, own, rule):
                gaps[i] = a - b
            scored = min(len(own), len(rule))
            if scored < len(differ):  # up to the first item whose forms were not both scored
                gaps = gaps[:differ[scored]]
        return gaps

# The tuning after the last member (the character members' dev search, scoring every candidate under both groups,
# the rule fallback) in units of the edit-script members' dev search: 3.8 on Gothic 2022 small (session 21: 24.8 s
# after a 6.6 s search; a first factor of 1.5 ended that run 8.3 s past its budget), so 5. In the paired
# `markmeasure` runs of sessions 31-33 (all 23 2022 small tasks, 2 of 2023) the tuning took 1.7-5.4 times the
# search; above 5 in 4 of 38 runs (at most 5.4: Old English seed 1, 19.4 s after a 3.6 s search), and none ended
# past 600 s (the longest 599.2 s) or had its tuning cut short: the tuning also stops at the deadline (`BatchClock`).
TUNING_PER_EDIT_SEARCH = 5.0


def measured_reserve(edit_only: MemberGroups, dev: Sequence[Triple]
                     ) -> tuple[dict[bool, list[list[tuple[str, float]]]], float, float]:
    """Search dev with `edit_only` (the trained edit-script members alone) as the weight tuning will. Returns
    those candidates (keyed True, for `_tune_char_weight`), the search's seconds, and the seconds to keep back
    for the rest of the tuning (`TUNING_PER_EDIT_SEARCH` times the search)."""
    begun = time.perf_counter()
    known = {True: edit_only._group_candidates([(lemma, feats) for lemma, _, feats in dev], edit_only.beam)[0]}
    searched = time.perf_counter() - begun
    return known, searched, searched * TUNING_PER_EDIT_SEARCH


def _union(pairs: Sequence[tuple[str, str]], per_group: Sequence[Sequence[Sequence[tuple[str, float]]]]
           ) -> tuple[list[list[str]], list[tuple[str, str]], list[str]]:
    """Per pair, the distinct forms of all groups' candidates (first seen first), then the same flattened: one
    (pair, form) per candidate, for scoring in one pass."""
    union = [list(dict.fromkeys(form for group in per_group for form, _ in group[k])) for k in range(len(pairs))]
    flat_pairs = [pairs[k] for k, forms in enumerate(union) for _ in forms]
    return union, flat_pairs, [form for forms in union for form in forms]


def _scored_prefix(union: list[list[str]], scored: int) -> list[list[str]]:
    """The leading pairs of `union` all of whose forms are among the first `scored` flattened forms."""
    covered = 0
    for k, forms in enumerate(union):
        if covered + len(forms) > scored:
            return union[:k]
        covered += len(forms)
    return union


def _combine(by_group: Sequence[Sequence[float]], weights: Sequence[float]) -> list[float]:
    """Per item, the weighted sum of the groups' log-probabilities (one group of weight 1: its own)."""
    return [sum(w * score for w, score in zip(weights, row)) for row in zip(*by_group)]
