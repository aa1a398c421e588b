"""Parquet corpora (and `datasets` folders saved with `save_to_disk`): columnar, read and written by row batches.

A record is a row. Its slot is the string value of one column (`field`, `--text-field`, default `text`), or,
for NER-style data, one slot per element of a list-of-strings column (`tokens_field`), so a parallel label
column (`labels_field`, e.g. `ner_tags`) stays aligned exactly as CoNLL labels do: generators rewrite a token's
text and never add or remove tokens. Every other column is carried through unchanged, the schema (types, field
and schema metadata such as the `huggingface` features) is kept, and provenance becomes one struct column
(default `lexaug`; an existing column of that name is replaced). A null text or token list is a record with no
slots: it passes through as null. Ids are the global 0-based row index, as for every other format.

Unlike the text formats, Parquet is not read as text chunks: `batches(path, n)` streams `ColumnChunk`s of at
most `n` rows (row group by row group, so memory does not grow with the file), `records` turns one into
`Record`s, `rebuild` turns the generated records back into a table batch, and `ParquetSink` writes batches as
row groups of at most `n` rows. `pyarrow` is imported only here (the `parquet` extra).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from lexaug.defaults import JSONL_FIELD, PROVENANCE_KEY
from lexaug.errors import ConfigError, FormatError
from lexaug.io.base import Format, ReadReport
from lexaug.types import Record


class ColumnChunk(NamedTuple):
    """At most `n` rows as an Arrow IPC stream (bytes pickle cheaply to worker processes); `first_index` is the
    global index of the first row."""

    data: bytes
    first_index: int
    rows: int


def to_ipc(table: Any) -> bytes:
    """An Arrow table or record batch as IPC stream bytes."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write(table)
    return bytes(sink.getvalue())


def from_ipc(data: bytes) -> Any:
    """The table written by `to_ipc`."""
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def is_datasets_dir(path: str | Path) -> bool:
    """True for a folder written by `datasets.Dataset.save_to_disk` (or a `DatasetDict`'s)."""
    p = Path(path)
    return p.is_dir() and ((p / "state.json").is_file() or (p / "dataset_dict.json").is_file())


