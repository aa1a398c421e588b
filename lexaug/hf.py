"""`datasets` integration: lexaug as a `Dataset.map` function, with the same output as `lexaug synthesize`.

    from datasets import load_from_disk
    from lexaug.hf import LexaugMap
    from lexaug.synthesis import SynthesisOptions

    fn = LexaugMap(SynthesisOptions(langs=("spa",), lexicons=("en_es.tsv",)), text_field="text")
    out = ds.map(fn, batched=True, with_indices=True, num_proc=4)

The record id of a row is its index in the dataset (what `with_indices=True` passes), the id `lexaug
synthesize` gives the same row in a JSONL or Parquet file, so each row gets the same random stream and the
mapped dataset equals the CLI's output row for row: the text column rewritten (or, with `tokens_field`, each
token of a list column, the `labels_field` column staying aligned), every other column unchanged, rows the
generator filters out (`min_replacements`) dropped, and the provenance dict in a `lexaug` column (the key the
JSONL writer uses). Only the options travel to `num_proc` workers; each loads the resources once.

`datasets` is not imported here: the function takes and returns plain column dicts. Counts are in `fn.stats`
(the generator's counters: records_in/out/filtered, tokens, replaced) of the object that ran the batches:
without `num_proc` that is `fn` itself; with `num_proc` (even 1) datasets runs copies in worker processes, whose
counts are not summed anywhere (`fn.stats` stays empty): `map` returns rows only. Totals then: `len(ds)` and
`len(mapped)` for records in and out, or `lexaug synthesize` on the saved folder for the manifest's counts.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lexaug.defaults import JSONL_FIELD, PROVENANCE_KEY
from lexaug.errors import ConfigError
from lexaug.io.base import ReadReport
from lexaug.io.parquet import ParquetFormat


class LexaugMap:
    """A `Dataset.map(fn, batched=True, with_indices=True)` function that rewrites one column with lexaug.

    Args:
        options: a `lexaug.synthesis.SynthesisOptions` (resources are loaded on the first batch, in each process).
        text_field: the string column to rewrite (default `text`).
        tokens_field: alternatively a list-of-strings column, one slot per token.
        labels_field: with `tokens_field`, the label column checked to be aligned (one label per token).
        provenance: add the provenance dict (lang, mode, generator, rate, lexicon sha256, seed, source_id) as a
            column named `provenance_key` (default `lexaug`), as `lexaug synthesize` adds it to JSONL.
        strict: a misaligned row raises FormatError; `False` drops it (counted in `stats` as `skipped:labels`).
    """

    def __init__(self, options: Any, *, text_field: str = JSONL_FIELD, tokens_field: str | None = None,
                 labels_field: str | None = None, provenance: bool = True, provenance_key: str = PROVENANCE_KEY,
                 strict: bool = True) -> None:
        if options is None:
            raise ConfigError("LexaugMap needs SynthesisOptions (what `lexaug synthesize` takes)")
        self.options = options
        self.format = ParquetFormat(text_field, tokens_field, labels_field, provenance_key)
        self.provenance, self.strict = provenance, strict
        self.stats: Counter[str] = Counter()
        self._job: tuple[Any, dict[str, Any] | None, Any] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # workers (and datasets' fingerprint hash) get the options only, never the loaded lexicon
        return {**self.__dict__, "_job": None, "stats": Counter()}

    def setup(self) -> tuple[Any, dict[str, Any] | None, Any]:
        """Load the resources and build the generator (once per process); returns (generator, provenance, lid)."""
        if self._job is None:
            from lexaug.synthesis import build, lid_step
            from lexaug.synthesis_manifest import provenance_base

            built = build(self.options)
            base = provenance_base(self.options, built) if self.provenance else None
            self._job = (built.generator, base, lid_step(self.options))
        return self._job

    def __call__(self, batch: dict[str, list[Any]], indices: list[int]) -> dict[str, list[Any]]:
        """The output rows of one batch: every column, the slot column rewritten, filtered rows dropped."""
        generator, base, lid = self.setup()
        form = self.format
        missing = [c for c in (form.slot_column, form.labels_field) if c is not None and c not in batch]
        if missing:
            raise ConfigError(f"dataset has no column {missing[0]!r} (columns: {', '.join(batch)}); pass "
                              "text_field= or tokens_field=/labels_field=")
        if len(indices) != len(batch[form.slot_column]):
            raise ConfigError("LexaugMap needs batched=True and with_indices=True in Dataset.map")
        report = ReadReport()
        labels = batch[form.labels_field] if form.labels_field else None
        records: Any = form.records_of(batch[form.slot_column], indices, labels, strict=self.strict, report=report)
        stats: Counter[str] = Counter()
        generator.stats = stats
        if lid is not None and lid.filters:
            records = lid.clean(records, stats)
        outputs: Any = generator.run(records, self.options.seed)
        if lid is not None:
            outputs = lid.annotate(outputs, stats)
        outputs = list(outputs)
        position = {index: k for k, index in enumerate(indices)}
        rows = [position[int(r.id)] for r in outputs]
        out = {name: [column[k] for k in rows] for name, column in batch.items()}
        out[form.slot_column] = form.slot_values(outputs, out[form.slot_column])
        if base is not None:
            out[form.provenance_key] = [_provenance(base, r) for r in outputs]
        for reason, n in report.skipped.items():
            stats[f"skipped:{reason}"] += n
        self.stats.update(stats)
        return out


def _provenance(base: dict[str, Any], record: Any) -> dict[str, Any]:
    prov = {**base, "source_id": record.id}
    if "lid" in record.meta:
        prov["lid"] = record.meta["lid"]
    return prov
