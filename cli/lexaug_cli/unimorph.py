"""`lexaug unimorph stats|inflect|analyze`: load UniMorph tables (a path or a language in the unimorph cache)
and look words up."""

from __future__ import annotations

import json
from pathlib import Path

import click

from lexaug import defaults

_STRICT = click.option("--strict/--lenient", default=defaults.UNIMORPH_STRICT,
                       help="Stop at the first malformed row (default) or skip such rows and count them.")
_LANG = click.option("--lang", "-l", default=None, help="Language code: its table in the unimorph cache "
                                                       "($UNIMORPH/<iso>/<iso>, default ~/.unimorph).")
_TABLE = click.option("--table", "-t", "tables", multiple=True, type=click.Path(dir_okay=False, exists=True),
                      help="A UniMorph file (repeat to merge several, e.g. fin.1 and fin.2).")


def _load(lang: str | None, tables: tuple[str, ...], strict: bool):
    from lexaug.errors import ConfigError

    if bool(lang) == bool(tables):
        raise ConfigError("give exactly one of --lang LANG or --table PATH")
    return _read(list(tables) if tables else None, lang, strict)


def _read(paths: list | None, lang: str | None, strict: bool):
    """The table of `paths`, else of `lang` in the cache; a malformed row's error names `--lenient`."""
    from lexaug.errors import FormatError, name_lenient_option
    from lexaug.loaders.unimorph import MorphTable

    try:
        if paths:
            return MorphTable.read(paths if len(paths) > 1 else paths[0], strict=strict)
        return MorphTable.for_language(lang, strict=strict)  # type: ignore[arg-type]
    except FormatError as err:
        raise name_lenient_option(err, "--lenient") from None


@click.group("unimorph")
def unimorph() -> None:
    """UniMorph inflection tables: load statistics, inflect a lemma, analyse forms."""


@unimorph.command("stats")
@click.argument("source", metavar="PATH|LANG")
@_STRICT
@click.option("--json", "as_json", is_flag=True, help="Print the stats as JSON.")
def stats(source: str, strict: bool, as_json: bool) -> None:
    """Load a UniMorph file (PATH) or a language's cached table (LANG) and print its counts."""
    from lexaug.errors import LexaugError

    path = Path(source)
    if not path.exists() and any(c in source for c in "/\\."):  # language codes hold none of these
        raise LexaugError(f"{source}: no such file; check the path (or give a language code such as fin)")
    table = _read([path] if path.exists() else None, source, strict)
    st = table.stats()
    st["sha256"] = table.sha256
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    for key in ("files", "rows", "lines", "blank_lines", "duplicates", "skipped", "lemmas", "forms",
                "feature_bundles", "pos", "sha256"):
        value = st[key]
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = " ".join(value)
        click.echo(f"{key:<17}{value}")
    for warning in st["warnings"]:
        click.echo(f"skipped: {warning}", err=True)


@unimorph.command("inflect")
@click.argument("lemma")
@click.argument("features")
@_LANG
@_TABLE
@_STRICT
@click.option("--loose", is_flag=True, help="Match UniMorph 3 and 4 agreement notation alike "
                                            "(V;PRS;NOM(3,SG) finds V;3;SG;PRS).")
def inflect(lemma: str, features: str, lang: str | None, tables: tuple[str, ...], strict: bool,
            loose: bool) -> None:
    """Print the forms of LEMMA with FEATURES (in any order, e.g. 'V;PST'), one per line."""
    from lexaug.errors import LexaugError
    from lexaug.loaders.features import FeatureError

    table = _load(lang, tables, strict)
    try:
        forms = table.inflect(lemma, features, loose=loose)
    except FeatureError as exc:
        raise LexaugError(f"bad FEATURES: {exc}") from None
    if not forms:
        known = len(table.paradigm(lemma))
        hint = f"{lemma!r} has {known} rows; see `lexaug unimorph analyze`" if known else f"no lemma {lemma!r}"
        raise LexaugError(f"no form of {lemma!r} with features {features!r} ({hint})")
    for form in forms:
        click.echo(form)


@unimorph.command("analyze")
@click.argument("forms", nargs=-1, required=True)
@_LANG
@_TABLE
@_STRICT
@click.option("--pos", default=None, help="Only analyses with this part of speech (V, N, ADJ, ...).")
@click.option("--casefold", is_flag=True, help="Compare case-folded forms (default: exact case).")
def analyze(forms: tuple[str, ...], lang: str | None, tables: tuple[str, ...], strict: bool, pos: str | None,
            casefold: bool) -> None:
    """Print `form<TAB>lemma<TAB>features` for every analysis of each FORM; forms without one are listed on
    stderr and make the exit status 1."""
    table = _load(lang, tables, strict)
    missing = []
    for form in forms:
        entries = table.analyze(form, pos=pos, casefold=casefold)
        if not entries:
            missing.append(form)
        for entry in entries:
            click.echo(f"{entry.form}\t{entry.lemma}\t{entry.features}")
    if missing:
        click.echo(f"no analysis: {' '.join(missing)}", err=True)
        raise SystemExit(1)
