"""`lexaug resources list | fetch LANG|--all | path LANG | verify`: the resource catalog and the local cache."""

from __future__ import annotations

import sys

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
            langs, source = f"{entry.src}-{entry.tgt}", entry.name + ("" if entry.pinned else " (trust on first use)")
        else:
            langs, source = entry.lang, "unimorph" + ("" if entry.pinned else " (trust on first use)")
        click.echo(f"{entry.kind}\t{langs}\t{source}\t{entry.license}\t{'cached' if entry.is_cached() else '-'}")


@resources.command("fetch")
@click.argument("lang", required=False)
@click.option("--all", "all_", is_flag=True, help="Every catalog entry (narrowed by --kind and --lang).")
@click.option("--lang", "langs", multiple=True, help="With --all: only these languages (repeatable).")
@click.option("--kind", type=KIND, default=None, help="Only this kind of resource (default: all for LANG).")
@click.option("--force", is_flag=True, help="Download again even if an intact copy is cached.")
@click.option("--workers", type=click.IntRange(1, 16), default=4, show_default=True,
              help="With --all: parallel downloads.")
@click.option("--base-url", default=None, metavar="URL",
              help="Replace the scheme and host of catalog URLs (a mirror); default $LEXAUG_CATALOG_BASE_URL.")
def fetch(lang: str | None, all_: bool, langs: tuple[str, ...], kind: str | None, force: bool, workers: int,
          base_url: str | None) -> None:
    """Download LANG's lexicons and UniMorph table into the cache, checking sha256; print the paths.

    With --all, fetch every entry (or those of --kind/--lang) in parallel, then print a summary; exit status 1
    if any failed (the others are kept).
    """
    from lexaug import catalog
    from lexaug.download import check_base_url
    from lexaug.errors import ConfigError

    if base_url is not None:
        check_base_url(base_url)
    if all_ == bool(lang):
        raise ConfigError("give either LANG or --all (with --kind/--lang to narrow it)")
    cat = catalog.Catalog.load()
    if not all_:
        entries = cat.entries(lang, kind)
        chosen = cat.resolve_tag(lang or "", kind)
        others = sorted(t for t in cat.languages() if t != chosen and t.split("-")[0] == chosen.split("-")[0]
                        and cat.entries(t, kind))
        if others:
            click.echo(f"Note: {chosen} also has the variant(s) {', '.join(others)}; fetch them by that code", err=True)
        notice = catalog.licence_notice(entries)
        if notice:
            click.echo(notice, err=True)
        for path in catalog.fetch(lang or "", kind, catalog=cat, base_url=base_url, progress=True, force=force):
            click.echo(str(path))
        return
    _fetch_all(cat, langs, kind, force, workers, base_url)


def _fetch_all(cat, langs: tuple[str, ...], kind: str | None, force: bool, workers: int, base_url: str | None) -> None:
    from lexaug import catalog
    from lexaug.errors import ResourceError
    from lexaug.fetch_many import fetch_many

    entries = [e for code in langs for e in cat.entries(code, kind)] if langs else cat.entries(None, kind)
    entries = list({id(e): e for e in entries}.values())
    if not entries:
        raise ResourceError("nothing in the catalog matches; `lexaug languages` shows what exists")
    notice = catalog.licence_notice(entries)
    if notice:
        click.echo(notice, err=True)
    tty = sys.stderr.isatty()

    def progress(outcome, done: int, total: int) -> None:
        entry = outcome.entry
        label = f"{entry.kind} {entry.lang} {getattr(entry, 'file', '')}".rstrip()
        line = f"[{done}/{total}] {outcome.status:<8} {label}"
        click.echo(("\r\x1b[K" + line) if tty else line, err=True, nl=not tty)

    outcomes = fetch_many(entries, workers=workers, base_url=base_url, force=force, on_done=progress)
    if tty:
        click.echo("", err=True)
    failed = [o for o in outcomes if o.status == "failed"]
    for o in failed:
        click.echo(f"failed\t{o.entry.kind}\t{o.entry.lang}\t{o.message}", err=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("fetched", "recorded", "cached", "failed")}
    click.echo(f"{len(outcomes)} entries: {counts['fetched']} fetched and verified, {counts['recorded']} fetched "
               f"(unpinned, checksums recorded), {counts['cached']} already cached (skipped), {counts['failed']} failed",
               err=True)
    if failed:
        raise ResourceError(f"{len(failed)} of {len(outcomes)} entries failed (listed above); run the same "
                            "command again to retry them (finished files are kept, partial downloads resume)")


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
    """Re-check the sha256 of every cached catalog file (pinned, or recorded on first use); exit status 1 if any is
    bad or unreadable."""
    from lexaug import catalog
    from lexaug.errors import ChecksumError

    checks = catalog.verify()
    for check in checks:
        click.echo(f"{check.status}\t{check.path}" + (f"\t{check.message}" if check.message else ""))
    bad = [c for c in checks if c.status == "bad"]
    if bad:
        raise ChecksumError(f"{bad[0].path}: {bad[0].message}" + (f" (and {len(bad) - 1} more, listed above)"
                            if len(bad) > 1 else "") + "; fetch again with `lexaug resources fetch LANG --force`")
    click.echo(f"{len(checks)} cached files checked, none corrupt", err=True)
