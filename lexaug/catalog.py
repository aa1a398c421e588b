"""The resource catalog (`resources/catalog.toml`), the local cache, and fetching on request.

Cache layout (documented in README "Resources"):

- lexicons: ``$LEXAUG_HOME/lexicons/<src>_<tgt>/<file>`` (default ``~/.cache/lexaug``), e.g.
  ``lexicons/eng_lug/en_lg.tsv``; ISO 639-3 codes, the upstream file name kept.
- UniMorph: the `unimorph` package's own cache, ``$UNIMORPH/<iso>/`` (default ``~/.unimorph``), a git clone of
  ``github.com/unimorph/<iso>`` holding ``<iso>`` (or ``<iso>.1``, ``<iso>.2``... for fin), so a table fetched
  here serves ``unimorph inflect`` and one fetched by ``unimorph download`` serves lexaug.

Nothing here downloads unless `fetch` is called; `resolve_lexicon` and `resolve_unimorph` (used by
``lexaug synthesize --lang X``) only look in the cache and raise ResourceError naming the fetch command.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from lexaug.defaults import lexaug_home, unimorph_home
from lexaug.download import download, git_clone, rewrite_url, sha256_file
from lexaug.errors import ChecksumError, ConfigError, FormatError, ResourceError

KINDS = ("lexicon", "unimorph")
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PinnedFile:
    """A file of a UniMorph repository whose content the catalog pins."""

    name: str
    sha256: str
    bytes: int | None = None


@dataclass(frozen=True)
class LexiconEntry:
    """One downloadable bilingual lexicon file (src -> tgt, ISO 639-3)."""

    name: str
    src: str
    tgt: str
    file: str
    url: str
    sha256: str
    bytes: int | None
    license: str
    notes: str = ""
    kind = "lexicon"

    def path(self) -> Path:
        """Where the file lives in the cache: $LEXAUG_HOME/lexicons/<src>_<tgt>/<file>."""
        return lexicon_dir(self.src, self.tgt) / self.file


@dataclass(frozen=True)
class UnimorphEntry:
    """One UniMorph language repository; `commit` and `files` pin a version when known."""

    lang: str
    git: str
    license: str
    commit: str | None = None
    files: tuple[PinnedFile, ...] = ()
    notes: str = ""
    kind = "unimorph"

    def path(self) -> Path:
        """The repository folder in the unimorph package's cache: $UNIMORPH/<lang>."""
        return unimorph_home() / self.lang


Entry = LexiconEntry | UnimorphEntry


def iso(code: str) -> str:
    """Canonical ISO 639-3 code of `code` (any form `lexaug.langs.normalize` accepts)."""
    try:
        from lexaug.langs import normalize
    except ImportError:  # lexaug.langs is being written in parallel; until then only 639-3 codes are accepted
        if not re.fullmatch(r"[a-zA-Z]{3}", code.strip()):
            raise ConfigError(f"unknown language code {code!r}: give an ISO 639-3 code") from None
        return code.strip().lower()
    return normalize(code).iso3


def lexicon_dir(src: str, tgt: str) -> Path:
    """Cache folder of src -> tgt lexicons."""
    return lexaug_home() / "lexicons" / f"{src}_{tgt}"


class Catalog:
    """The parsed catalog: `lexicons` and `unimorph` entries in file order."""

    def __init__(self, lexicons: tuple[LexiconEntry, ...], unimorph: tuple[UnimorphEntry, ...]):
        self.lexicons = lexicons
        self.unimorph = unimorph

    @classmethod
    def load(cls, path: str | Path | None = None) -> Catalog:
        """Read a catalog TOML file (default: the bundled `resources/catalog.toml`); FormatError if malformed."""
        source = files("lexaug.resources") / "catalog.toml" if path is None else Path(path)
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
            lexicons = tuple(_lexicon(row) for row in data.get("lexicon", []))
            unimorph = tuple(_unimorph(row) for row in data.get("unimorph", []))
        except tomllib.TOMLDecodeError as err:
            raise FormatError(str(source), None, f"not valid TOML: {err}", reason="toml") from None
        except (KeyError, TypeError, ValueError) as err:
            raise FormatError(str(source), None, f"bad catalog entry: {err}", reason="catalog") from None
        return cls(lexicons, unimorph)

    def entries(self, lang: str | None = None, kind: str | None = None) -> list[Entry]:
        """Entries of `kind` (None: both) for `lang` (None: all); a lexicon matches on either side."""
        code = iso(lang) if lang else None
        found: list[Entry] = []
        if kind in (None, "lexicon"):
            found += [e for e in self.lexicons if code is None or code in (e.src, e.tgt)]
        if kind in (None, "unimorph"):
            found += [e for e in self.unimorph if code is None or e.lang == code]
        return found

    def languages(self) -> set[str]:
        """Every language code the catalog names."""
        return {c for e in self.lexicons for c in (e.src, e.tgt)} | {e.lang for e in self.unimorph}


