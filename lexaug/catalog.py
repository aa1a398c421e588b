"""The resource catalog, the local cache, and fetching on request.

The catalog has two parts in `resources/`: `catalog_generated.tsv` (every GATITOS file at the pinned url-nlp
commit, the MUSE dictionaries, every UniMorph language; written by `resources/make_catalog.py` from the shared
tables) and `catalog.toml` (UniMorph repositories pinned by hand to a commit and file checksums; it wins over a
generated row for the same repository). Resources are keyed by language tags (`lexaug.langs.LangCode.tag`), so
`bjn` and `bjn-Arab`, `kas` and `kas-Deva`, `fas` and `prs` (GATITOS `fa-AF`) stay distinct.

Cache layout (README "Resources"):

- lexicons: ``$LEXAUG_HOME/lexicons/<src>_<tgt>/<file>`` (default ``~/.cache/lexaug``), e.g.
  ``lexicons/eng_lug/en_lg.tsv``; the upstream file name kept.
- UniMorph: the `unimorph` package's own cache, ``$UNIMORPH/<repo>/`` (default ``~/.unimorph``), a git clone of
  ``github.com/unimorph/<repo>``, holding ``<repo>`` (or ``<repo>.1``, ``<repo>.2``... for fin).

Trust: GATITOS files and the UniMorph repositories of `catalog.toml` are pinned (sha256 known in advance);
MUSE files and the other UniMorph repositories are trusted on first use (`lexaug.tofu`).
Nothing here downloads unless `fetch` is called.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable

from lexaug import tofu
from lexaug.defaults import lexaug_home, unimorph_home
from lexaug.download import download, git_clone, rewrite_url, sha256_file
from lexaug.errors import ChecksumError, ConfigError, FormatError, LexaugError, ResourceError

KINDS = ("lexicon", "unimorph")
_SHA = re.compile(r"[0-9a-f]{64}")
GENERATED = "catalog_generated.tsv"
CATALOG_ENV = "LEXAUG_CATALOG"  # a catalog file (.toml or generated .tsv) used instead of the bundled one (mirrors, tests)
NONCOMMERCIAL = "CC-BY-NC-4.0"


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


@dataclass
class Catalog:
    """The parsed catalog: `lexicons` and `unimorph` entries in file order."""

    lexicons: tuple[LexiconEntry, ...]
    unimorph: tuple[UnimorphEntry, ...]
    _tags: dict[str, list[Entry]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Catalog:
        """Read a catalog (default: the bundled `catalog.toml` + `catalog_generated.tsv`; a `.toml` or a `.tsv`
        path reads that file alone); FormatError if malformed."""
        if path is None and os.environ.get(CATALOG_ENV):
            path = os.environ[CATALOG_ENV]
        if path is None:
            return _bundled()
        path = Path(path)
        if path.suffix == ".tsv":
            lex, um = _read_generated(path.read_text(encoding="utf-8"), str(path))
            return cls(tuple(lex), tuple(um))
        lex, um = _read_toml(path.read_text(encoding="utf-8"), str(path))
        return cls(tuple(lex), tuple(um))

    def entries(self, lang: str | None = None, kind: str | None = None) -> list[Entry]:
        """Entries of `kind` (None: both) for `lang` (None: all); a lexicon matches on either side.

        A plain code matches its own tag, or else its one script/region variant; when it has several variants
        and no plain entry, ResourceError names them (`bjn` -> bjn; `rhg` -> rhg-Latn; `xx` with xx-Arab and
        xx-Latn -> error)."""
        entries: list[Entry] = [*(self.lexicons if kind in (None, "lexicon") else ()),
                                *(self.unimorph if kind in (None, "unimorph") else ())]
        if lang is None:
            return entries
        want = self.resolve_tag(lang, kind)
        return [e for e in entries if want in _sides(e)]

    def resolve_tag(self, lang: str, kind: str | None = None) -> str:
        """The catalog tag `lang` selects (see `entries`)."""
        from lexaug.langs import normalize

        code = normalize(lang)
        want = code.tag
        tags = {t for e in self.entries(None, kind) for t in _sides(e)}
        if want in tags or code.script or code.region:
            return want
        variants = sorted(t for t in tags if t.split("-")[0] == code.iso3)
        if len(variants) == 1:
            return variants[0]
        if variants:
            raise ResourceError(f"{lang!r} is ambiguous: the catalog has the variants {', '.join(variants)}; "
                                "give one of them")
        return want

    def languages(self) -> set[str]:
        """Every language tag the catalog names."""
        return {t for e in self.entries() for t in _sides(e)}


def _sides(entry: Entry) -> tuple[str, ...]:
    return (entry.src, entry.tgt) if isinstance(entry, LexiconEntry) else (entry.lang,)


@lru_cache(maxsize=1)
def _bundled() -> Catalog:
    root = files("lexaug.resources")
    # the bundled files' codes are canonical already (tests walk them), so nothing is normalised: no langcodes
    lex, um = _read_toml((root / "catalog.toml").read_text(encoding="utf-8"), "catalog.toml", trusted=True)
    glex, gum = _read_generated((root / GENERATED).read_text(encoding="utf-8"), GENERATED)
    names = {e.folder: e.lang_name for e in gum}
    um = [replace(e, lang_name=e.lang_name or names.get(e.folder, "")) for e in um]
    pinned_repos = {e.folder for e in um}
    own_files = {(e.src, e.tgt, e.file) for e in lex}
    lexicons = (*lex, *(e for e in glex if (e.src, e.tgt, e.file) not in own_files))
    unimorph = (*um, *(e for e in gum if e.folder not in pinned_repos))
    return Catalog(lexicons, tuple(sorted(unimorph, key=lambda e: e.folder)))


def _read_toml(text: str, source: str, trusted: bool = False) -> tuple[list[LexiconEntry], list[UnimorphEntry]]:
    norm = (lambda code: code) if trusted else tag
    try:
        data = tomllib.loads(text)
        return ([_lexicon(row, norm) for row in data.get("lexicon", [])],
                [_unimorph(row, norm) for row in data.get("unimorph", [])])
    except tomllib.TOMLDecodeError as err:
        raise FormatError(source, None, f"not valid TOML: {err}", reason="toml") from None
    except (KeyError, TypeError, ValueError, LexaugError) as err:
        raise FormatError(source, None, f"bad catalog entry: {err}", reason="catalog") from None


def _read_generated(text: str, source: str) -> tuple[list[LexiconEntry], list[UnimorphEntry]]:
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


def _fetch_command(lang: str, kind: str) -> str:
    return f"`lexaug resources fetch {lang} --kind {kind}`"


def licence_notice(entries: list[Entry]) -> str | None:
    """A one-line notice when any entry carries a non-commercial licence (MUSE), else None."""
    nc = sorted({e.name for e in entries if isinstance(e, LexiconEntry) and e.license == NONCOMMERCIAL})
    if not nc:
        return None
    return (f"Notice: {', '.join(nc)} dictionaries are licensed {NONCOMMERCIAL} (non-commercial use only; "
            "attribution required)")


# --- fetching -------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What fetching one entry did: status is fetched, recorded (first use, checksums recorded), cached (an
    intact copy was there) or failed."""

    entry: Entry
    status: str
    paths: list[Path] = field(default_factory=list)
    message: str = ""


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
        raise ResourceError(f"the catalog has no {kind or 'resource'} for {tag(lang)}; "
                            "`lexaug languages --search NAME` shows what it has")
    paths: list[Path] = []
    for entry in entries:
        paths += fetch_entry(entry, base_url=base_url, progress=progress, force=force).paths
    return paths


