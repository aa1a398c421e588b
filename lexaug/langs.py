"""Language-code normalisation over `langcodes` + `language-data` (the maintained IETF/ISO 639 library).

Any ISO 639-1 (`en`), ISO 639-3 (`eng`), ISO 639-2/B (`ger`), deprecated (`iw`, `mol`), BCP-47 tag with script
and region (`bjn-Arab`, `apd-SD`, `zh-Hant-TW`), POSIX/NLLB label (`en_US`, `eng_Latn`) or English name
(`Persian`, `scottish-gaelic`) normalises to a `LangCode(iso3, script, region)`.

Individual languages stay individual and macrolanguages are related explicitly, never merged: `swh` stays
`swh` (`macrolanguage("swh") == "swa"`), `arb`/`ary`/`arz` stay themselves (members of `ara`), and Dari
(`prs`, or `fa-AF`, which is how CLDR writes it) stays `prs`, distinct from Persian `fas`. `tl` is Tagalog
(`tgl`), not Filipino (`fil`); `sh` is Serbo-Croatian (`hbs`), not Serbian.

lexaug's own table (`resources/langs.tsv`) holds only what the library lacks (`poma`, `hsi`); a test bounds its
size. `langcodes` is imported on first use, never at `import lexaug`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import Any, NamedTuple

from lexaug.errors import LexaugError

_TABLE = "langs.tsv"
_SUBTAG_SPLIT = re.compile(r"[-_]")
_LANG_SUBTAG = re.compile(r"[a-z]{2,8}")
_FILENAME_PARTS = re.compile(r"[-_.]")
_EXTENSIONS = frozenset({"tsv", "txt", "csv", "dic", "dict", "lex", "gz", "zst", "bz2", "xz"})
# 2-letter codes whose CLDR replacement would merge two ISO 639-3 languages: kept as their own 639-3 code.
_NO_REPLACE = frozenset({"tl", "tgl", "sh", "hbs"})
# CLDR writes these individual languages as language-REGION tags (langcodes normalises prs to fa-AF); read back.
_REGION_LANGS = {("fas", "AF"): "prs", ("swa", "CD"): "swc", ("srp", "ME"): "cnr"}


class LangCode(NamedTuple):
    """A canonical language: `iso3` is the ISO 639-3 code (lower case), `script` an ISO 15924 code in Title case
    (`Latn`) and `region` an ISO 3166 / UN M49 code (`SD`, `419`) when the input named them, else None."""

    iso3: str
    script: str | None = None
    region: str | None = None

    @property
    def tag(self) -> str:
        """The resource key `iso3[-Script][-REGION]` (`bjn-Arab`, `apd-SD`, `prs`)."""
        return "-".join(p for p in (self.iso3, self.script, self.region) if p)


class _Own(NamedTuple):
    codes: dict[str, str]  # code or alias (lower case) -> iso3-like key
    rows: dict[str, dict[str, str]]


@lru_cache(maxsize=1)
def _own() -> _Own:
    """lexaug's own rows: codes the library does not know (tab-separated: code, name, macrolanguage, aliases, note)."""
    text = files("lexaug.resources").joinpath(_TABLE).read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    header = lines[0].split("\t")
    codes: dict[str, str] = {}
    rows: dict[str, dict[str, str]] = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t")))
        rows[row["code"]] = row
        codes[row["code"]] = row["code"]
        for alias in filter(None, row.get("aliases", "").split(",")):
            codes[alias] = row["code"]
    return _Own(codes, rows)


def _lc() -> Any:
    import langcodes

    return langcodes


@lru_cache(maxsize=4096)
def _iso3(lang: str) -> str | None:
    """ISO 639-3 code of a 2- or 3-letter language subtag the library knows (deprecated codes replaced), else None."""
    data = _lc().data_dicts
    lang = lang.lower()
    for _ in range(4):  # deprecated -> current, and 3-letter -> CLDR's 2-letter form where one exists
        new = data.LANGUAGE_REPLACEMENTS.get(lang)
        if new is None or "-" in new or lang in _NO_REPLACE:  # prs -> fa-AF is a region form, not a replacement
            break
        lang = new
    if len(lang) not in (2, 3):
        return None
    iso3 = data.LANGUAGE_ALPHA3.get(lang, "") if len(lang) == 2 else lang
    return iso3 if iso3 and _library_name(iso3) else None