def _sha(value: str) -> str:
    if not _SHA.fullmatch(value):
        raise ValueError(f"sha256 must be 64 lower-case hex digits, got {value!r}")
    return value


def _lexicon(row: dict) -> LexiconEntry:
    return LexiconEntry(name=row["name"], src=iso(row["src"]), tgt=iso(row["tgt"]), file=row["file"],
                        url=row["url"], sha256=_sha(row["sha256"]), bytes=row.get("bytes"),
                        license=row["license"], notes=row.get("notes", ""))


def _unimorph(row: dict) -> UnimorphEntry:
    pins = tuple(PinnedFile(f["name"], _sha(f["sha256"]), f.get("bytes")) for f in row.get("files", []))
    if pins and not row.get("commit"):
        raise ValueError(f"unimorph {row['lang']}: pinned files need a commit")
    return UnimorphEntry(lang=iso(row["lang"]), git=row["git"], license=row["license"], commit=row.get("commit"),
                         files=pins, notes=row.get("notes", ""))


def _fetch_command(lang: str, kind: str) -> str:
    return f"`lexaug resources fetch {lang} --kind {kind}`"


def fetch(lang: str, kind: str | None = None, *, catalog: Catalog | None = None, base_url: str | None = None,
          progress: bool = False, force: bool = False) -> list[Path]:
    """Download the catalog's resources for `lang` (lexicons on either side, UniMorph) into the cache.

    Files already cached and intact are kept unless `force`. `base_url` (or $LEXAUG_CATALOG_BASE_URL) replaces
    the scheme and host of every URL. Returns the cached paths (lexicon files, UniMorph tables).
    Raises ResourceError (unknown language, network, git) or ChecksumError (nothing is left in the cache then).
    """
    catalog = catalog or Catalog.load()
    entries = catalog.entries(lang, kind)
    if not entries:
        raise ResourceError(f"the catalog has no {kind or 'resource'} for {iso(lang)}; "
                            "`lexaug resources list` shows what it has")
    paths: list[Path] = []
    for entry in entries:
        if isinstance(entry, LexiconEntry):
            dest = entry.path()
            if force or not (dest.is_file() and _lexicon_problem(entry, dest) is None):
                download(rewrite_url(entry.url, base_url), dest, sha256=entry.sha256, size=entry.bytes,
                         progress=progress, label=f"{entry.name} {entry.src}-{entry.tgt}")
            paths.append(dest)
        else:
            paths += _fetch_unimorph(entry, base_url=base_url, progress=progress, force=force)
    return paths


