"""Character + feature-tag vocabulary for the neural inflection model.

Source sequence: the lemma's characters, then one token per feature tag in sorted order, so a feature bundle
gives the same input whatever order its tags were written in (`V;PST;3` == `3;PST;V`). Target sequence: the
form's characters then `</s>`. Text is NFC-normalised on the way in (the 2022 scorer compares NFC strings).
Pure Python (no torch) so it can be tested and saved without the neural extra.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Iterable

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"
SPECIALS = (PAD, BOS, EOS, UNK)
PAD_ID, BOS_ID, EOS_ID, UNK_ID = 0, 1, 2, 3


def split_features(features: str) -> list[str]:
    """Feature tags of a UniMorph bundle (`;`-separated), de-duplicated and sorted (order-free input)."""
    return sorted({tag for tag in features.strip().split(";") if tag})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class CharVocab:
    """Maps characters and feature tags to ids; feature tokens are stored as `[TAG]` to keep them apart.

    Args:
        tokens: every token after the four specials, in id order.
    """

    def __init__(self, tokens: Iterable[str]):
        self.itos: list[str] = list(SPECIALS) + [t for t in tokens if t not in SPECIALS]
        self.stoi: dict[str, int] = {t: i for i, t in enumerate(self.itos)}

    @classmethod
    def build(cls, triples: Iterable[tuple[str, str, str]]) -> "CharVocab":
        """Vocabulary from (lemma, form, features) triples: sorted characters, then sorted feature tokens."""
        chars: set[str] = set()
        tags: set[str] = set()
        for lemma, form, features in triples:
            chars.update(nfc(lemma))
            chars.update(nfc(form))
            tags.update(split_features(features))
        return cls(sorted(chars) + [f"[{t}]" for t in sorted(tags)])

    def __len__(self) -> int:
        return len(self.itos)

    def encode_source(self, lemma: str, features: str) -> list[int]:
        """Ids of `lemma` characters followed by its sorted feature tokens, then `</s>`."""
        ids = [self.stoi.get(c, UNK_ID) for c in nfc(lemma)]
        ids += [self.stoi.get(f"[{t}]", UNK_ID) for t in split_features(features)]
        return ids + [EOS_ID]

    def encode_target(self, form: str) -> list[int]:
        """Ids of `form` characters followed by `</s>`."""
        return [self.stoi.get(c, UNK_ID) for c in nfc(form)] + [EOS_ID]

    def decode(self, ids: Iterable[int], lemma: str = "") -> str:
        """Characters of `ids` up to `</s>`; each `<unk>` is filled with the next lemma character that is
        not in the vocabulary (a character never seen in training can then still be copied)."""
        unknown = [c for c in nfc(lemma) if c not in self.stoi]
        out: list[str] = []
        for i in ids:
            if i == EOS_ID:
                break
            if i in (PAD_ID, BOS_ID):
                continue
            if i == UNK_ID:
                out.append(unknown.pop(0) if unknown else "")
            else:
                tok = self.itos[i]
                out.append("" if tok.startswith("[") and len(tok) > 2 and tok.endswith("]") else tok)
        return "".join(out)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps({"tokens": self.itos}, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "CharVocab":
        return cls(json.loads(Path(path).read_text(encoding="utf-8"))["tokens"])
