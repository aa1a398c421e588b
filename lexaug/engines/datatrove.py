"""datatrove adapter: run lexaug generators as pipeline steps (LocalPipelineExecutor, Slurm, Ray).

Two steps:

- `LexaugReader(path, fmt="text")` reads a corpus with lexaug's readers and yields one `Document` per record,
  `id` = the record's global 0-based index (the id the local engine uses), `text` = the record's text slot.
  With `world_size` tasks, chunk k of the file goes to task `k % world_size`, so any number of tasks covers
  every record exactly once.
- `LexaugSynthesize(options)` rewrites `Document.text` with the same generator the local engine builds from
  the same options; each record's random stream comes from (seed, record id, generator name), so a
  datatrove run gives the same texts as `lexaug synthesize` on the same ids, whatever the number of tasks.
  Resources are loaded lazily, once per task (only the options travel to Slurm/Ray workers).

The record id comes from `id_from`: `"id"` (`Document.id`: lexaug's reader sets the global index; datatrove's
readers take the `id_key` column), a metadata field name (any other column datatrove's readers carry into
`metadata`), or `"index"`: the document's global row index, worked out from the `<file>/<row>` id datatrove's
file readers (`JsonlReader`, `ParquetReader`) give a row without an id column, plus the file's first row in the
concatenation (`offsets`, from `row_offsets(folder)`); or `"hf_index"`: the row index of a dataset that
`HuggingFaceDatasetReader` deals to tasks round-robin (ids `<dataset>/<rank>/<n>`). So `ParquetReader` over shards
gives the same texts as `lexaug synthesize` over the concatenated file. datatrove's readers skip rows with an
empty text (and then number the rows after them one lower): give such data an id column instead.

datatrove is imported here only; install it with the `datatrove` extra (`pip install lexaug[datatrove]`).
"""

from __future__ import annotations

from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from lexaug import defaults
from lexaug.errors import ConfigError
from lexaug.types import Record


class LexaugReader(PipelineStep):
    """Read a text or JSONL corpus (any file lexaug reads: `.gz`, `.zst`) into Documents, sharded by chunk.

    Args:
        path: the corpus file.
        fmt: lexaug format name (`text` or `jsonl`: formats whose records hold one text slot).
        chunk_records: records per shard unit (the local engine's default).
        strict: as `--strict`; lenient runs skip malformed records and count them as `skipped_<reason>`.
        format_options: passed to `lexaug.io.get_format` (e.g. `field="content"` for JSONL).
    """

    name = "lexaug reader"
    type = "📖 - READER"

    def __init__(self, path: str, fmt: str = "text", *, chunk_records: int = defaults.CHUNK_RECORDS,
                 strict: bool = True, **format_options: Any):
        super().__init__()
        if fmt not in ("text", "jsonl"):
            raise ConfigError(f"LexaugReader reads text or jsonl (one text slot per record), not {fmt!r}")
        self.path, self.fmt, self.chunk_records, self.strict = path, fmt, chunk_records, strict
        self.format_options = format_options

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from lexaug.io import ReadReport, get_format, open_input

        if data:
            yield from data
        form = get_format(self.fmt, **self.format_options)
        report = ReadReport()
        with open_input(self.path, errors="strict" if self.strict else "surrogateescape") as fh:
            for k, chunk in enumerate(form.chunks(fh, self.chunk_records)):
                if k % world_size != rank:
                    continue
                for record in form.parse(chunk, path=self.path, strict=self.strict, report=report):
                    self.stat_update("records")
                    yield Document(text=record.slots[0], id=record.id, metadata={"source": self.path})
        for reason, count in report.skipped.items():
            self.stat_update(f"skipped_{reason}", value=count)


