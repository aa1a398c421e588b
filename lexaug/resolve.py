"""`synthesize --lang X [--src-lang Y] [--fetch]` without --lexicon: find (or, with --fetch, download) the
lexicon of a language pair: a direct catalog entry, else a pivot through English (X->eng + eng->Y composed,
`lexaug.pivot`), else a file the user put in the cache. Never downloads without `fetch=True`."""

from __future__ import annotations

from pathlib import Path

from lexaug.errors import ResourceError

PIVOT = "eng"


def lexicon_for(src: str, tgt: str, *, fetch: bool = False, via: str = PIVOT) -> Path:
    """A lexicon file src -> tgt: direct (cached, or fetched when `fetch`), else composed through `via`.

    A composed file lives in $LEXAUG_HOME/pivots/ and `lexaug.pivot.pivot_of(path)` names its pivot.
    Raises ResourceError naming the fetch command (or `--fetch`) when neither way has its files cached.
    """
    from lexaug import catalog as cat

    catalog = cat.Catalog.load()
    s, t = catalog.resolve_tag(src, "lexicon"), catalog.resolve_tag(tgt, "lexicon")
    direct = cat.lexicon_entries(s, t, catalog)
    if direct:
        if fetch and not any(e.is_cached() for e in direct):
            cat.fetch_entry(direct[0])
        return cat.resolve_lexicon(s, t, catalog=catalog)
    legs = (cat.lexicon_entries(s, via, catalog), cat.lexicon_entries(via, t, catalog))
    if s == via or t == via or not (legs[0] and legs[1]):
        return cat.resolve_lexicon(s, t, catalog=catalog)  # the user's own file, or the error saying what exists
    paths = []
    for (a, b), entries in zip(((s, via), (via, t)), legs):
        if fetch and not any(e.is_cached() for e in entries):
            cat.fetch_entry(entries[0])
        try:
            paths.append(cat.resolve_lexicon(a, b, catalog=catalog))
        except ResourceError as err:
            raise ResourceError(f"no direct {s}->{t} lexicon; the pivot through {via} needs {a}->{b}: {err}") from None
    return compose_cached(s, t, via, paths[0], paths[1])


def compose_cached(src: str, tgt: str, via: str, a: Path, b: Path) -> Path:
    """Compose a -> b into $LEXAUG_HOME/pivots/ (again whenever an input is newer than the composed file)."""
    from lexaug.pivot import compose, pivot_file

    out = pivot_file(src, tgt, via)
    if not out.is_file() or out.stat().st_mtime < max(a.stat().st_mtime, b.stat().st_mtime):
        compose(a, b, out, strict=False)  # catalog files have stray rows (GATITOS en_arn.tsv line 3235): skip them
    return out


def unimorph_for(lang: str, *, fetch: bool = False) -> list[Path]:
    """Cached UniMorph tables for `lang`; with `fetch`, downloaded first when missing."""
    from lexaug import catalog as cat

    try:
        return cat.resolve_unimorph(lang)
    except ResourceError:
        if not fetch:
            raise
    cat.fetch(lang, "unimorph")
    return cat.resolve_unimorph(lang)
