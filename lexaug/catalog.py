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

The entry types and the reading of the two catalog files are in `lexaug.catalog_entries`, the checks of cached
files against pins and first-use records (and `verify`) in `lexaug.catalog_trust`; both are re-exported here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from lexaug import tofu
from lexaug.catalog_entries import (Entry, LexiconEntry, PinnedFile, UnimorphEntry, iso, lexicon_dir, read_generated,
                                    read_toml, tag)
from lexaug.catalog_trust import Check, check_recorded, lexicon_pin, lexicon_problem, pin_problem, verify
from lexaug.defaults import unimorph_home
from lexaug.download import download, git_clone, rewrite_url, sha256_file
from lexaug.errors import ChecksumError, ConfigError, LexaugError, ResourceError

__all__ = ["KINDS", "GENERATED", "CATALOG_ENV", "NONCOMMERCIAL", "PinnedFile", "LexiconEntry", "UnimorphEntry",
           "Entry", "tag", "iso", "lexicon_dir", "Catalog", "licence_notice", "Outcome", "fetch", "fetch_entry",
           "lexicon_problem", "Check", "verify", "cached", "lexicon_entries", "resolve_lexicon", "unimorph_entry",
           "resolve_unimorph", "check_kind"]

KINDS = ("lexicon", "unimorph")
GENERATED = "catalog_generated.tsv"
CATALOG_ENV = "LEXAUG_CATALOG"  # a catalog file (.toml or generated .tsv) used instead of the bundled one (mirrors, tests)
NONCOMMERCIAL = "CC-BY-NC-4.0"


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
            lex, um = read_generated(path.read_text(encoding="utf-8"), str(path))
            return cls(tuple(lex), tuple(um))
        lex, um = read_toml(path.read_text(encoding="utf-8"), str(path))
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
    lex, um = read_toml((root / "catalog.toml").read_text(encoding="utf-8"), "catalog.toml", trusted=True)
    glex, gum = read_generated((root / GENERATED).read_text(encoding="utf-8"), GENERATED)
    names = {e.folder: e.lang_name for e in gum}
    um = [replace(e, lang_name=e.lang_name or names.get(e.folder, "")) for e in um]
    pinned_repos = {e.folder for e in um}
    own_files = {(e.src, e.tgt, e.file) for e in lex}
    lexicons = (*lex, *(e for e in glex if (e.src, e.tgt, e.file) not in own_files))
    unimorph = (*um, *(e for e in gum if e.folder not in pinned_repos))
    return Catalog(lexicons, tuple(sorted(unimorph, key=lambda e: e.folder)))


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
    known = lexicon_pin(entry)
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
            problem = pin_problem(pin, tmp / pin.name)
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


# --- verify and lookups -----------------------------------------------------------------------------------


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
        check_recorded(entry, paths)
    return paths


def _unimorph_entry_or_none(lang: str, catalog: Catalog | None) -> UnimorphEntry | None:
    try:
        return unimorph_entry(lang, catalog or Catalog.load())
    except LexaugError:
        return None


def check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"unknown resource kind {kind!r}: use {' or '.join(KINDS)}")