class LexaugSynthesize(PipelineStep):
    """Rewrite each Document's text with a lexaug generator (substitute, codeswitch or morph).

    Args:
        options: a `lexaug.synthesis.SynthesisOptions` (resources are resolved and loaded on first use in
            each task, exactly as `lexaug synthesize` does).
        generator: alternatively an already built generator (then `seed` is required).
        seed: overrides `options.seed`.
        provenance: add the provenance dict under `metadata["lexaug"]` (lang, mode, rates, lexicon sha256,
            seed, source_id).
        id_from: where the record id comes from: `"id"` (Document.id), `"index"` (the global row index, see the
            module notes), `"hf_index"` (the row index of a dataset read by `HuggingFaceDatasetReader`, which deals
            rows to tasks round-robin: task r's n-th row is row r + n x tasks) or a metadata field name.
        offsets: with `id_from="index"`: each source file's first global row index (`row_offsets`); a file
            not listed starts at 0 (one file, or one `datasets` folder read by one task).

    Filtered records (fewer than `min_replacements` replacements) are dropped; counts go to the step's stats
    (`records_in`, `records_out`, `records_filtered`, `tokens`, `replaced`).
    """

    name = "lexaug synthesize"
    type = "🔀 - AUGMENT"

    def __init__(self, options: Any = None, *, generator: Any = None, seed: int | None = None,
                 provenance: bool = True, id_from: str = "id", offsets: dict[str, int] | None = None):
        super().__init__()
        self.id_from, self.offsets = id_from, dict(offsets or {})
        self._world_size = 1
        if (options is None) == (generator is None):
            raise ConfigError("give LexaugSynthesize either options or a generator")
        if generator is not None and seed is None:
            raise ConfigError("a prebuilt generator needs an explicit seed")
        self.options = options
        self.seed = seed if seed is not None else options.seed
        self.provenance = provenance
        self._generator = generator
        self._provenance: dict[str, Any] | None = None

    def _setup(self) -> Any:
        if self._generator is None:
            from lexaug.synthesis import build
            from lexaug.synthesis_manifest import provenance_base

            built = build(self.options)
            self._generator = built.generator
            self._provenance = provenance_base(self.options, built)
        elif self._provenance is None:
            self._provenance = {"generator": self._generator.name, "seed": self.seed}
        return self._generator

    def record_id(self, doc: Document) -> str:
        """The record id of a document (its random stream's key), as `id_from` says."""
        if self.id_from == "id":
            return str(doc.id)
        if self.id_from == "hf_index":  # HuggingFaceDatasetReader: `<dataset>/<rank>/<n>`, rows dealt round-robin
            _, rank, n = (["", ""] + str(doc.id).rsplit("/", 2))[-3:]
            if not (rank.isdigit() and n.isdigit()):
                raise ConfigError(f"document id {doc.id!r} is not HuggingFaceDatasetReader's '<dataset>/<rank>/<n>': "
                                  "id_from='hf_index' needs that reader without an id column")
            return str(int(rank) + self._world_size * int(n))
        if self.id_from == "index":
            source, _, row = str(doc.id).rpartition("/")
            if not row.isdigit():
                raise ConfigError(f"document id {doc.id!r} is not datatrove's '<file>/<row>': id_from='index' needs "
                                  "a reader without an id column (or use id_from='id' / a metadata field)")
            return str(self.offsets.get(source, 0) + int(row))
        if self.id_from not in doc.metadata:
            raise ConfigError(f"document {doc.id!r} has no metadata field {self.id_from!r} for id_from (fields: "
                              f"{', '.join(doc.metadata) or 'none'})")
        return str(doc.metadata[self.id_from])

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if not data:
            return
        from collections import Counter

        generator = self._setup()
        self._world_size = world_size
        for doc in data:
            generator.stats = Counter()
            rid = self.record_id(doc)
            with self.track_time():
                outs = list(generator.run([Record(rid, [doc.text])], self.seed))
            for key, value in generator.stats.items():
                if value:
                    self.stat_update(key, value=value)
            for out in outs:
                doc.text = out.slots[0]
                if self.provenance:
                    doc.metadata["lexaug"] = {**(self._provenance or {}), "source_id": rid}
                yield doc


def row_offsets(folder: str, glob: str = "*.parquet") -> dict[str, int]:
    """{file: its first row's global index} for the files of `folder` matching `glob`, in datatrove's (sorted)
    order, as `LexaugSynthesize(id_from="index", offsets=...)` needs: Parquet row counts come from the footers,
    JSONL files count lines. Paths are relative to `folder`, as datatrove's readers name them."""
    from pathlib import Path

    offsets, first = {}, 0
    root = Path(folder)
    for name in sorted(p.relative_to(root).as_posix() for p in root.rglob(glob)):
        path = root / name
        offsets[name] = first
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            first += pq.ParquetFile(path).metadata.num_rows
        else:
            from lexaug.io import open_input

            with open_input(path) as fh:
                first += sum(1 for _ in fh)
    return offsets
