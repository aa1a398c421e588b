"""Read labelled text classification data: CSV (fields may contain newlines), TSV or JSONL, text and label columns."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lexaug.errors import FormatError, wide_encoding_error


@dataclass
class LabelledData:
    """Examples in file order, plus how many rows were skipped and why (lenient mode)."""

    path: str
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.texts)


_JSON_TYPES = {int: "a number", float: "a number", bool: "true/false", list: "a JSON list", dict: "a JSON object"}


def _problem(text: object, label: object, text_column: str, label_column: str) -> tuple[str, str] | None:
    """(reason, message) where a row's text or label cannot be used (JSONL values may be any JSON type: a
    label may be a string, number or true/false; the text must be a string), else None."""
    if text is not None and not isinstance(text, str):
        return "not_text", f"the {text_column!r} value is {_JSON_TYPES.get(type(text), 'not text')}, not a string"
    if isinstance(label, (list, dict)):
        return "bad_label", f"the {label_column!r} value is {_JSON_TYPES[type(label)]}, not one label"
    if not text or not text.strip() or label is None or str(label).strip() == "":
        return "empty", "empty text or label"
    return None


def read_labelled(path: str | Path, text_column: str = "text", label_column: str = "label",
                  strict: bool = True) -> LabelledData:
    """Read `path` as JSONL (`.jsonl`/`.json`), TSV (`.tsv`: header row, split on TAB, no quoting, as SIB-200
    ships) or CSV (anything else, RFC 4180 quoting, header row).

    A row with an empty text or label, a text that is not a string or a label that is a JSON list or object
    (`_problem`) is an error in strict mode (naming file and line) and is skipped and counted under its
    reason (`empty`, `not_text`, `bad_label`) in lenient mode. A missing column is always an error (no row could
    be read), and so is a file with a UTF-16 or UTF-32 byte-order mark (`wide_encoding_error`).
    """
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, None, "file not found; check the path", reason="missing")
    with path.open("rb") as fh:
        wide = wide_encoding_error(path, fh.read(4))
    if wide:
        raise wide
    data = LabelledData(str(path))
    if path.suffix in {".jsonl", ".json"}:
        rows = _jsonl_rows(path)
    else:
        rows = _tsv_rows(path) if path.suffix == ".tsv" else _csv_rows(path)
    for line, row in rows:
        for column in (text_column, label_column):
            if column not in row:
                raise FormatError(path, line, f"no column {column!r} (columns: {', '.join(map(str, row))}); "
                                  "name it with --text-column/--label-column", reason="missing_column")
        text, label = row[text_column], row[label_column]
        problem = _problem(text, label, text_column, label_column)
        if problem is not None:
            reason, message = problem
            if strict:
                raise FormatError(path, line, f"{message}; fix the row or use --lenient to skip it", reason=reason)
            data.skipped[reason] += 1
            continue
        data.texts.append(text)
        data.labels.append(str(label).strip())
    if not data.texts:
        raise FormatError(path, None, "no labelled examples in the file", reason="empty_file")
    return data


def _csv_rows(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, strict=True)
        start = 2  # physical line where the next row starts (after the header)
        try:
            for row in reader:
                # reader.line_num is the physical line where the row ended; rows may span lines
                yield reader.line_num, row
                start = reader.line_num + 1
        except csv.Error as err:
            if "unexpected end of data" in str(err):
                raise FormatError(path, start, "a quoted field opened here is never closed (unclosed \"); "
                                  "close the quote or remove it", reason="malformed") from None
            raise FormatError(path, reader.line_num, f"bad CSV ({err})", reason="malformed") from None
        except UnicodeDecodeError:
            raise FormatError(path, reader.line_num + 1, "not UTF-8; re-encode the file as UTF-8",
                              reason="encoding") from None


def _tsv_rows(path: Path):
    """Rows of a TSV file with a header row, split on TAB only (no quoting, as SIB-200 ships)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header: list[str] | None = None
            for number, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                cols = line.split("\t")
                if header is None:
                    header = cols
                    continue
                if len(cols) != len(header):
                    raise FormatError(path, number, f"expected {len(header)} tab-separated columns (as the header), "
                                      f"got {len(cols)}; fix the row", reason="malformed")
                yield number, dict(zip(header, cols))
    except UnicodeDecodeError:
        raise FormatError(path, None, "not UTF-8; re-encode the file as UTF-8", reason="encoding") from None


def _jsonl_rows(path: Path):
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise FormatError(path, number, "not UTF-8; re-encode the file as UTF-8", reason="encoding") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise FormatError(path, number, f"invalid JSON ({err.msg})", reason="malformed") from None
            if not isinstance(row, dict):
                raise FormatError(path, number, "expected a JSON object per line", reason="malformed")
            yield number, row
