"""`lexaug languages [--has lexicon|unimorph|both] [--search NAME] [--json]`: what the catalog can give, per
language, and whether it is cached."""

from __future__ import annotations

import json

import click


@click.command("languages")
@click.option("--has", "has", type=click.Choice(["lexicon", "unimorph", "both"]), default=None,
              help="Only languages with this kind of resource (both: a lexicon and a UniMorph table).")
@click.option("--search", default=None, metavar="NAME", help="Only languages whose code or name contains NAME.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per language, one per line.")
def languages(has: str | None, search: str | None, as_json: bool) -> None:
    """One row per language the catalog knows: code, name, script, its resources (source, direction, size,
    licence, cached or not), then a count line."""
    from lexaug.catalog import Catalog, LexiconEntry

    catalog = Catalog.load()
    rows: dict[str, dict] = {}
    for entry in catalog.entries():
        code = entry.lang
        row = rows.setdefault(code, {"code": code, "name": "", "script": "", "resources": []})
        row["name"] = row["name"] or entry.lang_name
        if isinstance(entry, LexiconEntry):
            row["script"] = row["script"] or entry.script
            row["resources"].append({"kind": "lexicon", "source": entry.name, "direction": f"{entry.src}->{entry.tgt}",
                                     "bytes": entry.bytes, "license": entry.license, "cached": entry.is_cached()})
        else:
            row["resources"].append({"kind": "unimorph", "source": "unimorph", "direction": "",
                                     "bytes": None, "license": entry.license, "cached": entry.is_cached(),
                                     "pinned": entry.pinned})
    for row in rows.values():
        if not row["name"]:
            from lexaug.langs import name

            row["name"] = name(row["code"])
    needle = search.casefold() if search else None
    shown = []
    for code in sorted(rows):
        row = rows[code]
        kinds = {r["kind"] for r in row["resources"]}
        if has == "both" and kinds != {"lexicon", "unimorph"} or has in ("lexicon", "unimorph") and has not in kinds:
            continue
        if needle and needle not in code.casefold() and needle not in row["name"].casefold():
            continue
        shown.append(row)
    for row in shown:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        parts = []
        for r in row["resources"]:
            size = f" {r['bytes']}B" if r["bytes"] else ""
            what = f"{r['source']} {r['direction']}".strip()
            parts.append(f"{what}{size} {r['license']}{' cached' if r['cached'] else ''}")
        click.echo(f"{row['code']}\t{row['name']}\t{row['script'] or '-'}\t" + "; ".join(parts))
    if not as_json:
        noun = "language" if len(shown) == 1 else "languages"
        click.echo(f"{len(shown)} {noun}" + (f" with {has}" if has else "")
                   + (f" matching {search!r}" if search else ""))