class ParquetFormat(Format):
    """Parquet (`.parquet`) with one text column, or a tokens column (and its labels column).

    Args:
        field: the string column holding the text (default `lexaug.defaults.JSONL_FIELD`).
        tokens_field: a list-of-strings column: one slot per token (then `field` is not used).
        labels_field: with `tokens_field`, the parallel label column; each row's labels must be as many as its
            tokens (checked, so a misaligned row is an error, not silently shifted labels).
        provenance_key: the struct column that receives provenance (default `lexaug`).
    """

    name = "parquet"
    extensions = (".parquet",)
    columnar = True  # read by path in row batches (`batches`), not as text chunks

    def __init__(self, field: str = JSONL_FIELD, tokens_field: str | None = None, labels_field: str | None = None,
                 provenance_key: str = PROVENANCE_KEY) -> None:
        super().__init__()
        try:
            import pyarrow  # noqa: F401  (checked here so a missing install is one line, not a traceback later)
        except ImportError:
            raise ConfigError("Parquet and datasets folders need pyarrow: pip install 'lexaug[parquet]'") from None
        if labels_field is not None and tokens_field is None:
            raise ConfigError("--labels-field needs --tokens-field (the token list the labels are aligned with)")
        self.field, self.tokens_field, self.labels_field = field, tokens_field, labels_field
        self.provenance_key = provenance_key

    @property
    def slot_column(self) -> str:
        return self.tokens_field or self.field

    # --- reading -------------------------------------------------------------------------------------------
    def schema(self, path: str | Path) -> Any:
        """The Arrow schema of a Parquet file or `datasets` folder, checked for the slot columns."""
        if is_datasets_dir(path):
            schema = _load_dataset(path).data.schema
        else:
            schema = _parquet_file(path).schema_arrow
        self.check_schema(schema, str(path))
        return schema

    def check_schema(self, schema: Any, path: str) -> None:
        """ConfigError naming the file and the fix when a slot column is missing or of the wrong type."""
        import pyarrow as pa

        names = schema.names
        wanted = [(self.slot_column, "--tokens-field" if self.tokens_field else "--text-field")]
        if self.labels_field:
            wanted.append((self.labels_field, "--labels-field"))
        for column, option in wanted:
            if column not in names:
                raise ConfigError(f"{path}: no column {column!r} (columns: {', '.join(names)}); pass {option}")
        kind = schema.field(self.slot_column).type
        if self.tokens_field:
            ok = (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and _is_string(kind.value_type)
            want = "a list of strings"
        else:
            ok, want = _is_string(kind), "a string column"
        if not ok:
            raise ConfigError(f"{path}: column {self.slot_column!r} is {kind}, not {want}; pass --text-field for a "
                              "string column or --tokens-field for a list-of-strings column")

    def batches(self, path: str | Path, max_records: int) -> Iterator[ColumnChunk]:
        """The rows of a Parquet file (or `datasets` folder) in chunks of at most `max_records` rows, read row group
        by row group (a `datasets` folder is memory-mapped)."""
        max_records = max(1, int(max_records))
        self.schema(path)
        if is_datasets_dir(path):
            tables: Iterator[Any] = _load_dataset(path).with_format("arrow").iter(batch_size=max_records)
        else:
            tables = _parquet_file(path).iter_batches(batch_size=max_records)
        first = 0
        for table in tables:
            yield ColumnChunk(to_ipc(table), first, table.num_rows)
            first += table.num_rows

    def records(self, table: Any, first_index: int, *, path: str | None = None, strict: bool = True,
                report: ReadReport | None = None) -> list[Record]:
        """One Record per row of `table` (id = global row index). A row whose labels are not as many as its tokens
        raises FormatError (strict) or is skipped and counted in `report` (lenient)."""
        values = table.column(self.slot_column).to_pylist()
        labels = table.column(self.labels_field).to_pylist() if self.labels_field else None
        return self.records_of(values, range(first_index, first_index + len(values)), labels, path=path,
                               strict=strict, report=report)

    def records_of(self, values: list[Any], ids: Iterable[int], labels: list[Any] | None = None, *,
                   path: str | None = None, strict: bool = True, report: ReadReport | None = None) -> list[Record]:
        """`records` from plain lists: the slot column's values, the rows' global indices, the label column's
        values (a `datasets` batch gives these)."""
        out: list[Record] = []
        if not self.tokens_field:
            out = [Record(str(rid), [] if v is None else [v]) for rid, v in zip(ids, values)]
        else:
            for k, (rid, tokens) in enumerate(zip(ids, values)):
                if labels is not None and len(tokens or ()) != len(labels[k] or ()):
                    err = FormatError(path, None, f"row {rid}: {len(tokens or ())} tokens in {self.tokens_field!r} "
                                      f"but {len(labels[k] or ())} labels in {self.labels_field!r}; fix the row or "
                                      "read leniently to skip it", reason="labels")
                    if strict or report is None:
                        raise err
                    report.skip(err)
                    continue
                if tokens is not None and None in tokens:  # a null token: an empty slot no generator touches
                    frozen = frozenset(j for j, t in enumerate(tokens) if t is None)
                    out.append(Record(str(rid), ["" if t is None else t for t in tokens], frozen=frozen))
                else:
                    out.append(Record(str(rid), [] if tokens is None else list(tokens)))
        if report is not None:
            report.read += len(out)
        return out

    def slot_values(self, outputs: list[Record], before: list[Any]) -> list[Any]:
        """The slot column's new values: one per output record, `before` the same rows' input values (a null
        stays null, a null token stays null, an empty list stays empty)."""
        if not self.tokens_field:
            return [r.slots[0] if r.slots else None for r in outputs]
        values: list[Any] = []
        for r, old in zip(outputs, before):
            if old is None or None not in old:
                values.append(None if old is None else list(r.slots))
            else:
                values.append([None if b is None else t for b, t in zip(old, r.slots)])
        return values

    def read_path(self, path: str | Path, *, strict: bool = True, report: ReadReport | None = None,
                  max_records: int = 2000) -> Iterator[Record]:
        """Stream the records of a Parquet file or `datasets` folder (what `lexaug.io.read_records` calls)."""
        for chunk in self.batches(path, max_records):
            yield from self.records(from_ipc(chunk.data), chunk.first_index, path=str(path), strict=strict,
                                    report=report)

    # --- writing -------------------------------------------------------------------------------------------
    def output_schema(self, schema: Any, provenance: dict[str, Any] | None) -> Any:
        """The input schema, with the provenance struct column appended (or replacing one of the same name)."""
        if provenance is None:
            return schema
        import pyarrow as pa

        field = pa.field(self.provenance_key, provenance_type(provenance))
        index = schema.get_field_index(self.provenance_key)
        return schema.set(index, field) if index >= 0 else schema.append(field)

    def rebuild(self, table: Any, rows: list[int], values: list[Any], schema: Any, provenance: Any = None) -> Any:
        """The output rows: the input rows `rows` (positions in `table`, in output order) with the slot column set
        to `values` (`slot_values`), every other column unchanged, `provenance` (a struct array from
        `provenance_array`, or None) in its column; cast to `schema`."""
        import pyarrow as pa

        if rows != list(range(table.num_rows)):
            table = table.take(pa.array(rows, type=pa.int64()))
        column = table.schema.get_field_index(self.slot_column)
        field = table.schema.field(column)
        table = table.set_column(column, field, pa.array(values, type=field.type))
        if provenance is not None:
            prov_field = schema.field(self.provenance_key)
            index = table.schema.get_field_index(self.provenance_key)
            table = (table.set_column(index, prov_field, provenance) if index >= 0
                     else table.append_column(prov_field, provenance))
        return table.cast(schema) if not table.schema.equals(schema, check_metadata=True) else table

    def _record(self, raw: str, rid: str, line: int, path: str | None, hints: dict[str, Any]) -> Record:
        raise ConfigError("parquet is columnar: read it with ParquetFormat.batches/read_path, not as text")

    def render(self, record: Record, provenance: dict[str, Any] | None = None) -> str:
        raise ConfigError("parquet is columnar: write it with lexaug.io.parquet.ParquetSink, not record by record")


def provenance_type(provenance: dict[str, Any]) -> Any:
    """The struct type of a provenance dict (`source_id` a string; a `lid` key, whatever its value, asks for a
    `lid` field of JSON text: its shape varies)."""
    import pyarrow as pa

    fields = [pa.field(k, pa.array([v]).type) for k, v in provenance.items() if k != "lid"]
    return pa.struct(fields + [pa.field("source_id", pa.string())] + (
        [pa.field("lid", pa.string())] if "lid" in provenance else []))


def provenance_array(base: dict[str, Any], kind: Any, source_ids: list[str], lids: list[Any] | None = None) -> Any:
    """The provenance column of `len(source_ids)` rows as a struct array of type `kind` (`provenance_type`): the
    fields of `base` repeated, `source_id` per row, `lid` (JSON text) per row where LID annotated the records;
    built column by column, not from one dict per row."""
    import pyarrow as pa

    n = len(source_ids)
    arrays = []
    for field in kind:
        if field.name == "source_id":
            arrays.append(pa.array(source_ids, type=field.type))
        elif field.name == "lid":
            arrays.append(pa.array([None if x is None else json.dumps(x, ensure_ascii=False, sort_keys=True)
                                    for x in (lids or [None] * n)], type=field.type))
        else:
            arrays.append(pa.repeat(pa.scalar(base.get(field.name), type=field.type), n))
    return pa.StructArray.from_arrays(arrays, fields=list(kind))


class ParquetSink:
    """Writes tables to one Parquet file, one row group per table (so at most the engine's chunk of rows each).
    Always writes a file with the schema, even with no rows."""

    def __init__(self, path: str | Path, schema: Any):
        import pyarrow.parquet as pq

        self.schema = schema
        self.writer = pq.ParquetWriter(str(path), schema)
        self.rows = 0

    def write(self, table: Any) -> None:
        if table.num_rows:
            self.writer.write_table(table, row_group_size=table.num_rows)
            self.rows += table.num_rows

    def write_ipc(self, data: bytes) -> None:
        """`write` for a table sent as IPC bytes (what worker processes return)."""
        self.write(from_ipc(data))

    def close(self) -> None:
        self.writer.close()

    def __enter__(self) -> "ParquetSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_string(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _parquet_file(path: str | Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not Path(path).is_file():
        raise FormatError(path, None, "input file not found; check the --input path", reason="missing")
    try:
        # pre_buffer=False: pyarrow otherwise buffers every row group `iter_batches` will read, i.e. the whole file
        return pq.ParquetFile(str(path), pre_buffer=False)
    except (pa.ArrowInvalid, OSError) as err:
        raise FormatError(path, None, f"not a readable Parquet file ({err}); check the file or pass --format",
                          reason="parquet") from None


def _load_dataset(path: str | Path) -> Any:
    try:
        from datasets import load_from_disk
    except ImportError:
        raise ConfigError(f"{path} is a datasets folder: reading it needs datasets: pip install 'lexaug[hf]'") from None

    if (Path(path) / "dataset_dict.json").is_file():
        splits = json.loads((Path(path) / "dataset_dict.json").read_text(encoding="utf-8")).get("splits", [])
        raise ConfigError(f"{path}: a DatasetDict folder; pass one split's folder, e.g. "
                          f"{Path(path) / (splits[0] if splits else 'train')}")
    return load_from_disk(str(path))
