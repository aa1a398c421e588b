"""Read labelled text classification data: CSV (fields may contain newlines), TSV or JSONL, text and label columns."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lexaug.errors import FormatError


@dataclass
class LabelledData:
    """Examples in file order, plus how many rows were skipped and why (lenient mode)."""

    path: str
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.texts)


def read_labelled(path: str | Path, text_column: str = "text", label_column: str = "label",
                  strict: bool = True) -> LabelledData:
    """Read `path` as JSONL (`.jsonl`/`.json`), TSV (`.tsv`: header row, split on TAB, no quoting, as SIB-200
    ships) or CSV (anything else, RFC 4180 quoting, header row).

    A row with an empty text or label is an error in strict mode (naming file and line) and is skipped and
    counted in lenient mode. A missing column is always an error: no row could be read.
    """
    path = Path(path)
    if not path.is_file():
        raise FormatError(path, None, "file not found; check the path", reason="missing")
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
        if not isinstance(text, str) or not text.strip() or label is None or str(label).strip() == "":
            if strict:
                raise FormatError(path, line, "empty text or label; fix the row or use --lenient to skip it",
                                  reason="empty")
            data.skipped["empty"] += 1
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
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise FormatError(path, number, f"invalid JSON ({err.msg})", reason="malformed") from None
            if not isinstance(row, dict):
                raise FormatError(path, number, "expected a JSON object per line", reason="malformed")
            yield number, row
