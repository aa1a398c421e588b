"""Corpus readers and writers: text, jsonl, conll, conllu, massive, parquet, tsv; `.gz`/`.zst`; `-` for stdin/stdout.

API (engines and the CLI build on these names):

- `get_format(name, **options) -> Format`; `format_for_path(path, **options) -> Format` (from the extension;
  a `.tsv` file by its first line: a table with a header, or CoNLL).
- `open_input(path, errors="strict") -> TextIO`, `open_output(path) -> TextIO`.
- `Format.chunks(fh, max_records) -> Iterator[Chunk]` (whole records as raw text, picklable),
  `Format.parse(chunk, path=, strict=, report=) -> Iterator[Record]` (ids = global 0-based record index),
  `Format.render(record, provenance=None) -> str` (exactly the record's bytes).
- `read_records(path, fmt=None, *, strict=True, report=None, **options) -> Iterator[Record]`,
  `write_records(records, path, fmt=None, *, provenance=None, **options) -> int`;
  `open_reader` / `open_writer` are the same, named as in the project notes.
- `ReadReport`: `read`, `skipped[reason]`, `errors` (first messages with file and line), `merge`, `as_dict`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from lexaug.defaults import CHUNK_RECORDS
from lexaug.errors import ConfigError, LexaugError
from lexaug.io.base import Chunk, Format, ReadReport
from lexaug.io.conll import ConllFormat
from lexaug.io.conllu import ConlluFormat
from lexaug.io.jsonl import JsonlFormat
from lexaug.io.massive import MassiveFormat
from lexaug.io.parquet import ParquetFormat
from lexaug.io.streams import compression_of, open_input, open_output
from lexaug.io.table import TsvFormat, header_cells
from lexaug.io.text import TextFormat
from lexaug.types import Record

FORMATS: dict[str, type[Format]] = {
    cls.name: cls for cls in (TextFormat, JsonlFormat, ConllFormat, ConlluFormat, MassiveFormat, ParquetFormat,
                              TsvFormat)
}


def get_format(name: str | Format, **options: Any) -> Format:
    """The format called `name` (text, jsonl, conll, conllu, massive) built with its options; a Format passes
    through unchanged. Raises ConfigError for an unknown name or option."""
    if isinstance(name, Format):
        if options:
            raise ConfigError("options can only be given with a format name, not a Format object")
        return name
    cls = FORMATS.get(name)
    if cls is None:
        raise ConfigError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    unknown = sorted(set(options) - _accepted(cls))
    if unknown:
        raise ConfigError("; ".join(_option_message(name, option) for option in unknown))
    return cls(**options)


# the CLI option that sets each format option, for messages (`lexaug synthesize --keep-slot-values`)
OPTION_FLAGS = {"field": "--text-field", "keep_slot_values": "--keep-slot-values", "tokens_field": "--tokens-field",
                "labels_field": "--labels-field"}


def _accepted(cls: type[Format]) -> set[str]:
    import inspect

    params = inspect.signature(cls.__init__).parameters.values()
    return {p.name for p in params if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _option_message(name: str, option: str) -> str:
    """`--keep-slot-values applies to --format massive only, not text` (or the option's own name)."""
    takers = [fmt for fmt, cls in FORMATS.items() if option in _accepted(cls)]
    label = OPTION_FLAGS.get(option, f"format option {option!r}")
    if not takers:
        return f"{label} is not an option of any format ({', '.join(FORMATS)})"
    listed = takers[0] if len(takers) == 1 else f"{', '.join(takers[:-1])} or {takers[-1]}"
    return f"{label} applies to --format {listed} only, not {name}; drop it or pass the right --format"


def format_for_path(path: str | Path, **options: Any) -> Format:
    """Guess the format from the extension, ignoring `.gz`/`.zst`: `.txt` text, `.jsonl` jsonl, `.conll` conll,
    `.conllu` conllu. A `.tsv` file is a table (`tsv`) when its first line names the text column (`field`,
    `text` by default: SIB-200's header `index_id<TAB>category<TAB>text`), else CoNLL. MASSIVE files are `.jsonl`:
    ask for `massive` by name. MasakhaNER's `.txt` files are CoNLL: ask for `conll` by name. Raises ConfigError
    when the extension says nothing."""
    name = str(path)
    if compression_of(name):
        name = name.rsplit(".", 1)[0]
    suffix = Path(name).suffix.lower()
    if suffix == ".tsv":
        is_table = _first_line_names(path, options.get("field", TsvFormat().field))
        return get_format("tsv" if is_table else "conll", **options)
    for fmt_name, cls in FORMATS.items():
        if suffix in cls.extensions:
            return get_format(fmt_name, **options)
    raise ConfigError(f"cannot tell the format of {str(path)!r} from its extension; pass --format "
                      f"({', '.join(FORMATS)})")


def _first_line_names(path: str | Path, column: str) -> bool:
    """True when the first line of the file `path` has a TAB-separated cell equal to `column` (False for stdin, a
    missing or unreadable file: the reader then reports it)."""
    if str(path) == "-" or not Path(path).is_file():
        return False
    try:
        with open_input(path, errors="surrogateescape") as fh:
            first = fh.readline()
    except (OSError, LexaugError):
        return False
    return column in header_cells(first)


def _resolve(path: str | Path, fmt: str | Format | None, options: dict[str, Any]) -> Format:
    if fmt is None:
        return format_for_path(path, **options)
    return get_format(fmt, **options)


def read_records(path: str | Path, fmt: str | Format | None = None, *, strict: bool = True,
                 report: ReadReport | None = None, max_records: int = CHUNK_RECORDS,
                 max_line_mb: float | None = None, **options: Any) -> Iterator[Record]:
    """Stream the records of a file (or `-`). Lenient (`strict=False`): malformed records are skipped and
    counted in `report`; undecodable bytes are then counted under `encoding` instead of raising. A line longer
    than `max_line_mb` (default `defaults.MAX_LINE_MB`) is an error either way."""
    form = _resolve(path, fmt, options)
    if isinstance(form, ParquetFormat):  # columnar: read by path in row batches, not as text
        yield from form.read_path(path, strict=strict, report=report, max_records=max_records)
        return
    with open_input(path, errors="strict" if strict else "surrogateescape", max_line_mb=max_line_mb) as fh:
        name = "<stdin>" if str(path) == "-" else str(path)
        for chunk in form.chunks(fh, max_records):
            yield from form.parse(chunk, path=name, strict=strict, report=report)


class Writer:
    """Writes records to a file (or `-`) in one format; use as a context manager."""

    def __init__(self, path: str | Path, fmt: str | Format | None = None, **options: Any):
        self.format = _resolve(path, fmt, options)
        self.fh: TextIO = open_output(path)
        self.written = 0

    def write(self, record: Record, provenance: dict[str, Any] | None = None) -> None:
        """Render one record (with its provenance where the format has room for it) and write it."""
        self.fh.write(self.format.render(record, provenance))
        self.written += 1

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_records(records: Iterable[Record], path: str | Path, fmt: str | Format | None = None, *,
                  provenance: dict[str, Any] | Callable[[Record], dict[str, Any] | None] | None = None,
                  **options: Any) -> int:
    """Write records; `provenance` is one dict for all or a function of the record. Returns records written.
    The records must come from a reader of the same format (their payload rebuilds them)."""
    with Writer(path, fmt, **options) as writer:
        for record in records:
            writer.write(record, provenance(record) if callable(provenance) else provenance)
        return writer.written


open_reader = read_records
open_writer = Writer

__all__ = [
    "Chunk", "Format", "ReadReport", "FORMATS", "get_format", "format_for_path", "open_input", "open_output",
    "read_records", "write_records", "open_reader", "open_writer", "Writer", "TextFormat", "JsonlFormat",
    "ConllFormat", "ConlluFormat", "MassiveFormat", "ParquetFormat", "TsvFormat",
]
