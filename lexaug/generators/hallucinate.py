"""`hallucinate.v1`: data hallucination for morphological inflection (Anastasopoulos & Neubig 2019,
"Pushing the Limits of Low-Resource Morphological Inflection", EMNLP).

A lemma/form pair is aligned (Levenshtein, substitution 1.1, from `lexaug.inflection.align`); runs of 3 or
more aligned identical characters are taken as the stem, and every stem character is replaced by a random
character of the language's alphabet (the characters of the training data), identically in lemma and form.
The features are kept. A result equal to a real training pair (NFC) is rejected.

By default only letters are replaced, by letters (`letters_only`): combining marks (Hebrew pointing,
Devanagari vowel signs), spaces and punctuation inside a stem stay, so vocalised scripts keep their pointing
pattern instead of getting marks on random letters.

With `same_script`, a letter is replaced by a letter of its own script (Unicode script as `confusable_homoglyphs`
names it): training data in two scripts (Gothic 2022 writes half its words in Gothic letters, half in Latin
transliteration) then gives hallucinated words in one script each, not a mix no real word has. With one script
the draws are the same as without it.

A record holds one training row as slots `[lemma, form, features]`; `generate` returns one hallucinated
record, or none when the pair has no stem (counted as `filtered:no_stem`) or every try gave a real pair
(`filtered:real_pair`). `hallucinate(triples, n, seed)` draws `n` distinct new triples from a training set.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, Iterable, Sequence

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.generators.base import Generator, register
from lexaug.generators.rng import RecordRng
from lexaug.types import Record

Triple = tuple[str, str, str]
EXHAUSTED_ROUNDS = 30  # `hallucinate` stops after this many rounds over the data without a new triple


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def stem_spans(lemma: str, form: str, min_stem: int = 3) -> list[tuple[int, int, int]]:
    """Stems of an aligned pair: (start in lemma, start in form, length) of each run of >= `min_stem`
    aligned identical characters. Pairs containing the aligner's gap symbol `_` have no stem (ambiguous)."""
    from lexaug.inflection.align import GAP, levenshtein_align

    if GAP in lemma or GAP in form:
        return []
    top, bottom = levenshtein_align(lemma, form)
    spans: list[tuple[int, int, int]] = []
    i = j = 0
    run: list[int] = [0, 0, 0]  # lemma start, form start, length
    for a, b in zip(top, bottom):
        if a != GAP and a == b:
            if run[2] == 0:
                run = [i, j, 0]
            run[2] += 1
        else:
            if run[2] >= min_stem:
                spans.append((run[0], run[1], run[2]))
            run = [0, 0, 0]
        i += a != GAP
        j += b != GAP
    if run[2] >= min_stem:
        spans.append((run[0], run[1], run[2]))
    return spans


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


@lru_cache(maxsize=None)
def script_of(ch: str) -> str:
    """The Unicode script of `ch` (`LATIN`, `GOTHIC`, `COMMON`, ...), from confusable_homoglyphs' table."""
    from confusable_homoglyphs import categories  # a table loaded when first needed

    return categories.alias(ch)


def alphabet(triples: Iterable[Triple], letters_only: bool = True) -> list[str]:
    """Sorted characters of the lemmas and forms (NFC), letters only by default."""
    chars = {c for lemma, form, _ in triples for c in _nfc(lemma) + _nfc(form)}
    return sorted(c for c in chars if _is_letter(c) or not letters_only)


