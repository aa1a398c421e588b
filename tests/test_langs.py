"""Language-code normalisation (lexaug.langs) and its table resources/langs.tsv."""

from __future__ import annotations

from importlib.resources import files

import pytest

from lexaug.errors import LexaugError
from lexaug.langs import LangCode, is_known, known_codes, lang_from_filename, macrolanguage, name, normalize


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
    ("apd-SD", LangCode("apd")),
    ("en_US", LangCode("eng")),
    ("eng_Latn", LangCode("eng", "Latn")),
    ("zho_Hans", LangCode("zho", "Hans")),
    ("sr-latn-RS", LangCode("srp", "Latn")),
    ("zh-yue", LangCode("yue")),  # extended language subtag
    ("es-419", LangCode("spa")),
    ("en-GB-x-private", LangCode("eng")),
    ("Persian", LangCode("fas")),  # CoNLL 2017 names
    ("scottish-gaelic", LangCode("gla")),
    ("ga", LangCode("gle")),  # a code beats the name "Ga" (gaa)
])
def test_normalize(code, expected):
    assert normalize(code) == expected


def test_unknown_codes():
    with pytest.raises(LexaugError, match=r"unknown language code 'qqq': 'qqq' is not in lexaug's table"):
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


def test_table_is_well_formed():
    text = files("lexaug.resources").joinpath("langs.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if line and not line.startswith("#")]
    header = lines[0].split("\t")
    assert header == ["iso639_3", "iso639_1", "iso639_2b", "macrolanguage", "name", "aliases"]
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert all(len(line.split("\t")) == 6 for line in lines)
    iso3 = [r["iso639_3"] for r in rows]
    assert len(iso3) == len(set(iso3)) == len(known_codes())
    iso1 = [r["iso639_1"] for r in rows if r["iso639_1"]]
    assert len(iso1) == len(set(iso1)) == 185  # the 183 ISO 639-1 codes, plus sh (hbs) and bh (bih)
    assert all(r["macrolanguage"] in known_codes() for r in rows if r["macrolanguage"])


def test_every_language_in_shared_data_is_known(shared_data):
    gatitos = [p.name for p in (shared_data / "lexicons" / "gatitos").glob("en_*.tsv")]
    assert len(gatitos) == 19 and all(lang_from_filename(n) is not None for n in gatitos)
    unimorph = [p.name for p in (shared_data / "unimorph").iterdir() if p.is_dir()]
    sigmorphon = {p.name.split(".")[0].split("_")[0] for p in (shared_data / "sigmorphon2022").iterdir()}
    sigmorphon -= {"baseline", "poma"}  # results table; Pomak has no ISO 639-3 code
    conll = {p.name.split("-")[0] for p in (shared_data / "conll2017").iterdir()}
    conll -= {"README.md", "expected_nonneural.tsv"}
    masakhane = [p.name for p in (shared_data / "ner" / "masakhaner").iterdir() if p.is_dir()]
    ud = [p.name[3:].split("-")[0] for p in (shared_data / "ud").iterdir()]
    for code in [*unimorph, *sigmorphon, *conll, *masakhane, *ud]:
        assert is_known(code), code
    assert len(sigmorphon) == 22 and {normalize(c).iso3 for c in conll} == {
        "sqi", "eng", "fin", "deu", "gle", "ita", "fas", "tur"}
    assert {normalize(u).iso3 for u in ud} == {"eng", "glv", "wol"}
