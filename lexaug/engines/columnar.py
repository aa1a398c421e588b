"""`synthesize` over columnar input (Parquet files, `datasets` folders) with the local engine.

The same engine (`run_local`) and generator as for text formats; only the unit of work differs: a chunk is a
batch of rows as Arrow IPC bytes (`lexaug.io.parquet.ColumnChunk`), a worker returns the rebuilt rows as IPC
bytes in `ChunkResult.data`, and the parent writes them as one Parquet row group each, in input order. So the
output is identical for any number of workers, and memory is bounded by the chunks in flight, not the file.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from lexaug import defaults
from lexaug.engines.local import ChunkResult, run_local
from lexaug.errors import ConfigError


def wants_columnar(input_path: str, fmt: str | None) -> bool:
    """True when `synthesize` should take the columnar path: `--format parquet`, a `.parquet` input, or a
    `datasets` folder saved with `save_to_disk`."""
    from lexaug.io.parquet import is_datasets_dir

    if fmt is not None:
        return fmt == "parquet"
    return input_path.lower().endswith(".parquet") or is_datasets_dir(input_path)


@dataclass
class ColumnarJob:
    """One batch of rows in (IPC bytes) -> records -> generator -> rebuilt rows out (IPC bytes), with counts."""

    fmt: Any  # a lexaug.io.parquet.ParquetFormat
    generator: Any
    seed: int
    path: str
    schema: Any  # the output schema
    strict: bool = True
    provenance: dict[str, Any] | None = None
    lid: Any = None

    def process(self, chunk: Any) -> ChunkResult:
        from lexaug.io import ReadReport
        from lexaug.io.parquet import from_ipc, provenance_array, to_ipc

        table = from_ipc(chunk.data)
        form, first = self.fmt, chunk.first_index
        from lexaug.synthesis_manifest import take_untranslated, track_untranslated

        stats: Counter[str] = Counter()
        self.generator.stats = stats
        track_untranslated(self.generator)
        report = ReadReport()
        lids: list[Any] | None = None
        if self._plain_texts(table):  # one string per row, no nulls: texts in, texts out, no record objects
            n = table.num_rows
            ids = list(map(str, range(first, first + n)))
            outs = self.generator.run_texts(ids, table.column(form.field).to_pylist(), self.seed)
            rows = [k for k, out in enumerate(outs) if out is not None]
            values: list[Any] = [outs[k] for k in rows]
            source_ids = [ids[k] for k in rows]
            report.read = n
        else:
            records: Any = form.records(table, first, path=self.path, strict=self.strict, report=report)
            if self.lid is not None and self.lid.filters:
                records = self.lid.clean(records, stats)
            outputs: Any = self.generator.run(records, self.seed)
            if self.lid is not None:
                outputs = self.lid.annotate(outputs, stats)
            outputs = list(outputs)
            rows = [int(r.id) - first for r in outputs]
            before = table.column(form.slot_column).to_pylist() if form.tokens_field else []
            values = form.slot_values(outputs, [before[k] for k in rows] if before else [])
            source_ids = [r.id for r in outputs]
            if self.lid is not None:
                lids = [r.meta.get("lid") for r in outputs]
        prov = None
        if self.provenance is not None:
            prov = provenance_array(self.provenance, self.schema.field(form.provenance_key).type, source_ids, lids)
        out = form.rebuild(table, rows, values, self.schema, prov)
        counts = {"records_in": report.read + report.total_skipped, "records_read": report.read,
                  "records_out": out.num_rows}
        for reason, n in report.skipped.items():
            counts[f"skipped:{reason}"] = n
        return ChunkResult("", counts, stats=stats, errors=list(report.errors), data=to_ipc(out),
                           untranslated=take_untranslated(self.generator))

    def _plain_texts(self, table: Any) -> bool:
        """True when the batch can skip records: a text column without nulls, a generator with `run_texts`, no
        LID step (as `SynthesisJob` does for text files)."""
        return (not self.fmt.tokens_field and self.lid is None and hasattr(self.generator, "run_texts")
                and table.column(self.fmt.field).null_count == 0)


def run_columnar(options: Any, input_path: str, output_path: str, *, format_options: dict[str, Any] | None = None,
                 workers: int = defaults.WORKERS, chunk_records: int = defaults.CHUNK_RECORDS, strict: bool = True,
                 provenance: bool = True, manifest_path: str | None = None,
                 warn: Callable[[str], Any] | None = None) -> str:
    """`lexaug.synthesis_run.run_synthesis` for a Parquet file or `datasets` folder: writes a Parquet file (row groups
    of at most `chunk_records` rows) through a hidden partial file, and the manifest; returns the summary line."""
    import json

    from lexaug.io.parquet import ParquetFormat, ParquetSink, is_datasets_dir
    from lexaug.engines.signals import stop_on_signals
    from lexaug.outputs import partial_path, remove_stale_partials, write_atomic
    from lexaug.synthesis import build, lid_step
    from lexaug.synthesis_manifest import default_manifest_path, manifest, provenance_base, summary_line

    start = time.perf_counter()
    if output_path == "-" or not output_path.lower().endswith(".parquet"):
        raise ConfigError(f"--output {output_path}: Parquet and datasets input is written as Parquet; give an "
                          "--output path ending in .parquet")
    if not Path(output_path).resolve().parent.is_dir():
        raise ConfigError(f"--output {output_path}: folder {Path(output_path).parent} does not exist; create it first")
    if Path(input_path).resolve() == Path(output_path).resolve():
        raise ConfigError(f"--output {output_path} is the input file; write to another path")
    if not (Path(input_path).is_file() or is_datasets_dir(input_path)):
        raise ConfigError(f"{input_path}: not a Parquet file or a folder saved by datasets' save_to_disk; check "
                          "the --input path")
    form = ParquetFormat(**(format_options or {}))
    in_schema = form.schema(input_path)
    built = build(options)
    for message in built.warnings:
        (warn or (lambda m: None))(message)
    base = provenance_base(options, built) if provenance else None
    lid = lid_step(options)
    if base is not None and lid is not None:
        base["lid"] = None  # a `lid` field (JSON text) in the provenance struct
    schema = form.output_schema(in_schema, base)
    job = ColumnarJob(form, built.generator, options.seed, input_path, schema, strict, base, lid)
    target = str(partial_path(output_path))
    manifest_file = manifest_path or default_manifest_path(output_path)
    for path in (output_path, manifest_file):
        remove_stale_partials(path)
    try:
        with stop_on_signals() as stopper:
            with ParquetSink(target, schema) as sink:
                totals = run_local(job, form.batches(input_path, chunk_records), lambda text: None, workers=workers,
                                   write_bytes=sink.write_ipc)
            data = manifest(options, built, totals, input_path=input_path, output_path=output_path, fmt=form,
                            format_options=format_options or {}, workers=totals.workers_used,
                            chunk_records=chunk_records, strict=strict, provenance=provenance,
                            elapsed=time.perf_counter() - start,
                            chars=os.path.getsize(input_path) if Path(input_path).is_file() else 0)
            data["input"]["datasets_folder"] = is_datasets_dir(input_path)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            with stopper.commit():  # the manifest, then the output: a signal from now on is ignored
                write_atomic(manifest_file, text.encode("utf-8"), "--manifest")
                os.replace(target, output_path)
    finally:
        if os.path.exists(target):
            os.remove(target)
    return summary_line(data, output_path, manifest_file)