def fetch_entry(entry: Entry, *, base_url: str | None = None, progress: bool = False, force: bool = False) -> Outcome:
    """Fetch one entry (raising on failure); `Outcome.status` says whether it was downloaded or already cached."""
    if isinstance(entry, UnimorphEntry):
        return _fetch_unimorph(entry, base_url=base_url, progress=progress, force=force)
    dest = entry.path()
    if not force and dest.is_file() and lexicon_problem(entry, dest) is None:
        return Outcome(entry, "cached", [dest])
    known = _lexicon_pin(entry)
    try:
        download(rewrite_url(entry.url, base_url), dest, sha256=known.sha256 if known else None,
                 size=known.bytes if known else None, progress=progress, label=f"{entry.name} {entry.src}-{entry.tgt}")
    except ChecksumError as err:
        if known is None or entry.pinned or "interrupted" in str(err) or "resume" in str(err):
            raise
        raise ChecksumError(f"{err}; the file differs from the one recorded on first use "
                            f"({(tofu.get(entry.tofu_key) or {}).get('recorded')}): delete its entry "
                            f"{entry.tofu_key!r} in {tofu.lock_path()} to trust the new version") from None
    if known is None:
        tofu.record(entry.tofu_key, {"url": entry.url, "sha256": sha256_file(dest), "bytes": dest.stat().st_size})
        return Outcome(entry, "recorded", [dest], "unpinned: checksum recorded on first use")
    return Outcome(entry, "fetched", [dest])


