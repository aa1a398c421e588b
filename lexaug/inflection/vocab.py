"""Character + feature-tag vocabulary for the neural inflection model.

Source sequence: the lemma's characters, then one token per feature tag in sorted order, so a feature bundle
gives the same input whatever order its tags were written in (`V;PST;3` == `3;PST;V`). Target sequence: the
form's characters then `</s>`. Text is NFC-normalised on the way in (the 2022 scorer compares NFC strings).
With `actions=True` the target is an edit script over the lemma instead of the form's characters:
`<copy>` (copy the next lemma character), `<del>` (skip it) or a character to insert, from a
longest-common-subsequence alignment. The decoder then learns "copy the stem" once for all stems, which is
what 700 training pairs cannot teach a plain character decoder quickly (the idea of transition-based
inflection, Makarov & Clematide 2018, kept inside a standard seq2seq model).
Pure Python (no torch) so it can be tested and saved without the neural extra.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

PAD, BOS, EOS, UNK, COPY, DEL = "<pad>", "<s>", "</s>", "<unk>", "<copy>", "<del>"
SPECIALS = (PAD, BOS, EOS, UNK, COPY, DEL)
PAD_ID, BOS_ID, EOS_ID, UNK_ID, COPY_ID, DEL_ID = 0, 1, 2, 3, 4, 5


def split_features(features: str, parts: bool = False, whole: bool = False) -> list[str]:
    """Feature tags of a UniMorph bundle (`;`-separated), de-duplicated and sorted (order-free input).

    With `parts`, a composite tag is split on `+` into its parts (`AT+ABL` -> `AT`, `ABL`; `ARGAC3S+ARGNO3S` ->
    `ARGAC3S`, `ARGNO3S`), so a composite never seen whole in training is made of parts that were. With `whole`
    as well, the composite is kept beside its parts (`SG+PL` -> `PL`, `SG`, `SG+PL`): a composite whose meaning
    is not the sum of its parts (Gujarati `SG+PL`, either number) keeps a token of its own."""
    tags = {tag for tag in features.strip().split(";") if tag}
    if parts:
        split = {part for tag in tags for part in tag.split("+") if part}
        tags = split | {tag for tag in tags if "+" in tag} if whole else split
    return sorted(tags)


def unseen_composite_share(train: Iterable[tuple[str, str, str]], dev: Iterable[tuple[str, str, str]]) -> float:
    """The share of `dev` items holding a composite tag (`AT+ABL`) never seen whole in `train`'s features: the
    items only `tag_parts` can give known tokens (0.0 for an empty dev set)."""
    seen = {tag for _, _, features in train for tag in split_features(features)}
    items = [features for _, _, features in dev]
    unseen = sum(any("+" in tag and tag not in seen for tag in split_features(features)) for features in items)
    return unseen / len(items) if items else 0.0


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_mark(char: str) -> bool:
    """A combining mark (Unicode category M*): Hebrew points, Indic vowel signs, Arabic harakat, stress marks."""
    return unicodedata.category(char).startswith("M")


def letter_clusters(text: str) -> list[str]:
    """`text` cut into letters, each with the combining marks that follow it (a mark at the start stands alone)."""
    clusters: list[str] = []
    for char in text:
        if clusters and is_mark(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


@lru_cache(maxsize=100_000)
def edit_script(lemma: str, form: str, clusters: bool = False) -> tuple[str | None, ...]:
    """Edit script turning `lemma` into `form`: `None` = copy, `""` = delete, a character = insert.

    Longest-common-subsequence alignment (copies free, insertions and deletions cost 1); among equal-cost
    scripts, copy is preferred, then delete, so the script is deterministic. With `clusters`, a combining mark
    is copied only together with the letter it sits on (`_clustered_script`); strings without marks get the
    same script either way.
    """
    if clusters and any(is_mark(char) for char in lemma + form):
        return _clustered_script(lemma, form)
    n, m = len(lemma), len(form)
    cost = [[0] * (m + 1) for _ in range(n + 1)]  # cost[i][j]: cheapest script for lemma[i:] -> form[j:]
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n or j == m:
                cost[i][j] = (n - i) + (m - j)
            else:
                best = min(cost[i + 1][j], cost[i][j + 1]) + 1
                cost[i][j] = min(best, cost[i + 1][j + 1]) if lemma[i] == form[j] else best
    ops: list[str | None] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and lemma[i] == form[j] and cost[i][j] == cost[i + 1][j + 1]:
            ops.append(None)
            i, j = i + 1, j + 1
        elif i < n and cost[i][j] == cost[i + 1][j] + 1:
            ops.append("")
            i += 1
        else:
            ops.append(form[j])
            j += 1
    return tuple(ops)


def _clustered_script(lemma: str, form: str) -> tuple[str | None, ...]:
    """The edit script of `edit_script` over letter clusters: two clusters align only where their letters are
    the same (the letter is copied and the marks under it edited: copied, deleted or inserted), otherwise a
    cluster is deleted or inserted whole. The plain alignment would copy a lemma's mark under another letter
    of the form whenever that saves one insertion (Hebrew `הִתְקַלְקֵל` -> `תִּתְקַלְקְלִי`: he's hiriq
    under the new tav), so one change would be written differently from lemma to lemma."""
    a, b = letter_clusters(lemma), letter_clusters(form)
    n, m = len(a), len(b)

    def mark_edits(i: int, j: int) -> int:
        return sum(op is not None for op in edit_script(a[i][1:], b[j][1:]))

    cost = [[0] * (m + 1) for _ in range(n + 1)]  # cost[i][j]: cheapest script for a[i:] -> b[j:]
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n or j == m:
                cost[i][j] = sum(map(len, a[i:])) + sum(map(len, b[j:]))
            else:
                best = min(cost[i + 1][j] + len(a[i]), cost[i][j + 1] + len(b[j]))
                if a[i][0] == b[j][0]:
                    best = min(best, cost[i + 1][j + 1] + mark_edits(i, j))
                cost[i][j] = best
    ops: list[str | None] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and a[i][0] == b[j][0] and cost[i][j] == cost[i + 1][j + 1] + mark_edits(i, j):
            ops += [None, *edit_script(a[i][1:], b[j][1:])]
            i, j = i + 1, j + 1
        elif i < n and cost[i][j] == cost[i + 1][j] + len(a[i]):
            ops += [""] * len(a[i])
            i += 1
        else:
            ops += list(b[j])
            j += 1
    return tuple(ops)


def moved_mark_pairs(pairs: Iterable[tuple[str, str]]) -> int:
    """How many (lemma, form) pairs (read in NFC) get another edit script with `clusters`: those where the plain
    alignment copies a combining mark off its letter. 0 for text without marks or whose marks stay put."""
    moved = 0
    for lemma, form in pairs:
        lemma, form = nfc(lemma), nfc(form)
        if any(is_mark(char) for char in lemma + form) and edit_script(lemma, form) != edit_script(lemma, form, True):
            moved += 1
    return moved


class CharVocab:
    """Maps characters and feature tags to ids; feature tokens are stored as `[TAG]` to keep them apart.

    Args:
        tokens: every token after the specials, in id order.
        actions: targets are edit scripts (`<copy>`, `<del>`, characters) instead of characters.
        tag_parts: composite tags enter as their `+`-separated parts (`split_features`).
        tag_whole: with `tag_parts`, a composite also enters whole; one never seen whole in training is left
            out of a source (its parts stand for it) instead of becoming `<unk>`.
        mark_clusters: edit scripts copy a combining mark only with its letter (`edit_script`'s `clusters`).
    """

    def __init__(self, tokens: Iterable[str], actions: bool = False, tag_parts: bool = False,
                 tag_whole: bool = False, mark_clusters: bool = False):
        self.itos: list[str] = list(SPECIALS) + [t for t in tokens if t not in SPECIALS]
        self.stoi: dict[str, int] = {t: i for i, t in enumerate(self.itos)}
        self.actions = actions
        self.tag_parts = tag_parts
        self.tag_whole = tag_parts and tag_whole
        self.mark_clusters = mark_clusters

    @classmethod
    def build(cls, triples: Iterable[tuple[str, str, str]], actions: bool = False,
              tag_parts: bool = False, tag_whole: bool = False, mark_clusters: bool = False) -> "CharVocab":
        """Vocabulary from (lemma, form, features) triples: sorted characters, then sorted feature tokens."""
        chars: set[str] = set()
        tags: set[str] = set()
        for lemma, form, features in triples:
            chars.update(nfc(lemma))
            chars.update(nfc(form))
            tags.update(split_features(features, tag_parts, tag_whole))
        return cls(sorted(chars) + [f"[{t}]" for t in sorted(tags)], actions=actions, tag_parts=tag_parts,
                   tag_whole=tag_whole, mark_clusters=mark_clusters)

    def __len__(self) -> int:
        return len(self.itos)

    def with_actions(self, actions: bool) -> "CharVocab":
        """The same tokens, with targets written as edit scripts (`actions`) or as characters."""
        if actions == self.actions:
            return self
        return CharVocab(self.itos, actions=actions, tag_parts=self.tag_parts, tag_whole=self.tag_whole,
                         mark_clusters=self.mark_clusters)

    def encode_source(self, lemma: str, features: str) -> list[int]:
        """Ids of `lemma` characters followed by its sorted feature tokens, then `</s>`."""
        ids = [self.stoi.get(c, UNK_ID) for c in nfc(lemma)]
        for tag in split_features(features, self.tag_parts, self.tag_whole):
            if f"[{tag}]" in self.stoi:
                ids.append(self.stoi[f"[{tag}]"])
            elif not (self.tag_whole and "+" in tag):  # an unseen whole composite: its parts stand for it
                ids.append(UNK_ID)
        return ids + [EOS_ID]

    def encode_target(self, form: str, lemma: str = "") -> list[int]:
        """Ids of `form` characters (or of the edit script from `lemma`, if `actions`) followed by `</s>`."""
        if self.actions:
            ops = edit_script(nfc(lemma), nfc(form), self.mark_clusters)
            return [COPY_ID if op is None else DEL_ID if op == "" else self.stoi.get(op, UNK_ID)
                    for op in ops] + [EOS_ID]
        return [self.stoi.get(c, UNK_ID) for c in nfc(form)] + [EOS_ID]

    def decode(self, ids: Iterable[int], lemma: str = "") -> str:
        """Characters of `ids` up to `</s>`; each `<unk>` is filled with the next lemma character that is
        not in the vocabulary (a character never seen in training can then still be copied)."""
        lemma = nfc(lemma)
        unknown = [c for c in lemma if c not in self.stoi]
        out: list[str] = []
        pos = 0  # next lemma character for <copy>/<del>; lemma characters left at </s> count as deleted
        for i in ids:
            if i == EOS_ID:
                break
            if i in (PAD_ID, BOS_ID):
                continue
            if i in (COPY_ID, DEL_ID):
                if i == COPY_ID and pos < len(lemma):
                    out.append(lemma[pos])
                pos += 1
                continue
            if i == UNK_ID:
                out.append(unknown.pop(0) if unknown else "")
            else:
                tok = self.itos[i]
                out.append("" if tok.startswith("[") and len(tok) > 2 and tok.endswith("]") else tok)
        return "".join(out)

    def save(self, path: str | Path) -> None:
        data = {"tokens": self.itos, "actions": self.actions, "tag_parts": self.tag_parts,
                "tag_whole": self.tag_whole, "mark_clusters": self.mark_clusters}
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "CharVocab":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["tokens"], actions=bool(data.get("actions", False)),  # options absent in older models
                   tag_parts=bool(data.get("tag_parts", False)), tag_whole=bool(data.get("tag_whole", False)),
                   mark_clusters=bool(data.get("mark_clusters", False)))
