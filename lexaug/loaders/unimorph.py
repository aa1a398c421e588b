"""UniMorph inflection tables: `MorphTable` reads `lemma<TAB>form<TAB>features` files into an indexed,
immutable object (paradigms, inflection, analysis, POS-aware lookups).

Format: UniMorph 3/4 triple files as in the `unimorph/<iso>` repositories (Kirov et al. 2018, Batsuren et
al. 2022), including `.args` files with layered features and `.sm` files; reading rules in
`lexaug.loaders.unimorph_read`, feature canonicalisation in `lexaug.loaders.features`.

Storage: rows live in three parallel lists (lemma, form, original feature string, the latter interned so a
table with 100k rows holds a few hundred feature strings); every index (by lemma, by form, by case-folded
form, by (lemma, canonical features)) is a dict of row numbers built on first use, so loading is one pass
of `str.split` and a duplicate check.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from lexaug.defaults import unimorph_home
from lexaug.errors import FormatError, LexaugError, ResourceError
from lexaug.langs import normalize
from lexaug.loaders.features import FeatureBundle, canonical_features, comparable_features, parse_features
from lexaug.loaders.unimorph_read import Rows, read_triples
from lexaug.types import MorphEntry

__all__ = ["MorphTable", "canonical_features", "resolve_unimorph_paths"]


def _normalize_lang(lang: str) -> str:
    """ISO 639-3 code for `lang` (`fi`, `fin`, `fin-Latn` -> `fin`); well-formed unknown codes pass through."""
    try:
        return normalize(lang, strict=False).iso3
    except LexaugError as exc:
        raise ResourceError(f"cannot look up a UniMorph table: {exc}") from None


def resolve_unimorph_paths(lang: str, home: str | Path | None = None) -> list[Path]:
    """Files of a language in the `unimorph` package's cache: `<home>/<iso>/<iso>`, or its numbered parts
    `<iso>.1`, `<iso>.2`, ... (the package reads Finnish as `fin.1` + `fin.2`) in numeric order.

    Args:
        lang: language code (ISO 639-3, or anything `lexaug.langs.normalize` accepts).
        home: cache root; default `$UNIMORPH` or `~/.unimorph` (the `unimorph` package's default).
    Raises:
        ResourceError: nothing there; the message says how to download it.
    """
    iso = _normalize_lang(lang)
    folder = Path(home) if home is not None else unimorph_home()
    main = folder / iso / iso
    if main.is_file():
        return [main]
    parts = sorted((p for p in (folder / iso).glob(f"{iso}.*") if p.suffix[1:].isdigit() and p.is_file()),
                   key=lambda p: int(p.suffix[1:]))
    if parts:
        return parts
    raise ResourceError(f"no UniMorph table for {iso!r} in {folder / iso} (looked for {iso} and {iso}.1, "
                        f"{iso}.2, ...); get it with `lexaug resources fetch {iso}` or `git clone "
                        f"https://github.com/unimorph/{iso}.git {folder / iso}` (what `unimorph download` does)")


def _read_file(path: str | Path) -> bytes:
    """The bytes of a UniMorph file; a directory or an unreadable file is a FormatError naming it."""
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise FormatError(path, None, "is a directory, not a UniMorph file; give a file (e.g. fin/fin) or a "
                                      "language code", reason="missing") from None
    except OSError as err:
        raise FormatError(path, None, f"cannot read UniMorph file: {err.strerror or err}; check the path and its "
                                      "permissions", reason="missing") from None


class MorphTable:
    """An immutable UniMorph table. Build it with `MorphTable.read`, `MorphTable.for_language` or
    `MorphTable.from_rows`; look up with `paradigm`, `inflect`, `analyze`, `lemmas`."""

    __slots__ = ("_lemmas", "_forms", "_feats", "_counts", "_paths", "_sha256", "_index")

    def __init__(self, rows: Rows, paths: list[str], sha256: str):
        self._lemmas, self._forms, self._feats = rows.lemmas, rows.forms, rows.feats
        self._counts, self._paths, self._sha256 = rows.counts, paths, sha256
        self._index: dict[str, dict] = {}

    # construction ----------------------------------------------------------------------------------------
    @classmethod
    def read(cls, paths: str | Path | Iterable[str | Path], *, strict: bool = True) -> MorphTable:
        """Read one or several UniMorph files (rows of all files merged, exact duplicates kept once).

        Args:
            paths: a file or a list of files (e.g. `[fin.1, fin.2]`).
            strict: raise `FormatError` (path, line, fix) at the first bad row; if False, skip bad rows and
                count them by reason in `stats()["skipped"]`.
        Returns:
            The table. `sha256` is the hash of the files' bytes, concatenated in the order given.
        """
        path_list = [paths] if isinstance(paths, (str, Path)) else list(paths)
        rows = Rows()
        digest = hashlib.sha256()
        for path in path_list:
            data = _read_file(path)
            digest.update(data)
            read_triples(str(path), data, rows, strict=strict)
        return cls(rows, [str(p) for p in path_list], digest.hexdigest())

    @classmethod
    def for_language(cls, lang: str, *, home: str | Path | None = None, strict: bool = True) -> MorphTable:
        """The table of `lang` from the `unimorph` package's cache (`$UNIMORPH/<iso>/<iso>`, or all numbered
        parts); see `resolve_unimorph_paths`. Raises `ResourceError` with download instructions if absent."""
        return cls.read(resolve_unimorph_paths(lang, home), strict=strict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]], *, name: str = "<rows>",
                  strict: bool = True) -> MorphTable:
        """A table from `(lemma, form, features)` tuples, checked like file rows (TAB inside a field is an
        error, since the table could not be written back)."""
        text = "".join(f"{lemma}\t{form}\t{feats}\n" for lemma, form, feats in rows)
        data = text.encode("utf-8")
        table_rows = Rows()
        read_triples(name, data, table_rows, strict=strict)
        return cls(table_rows, [name], hashlib.sha256(data).hexdigest())

    # lookups ---------------------------------------------------------------------------------------------
    def _entry(self, i: int) -> MorphEntry:
        feats = self._feats[i]
        return MorphEntry(self._lemmas[i], self._forms[i], feats, parse_features(feats).canonical)

    def _by(self, name: str) -> dict:
        index = self._index.get(name)
        if index is None:
            index = self._index[name] = self._build_index(name)
        return index

    def _build_index(self, name: str) -> dict:
        index: dict = {}
        if name == "lemma":
            keys: Iterable = self._lemmas
        elif name == "form":
            keys = self._forms
        elif name == "form_fold":
            keys = (_fold(f) for f in self._forms)
        elif name == "lemma_feats":
            canon = {f: parse_features(f).canonical for f in set(self._feats)}
            keys = zip(self._lemmas, (canon[f] for f in self._feats))
        elif name == "lemma_loose":
            loose = {f: comparable_features(f) for f in set(self._feats)}
            keys = zip(self._lemmas, (loose[f] for f in self._feats))
        else:
            raise KeyError(name)
        for i, key in enumerate(keys):
            rows = index.get(key)
            if rows is None:
                index[key] = [i]
            else:
                rows.append(i)
        return index

    def _pos_ok(self, i: int, pos: str | None) -> bool:
        return pos is None or parse_features(self._feats[i]).pos == pos

    def paradigm(self, lemma: str, *, pos: str | None = None) -> tuple[MorphEntry, ...]:
        """All rows of `lemma` (exact, NFC) in file order, optionally only those whose POS is `pos`."""
        rows = self._by("lemma").get(_nfc(lemma), ())
        return tuple(self._entry(i) for i in rows if self._pos_ok(i, pos))

    def inflect(self, lemma: str, features: str, *, loose: bool = False) -> tuple[str, ...]:
        """Forms of `lemma` with `features`, in file order without repeats.

        Features match by `canonical_features` (order-insensitive); with `loose=True` by
        `comparable_features`, so `V;PRS;NOM(3,SG)` finds rows tagged `V;3;SG;PRS` and vice versa.
        Returns () when there is none; raises `FeatureError` for a malformed feature string.
        """
        if loose:
            rows = self._by("lemma_loose").get((_nfc(lemma), comparable_features(features)), ())
        else:
            rows = self._by("lemma_feats").get((_nfc(lemma), canonical_features(features)), ())
        return tuple(dict.fromkeys(self._forms[i] for i in rows))

    def analyze(self, form: str, *, pos: str | None = None, casefold: bool = False) -> tuple[MorphEntry, ...]:
        """Rows whose form is `form` (exact match, NFC; `casefold=True` compares case-folded forms), in file
        order, optionally only those whose POS is `pos`."""
        if casefold:
            rows = self._by("form_fold").get(_fold(form), ())
        else:
            rows = self._by("form").get(_nfc(form), ())
        return tuple(self._entry(i) for i in rows if self._pos_ok(i, pos))

    def lemmas(self, *, pos: str | None = None) -> tuple[str, ...]:
        """Distinct lemmas in first-seen order; with `pos`, only lemmas having at least one row of that POS."""
        if pos is None:
            return tuple(self._by("lemma"))
        return tuple(lemma for lemma, rows in self._by("lemma").items() if any(self._pos_ok(i, pos) for i in rows))

    def bundle(self, features: str) -> FeatureBundle:
        """The parsed feature bundle (canonical string, feature set, POS) of a feature string."""
        return parse_features(features)

    def rows(self) -> Iterator[tuple[str, str, str]]:
        """`(lemma, form, features)` tuples in file order (cheaper than iterating `MorphEntry`s)."""
        return zip(self._lemmas, self._forms, self._feats)

    def __len__(self) -> int:
        return len(self._lemmas)

    def __iter__(self) -> Iterator[MorphEntry]:
        return (self._entry(i) for i in range(len(self._lemmas)))

    def __repr__(self) -> str:
        return f"MorphTable({', '.join(self._paths)}: {len(self)} rows)"

    # provenance and export ---------------------------------------------------------------------------------
    @property
    def sha256(self) -> str:
        """sha256 (hex) of the bytes read: for one file, what `sha256sum` prints for it."""
        return self._sha256

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self._paths)

    def stats(self) -> dict:
        """Counts: `rows` (distinct rows kept), `lines`, `blank_lines`, `duplicates` (exact repeats dropped),
        `skipped` ({reason: rows}), `lemmas`, `forms` (distinct), `feature_bundles` (distinct canonical),
        `pos` ({POS: rows}, "-" for none), `files`, `warnings` (first skip messages).
        `rows + duplicates + sum(skipped) == lines - blank_lines` (an empty file adds 1 to `skipped`)."""
        feats = Counter(self._feats)
        pos: Counter = Counter()
        for f, n in feats.items():
            pos[parse_features(f).pos or "-"] += n
        return {
            "files": list(self._paths),
            "rows": len(self),
            "lines": self._counts.lines,
            "blank_lines": self._counts.blank_lines,
            "duplicates": self._counts.duplicates,
            "skipped": dict(sorted(self._counts.skipped.items())),
            "lemmas": len(self._by("lemma")),
            "forms": len(self._by("form")),
            "feature_bundles": len({parse_features(f).canonical for f in feats}),
            "pos": dict(pos.most_common()),
            "warnings": list(self._counts.warnings),
        }

    def to_pandas(self):
        """A pandas DataFrame with columns lemma, form, features, canonical, pos (all str dtype; no NA
        conversion: the strings are the table's, `null` stays "null")."""
        import pandas as pd  # heavy import kept out of `import lexaug`

        bundles = {f: parse_features(f) for f in set(self._feats)}
        columns = {
            "lemma": self._lemmas,
            "form": self._forms,
            "features": self._feats,
            "canonical": [bundles[f].canonical for f in self._feats],
            "pos": [bundles[f].pos or "" for f in self._feats],
        }
        return pd.DataFrame({k: pd.Series(v, dtype=str) for k, v in columns.items()})


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _fold(text: str) -> str:
    return _nfc(_nfc(text).casefold())