@lru_cache(maxsize=4096)
def _library_name(iso3: str) -> str | None:
    """English name from language-data (looked up by the 2-letter form where one exists), else None."""
    shorts = [k for k, v in _alpha3_items() if v == iso3]
    from language_data.names import code_to_names  # type: ignore[import-untyped]

    for code in (iso3, *shorts):
        found = code_to_names(code).get("en")
        if found:
            return str(found)
    return None


def _name_key(name: str) -> str:
    return " ".join(_SUBTAG_SPLIT.sub(" ", name.lower()).split())


@lru_cache(maxsize=4096)
def _normalize(raw: str) -> LangCode | str:
    """LangCode, or a string: 'malformed' or the unknown language subtag."""
    low = raw.lower()
    own = _own()
    if low in own.codes:
        return LangCode(own.codes[low])
    subtags = _SUBTAG_SPLIT.split(raw)
    lows = [s.lower() for s in subtags]
    if not _LANG_SUBTAG.fullmatch(lows[0]) or not all(s.isalnum() and s.isascii() for s in lows):
        return "malformed"
    lang, script, region = lows[0], None, None
    for i, sub in enumerate(subtags[1:], start=1):
        if len(sub) == 1:  # a singleton starts an extension or private use (-x-...): nothing after it is ours
            break
        if i == 1 and len(sub) == 3 and sub.isalpha() and _iso3(sub.lower()):
            lang = sub.lower()  # extended language subtag: zh-yue means yue
        elif len(sub) == 4 and sub.isalpha() and script is None:
            script = sub.title()
        elif (len(sub) == 2 and sub.isalpha() or len(sub) == 3 and sub.isdigit()) and region is None:
            region = sub.upper()
    code = _iso3(lang) if len(lang) <= 3 else None
    if code is None:
        if len(subtags) == 1 or all(s.isalpha() for s in lows):
            try:  # an English name: Persian, scottish-gaelic
                found = _lc().find(_name_key(raw))
            except LookupError:
                found = None
            if found is not None and found.language and (iso := _iso3(found.language)):
                return LangCode(iso)
        return lang
    if region and (code, region) in _REGION_LANGS:
        code, region = _REGION_LANGS[(code, region)], None
    return LangCode(code, script, region)


