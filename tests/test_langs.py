"""Language-code normalisation (lexaug.langs) and its table resources/langs.tsv."""

from __future__ import annotations

from importlib.resources import files

import pytest

from lexaug.errors import LexaugError
from lexaug.langs import (LangCode, is_known, known_codes, lang_from_filename, macrolanguage, members, name, normalize,
                          tags_from_filename)


@pytest.mark.parametrize("code, expected", [
    ("en", LangCode("eng")),
    ("eng", LangCode("eng")),
    ("EN", LangCode("eng")),
    (" lg ", LangCode("lug")),
    ("ger", LangCode("deu")),  # ISO 639-2/B
    ("fre", LangCode("fra")),
    ("iw", LangCode("heb")),  # deprecated ISO 639-1
    ("jw", LangCode("jav")),
    ("bjn-Arab", LangCode("bjn", "Arab")),
    ("apd-SD", LangCode("apd", None, "SD")),
    ("en_US", LangCode("eng", None, "US")),
    ("eng_Latn", LangCode("eng", "Latn")),
    ("zho_Hans", LangCode("zho", "Hans")),
    ("sr-latn-RS", LangCode("srp", "Latn", "RS")),
    ("zh-yue", LangCode("yue")),  # extended language subtag
    ("es-419", LangCode("spa", None, "419")),
    ("en-GB-x-private", LangCode("eng", None, "GB")),
    ("Persian", LangCode("fas")),  # CoNLL 2017 names
    ("scottish-gaelic", LangCode("gla")),
    ("ga", LangCode("gle")),  # a code beats the name "Ga" (gaa)
    # real GATITOS codes the hand-written table rejected
    ("trp", LangCode("trp")), ("hrx", LangCode("hrx")), ("aii", LangCode("aii")),
    ("rhg-Latn", LangCode("rhg", "Latn")), ("ndc-ZW", LangCode("ndc", None, "ZW")),
    # macrolanguage members stay themselves; Dari stays Dari
    ("fa-AF", LangCode("prs")), ("prs", LangCode("prs")), ("fas", LangCode("fas")), ("fa", LangCode("fas")),
    ("zsm", LangCode("zsm")), ("msa", LangCode("msa")), ("ary", LangCode("ary")), ("arz", LangCode("arz")),
    ("tl", LangCode("tgl")), ("sh", LangCode("hbs")), ("mol", LangCode("ron")),
])
def test_normalize(code, expected):
    assert normalize(code) == expected


def test_unknown_codes():
    with pytest.raises(LexaugError, match=r"unknown language code 'qqq': 'qqq' is not an ISO 639 code"):
        normalize("qqq")
    with pytest.raises(LexaugError, match=r"unknown language code 'xx-Latn'"):
        normalize("xx-Latn")
    assert normalize("QQQ", strict=False) == LangCode("qqq")
    assert normalize("Poma", strict=False) == LangCode("poma")  # SIGMORPHON 2022 Pomak has no ISO code
    assert normalize("xx-latn", strict=False) == LangCode("xx", "Latn")
    assert not is_known("qqq") and is_known("tpi")


@pytest.mark.parametrize("bad", ["", "  ", "__label__en", "e", "en us", "1234", "en--US!"])
def test_malformed_codes_raise_even_when_lenient(bad):
    with pytest.raises(LexaugError, match=r"empty language code|fastText label|malformed language code"):
        normalize(bad, strict=False)


def test_label_prefix_message():
    with pytest.raises(LexaugError, match=r"remove the '__label__' prefix first"):
        normalize("__label__eng_Latn")


def test_lang_from_filename():
    assert lang_from_filename("en_lg.tsv") == ("eng", "lug")
    assert lang_from_filename("/data/gatitos/en_arn.tsv") == ("eng", "arn")
    assert lang_from_filename("en-de.txt") == ("eng", "deu")  # MUSE
    assert lang_from_filename("eng_Latn-lug_Latn.tsv.gz") == ("eng", "lug")
    assert lang_from_filename("gatitos_en_tn.tsv") == ("eng", "tsn")
    assert lang_from_filename("lex_en_xx.tsv") is None
    assert lang_from_filename("lexicon.tsv") is None