def _lexicon_pin(entry: LexiconEntry) -> PinnedFile | None:
    """The checksum a lexicon file must have: the catalog's, else the one recorded on first use, else None."""
    if entry.sha256 is not None:
        return PinnedFile(entry.file, entry.sha256, entry.bytes)
    found = tofu.get(entry.tofu_key)
    if found and isinstance(found.get("sha256"), str):
        return PinnedFile(entry.file, found["sha256"], found.get("bytes"))
    return None


def _git_head(folder: Path) -> str | None:
    done = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def _table_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _fetch_unimorph(entry: UnimorphEntry, *, base_url: str | None, progress: bool, force: bool) -> Outcome:
    dest = entry.path()
    if entry.is_cached() and not force:
        return Outcome(entry, "cached", resolve_unimorph(entry.lang, entry=entry))
    record = None if entry.pinned else tofu.get(entry.tofu_key)
    commit = entry.commit or (record or {}).get("commit")
    url = rewrite_url(entry.git, base_url)
    tmp = git_clone(url, dest, commit=commit, quiet=not progress, missing_hint=f"the UniMorph repository "
                    f"{entry.folder!r} does not exist or cannot be reached ({url})")
    status, message = "fetched", ""
    try:
        pins = list(entry.files) or [PinnedFile(n, s) for n, s in ((record or {}).get("files") or {}).items()]
        for pin in pins:
            problem = _pin_problem(pin, tmp / pin.name)
            if problem:
                what = "the catalog" if entry.pinned else f"the record of {(record or {}).get('recorded')}"
                hint = "" if entry.pinned else (f"; to trust the new version delete {entry.tofu_key!r} in "
                                                f"{tofu.lock_path()}")
                raise ChecksumError(f"{entry.git} at {commit}: {problem.replace('the catalog', what)}{hint}")
        if not entry.pinned and record is None:
            found = {p.name: sha256_file(p) for p in _table_files(tmp)}
            tofu.record(entry.tofu_key, {"git": entry.git, "commit": _git_head(tmp), "files": found})
            status, message = "recorded", "unpinned: commit and checksums recorded on first use"
        if dest.exists():  # an empty folder (left by `unimorph download`) or a forced re-fetch
            old = dest.with_name(f".{dest.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
            shutil.rmtree(old)
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Outcome(entry, status, resolve_unimorph(entry.lang, entry=entry), message)


def lexicon_problem(entry: LexiconEntry, path: Path) -> str | None:
    """None when the cached file matches its pin (catalog or first-use record, or no record at all)."""
    pin = _lexicon_pin(entry)
    if pin is None:
        return None if path.is_file() else f"{entry.file} is missing"
    return _pin_problem(pin, path, "the catalog" if entry.pinned else "the first-use record")


def _pin_problem(pin: PinnedFile, path: Path, source: str = "the catalog") -> str | None:
    """None if `path` matches the pin, else what is wrong with it."""
    if path.exists() and not path.is_file():
        return f"{pin.name} is not a regular file"
    if not path.is_file():
        return f"{pin.name} is missing"
    size = path.stat().st_size
    if pin.bytes is not None and size != pin.bytes:
        return f"{pin.name} has {size} bytes, {source} gives {pin.bytes}"
    try:
        digest = sha256_file(path)
    except OSError as err:
        return f"{pin.name} cannot be read ({err.strerror or err})"
    if digest != pin.sha256:
        return f"{pin.name} sha256 is {digest}, {source} gives {pin.sha256}"
    return None


# --- verify and lookups -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One result of `verify`: status is "ok", "bad" or "unpinned" (no checksum known, none recorded)."""

    path: Path
    status: str
    message: str = ""


def verify(catalog: Catalog | None = None) -> list[Check]:
    """Re-hash every cached file the catalog knows and report each; uncached entries are skipped. Files trusted on
    first use are checked against their record ("unpinned, recorded on <date>")."""
    catalog = catalog or Catalog.load()
    checks: list[Check] = []
    for entry in catalog.lexicons:
        path = entry.path()
        if not path.exists():
            continue
        if not path.is_file():
            checks.append(Check(path, "bad", f"{entry.file} is not a regular file"))
            continue
        record = None if entry.pinned else tofu.get(entry.tofu_key)
        if not entry.pinned and record is None:
            checks.append(Check(path, "unpinned", "no checksum known and none recorded"))
            continue
        problem = lexicon_problem(entry, path)
        note = "" if entry.pinned else f"unpinned, recorded on {record.get('recorded') if record else '?'}"
        checks.append(Check(path, "bad" if problem else "ok", problem or note))
    for um in catalog.unimorph:
        if not um.is_cached():
            continue
        folder = um.path()
        pins, note = list(um.files), ""
        if not um.pinned:
            record = tofu.get(um.tofu_key)
            if record is None:
                checks.append(Check(folder, "unpinned", "no checksum known and none recorded"))
                continue
            pins = [PinnedFile(n, s) for n, s in (record.get("files") or {}).items()]
            note = f"unpinned, recorded on {record.get('recorded')}"
        for pin in pins:
            problem = _pin_problem(pin, folder / pin.name, "the catalog" if um.pinned else "the first-use record")
            checks.append(Check(folder / pin.name, "bad" if problem else "ok", problem or note))
    return checks


def cached(lang: str, kind: str | None = None, *, catalog: Catalog | None = None) -> list[Path]:
    """Cached resource paths for `lang`; ResourceError naming the fetch command when there are none."""
    catalog = catalog or Catalog.load()
    code = catalog.resolve_tag(lang, kind)
    paths = [e.path() for e in catalog.entries(code, "lexicon") if kind in (None, "lexicon") and e.path().is_file()]
    if kind in (None, "unimorph"):
        try:
            paths += resolve_unimorph(code, catalog=catalog)
        except ResourceError:
            pass
    if not paths:
        raise ResourceError(f"nothing cached for {code}; run `lexaug resources fetch {code}"
                            + (f" --kind {kind}`" if kind else "`"))
    return paths


def lexicon_entries(src: str, tgt: str, catalog: Catalog) -> list[LexiconEntry]:
    """Catalog lexicons src -> tgt (tags), pinned sources first (GATITOS before MUSE)."""
    found = [e for e in catalog.lexicons if (e.src, e.tgt) == (src, tgt)]
    return sorted(found, key=lambda e: not e.pinned)


def resolve_lexicon(src: str, tgt: str, *, catalog: Catalog | None = None) -> Path:
    """The cached src -> tgt lexicon: the first catalog entry present (its sha256 checked against the catalog or
    the first-use record), else the first file a user put in $LEXAUG_HOME/lexicons/<src>_<tgt>/.
    Never downloads; ResourceError says what to run, ChecksumError names a changed cached file."""
    catalog = catalog or Catalog.load()
    s, t = catalog.resolve_tag(src, "lexicon"), catalog.resolve_tag(tgt, "lexicon")
    for entry in lexicon_entries(s, t, catalog):
        if entry.path().is_file():
            problem = lexicon_problem(entry, entry.path())
            if problem:
                raise ChecksumError(f"{entry.path()}: {problem}; the cached file changed since it was fetched: run "
                                    f"`lexaug resources fetch {entry.lang} --kind lexicon --force`")
            return entry.path()
    folder = lexicon_dir(s, t)
    own = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []
    if own:
        return own[0]
    if lexicon_entries(s, t, catalog):
        lang = t if s == "eng" else s
        raise ResourceError(f"no {s}->{t} lexicon in {folder}; run {_fetch_command(lang, 'lexicon')} "
                            "(or add --fetch to synthesize)")
    if lexicon_entries(t, s, catalog):
        raise ResourceError(f"the catalog has no {s}->{t} lexicon, only {t}->{s}: run {_fetch_command(s, 'lexicon')} "
                            "and read it reversed, or give a lexicon file")
    raise ResourceError(f"the catalog has no {s}->{t} lexicon; give a lexicon file or put one in {folder}")


def unimorph_entry(lang: str, catalog: Catalog | None = None) -> UnimorphEntry | None:
    """The catalog's UniMorph entry for `lang`, or None."""
    catalog = catalog or Catalog.load()
    try:
        code = catalog.resolve_tag(lang, "unimorph")
    except ResourceError:
        return None
    return next((e for e in catalog.unimorph if e.lang == code), None)


def resolve_unimorph(lang: str, *, entry: UnimorphEntry | None = None, catalog: Catalog | None = None) -> list[Path]:
    """Cached UniMorph table(s) for `lang` in the unimorph package's layout: [$UNIMORPH/<repo>/<repo>], or the
    numbered parts <repo>.1, <repo>.2, ... in order (fin). An unpinned repository's tables are checked against
    their first-use record. Never downloads; ResourceError says what to run."""
    if entry is None:
        entry = _unimorph_entry_or_none(lang, catalog)
    code = entry.folder if entry else iso(lang)
    folder = unimorph_home() / code
    if (folder / code).is_file():
        paths = [folder / code]
    else:
        parts = [p for p in folder.glob(f"{code}.*") if p.is_file() and p.suffix[1:].isdigit()] if folder.is_dir() \
            else []
        if not parts:
            raise ResourceError(f"no UniMorph table for {code} in {folder}; run {_fetch_command(code, 'unimorph')}")
        paths = sorted(parts, key=lambda p: int(p.suffix[1:]))
    if entry is not None and not entry.pinned:
        _check_recorded(entry, paths)
    return paths


def _unimorph_entry_or_none(lang: str, catalog: Catalog | None) -> UnimorphEntry | None:
    try:
        return unimorph_entry(lang, catalog or Catalog.load())
    except LexaugError:
        return None


def _check_recorded(entry: UnimorphEntry, paths: list[Path]) -> None:
    record = tofu.get(entry.tofu_key)
    recorded: dict[str, Any] = (record or {}).get("files") or {}
    for path in paths:
        if path.name in recorded:
            problem = _pin_problem(PinnedFile(path.name, recorded[path.name]), path, "the first-use record")
            if problem:
                raise ChecksumError(f"{path}: {problem}; run `lexaug resources fetch {entry.lang} --kind unimorph "
                                    "--force`")


def check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"unknown resource kind {kind!r}: use {' or '.join(KINDS)}")
