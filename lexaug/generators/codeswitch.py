"""`codeswitch.v1`: code-switching after CoSDA-ML (Qin, Ni, Zhang & Che 2020, "CoSDA-ML: Multi-Lingual
Code-Switching Data Augmentation for Zero-Shot Cross-Lingual NLP").

A record is selected with probability `sentence_rate`; in a selected record each word is chosen with
probability `rate`, a target language is picked (uniformly among the lexicons, per token or once per
sentence), and a chosen word is replaced by one of its translations in that language (multiword headwords
starting at the chosen word are matched longest-first, as in `substitute`). A chosen word without a
translation in the picked language stays as it is, as in CoSDA-ML, so the realised rate
(`replaced / selected_tokens`, in `summary()`) is below the nominal rate where coverage is incomplete.
`meta` gets `tokens`, `replaced`, `selected` and `langs` (replaced words per language).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, compress, count, repeat
from operator import getitem, gt, mod
from typing import Any

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.generators.base import Generator, register, resource_info
from lexaug.generators.batch import (BATCH_RECORDS, REC, draw_blocks, materials, pack, record_slots, record_text, u32,
                                     word_counts)
from lexaug.generators.lookup import SurfaceTable
from lexaug.generators.rng import RecordRng
from lexaug.generators.slots import rewrite_slots
from lexaug.generators.words import WordSpec, split_words
from lexaug.types import Record

_SPAN = 2 ** 32
_FILLER = _SPAN - 1  # the draw put where no draw is needed: above every threshold but rate 1.0's


def _threshold(rate: float, what: str) -> int:
    if not 0.0 <= rate <= 1.0:
        raise ConfigError(f"{what} must be between 0 and 1, got {rate}")
    return round(rate * _SPAN)  # a draw u (0 <= u < 2**32) is a success when u < threshold


@register("codeswitch.v1")
class CodeSwitch(Generator):
    """Code-switch words into one or several target languages (see module docstring).

    Args:
        lexicons: one lexicon or a list (one per target language).
        rate: probability that a word of a selected record is switched (CoSDA-ML's token ratio).
        sentence_rate: probability that a record is selected at all.
        choose: "token" (language picked per word) or "sentence" (one language per record).
        langs: labels of the lexicons' languages; default their `tgt_lang`, else "lex0", "lex1", ...
        weighting, case_fold, words, src_lang: as for `substitute.v1`.
    """

    def __init__(self, lexicons: Any, *, rate: float = defaults.CODESWITCH_RATE,
                 sentence_rate: float = defaults.CODESWITCH_SENTENCE_RATE, choose: str = defaults.CODESWITCH_CHOOSE,
                 langs: list[str] | None = None, weighting: str | None = None,
                 case_fold: bool = defaults.CASE_FOLD, words: WordSpec | None = None,
                 src_lang: str | None = None) -> None:
        super().__init__()
        self.lexicons = list(lexicons) if isinstance(lexicons, (list, tuple)) else [lexicons]
        if not self.lexicons:
            raise ConfigError("codeswitch needs at least one lexicon")
        if choose not in ("token", "sentence"):
            raise ConfigError(f"choose must be 'token' or 'sentence', got {choose!r}")
        self.rate, self.sentence_rate, self.choose = rate, sentence_rate, choose
        self._token_thr = _threshold(rate, "rate")
        self._sentence_thr = _threshold(sentence_rate, "sentence_rate")
        self.langs = list(langs) if langs else [getattr(lx, "tgt_lang", None) or f"lex{i}"
                                                   for i, lx in enumerate(self.lexicons)]
        if len(self.langs) != len(self.lexicons):
            raise ConfigError(f"{len(self.langs)} language labels for {len(self.lexicons)} lexicons")
        self.weighting = weighting or getattr(self.lexicons[0], "weighting", None) or defaults.WEIGHTING
        self.case_fold = case_fold
        self.words = words or WordSpec.for_language(src_lang or getattr(self.lexicons[0], "src_lang", None))
        self.tables = [SurfaceTable(lx, weighting=self.weighting, case_fold=case_fold) for lx in self.lexicons]
        self._split, self._split_ascii = self.words.splitters()
        self._batch_split = self.words.batch_splitters()

    def params(self) -> dict[str, Any]:
        return {"rate": self.rate, "sentence_rate": self.sentence_rate, "choose": self.choose,
                "langs": self.langs, "weighting": self.weighting, "case_fold": self.case_fold,
                "words": self.words.__dict__.copy()}

    def resources(self) -> dict[str, Any]:
        return {f"lexicon:{lang}": resource_info(lx) for lang, lx in zip(self.langs, self.lexicons)}

    def _rewrite(self, text: str, rng: RecordRng, sentence_lang: int, acc: list[Any]) -> str:
        parts = split_words(text, self._split, self._split_ascii)
        words = parts[1::2]
        n = len(words)
        if not n:
            return text
        acc[0] += n
        u = rng.u32(3 * n)  # per word: chosen?, language, translation
        tables, n_langs = self.tables, len(self.tables)
        chosen = compress(range(n), map(gt, repeat(self._token_thr, n), u[:n]))
        if n_langs == 1 or sentence_lang >= 0:
            lang = max(sentence_lang, 0)
            table = tables[lang]
            if not table.mw_first:  # fast path: one lookup pass, a short loop over the chosen words only
                ents = table.entries(words)
                replaced = untranslated = 0
                for i in chosen:
                    ent = ents[i]
                    if len(ent) == 1:
                        untranslated += 1
                    else:
                        parts[2 * i + 1] = ent[u[2 * n + i] % len(ent)]
                        replaced += 1
                acc[1] += replaced
                acc[2] += untranslated
                acc[3][lang] += replaced
                return "".join(parts)
        end = 0  # first word not covered by a multiword replacement
        for i in chosen:
            if i < end:
                continue
            lang = sentence_lang if sentence_lang >= 0 else u[n + i] % n_langs
            table = tables[lang]
            ent = table.entry(words[i])
            span = 1
            longest = table.mw_surface.get(words[i]) if table.mw_surface else None
            if longest is not None:
                found = table.match_span(parts, i, longest)
                if found is not None:
                    span, ent = found
            if len(ent) == 1:
                acc[2] += 1
                continue
            parts[2 * i + 1] = ent[u[2 * n + i] % len(ent)]
            for k in range(i + 1, i + span):
                parts[2 * k] = parts[2 * k + 1] = ""
            end = i + span
            acc[1] += span
            acc[3][lang] += span
        return "".join(parts)

    def generate(self, record: Record, rng: RecordRng) -> list[Record]:
        head = rng.u32(2)
        selected = head[0] < self._sentence_thr
        sentence_lang = head[1] % len(self.tables) if self.choose == "sentence" else -1
        acc: list[Any] = [0, 0, 0, [0] * len(self.tables)]  # tokens, replaced, untranslated, per language
        if selected:
            slots = rewrite_slots(record, lambda text: self._rewrite(text, rng, sentence_lang, acc))
        else:
            slots = list(record.slots)
            acc[0] = sum(len(self._split.findall(s)) for i, s in enumerate(slots) if i not in record.frozen)
        tokens, replaced, untranslated, per_lang = acc
        stats = self.stats
        stats["tokens"] += tokens
        stats["replaced"] += replaced
        if selected:
            stats["records_selected"] += 1
            stats["selected_tokens"] += tokens
            stats["untranslated"] += untranslated
        langs = {}
        for lang, count in zip(self.langs, per_lang):
            if count:
                stats[f"replaced:{lang}"] += count
                langs[lang] = count
        meta = {**record.meta, "tokens": tokens, "replaced": replaced, "selected": selected, "langs": langs}
        return [Record(record.id, slots, record.frozen, record.payload, meta)]

    def run(self, records: Iterable[Record], seed: int | str = 0) -> Iterator[Record]:
        """As `Generator.run`; with one target language and no multiword headwords, batch by batch
        (`generators.batch`), with output and stats identical to `generate` per record (tested)."""
        if len(self.tables) > 1 or self.tables[0].mw_first or self._batch_split is None:
            yield from super().run(records, seed)
            return
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= BATCH_RECORDS:
                yield from self.run_records(batch, seed)
                batch = []
        if batch:
            yield from self.run_records(batch, seed)

    def run_records(self, records: list[Record], seed: int | str = 0) -> list[Record]:
        """One batch of `run`'s fast path (one table, no multiword headwords); in input order."""
        texts = list(map(record_text, records))
        # `run` calls this only when `_batch_split` is set, and `_batch` sees `texts` only when none is None
        done = None if None in texts else self._batch([r.id for r in records], texts, seed,  # type: ignore[arg-type]
                                                      per_record=True)
        if done is None:  # slots holding NUL or REC: the per-record path
            return list(super().run(records, seed))
        pieces, counts, reps, selected = done
        assert reps is not None  # asked for with per_record
        lang = self.langs[0]
        out = []
        for record, text, n, r, sel in zip(records, pieces, counts, reps, selected):
            meta = {**record.meta, "tokens": n, "replaced": r, "selected": sel, "langs": {lang: r} if r else {}}
            out.append(Record(record.id, record_slots(record, text), record.frozen, record.payload, meta))
        return out

    def run_texts(self, ids: list[str], texts: list[str], seed: int | str = 0) -> list[str | None]:
        """Records of one plain-text slot each, given as their ids and texts: the output text of each, with
        output and stats exactly those of `run` over `Record(id, [text])` (tested), but no record objects
        built where `run` batches (`SynthesisJob` uses it for text files)."""
        out: list[str | None] = []
        batched = len(self.tables) == 1 and not self.tables[0].mw_first and self._batch_split is not None
        for b in range(0, len(texts), BATCH_RECORDS):
            some_ids, some = ids[b:b + BATCH_RECORDS], texts[b:b + BATCH_RECORDS]
            done = self._batch(some_ids, some, seed) if batched else None
            if done is None:
                out += [r.slots[0] for r in super().run([Record(i, [t]) for i, t in zip(some_ids, some)], seed)]
            else:
                out += done[0]
        return out

    def _batch(self, ids: list[str], texts: list[str], seed: int | str, per_record: bool = False
               ) -> tuple[list[str], list[int], list[int] | None, list[bool]] | None:
        """(new texts, tokens, replaced (with `per_record`, else None), selected) per record of one batch, with
        the batch's stats counted, as `generate` gives them one by one; None (nothing counted) where a text holds
        REC."""
        assert self._batch_split is not None
        packed = pack(texts, *self._batch_split)
        if packed is None:
            return None
        parts, toks, ends = packed
        counts = word_counts(ends)
        name = self.name
        if self._sentence_thr > _FILLER:  # sentence rate 1.0: every record is selected, whatever its first draw
            selected = [True] * len(ids)
        else:
            head = u32(b"".join(draw_blocks(materials(seed, name, ids, 0), [2] * len(ids))))
            selected = list(map(gt, repeat(self._sentence_thr), head[0::2]))
        blocks = draw_blocks(materials(seed, name, ids, 1), [3 * n if s else 0 for n, s in zip(counts, selected)])
        filler = _FILLER.to_bytes(4, "little")
        pick = u32(filler.join([b[: 4 * n] if b else filler * n for b, n in zip(blocks, counts)]))
        which = u32(filler.join([b[8 * n:] if b else filler * n for b, n in zip(blocks, counts)]))
        thr = self._token_thr
        if thr <= _FILLER:  # the filler draws of REC positions and unselected records never pass
            chosen = list(compress(count(), map(gt, repeat(thr), pick)))
        else:  # rate 1.0: every word of a selected record
            bounds = zip([-1, *ends[:-1]], ends, selected)
            chosen = list(chain.from_iterable(range(s + 1, e) for s, e, sel in bounds if sel))
        # only the chosen words (rate x sentence rate of all) are looked up, drawn for and rewritten
        ents = self.tables[0].entries(list(map(toks.__getitem__, chosen)))
        lens = list(map(len, ents))
        deque(map(toks.__setitem__, chosen, map(getitem, ents, map(mod, map(which.__getitem__, chosen), lens))), 0)
        parts[1::2] = toks  # an untranslated chosen word stays itself
        pieces = "".join(parts).split(REC)
        if len(pieces) != len(ids):  # a translation contains REC
            return None
        hits = list(compress(chosen, map(gt, lens, repeat(1))))  # positions of switched words
        reps = None
        if per_record:  # switched words per record (none in unselected records: nothing is chosen there)
            reps = [bisect_left(hits, e) - bisect_left(hits, s + 1) for s, e in zip([-1, *ends[:-1]], ends)]
        stats, replaced, sel_records = self.stats, len(hits), selected.count(True)
        stats["records_in"] += len(ids)
        stats["records_out"] += len(ids)
        stats["records_filtered"] += 0
        stats["tokens"] += sum(counts)
        stats["replaced"] += replaced
        if sel_records:
            stats["records_selected"] += sel_records
            stats["selected_tokens"] += sum(compress(counts, selected))
            stats["untranslated"] += len(chosen) - replaced  # chosen words without a translation
        if replaced:
            stats[f"replaced:{self.langs[0]}"] += replaced
        return pieces, counts, reps, selected

    def summary(self) -> dict[str, Any]:
        out = super().summary()
        out["nominal_rate"] = self.rate
        out["nominal_sentence_rate"] = self.sentence_rate
        if self.stats.get("selected_tokens"):
            out["realised_rate"] = round(self.stats["replaced"] / self.stats["selected_tokens"], 6)
        return out


@register("codeswitch.v2")
class CodeSwitchV2(CodeSwitch):
    """`codeswitch.v1` reading every lexicon with look-alike letters in its targets repaired, as `substitute.v3`
    does (`lexaug.generators.lookalikes`: Ewe `wᴐ` -> `wɔ`). The parameters state per language what changed
    (`lookalikes`); the resources are the files as read. Its draws are its own (seeded with its name)."""

    def __init__(self, lexicons: Any, **kwargs: Any) -> None:
        from lexaug.generators.lookalikes import LookalikeLexicon

        given = list(lexicons) if isinstance(lexicons, (list, tuple)) else [lexicons]
        self.repaired = [LookalikeLexicon(lx) for lx in given]
        super().__init__(self.repaired, **kwargs)

    def params(self) -> dict[str, Any]:
        return {**super().params(),
                "lookalikes": {lang: view.summary() for lang, view in zip(self.langs, self.repaired)}}