def test_names_and_macrolanguages():
    assert name("lg") == "Ganda" and name("tpi") == "Tok Pisin"
    assert macrolanguage("swh") == "swa" and macrolanguage("arb") == "ara" and macrolanguage("eng") is None
    assert name("fa-AF") == "Dari" and name("fas") == "Persian" and macrolanguage("prs") == "fas"
    assert macrolanguage("zsm") == "msa" and "zsm" in members("msa") and {"ary", "arz", "arb"} <= set(members("ara"))
    assert "prs" in members("fas") and macrolanguage("fas") is None


def test_unknown_code_message_names_a_cli_option():
    """issue 9, defect 26: the message names real CLI options, not a Python keyword argument; --lexicon only where
    the command has it (synthesize adds it: tests/hostile/test_hostile_resources.py)."""
    with pytest.raises(LexaugError) as err:
        normalize("qqq")
    assert "strict=False" not in str(err.value)
    assert "lexaug languages --search" in str(err.value) and "--lexicon" not in str(err.value)


def test_tags_from_filename_keep_script_and_region():
    assert [c.tag for c in tags_from_filename("bjn-Arab_en.tsv")] == ["bjn-Arab", "eng"]
    assert [c.tag for c in tags_from_filename("en_apd-SD.tsv")] == ["eng", "apd-SD"]
    assert [c.tag for c in tags_from_filename("fa-AF_en.tsv")] == ["prs", "eng"]
    assert lang_from_filename("apd-SD_en.tsv") == ("apd", "eng")


def test_import_lexaug_does_not_import_langcodes():
    import subprocess
    import sys

    code = "import sys, lexaug, lexaug.langs; print('langcodes' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_own_table_is_small_and_only_what_the_library_lacks():
    """lexaug keeps its own rows only where langcodes has no code; the table must shrink, never grow."""
    text = files("lexaug.resources").joinpath("langs.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    assert lines[0].split("\t") == ["code", "name", "macrolanguage", "aliases", "note"]
    rows = [dict(zip(lines[0].split("\t"), line.split("\t"))) for line in lines[1:]]
    assert len(rows) <= 2 and known_codes() == {"poma", "hsi"}
    from lexaug.langs import _iso3

    assert all(_iso3(r["code"]) is None for r in rows)  # the library really lacks each of them


def test_every_language_in_shared_data_is_known(shared_data):
    gatitos = [p.name for p in (shared_data / "lexicons" / "gatitos").glob("en_*.tsv")]
    assert len(gatitos) == 19 and all(lang_from_filename(n) is not None for n in gatitos)
    unimorph = [p.name for p in (shared_data / "unimorph").iterdir() if p.is_dir()]
    sigmorphon = {p.name.split(".")[0].split("_")[0] for p in (shared_data / "sigmorphon2022").iterdir()}
    sigmorphon -= {"baseline", "poma"}  # results table; Pomak (own table)
    conll = {p.name.split("-")[0] for p in (shared_data / "conll2017").iterdir()}
    conll -= {"README.md", "expected_nonneural.tsv"}
    masakhane = [p.name for p in (shared_data / "ner" / "masakhaner").iterdir() if p.is_dir()]
    ud = [p.name[3:].split("-")[0] for p in (shared_data / "ud").iterdir()]
    for code in [*unimorph, *sigmorphon, *conll, *masakhane, *ud, "poma"]:
        assert is_known(code), code
    assert len(sigmorphon) == 22 and {normalize(c).iso3 for c in conll} == {
        "sqi", "eng", "fin", "deu", "gle", "ita", "fas", "tur"}
    assert {normalize(u).iso3 for u in ud} == {"eng", "glv", "wol"}
