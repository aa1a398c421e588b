"""Generate `resources/catalog_generated.tsv` from the shared catalog tables (never edit that file by hand).

    python resources/make_catalog.py ../shared/data/catalog            # rewrite the committed file
    python resources/make_catalog.py ../shared/data/catalog --check    # exit 1 if it differs

Inputs: `gatitos_files.tsv` (every GATITOS file at the pinned url-nlp commit, with bytes and sha256) and
`unimorph_languages.tsv` (the languages of the UniMorph site). MUSE entries come from the list below (the 44
languages with English ground-truth dictionaries); they carry no checksum: trust on first use.

Every row names a resource by its canonical language tag (`lexaug.langs.LangCode.tag`: ISO 639-3, plus the
file's own script or region, so `bjn-Arab`, `kas-Deva`, `apd-SD` and `prs` (GATITOS `fa-AF`) stay distinct).
UniMorph repositories that `catalog.toml` pins (commit and file hashes) get a row too (its name is used), but the
pins of `catalog.toml` win.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "catalog_generated.tsv"
COLUMNS = ("kind", "source", "lang", "src", "tgt", "file", "url", "bytes", "sha256", "name", "script", "license",
           "trust", "notes")

GATITOS_COMMIT = "3622039cf51f7eeffa58b957332a8e8c337981d7"
GATITOS_URL = f"https://raw.githubusercontent.com/google-research/url-nlp/{GATITOS_COMMIT}/gatitos/{{file}}"
MUSE_URL = "https://dl.fbaipublicfiles.com/arrival/dictionaries/{file}"
MUSE_LANGS = ("af ar bg bn bs ca cs da de el es et fa fi fr he hi hr hu id it ja ko lt lv mk ms nl no pl pt ro ru sk "
              "sl sq sv ta th tl tr uk vi zh").split()
UNIMORPH_GIT = "https://github.com/unimorph/{iso}.git"
LICENSES = {"gatitos": "CC-BY-4.0", "muse": "CC-BY-NC-4.0", "unimorph": "CC BY-SA 3.0"}
# What we learned reading the files; carried into the catalog so `resources list` can say it.
NOTES = {
    "en_arn.tsv": "line 3235 is a lone target with no tab (read it with --lenient)",
    "en_crs.tsv": "114 rows carry translator annotations in parentheses, e.g. `(verb)`, `(e)`",
    "en_tpi.tsv": "many targets are definitions (428 with 4+ words)",
    "en_ts.tsv": "byte-identical to en_tn.tsv upstream; its content is Setswana, not Xitsonga",
    "ts_en.tsv": "the swapped copy of en_tn.tsv: Setswana, not Xitsonga",
    "fin": "the table is split into fin.1 and fin.2",
}


def _tag(code: str) -> str:
    from lexaug.langs import normalize

    return normalize(code).tag


def _name(code: str) -> str:
    from lexaug.langs import name

    return name(code)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _pinned_unimorph() -> set[str]:
    data = tomllib.loads((HERE / "catalog.toml").read_text(encoding="utf-8"))
    return {row.get("repo", row["lang"]) for row in data.get("unimorph", [])}


def rows(tables: Path) -> list[dict[str, str]]:
    """Catalog rows from the folder holding gatitos_files.tsv and unimorph_languages.tsv."""
    out: list[dict[str, str]] = []
    for r in _read(tables / "gatitos_files.tsv"):
        src, tgt = _tag(r["src"]), _tag(r["tgt"])
        other = tgt if src == "eng" else src
        code = r["tgt"] if src == "eng" else r["src"]
        out.append({"kind": "lexicon", "source": "gatitos", "lang": other, "src": src, "tgt": tgt, "file": r["file"],
                    "url": GATITOS_URL.format(file=r["file"]), "bytes": r["bytes"], "sha256": r["sha256"],
                    "name": r["language_name"].strip().replace("  ", " ") or _name(code),
                    "script": r["script"], "license": LICENSES["gatitos"], "trust": "pinned",
                    "notes": NOTES.get(r["file"], "")})
    for code in MUSE_LANGS:
        tag = _tag(code)
        for src, tgt, file in (("eng", tag, f"en-{code}.txt"), (tag, "eng", f"{code}-en.txt")):
            out.append({"kind": "lexicon", "source": "muse", "lang": tag, "src": src, "tgt": tgt, "file": file,
                        "url": MUSE_URL.format(file=file), "bytes": "", "sha256": "", "name": _name(code),
                        "script": "", "license": LICENSES["muse"], "trust": "tofu",
                        "notes": "non-commercial licence (CC BY-NC 4.0)"})
    pinned = _pinned_unimorph()
    for r in _read(tables / "unimorph_languages.tsv"):
        out.append({"kind": "unimorph", "source": "unimorph", "lang": _tag(r["iso"]), "src": "", "tgt": "",
                    "file": r["iso"], "url": UNIMORPH_GIT.format(iso=r["iso"]), "bytes": "", "sha256": "",
                    "name": r["name"], "script": "", "license": LICENSES["unimorph"], "trust": "pinned" if r["iso"] in pinned else "tofu",
                    "notes": NOTES.get(r["iso"], f"{r['forms']} forms, {r['paradigms']} paradigms (UniMorph site)")})
    return out


def render(tables: Path) -> str:
    """The generated file's text."""
    buffer = io.StringIO()
    buffer.write("# GENERATED by resources/make_catalog.py from ../shared/data/catalog/*.tsv; do not edit by hand.\n")
    writer = csv.DictWriter(buffer, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                            escapechar="\\")
    writer.writeheader()
    writer.writerows(rows(tables))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tables", type=Path, help="folder holding gatitos_files.tsv and unimorph_languages.tsv")
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render(args.tables)
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'differs; run without --check'}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.output}: {text.count(chr(10)) - 2} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
