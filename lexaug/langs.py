"""Language-code normalisation: ISO 639-1, ISO 639-3, ISO 639-2/B, BCP-47 tags and NLLB/GlotLID-style
`eng_Latn` labels to one canonical ISO 639-3 code plus an optional ISO 15924 script.

The table is data, not code: `resources/langs.tsv` (columns iso639_3, iso639_1, iso639_2b, macrolanguage, name,
aliases), read once, lazily, through `importlib.resources`. Individual languages stay individual (`swh` stays
`swh`, `arb` stays `arb`); `macrolanguage(code)` gives the macrolanguage when a caller wants to match
`swh` text against a `swa` resource.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

from lexaug.errors import LexaugError

_TABLE = "langs.tsv"
# A tag is subtags of letters/digits joined by '-' or '_' (BCP-47 uses '-', POSIX locales and NLLB use '_').
_SUBTAG_SPLIT = re.compile(r"[-_]")
_LANG_SUBTAG = re.compile(r"[a-z]{2,8}")  # BCP-47: 2-3 letters, 4-8 reserved/registered
_FILENAME_PARTS = re.compile(r"[-_.]")
_EXTENSIONS = frozenset({"tsv", "txt", "csv", "dic", "dict", "lex", "gz", "zst", "bz2", "xz"})


class LangCode(NamedTuple):
    """A canonical language: `iso3` is the ISO 639-3 code (lower case), `script` an ISO 15924 code in Title
    case (`Latn`, `Arab`) when the input named one, else None."""

    iso3: str
    script: str | None = None


class _Table(NamedTuple):
    codes: dict[str, str]  # any code or alias (lower case) -> iso639_3
    names: dict[str, str]  # English name (lower case, '-'/'_' read as spaces) -> iso639_3
    rows: dict[str, dict[str, str]]  # iso639_3 -> the row


@lru_cache(maxsize=1)
def _table() -> _Table:
    text = files("lexaug.resources").joinpath(_TABLE).read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    header = lines[0].split("\t")
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    rows: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        iso3 = row["iso639_3"]
        rows[iso3] = row
        for code in (iso3, row.get("iso639_1", ""), row.get("iso639_2b", "")):
            if code:
                codes[code] = iso3
        # Aliases are deprecated codes (iw, jw, mo) or alternative names; short ones act as codes.
        for alias in filter(None, row.get("aliases", "").split(",")):
            (codes if len(alias) <= 3 else names).setdefault(alias, iso3)
        names.setdefault(_name_key(row["name"]), iso3)
    return _Table(codes, names, rows)


def _name_key(name: str) -> str:
    return " ".join(_SUBTAG_SPLIT.sub(" ", name.lower()).split())


def normalize(code: str, strict: bool = True) -> LangCode:
    """Canonical ISO 639-3 code (and script) of a language code or tag.

    Accepts ISO 639-1 (`en`), ISO 639-3 (`eng`), ISO 639-2/B (`ger` -> `deu`), deprecated codes (`iw` -> `heb`),
    BCP-47 tags with script/region/variants (`bjn-Arab` -> bjn + Arab, `apd-SD` -> apd, `zh-Hant-TW`), POSIX
    and NLLB/GlotLID forms (`en_US`, `eng_Latn`), extended-language tags (`zh-yue` -> yue) and English names
    from the table (`Persian`, `scottish-gaelic`, as CoNLL 2017 file names use them).

    Args:
        code: the code to normalise; case and surrounding spaces do not matter. fastText labels must have
            their `__label__` prefix removed first.
        strict: when True an unknown (well-formed) code raises `LexaugError`; when False it is returned
            lower-cased (its script, if any, still parsed).

    Returns:
        `LangCode(iso3, script)`.

    Raises:
        LexaugError: empty or malformed input (always), unknown code (strict only).
    """
    raw = code.strip() if isinstance(code, str) else ""
    if not raw:
        raise LexaugError(f"empty language code {code!r}: give an ISO 639-1/639-3 code or a BCP-47 tag")
    if raw.startswith("__label__"):
        raise LexaugError(f"language code {raw!r} is a fastText label: remove the '__label__' prefix first")
    table = _table()
    low = raw.lower()
    if low in table.codes:
        return LangCode(table.codes[low])
    if _name_key(low) in table.names:
        return LangCode(table.names[_name_key(low)])
    subtags = _SUBTAG_SPLIT.split(low)
    if not _LANG_SUBTAG.fullmatch(subtags[0]) or not all(s.isalnum() and s.isascii() for s in subtags):
        raise LexaugError(
            f"malformed language code {raw!r}: expected e.g. 'en', 'eng', 'en-US', 'bjn-Arab' or 'eng_Latn'"
        )
    lang, script = subtags[0], None
    for i, sub in enumerate(subtags[1:], start=1):
        if len(sub) == 1:  # a singleton starts an extension or private use (-x-...): nothing after it is ours
            break
        if i == 1 and len(sub) == 3 and sub.isalpha() and sub in table.codes:
            lang = sub  # extended language subtag: zh-yue means yue
        elif len(sub) == 4 and sub.isalpha() and script is None:
            script = sub.title()
    if lang in table.codes:
        return LangCode(table.codes[lang], script)
    if strict:
        raise LexaugError(
            f"unknown language code {raw!r}: {lang!r} is not in lexaug's table (resources/langs.tsv); "
            "pass strict=False to keep it as given, or add a row to the table"
        )
    return LangCode(lang, script)


def is_known(code: str) -> bool:
    """True when `normalize(code)` succeeds in strict mode."""
    try:
        normalize(code)
    except LexaugError:
        return False
    return True


def name(code: str) -> str:
    """English name of a language (`name("lg") == "Ganda"`); raises `LexaugError` for unknown codes."""
    return _table().rows[normalize(code).iso3]["name"]


def macrolanguage(code: str) -> str | None:
    """ISO 639-3 macrolanguage of an individual language (`swh` -> `swa`, `arb` -> `ara`), else None."""
    return _table().rows[normalize(code).iso3].get("macrolanguage") or None


def lang_from_filename(filename: str) -> tuple[str, str] | None:
    """(source, target) ISO 639-3 codes from a lexicon file name, or None when it names no language pair.

    The last two consecutive known codes among the name's `-`/`_`/`.`-separated parts win, ignoring script
    parts: `en_lg.tsv` -> (eng, lug) as GATITOS names files, `en-de.txt` (MUSE), `eng_Latn-lug_Latn.tsv`,
    `gatitos_en_tn.tsv`. Directory parts are ignored.
    """
    base = re.split(r"[\\/]", filename)[-1]
    table = _table()
    parts = [p.lower() for p in _FILENAME_PARTS.split(base) if p]
    while parts and parts[-1] in _EXTENSIONS:
        parts.pop()
    codes = [p for p in parts if not (len(p) == 4 and p.isalpha() and p not in table.codes)]
    for i in range(len(codes) - 1, 0, -1):
        a, b = codes[i - 1], codes[i]
        if _LANG_SUBTAG.fullmatch(a) and _LANG_SUBTAG.fullmatch(b) and a in table.codes and b in table.codes:
            return table.codes[a], table.codes[b]
    return None


def known_codes() -> frozenset[str]:
    """Every ISO 639-3 code of the table."""
    return frozenset(_table().rows)
