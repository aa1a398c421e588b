"""Readers and writers for SIGMORPHON / CoNLL-SIGMORPHON inflection shared-task files.

Layouts (columns split on TAB only, `\\r` stripped, blank lines skipped):

- ``"lemma-form-features"`` (2017-2022, UniMorph order): ``lemma<TAB>form<TAB>features``;
- ``"lemma-features-form"`` (2016 task 1 style, 2023): ``lemma<TAB>features<TAB>form``;
- covered test files: ``lemma<TAB><TAB>features`` (2017, empty middle column) or ``lemma<TAB>features``
  (2018 onwards); an item's ``form`` is then ``None``.

The layout is sniffed from the column that looks like feature tags (``V;PST;3;SG``, ``NOM(3,SG)``,
2016's ``pos=V,tense=PST``) unless given. Text is kept verbatim (no NFC, no case change) so writers echo
lemma and feature string byte for byte; evaluation normalises. Duplicate rows and several gold forms for
one (lemma, features) are kept in file order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from lexaug.errors import ConfigError, FormatError, wide_encoding_error
from lexaug.outputs import check_output_path, write_atomic

LEMMA_FORM_FEATURES = "lemma-form-features"
LEMMA_FEATURES_FORM = "lemma-features-form"
LAYOUTS = (LEMMA_FORM_FEATURES, LEMMA_FEATURES_FORM)

# One UniMorph tag: capitals/digits with + . : / - _ and layered 4.0 arguments like NOM(3,SG).
_TAG = r"[A-Z0-9][A-Za-z0-9+.:/_\-]*(?:\([A-Za-z0-9+.:/_,\-]*\))?"
_UNIMORPH_RE = re.compile(rf"^{_TAG}(?:;{_TAG})*$")
_KEYVALUE_RE = re.compile(r"^[a-z_]+=[^,=\s]+(?:,[a-z_]+=[^,=\s]+)*$")  # 2016: pos=N,case=NOM
_NAME_RE = re.compile(
    r"^(?P<lang>[^._\-]+(?:-[^._\-]+)*?)"
    r"(?:[-_.](?P<setting>low|medium|high|small|large))?"
    r"(?:[-_.](?P<split>train|trn|dev|tst|test|gold|covered-test|uncovered-test|covered\.tst|covered|uncovered))?"
    r"(?:[-_.](?P<setting2>low|medium|high|small|large))?$"
)


@dataclass(frozen=True, slots=True)
class InflectionItem:
    """One row of a shared-task file: `form` is None in covered (test) files; `line` is 1-based."""

    lemma: str
    features: str
    form: str | None
    line: int


@dataclass(frozen=True)
class SigmorphonFile:
    """The rows of one shared-task file, in file order, with the layout that was read and counts."""

    path: str
    items: tuple[InflectionItem, ...]
    layout: str
    covered: bool
    stats: dict[str, int] = field(default_factory=dict)
    empty_lines: tuple[int, ...] = ()  # `read_sigmorphon(predictions=True)`: rows that predicted an empty form

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[InflectionItem]:
        return iter(self.items)

    def pairs(self) -> list[tuple[str, str]]:
        """(lemma, features) per row, in file order (the inputs a model predicts)."""
        return [(it.lemma, it.features) for it in self.items]

    def triples(self) -> list[tuple[str, str, str]]:
        """(lemma, form, features) per row; raises `FormatError` on a covered file (it has no forms)."""
        if self.covered:
            raise FormatError(self.path, None, "file has no form column (a covered test file); give a file of "
                                               "lemma, form and features rows")
        return [(it.lemma, it.form or "", it.features) for it in self.items]

    def gold(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """Gold forms keyed by (lemma, features), several per key where the file lists several (2017-2021)."""
        out: dict[tuple[str, str], list[str]] = {}
        for it in self.items:
            if it.form is not None:
                forms = out.setdefault((it.lemma, it.features), [])
                if it.form not in forms:
                    forms.append(it.form)
        return {k: tuple(v) for k, v in out.items()}


def looks_like_features(cell: str) -> bool:
    """True for a UniMorph feature string (``V;PST``, ``N;NOM(SG)``) or a 2016 ``pos=V,tense=PST`` bundle."""
    return bool(_UNIMORPH_RE.match(cell) or _KEYVALUE_RE.match(cell))


def sniff_layout(rows: Sequence[Sequence[str]]) -> str:
    """Pick the layout of 3-column rows by which of columns 2 and 3 looks like feature tags more often."""
    score2 = sum(looks_like_features(r[1]) for r in rows if len(r) >= 3)
    score3 = sum(looks_like_features(r[2]) for r in rows if len(r) >= 3)
    return LEMMA_FEATURES_FORM if score2 > score3 else LEMMA_FORM_FEATURES


def parse_name(path: str | Path) -> dict[str, str | None]:
    """Language, setting and split from a shared-task file name.

    ``german-train-low`` -> lang german, setting low, split train; ``ang_small.train`` -> ang/small/train;
    ``eng.trn``, ``eng.covered.tst``, ``kaz.gold``, ``finnish-uncovered-test``. Unknown parts are None.
    """
    name = Path(path).name
    m = _NAME_RE.match(name)
    if not m:
        return {"lang": name, "setting": None, "split": None}
    split = m.group("split")
    split = {"trn": "train", "tst": "test", "covered-test": "test", "covered.tst": "test", "covered": "test",
             "uncovered-test": "gold", "uncovered": "gold"}.get(split or "", split)
    return {"lang": m.group("lang"), "setting": m.group("setting") or m.group("setting2"), "split": split}


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    with open(path, "rb") as handle:
        for number, data in enumerate(handle, 1):
            try:
                raw = data.decode("utf-8")
            except UnicodeDecodeError as err:
                wide = wide_encoding_error(path, data) if number == 1 else None
                if wide:
                    raise wide from None
                raise FormatError(path, number, f"not UTF-8 text (byte 0x{data[err.start]:02x} at column "
                                  f"{err.start + 1}); convert the file, e.g. iconv -f LATIN1 -t UTF-8") from None
            line = raw.rstrip("\n").rstrip("\r")
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            yield number, line.split("\t")


def read_sigmorphon(path: str | Path, *, layout: str | None = None, strict: bool = True,
                    predictions: bool = False) -> SigmorphonFile:
    """Read a shared-task file (train, dev, gold or covered test) of any year.

    Args:
        path: the file (`-train-low`, `.trn`, `_small.train`, `.dev`, `.gold`, `.test`, `.covered.tst`, ...).
        layout: `"lemma-form-features"` or `"lemma-features-form"` for 3-column rows; sniffed when None.
        strict: raise `FormatError` on a bad row; when False skip it and count it in `stats["skipped_<reason>"]`.
        predictions: a system's prediction file: where other rows have forms, a 3-column row with an empty
            form column predicted nothing and is kept (form None, so `triples` gives "" and scoring counts it
            wrong), its line in `empty_lines`, their number in `stats["empty_forms"]`; otherwise such a row
            is an error. A file without any form stays a covered file.

    Returns:
        A `SigmorphonFile`; `covered` is True when no row has a form. `stats` counts rows, blank lines, CRLF
        lines, duplicate rows, non-NFC rows and skipped rows by reason.
    """
    if layout is not None and layout not in LAYOUTS:
        raise ConfigError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    path = Path(path)
    stats: Counter[str] = Counter()
    raw: list[tuple[int, list[str]]] = []
    try:
        with open(path, "rb") as handle:
            stats["crlf_lines"] = handle.read().count(b"\r\n")
    except IsADirectoryError:
        raise FormatError(path, None, "is a directory; give a shared-task file") from None
    except OSError as err:
        raise FormatError(path, None, f"cannot be read ({err.strerror}); check the path and permissions") from None
    for number, cols in _rows(path):
        if cols == [""] or all(not c.strip() for c in cols):
            stats["blank_lines"] += 1
            continue
        if len(cols) not in (2, 3):
            _bad(path, number, f"expected 2 or 3 tab-separated columns, got {len(cols)}",
                 "columns", strict, stats)
            continue
        raw.append((number, cols))
    if layout is None:
        layout = sniff_layout([c for _, c in raw[:2000]])
    items: list[InflectionItem] = []
    seen: set[tuple[str, str, str | None]] = set()
    empty_lines: list[int] = []  # prediction files: 3-column rows with an empty form
    for number, cols in raw:
        if len(cols) == 2:
            lemma, features, form = cols[0], cols[1], None
        elif layout == LEMMA_FORM_FEATURES:
            lemma, form, features = cols[0], cols[1], cols[2]
            form = form if form != "" else None  # 2017 covered test: empty middle column
        else:
            lemma, features, form = cols[0], cols[1], cols[2]
            form = form if form != "" else None
        if not lemma or not features:
            _bad(path, number, "empty lemma or feature column; each row needs lemma, (form,) features",
                 "empty", strict, stats)
            continue
        key = (lemma, features, form)
        if key in seen:
            stats["duplicate_rows"] += 1
        seen.add(key)
        if any(unicodedata.normalize("NFC", s) != s for s in (lemma, form or "")):
            stats["non_nfc_rows"] += 1
        items.append(InflectionItem(lemma, features, form, number))
        if predictions and len(cols) == 3 and form is None:
            empty_lines.append(number)
    with_form = sum(it.form is not None for it in items)
    if not with_form:  # no row has a form: a covered test file (the 2017 ones leave the middle column empty)
        empty_lines = []
    predicted_nothing = set(empty_lines)
    if empty_lines:
        stats["empty_forms"] = len(empty_lines)
    if 0 < with_form + len(empty_lines) < len(items):
        missing = next(it for it in items if it.form is None and it.line not in predicted_nothing)
        _bad(path, missing.line, "row has no form while others do; give a gold file or a covered one",
             "missing_form", strict, stats)
        items = [it for it in items if it.form is not None or it.line in predicted_nothing]
    stats["rows"] = len(items)
    return SigmorphonFile(str(path), tuple(items), layout, covered=with_form == 0 and bool(items),
                          stats=dict(stats), empty_lines=tuple(empty_lines))


def read_training_rows(path: str | Path) -> list[tuple[str, str, str]]:
    """(lemma, form, features) rows of a training or dev file; `FormatError` naming the file when it has none
    (empty, or blank lines only): training on nothing, or quietly without the dev set given, is never meant."""
    triples = read_sigmorphon(path).triples()
    if not triples:
        raise FormatError(path, None, "no rows (empty or blank lines only); give lemma, form, features rows")
    return triples


def _bad(path: Path, line: int, message: str, reason: str, strict: bool, stats: Counter[str]) -> None:
    if strict:
        raise FormatError(path, line, message, reason=reason)
    stats[f"skipped_{reason}"] += 1


def write_predictions(path: str | Path, pairs: Iterable[tuple[str, str]], forms: Iterable[str],
                      *, layout: str = LEMMA_FORM_FEATURES) -> int:
    """Write one line per input pair, in input order, in the column layout of the gold files.

    Lemma and feature strings are echoed verbatim, so official scorers read the file unchanged.
    Args:
        path: output file (LF line endings, UTF-8); `-` for stdout.
        pairs: (lemma, features) inputs, e.g. `SigmorphonFile.pairs()`.
        forms: one predicted form per pair.
        layout: `"lemma-form-features"` (2017-2022) or `"lemma-features-form"` (2016, 2023).
    Returns:
        The number of lines written.
    """
    if layout not in LAYOUTS:
        raise ConfigError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    pairs, forms = list(pairs), list(forms)
    if len(pairs) != len(forms):
        raise ConfigError(f"{len(pairs)} inputs but {len(forms)} forms; give one form per input line")
    check_output_path(path, "--output")
    lines = []
    for (lemma, features), form in zip(pairs, forms):
        cols = (lemma, form, features) if layout == LEMMA_FORM_FEATURES else (lemma, features, form)
        lines.append("\t".join(cols) + "\n")
    write_atomic(path, "".join(lines).encode("utf-8"), "--output")  # `-`: stdout; a failed write leaves no file
    return len(pairs)
