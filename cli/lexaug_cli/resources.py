"""`lexaug resources list | fetch LANG | path LANG | verify`: the resource catalog and the local cache."""

from __future__ import annotations

import click

KIND = click.Choice(["lexicon", "unimorph"])


@click.group("resources")
def resources() -> None:
    """Downloadable lexicons and UniMorph tables: list, fetch on request, locate, verify."""


@resources.command("list")
def list_() -> None:
    """List the catalog: kind, language(s), source, license, and whether it is cached."""
    from lexaug.catalog import Catalog, LexiconEntry

    for entry in Catalog.load().entries():
        if isinstance(entry, LexiconEntry):
            langs, source, cached = f"{entry.src}-{entry.tgt}", entry.name, entry.path().is_file()
        else:
            langs, source = entry.lang, "unimorph" + ("" if entry.commit else " (unpinned)")
            cached = entry.path().is_dir() and any(entry.path().iterdir())
        click.echo(f"{entry.kind}\t{langs}\t{source}\t{entry.license}\t{'cached' if cached else '-'}")


@resources.command("fetch")
@click.argument("lang")
@click.option("--kind", type=KIND, default=None, help="Only this kind of resource (default: all for LANG).")
@click.option("--force", is_flag=True, help="Download again even if an intact copy is cached.")
@click.option("--base-url", default=None, metavar="URL",
              help="Replace the scheme and host of catalog URLs (a mirror); default $LEXAUG_CATALOG_BASE_URL.")
def fetch(lang: str, kind: str | None, force: bool, base_url: str | None) -> None:
    """Download LANG's lexicons and UniMorph table into the cache, checking sha256; print the paths."""
    from lexaug import catalog

    for path in catalog.fetch(lang, kind, base_url=base_url, progress=True, force=force):
        click.echo(str(path))


@resources.command("path")
@click.argument("lang")
@click.option("--kind", type=KIND, default=None, help="Only this kind of resource.")
def path(lang: str, kind: str | None) -> None:
    """Print where LANG's cached resources are (error with the fetch command if none are)."""
    from lexaug import catalog

    for found in catalog.cached(lang, kind):
        click.echo(str(found))


@resources.command("verify")
def verify() -> None:
    """Re-check the sha256 of every cached catalog file; exit status 1 if any is bad."""
    from lexaug import catalog
    from lexaug.errors import ChecksumError

    checks = catalog.verify()
    for check in checks:
        click.echo(f"{check.status}\t{check.path}" + (f"\t{check.message}" if check.message else ""))
    bad = [c for c in checks if c.status == "bad"]
    if bad:
        raise ChecksumError(f"{len(bad)} of {len(checks)} cached files are corrupt; "
                            "fetch them again with `lexaug resources fetch LANG --force`")
    click.echo(f"{len(checks)} cached files checked, none corrupt", err=True)