def _fetch_unimorph(entry: UnimorphEntry, *, base_url: str | None, progress: bool, force: bool) -> list[Path]:
    dest = entry.path()
    if dest.is_dir() and any(dest.iterdir()) and not force:
        return resolve_unimorph(entry.lang)
    tmp = git_clone(rewrite_url(entry.git, base_url), dest, commit=entry.commit, quiet=not progress)
    try:
        for pin in entry.files:
            problem = _pin_problem(pin, tmp / pin.name)
            if problem:
                raise ChecksumError(f"{entry.git} at {entry.commit}: {problem}")
        if dest.exists():  # an empty folder (left by `unimorph download`) or a forced re-fetch
            old = dest.with_name(f".{dest.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
            shutil.rmtree(old)
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return resolve_unimorph(entry.lang)


def _lexicon_problem(entry: LexiconEntry, path: Path) -> str | None:
    return _pin_problem(PinnedFile(entry.file, entry.sha256, entry.bytes), path)


def _pin_problem(pin: PinnedFile, path: Path) -> str | None:
    """None if `path` matches the pin, else what is wrong with it."""
    if not path.is_file():
        return f"{pin.name} is missing"
    size = path.stat().st_size
    if pin.bytes is not None and size != pin.bytes:
        return f"{pin.name} has {size} bytes, the catalog gives {pin.bytes}"
    digest = sha256_file(path)
    if digest != pin.sha256:
        return f"{pin.name} sha256 is {digest}, the catalog gives {pin.sha256}"
    return None


@dataclass(frozen=True)
class Check:
    """One result of `verify`: status is "ok", "bad" or "unpinned" (no checksum known)."""

    path: Path
    status: str
    message: str = ""


def verify(catalog: Catalog | None = None) -> list[Check]:
    """Re-hash every cached file the catalog knows and report each; uncached entries are skipped."""
    catalog = catalog or Catalog.load()
    checks: list[Check] = []
    for entry in catalog.lexicons:
        path = entry.path()
        if path.exists():
            problem = _lexicon_problem(entry, path)
            checks.append(Check(path, "bad" if problem else "ok", problem or ""))
    for um in catalog.unimorph:
        folder = um.path()
        if not (folder.is_dir() and any(folder.iterdir())):
            continue
        if not um.files:
            checks.append(Check(folder, "unpinned", "the catalog has no checksum for this repository"))
        for pin in um.files:
            problem = _pin_problem(pin, folder / pin.name)
            checks.append(Check(folder / pin.name, "bad" if problem else "ok", problem or ""))
    return checks


def cached(lang: str, kind: str | None = None, *, catalog: Catalog | None = None) -> list[Path]:
    """Cached resource paths for `lang`; ResourceError naming the fetch command when there are none."""
    catalog = catalog or Catalog.load()
    code = iso(lang)
    paths = [e.path() for e in catalog.entries(code, "lexicon") if kind in (None, "lexicon") and e.path().is_file()]
    if kind in (None, "unimorph"):
        try:
            paths += resolve_unimorph(code)
        except ResourceError:
            pass
    if not paths:
        raise ResourceError(f"nothing cached for {code}; run `lexaug resources fetch {code}"
                            + (f" --kind {kind}`" if kind else "`"))
    return paths


def resolve_lexicon(src: str, tgt: str, *, catalog: Catalog | None = None) -> Path:
    """The cached src -> tgt lexicon: the first catalog entry present, else the first file a user put in
    $LEXAUG_HOME/lexicons/<src>_<tgt>/. Never downloads; ResourceError says what to run."""
    catalog = catalog or Catalog.load()
    s, t = iso(src), iso(tgt)
    for entry in catalog.lexicons:
        if (entry.src, entry.tgt) == (s, t) and entry.path().is_file():
            size = entry.path().stat().st_size
            if entry.bytes is not None and size != entry.bytes:
                raise ChecksumError(f"{entry.path()}: {size} bytes, the catalog gives {entry.bytes}; "
                                    f"run `lexaug resources fetch {t} --kind lexicon --force`")
            return entry.path()
    folder = lexicon_dir(s, t)
    own = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []
    if own:
        return own[0]
    if any((e.src, e.tgt) == (s, t) for e in catalog.lexicons):
        raise ResourceError(f"no {s}->{t} lexicon in {folder}; run {_fetch_command(t, 'lexicon')}")
    if any((e.src, e.tgt) == (t, s) for e in catalog.lexicons):
        raise ResourceError(f"the catalog has no {s}->{t} lexicon, only {t}->{s}: run {_fetch_command(s, 'lexicon')} "
                            "and read it reversed, or give a lexicon file")
    raise ResourceError(f"the catalog has no {s}->{t} lexicon; give a lexicon file or put one in {folder}")


def resolve_unimorph(lang: str) -> list[Path]:
    """Cached UniMorph table(s) for `lang` in the unimorph package's layout: [$UNIMORPH/<iso>/<iso>], or the
    numbered parts <iso>.1, <iso>.2, ... in order (fin). Never downloads; ResourceError says what to run."""
    code = iso(lang)
    folder = unimorph_home() / code
    if (folder / code).is_file():
        return [folder / code]
    parts = [p for p in folder.glob(f"{code}.*") if p.is_file() and p.suffix[1:].isdigit()] if folder.is_dir() else []
    if parts:
        return sorted(parts, key=lambda p: int(p.suffix[1:]))
    raise ResourceError(f"no UniMorph table for {code} in {folder}; run {_fetch_command(code, 'unimorph')}")