@register("hallucinate.v1")
class Hallucinate(Generator):
    """Make new (lemma, form, features) rows by replacing stem characters at random (see module docstring).

    Args:
        train: the real training triples (alphabet and the set of pairs never to reproduce).
        min_stem: shortest run of aligned identical characters that counts as stem (3 in the paper).
        letters_only: replace only letters, by letters (default); False replaces any stem character.
        tries: attempts per record before giving up when results collide with real pairs.
        same_script: replace a character by one of its own script only.
    """

    def __init__(self, train: Sequence[Triple], *, min_stem: int = defaults.HALLUCINATE_MIN_STEM,
                 letters_only: bool = True, tries: int = 5, same_script: bool = False) -> None:
        super().__init__()
        if min_stem < 1:
            raise ConfigError(f"min_stem must be at least 1, got {min_stem}")
        self.min_stem, self.letters_only, self.tries = min_stem, letters_only, tries
        self.same_script = same_script
        self.alphabet = alphabet(train, letters_only)
        self.by_script: dict[str, list[str]] = {}  # script -> its characters of the alphabet, sorted
        for ch in self.alphabet:
            self.by_script.setdefault(script_of(ch) if same_script else "", []).append(ch)
        self.real = {(_nfc(l), _nfc(f), feats) for l, f, feats in train}
        if not self.alphabet:
            raise ConfigError("hallucination needs training data with at least one letter")

    def params(self) -> dict[str, Any]:
        return {"min_stem": self.min_stem, "letters_only": self.letters_only, "tries": self.tries,
                "alphabet_size": len(self.alphabet), "same_script": self.same_script}

    def stem_slots(self, lemma: str, form: str) -> list[tuple[int, int]]:
        """Positions to replace, as (lemma index, form index) pairs of identical stem characters (NFC input)."""
        return [(ls + k, fs + k) for ls, fs, n in stem_spans(lemma, form, self.min_stem) for k in range(n)
                if not self.letters_only or _is_letter(lemma[ls + k])]

    def generate(self, record: Record, rng: RecordRng) -> list[Record]:
        lemma, form, features = (_nfc(s) for s in record.slots[:3])
        slots = self.stem_slots(lemma, form)
        if not slots:
            self.stats["filtered:no_stem"] += 1
            return []
        pools = [self.by_script[script_of(lemma[li]) if self.same_script else ""] for li, _ in slots]
        for _ in range(self.tries):
            new_lemma, new_form = list(lemma), list(form)
            for (li, fi), pool in zip(slots, pools):
                new_lemma[li] = new_form[fi] = rng.choice(pool)
            out = (_nfc("".join(new_lemma)), _nfc("".join(new_form)), features)  # a mark may now compose
            if out not in self.real:
                self.stats["hallucinated"] += 1
                return [Record(id=f"{record.id}:h", slots=list(out), meta={"source": record.id})]
        self.stats["filtered:real_pair"] += 1
        return []


def hallucinate(train: Sequence[Triple], n: int, seed: int | str = defaults.SEED,
                **options: Any) -> tuple[list[Triple], dict[str, int]]:
    """`n` distinct hallucinated triples from `train` (fewer only if the data cannot give that many).

    Source rows are visited round-robin (row i, then round r: record id `"{r}:{i}"`) so every row
    contributes about equally; each record's randomness comes from (seed, record id, "hallucinate.v1").
    When the data is exhausted (`EXHAUSTED_ROUNDS` rounds in a row add no new triple, e.g. 2 rows with
    short stems asked for a million pairs) it stops early and returns what it made; the counts then hold
    `exhausted: 1`. Output is unchanged otherwise (the same triples in the same order).
    Returns (triples in generation order, counts: hallucinated, duplicates, filtered reasons).
    """
    gen = Hallucinate(train, **options)
    out: list[Triple] = []
    seen: set[tuple[str, ...]] = set()
    rows = [(i, t) for i, t in enumerate(train) if gen.stem_slots(_nfc(t[0]), _nfc(t[1]))]
    gen.stats["rows_without_stem"] = len(train) - len(rows)
    rounds = idle = 0
    # enough rounds for n outputs even when many tries collide; a finite bound for degenerate data
    while len(out) < n and rows and rounds < 4 * n // len(rows) + 50:
        if idle >= EXHAUSTED_ROUNDS:
            gen.stats["exhausted"] = 1
            break
        before = len(out)
        for i, (lemma, form, feats) in rows:
            if len(out) >= n:
                break
            rec_id = f"{rounds}:{i}"
            made = gen.generate(Record(id=rec_id, slots=[lemma, form, feats]), RecordRng(seed, rec_id, gen.name))
            if not made:
                continue
            triple = tuple(made[0].slots)
            if triple in seen:
                gen.stats["duplicates"] += 1
                continue
            seen.add(triple)
            out.append((triple[0], triple[1], triple[2]))
        rounds += 1
        idle = idle + 1 if len(out) == before else 0
    return out, dict(gen.stats)
