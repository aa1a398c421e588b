"""Catalog entries (a downloadable lexicon file, a UniMorph repository, a pinned file) and how they are read
from the two catalog files: `catalog.toml` (hand-pinned entries) and `catalog_generated.tsv` (every GATITOS
file, the MUSE dictionaries, every UniMorph language; written by `resources/make_catalog.py`).

`lexaug.catalog` merges them into a `Catalog` and re-exports every public name here.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lexaug.defaults import lexaug_home, unimorph_home
from lexaug.errors import FormatError, LexaugError

_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PinnedFile:
    """A file whose content the catalog pins."""

    name: str
    sha256: str
    bytes: int | None = None


@dataclass(frozen=True)
class LexiconEntry:
    """One downloadable bilingual lexicon file (src -> tgt, language tags). `sha256` None: trust on first use."""

    name: str  # the source: gatitos, muse
    src: str
    tgt: str
    file: str
    url: str
    sha256: str | None
    bytes: int | None
    license: str
    notes: str = ""
    lang_name: str = ""
    script: str = ""
    kind = "lexicon"

    @property
    def lang(self) -> str:
        """The language this entry serves: the side that is not English (tgt for eng -> eng)."""
        return self.src if self.tgt == "eng" and self.src != "eng" else self.tgt

    @property
    def pinned(self) -> bool:
        return self.sha256 is not None

    @property
    def tofu_key(self) -> str:
        return f"lexicon:{self.src}_{self.tgt}/{self.file}"

    def path(self) -> Path:
        """Where the file lives in the cache: $LEXAUG_HOME/lexicons/<src>_<tgt>/<file>."""
        return lexicon_dir(self.src, self.tgt) / self.file

    def is_cached(self) -> bool:
        return self.path().is_file()


@dataclass(frozen=True)
class UnimorphEntry:
    """One UniMorph language repository; `commit` and `files` pin a version when known (else trust on first use)."""

    lang: str
    git: str
    license: str
    commit: str | None = None
    files: tuple[PinnedFile, ...] = ()
    notes: str = ""
    repo: str = ""  # the repository's name (`mao` for Maori, whose ISO 639-3 tag is `mri`); default: lang
    lang_name: str = ""
    kind = "unimorph"

    @property
    def folder(self) -> str:
        return self.repo or self.lang

    @property
    def pinned(self) -> bool:
        return bool(self.commit and self.files)

    @property
    def tofu_key(self) -> str:
        return f"unimorph:{self.folder}"

    def path(self) -> Path:
        """The repository folder in the unimorph package's cache: $UNIMORPH/<repo>."""
        return unimorph_home() / self.folder

    def is_cached(self) -> bool:
        folder = self.path()
        return folder.is_dir() and any(folder.iterdir())


Entry = LexiconEntry | UnimorphEntry


def tag(code: str) -> str:
    """Canonical language tag of `code` (ISO 639-3 plus script/region), any form `lexaug.langs.normalize` reads."""
    from lexaug.langs import normalize

    return normalize(code).tag


def iso(code: str) -> str:
    """Canonical ISO 639-3 code of `code` (kept for callers; resources are keyed by `tag`)."""
    from lexaug.langs import normalize

    return normalize(code).iso3


def lexicon_dir(src: str, tgt: str) -> Path:
    """Cache folder of src -> tgt lexicons."""
    return lexaug_home() / "lexicons" / f"{src}_{tgt}"


def read_toml(text: str, source: str, trusted: bool = False) -> tuple[list[LexiconEntry], list[UnimorphEntry]]:
    norm = (lambda code: code) if trusted else tag
    try:
        data = tomllib.loads(text)
        return ([_lexicon(row, norm) for row in data.get("lexicon", [])],
                [_unimorph(row, norm) for row in data.get("unimorph", [])])
    except tomllib.TOMLDecodeError as err:
        raise FormatError(source, None, f"not valid TOML: {err}", reason="toml") from None
    except (KeyError, TypeError, ValueError, LexaugError) as err:
        raise FormatError(source, None, f"bad catalog entry: {err}", reason="catalog") from None


def read_generated(text: str, source: str) -> tuple[list[LexiconEntry], list[UnimorphEntry]]:
    """The generated table: its tags are canonical already (a test checks), so no code is normalised here."""
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
    lex: list[LexiconEntry] = []
    um: list[UnimorphEntry] = []
    for n, row in enumerate(reader, start=2):
        try:
            if row["kind"] == "lexicon":
                lex.append(LexiconEntry(name=row["source"], src=row["src"], tgt=row["tgt"], file=row["file"],
                                        url=row["url"], sha256=_sha(row["sha256"]) if row["sha256"] else None,
                                        bytes=int(row["bytes"]) if row["bytes"] else None, license=row["license"],
                                        notes=row["notes"], lang_name=row["name"], script=row["script"]))
            elif row["kind"] == "unimorph":
                um.append(UnimorphEntry(lang=row["lang"], git=row["url"], license=row["license"], notes=row["notes"],
                                        repo=row["file"], lang_name=row["name"]))
            else:
                raise ValueError(f"unknown kind {row['kind']!r}")
        except (KeyError, TypeError, ValueError) as err:
            raise FormatError(source, n, f"bad catalog row: {err}", reason="catalog") from None
    return lex, um


def _sha(value: str) -> str:
    if not _SHA.fullmatch(value):
        raise ValueError(f"sha256 must be 64 lower-case hex digits, got {value!r}")
    return value


def _lexicon(row: dict, norm: Callable[[str], str] = tag) -> LexiconEntry:
    sha = row.get("sha256")
    return LexiconEntry(name=row["name"], src=norm(row["src"]), tgt=norm(row["tgt"]), file=row["file"],
                        url=row["url"], sha256=_sha(sha) if sha is not None else None, bytes=row.get("bytes"),
                        license=row["license"], notes=row.get("notes", ""))


def _unimorph(row: dict, norm: Callable[[str], str] = tag) -> UnimorphEntry:
    pins = tuple(PinnedFile(f["name"], _sha(f["sha256"]), f.get("bytes")) for f in row.get("files", []))
    if pins and not row.get("commit"):
        raise ValueError(f"unimorph {row['lang']}: pinned files need a commit")
    repo = row.get("repo", row["lang"])
    return UnimorphEntry(lang=norm(row["lang"]), git=row["git"], license=row["license"], commit=row.get("commit"),
                         files=pins, notes=row.get("notes", ""), repo=repo)