def normalize(code: str, strict: bool = True) -> LangCode:
    """Canonical ISO 639-3 code, script and region of a language code, tag or English name.

    Accepts ISO 639-1 (`en`), ISO 639-3 (`eng`), ISO 639-2/B (`ger` -> `deu`), deprecated codes (`iw` -> `heb`),
    BCP-47 tags (`bjn-Arab` -> bjn + Arab, `apd-SD` -> apd + SD, `fa-AF` -> prs), POSIX and NLLB/GlotLID forms
    (`en_US`, `eng_Latn`), extended-language tags (`zh-yue` -> yue) and English names (`Persian`).

    Args:
        code: the code to normalise; case and surrounding spaces do not matter. fastText labels must have
            their `__label__` prefix removed first.
        strict: when True an unknown (well-formed) code raises `LexaugError`; when False it is returned
            lower-cased (its script and region, if any, still parsed).

    Raises:
        LexaugError: empty or malformed input (always), unknown code (strict only).
    """
    raw = code.strip() if isinstance(code, str) else ""
    if not raw:
        raise LexaugError(f"empty language code {code!r}: give an ISO 639-1/639-3 code or a BCP-47 tag")
    if raw.startswith("__label__"):
        raise LexaugError(f"language code {raw!r} is a fastText label: remove the '__label__' prefix first")
    found = _normalize(raw)
    if isinstance(found, LangCode):
        return found
    if found == "malformed":
        raise LexaugError(
            f"malformed language code {raw!r}: expected e.g. 'en', 'eng', 'en-US', 'bjn-Arab' or 'eng_Latn'")
    if strict:
        raise LexaugError(
            f"unknown language code {raw!r}: {found!r} is not an ISO 639 code (langcodes) nor in lexaug's own table "
            "(resources/langs.tsv); `lexaug languages --search NAME` finds a catalogued language's code")
    subtags = _SUBTAG_SPLIT.split(raw)
    script = next((s.title() for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    region = next((s.upper() for s in subtags[1:] if len(s) == 2 and s.isalpha()), None)
    return LangCode(found, script, region)


def is_known(code: str) -> bool:
    """True when `normalize(code)` succeeds in strict mode."""
    try:
        normalize(code)
    except LexaugError:
        return False
    return True


def name(code: str) -> str:
    """English name of a language from the library (`name("lg") == "Ganda"`); `LexaugError` for unknown codes."""
    iso3 = normalize(code).iso3
    own = _own().rows.get(iso3)
    if own is not None:
        return own["name"]
    return _library_name(iso3) or iso3


def macrolanguage(code: str) -> str | None:
    """ISO 639-3 macrolanguage of an individual language (`swh` -> `swa`, `arb` -> `ara`, `prs` -> `fas`)."""
    iso3 = normalize(code).iso3
    own = _own().rows.get(iso3)
    if own is not None:
        return own.get("macrolanguage") or None
    macros = _lc().data_dicts.MACROLANGUAGES
    macro = macros.get(iso3)
    if macro is None:
        two = next((k for k, v in _alpha3_items() if v == iso3), None)
        macro = macros.get(two) if two else None
    return _iso3(macro) if macro else None


def members(code: str) -> list[str]:
    """ISO 639-3 codes of the individual languages of a macrolanguage (`members("msa")` holds `zsm`), sorted."""
    iso3 = normalize(code).iso3
    keys = {iso3} | {k for k, v in _alpha3_items() if v == iso3}
    found = {_iso3(ind) for ind, macro in _lc().data_dicts.MACROLANGUAGES.items() if macro in keys}
    return sorted(c for c in found if c)


@lru_cache(maxsize=1)
def _alpha3_items() -> tuple[tuple[str, str], ...]:
    return tuple(_lc().data_dicts.LANGUAGE_ALPHA3.items())


def _filename_tags(base: str) -> list[str]:
    """`apd-SD_en.tsv` -> ['apd-SD', 'en']; script and region parts attach to the code before them."""
    tags: list[str] = []
    for part in (p for p in _FILENAME_PARTS.split(base) if p):
        is_script = len(part) == 4 and part.isalpha() and part[0].isupper()
        is_region = len(part) == 2 and part.isupper() or len(part) == 3 and part.isdigit()
        if tags and (is_script or is_region):
            tags[-1] += "-" + part
        else:
            tags.append(part)
    while tags and tags[-1].lower() in _EXTENSIONS:
        tags.pop()
    return tags


def lang_from_filename(filename: str) -> tuple[str, str] | None:
    """(source, target) ISO 639-3 codes from a lexicon file name, or None when it names no language pair.

    The last two parts of the name must both be language codes: `en_lg.tsv` -> (eng, lug) as GATITOS names
    files, `apd-SD_en.tsv`, `en-de.txt` (MUSE), `eng_Latn-lug_Latn.tsv`, `gatitos_en_tn.tsv`. Directory parts
    are ignored.
    """
    pair = tags_from_filename(filename)
    return None if pair is None else (pair[0].iso3, pair[1].iso3)


def tags_from_filename(filename: str) -> tuple[LangCode, LangCode] | None:
    """Like `lang_from_filename`, with script and region kept (`bjn-Arab_en.tsv` -> bjn-Arab, eng)."""
    base = re.split(r"[\\/]", filename)[-1]
    tags = _filename_tags(base)
    if len(tags) < 2 or not all(_LANG_SUBTAG.fullmatch(t.split("-")[0].lower()) for t in tags[-2:]):
        return None
    if any(len(t.split("-")[0]) > 3 for t in tags[-2:]) and not all(t.split("-")[0].lower() in _own().codes
                                                                       for t in tags[-2:]):
        return None
    try:
        return normalize(tags[-2]), normalize(tags[-1])
    except LexaugError:
        return None


def known_codes() -> frozenset[str]:
    """lexaug's own codes (the library's are not enumerated here)."""
    return frozenset(_own().rows)
