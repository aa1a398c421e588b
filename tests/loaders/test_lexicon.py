"""Lexicon loader on tiny inline fixtures: formats, normalisation, options, counts and every documented error."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from lexaug.errors import ConfigError, FormatError
from lexaug.loaders.lexicon import Lexicon, normalize_key
from lexaug.loaders.lexicon_text import strip_annotations
from lexaug.types import Translation


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def targets(lex: Lexicon, key: str) -> list[tuple[str, int]]:
    return [(t.target, t.count) for t in lex.translations(key)]


def test_two_column_file_counts_order_and_duplicates(tmp_path):
    path = write(tmp_path, "en_lg.tsv", "house\tennyumba\nhouse\tamaka\nHouse\tennyumba\ndog\tembwa\n")
    lex = Lexicon.read(path)
    assert targets(lex, "house") == [("ennyumba", 2), ("amaka", 1)]
    assert lex.translations("dog") == (Translation("embwa", 1),)
    assert lex.translations("cat") == ()
    assert (lex.src_lang, lex.tgt_lang) == ("eng", "lug")
    assert len(lex) == 2 and set(lex.keys()) == {"house", "dog"} and "dog" in lex
    st = lex.stats()
    assert (st["lines"], st["rows_read"], st["blank_lines"], st["skipped"]) == (4, 4, 0, {})
    assert (st["headwords"], st["pairs"], st["duplicate_rows"]) == (2, 3, 1)
    assert st["translations_per_headword"] == {"mean": 1.5, "max": 2}
    assert lex.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_weighting_is_stored_and_checked(tmp_path):
    path = write(tmp_path, "x.tsv", "a\tb\n")
    assert Lexicon.read(path, weighting="count").weighting == "count"
    assert Lexicon.read(path, weighting="uniform").weighting == "uniform"
    with pytest.raises(ConfigError, match="unknown weighting 'often'"):
        Lexicon.read(path, weighting="often")


def test_crlf_bom_blank_lines_and_nfc(tmp_path):
    decomposed = "cafe\u0301"  # e + combining acute: NFC turns it into one code point
    data = "\ufeffHello\tmwattu\r\n\r\n   \n" + decomposed + "\tkaawa\r\n\n"
    lex = Lexicon.read(write(tmp_path, "x.tsv", data))
    assert list(lex.keys()) == ["hello", "café"]
    assert unicodedata.is_normalized("NFC", next(iter(lex.translations("café"))).target)
    assert lex.lookup("CAFE\u0301") == (Translation("kaawa", 1),)
    st = lex.stats()
    assert (st["lines"], st["rows_read"], st["blank_lines"]) == (2, 2, 3)


def test_multiword_entries_and_key_normalisation(tmp_path):
    data = "a  lot\tbingi nnyo\nA Lot\tnnyo\nNew York\tNew  York\nthe\tomu\n"
    lex = Lexicon.read(write(tmp_path, "x.tsv", data))
    assert targets(lex, "a lot") == [("bingi nnyo", 1), ("nnyo", 1)]
    assert targets(lex, "new york") == [("New York", 1)]  # target casing kept, whitespace collapsed
    assert lex.max_source_words == 2
    st = lex.stats()
    assert (st["multiword_headwords"], st["multiword_targets"]) == (2, 2)
    assert st["multiword_source_share"] == round(2 / 3, 4) and st["multiword_target_share"] == 0.5
    assert normalize_key("  Straße\tX ") == "strasse x"


def test_space_separated_muse_file_is_sniffed(tmp_path):
    lex = Lexicon.read(write(tmp_path, "en-de.txt", "house haus\nhouse  gebäude\ndog hund\n"))
    assert targets(lex, "house") == [("haus", 1), ("gebäude", 1)]
    assert (lex.src_lang, lex.tgt_lang) == ("eng", "deu")
    assert lex.stats()["files"][0]["sep"] == "space"


def test_explicit_separator(tmp_path):
    path = write(tmp_path, "x.tsv", "a lot\tbingi\n")
    with pytest.raises(FormatError, match=r"x.tsv, line 1: expected 2 space-separated columns, got 3"):
        Lexicon.read(path, sep="space")
    assert targets(Lexicon.read(path, sep="tab"), "a lot") == [("bingi", 1)]
    with pytest.raises(ConfigError, match="unknown lexicon separator ','"):
        Lexicon.read(path, sep=",")


def test_extra_columns_error_or_ignore(tmp_path):
    path = write(tmp_path, "panlex.tsv", "water\tamazzi\t0.93\nfire\tomuliro\n")
    with pytest.raises(FormatError, match=r"line 1: expected 2 tab-separated columns, got 3; .*extra_columns='ignore'"):
        Lexicon.read(path)
    lex = Lexicon.read(path, extra_columns="ignore")
    assert targets(lex, "water") == [("amazzi", 1)]
    st = lex.stats()
    assert (st["rows_read"], st["extra_columns_ignored"]) == (2, 1)


def test_strip_annotations_rules():
    assert strip_annotations("adrese (verb)") == "adrese"
    assert strip_annotations("abzorb(e)") == "abzorb"
    assert strip_annotations("sarz(e) (verb)") == "sarz"
    assert strip_annotations("мен (ынчаар") == "мен"  # unclosed annotation runs to the end
    assert strip_annotations("(verb)") == ""
    assert strip_annotations("no annotation") == "no annotation"


def test_strip_annotations_counts_and_merges(tmp_path):
    data = "charge\tsarz (noun)\ncharge\tsarz(e) (verb)\nabsorb\tabzorb(e)\nhello\t(greeting)\nclean\tprop\n"
    path = write(tmp_path, "en_crs.tsv", data)
    plain = Lexicon.read(path)
    assert targets(plain, "charge") == [("sarz (noun)", 1), ("sarz(e) (verb)", 1)]
    assert plain.stats()["annotations_stripped"] == 0
    lex = Lexicon.read(path, strip_annotations=True)
    assert targets(lex, "charge") == [("sarz", 2)]
    assert targets(lex, "absorb") == [("abzorb", 1)] and "hello" not in lex
    st = lex.stats()
    assert (st["annotations_stripped"], st["skipped"], st["rows_read"]) == (4, {"empty_after_strip": 1}, 4)


def test_definition_like_targets_dropped(tmp_path):
    data = "across\tlong wanpela sait i go\nbig\tbikpela\nvery big\tbikpela tru\n"
    lex = Lexicon.read(write(tmp_path, "en_tpi.tsv", data), max_target_words=2)
    assert "across" not in lex and targets(lex, "very big") == [("bikpela tru", 1)]
    st = lex.stats()
    assert (st["definition_like_dropped"], st["skipped"], st["rows_read"], st["lines"]) == (
        1, {"definition_like": 1}, 2, 3)
    with pytest.raises(ConfigError, match="max_target_words must be at least 1"):
        Lexicon.read(write(tmp_path, "y.tsv", "a\tb\n"), max_target_words=0)


def test_reverse_swaps_columns_and_languages(tmp_path):
    path = write(tmp_path, "en_lg.tsv", "house\tEnnyumba\nhome\tennyumba\n")
    lex = Lexicon.read(path, reverse=True)
    assert targets(lex, "ennyumba") == [("house", 1), ("home", 1)]
    assert (lex.src_lang, lex.tgt_lang) == ("lug", "eng")
    assert Lexicon.read(path, src_lang="lg", tgt_lang="en_US", reverse=True).src_lang == "lug"


def test_merging_files_adds_counts_and_hashes_in_order(tmp_path):
    a = write(tmp_path, "en_lg.tsv", "house\tennyumba\n")
    b = write(tmp_path, "extra_en_lg.tsv", "house\tennyumba\nhouse\tamaka\n")
    lex = Lexicon.read([a, b])
    assert targets(lex, "house") == [("ennyumba", 2), ("amaka", 1)]
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b)]
    assert lex.sha256 == hashlib.sha256("\n".join(digests).encode()).hexdigest()
    assert Lexicon.read([b, a]).sha256 != lex.sha256
    assert [f["rows_read"] for f in lex.stats()["files"]] == [1, 2]
    assert (lex.src_lang, lex.tgt_lang) == ("eng", "lug")
    mixed = Lexicon.read([a, write(tmp_path, "en_tn.tsv", "house\tntlo\n")])
    assert (mixed.src_lang, mixed.tgt_lang) == (None, None)  # the file names disagree


def test_wrong_column_count_strict_and_lenient(tmp_path):
    path = write(tmp_path, "en_arn.tsv", "smart\tülmen\ntükuwküle\n\nsmell\tnümütun\n")
    with pytest.raises(FormatError) as err:
        Lexicon.read(path)
    assert str(err.value).startswith(f"{path}, line 2: expected 2 tab-separated columns, got 1; fix the row")
    assert (err.value.line, err.value.reason) == (2, "columns")
    st = Lexicon.read(path, strict=False).stats()
    assert (st["lines"], st["rows_read"], st["blank_lines"], st["skipped"]) == (3, 2, 1, {"columns": 1})


def test_empty_field(tmp_path):
    path = write(tmp_path, "x.tsv", "a\tb\n\tc\n")
    with pytest.raises(FormatError, match=r"x.tsv, line 2: empty source column; fix the row"):
        Lexicon.read(path)
    assert Lexicon.read(path, strict=False).stats()["skipped"] == {"empty_field": 1}


def test_binary_garbage_and_nul_bytes(tmp_path):
    path = write(tmp_path, "x.tsv", b"a\tb\nc\x00\x01\td\ne\tf\n")
    with pytest.raises(FormatError, match=r"x.tsv, line 2: NUL byte: this is a binary file, not a UTF-8 text"):
        Lexicon.read(path)
    lex = Lexicon.read(path, strict=False)
    assert lex.stats()["skipped"] == {"binary": 1} and list(lex.keys()) == ["a", "e"]
    gz = write(tmp_path, "y.tsv", b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(FormatError, match=r"y.tsv: gzip-compressed file; decompress it first"):
        Lexicon.read(gz, strict=False)


def test_wrong_encoding(tmp_path):
    path = write(tmp_path, "x.tsv", "a\tb\n".encode() + "café\tkaawa\n".encode("latin-1"))
    with pytest.raises(FormatError) as err:
        Lexicon.read(path)
    assert str(err.value) == (f"{path}, line 2: not valid UTF-8 (byte 0xe9 at column 4); re-encode the file "
                              "as UTF-8, e.g. `iconv -f latin1 -t utf-8`")
    assert err.value.reason == "encoding"
    st = Lexicon.read(path, strict=False).stats()
    assert (st["rows_read"], st["skipped"], st["lines"]) == (1, {"encoding": 1}, 2)
    utf16 = write(tmp_path, "z.tsv", "a\tb\n".encode("utf-16"))
    with pytest.raises(FormatError, match=r"z.tsv, line 1: file is UTF-16 \(byte-order mark\); convert it to UTF-8"):
        Lexicon.read(utf16)
    # session 22: UTF-32's little-endian mark starts with UTF-16's; the message named UTF-16
    utf32 = write(tmp_path, "w.tsv", "a\tb\n".encode("utf-32"))
    with pytest.raises(FormatError, match=r"w.tsv, line 1: file is UTF-32 \(byte-order mark\); .*iconv -f UTF-32"):
        Lexicon.read(utf32)


def test_empty_file(tmp_path):
    path = write(tmp_path, "x.tsv", "\n\n")
    with pytest.raises(FormatError, match=r"x.tsv: empty file: no lexicon rows"):
        Lexicon.read(path)
    st = Lexicon.read(path, strict=False).stats()
    assert (st["empty_files"], st["headwords"], st["blank_lines"]) == (1, 0, 2)
    with pytest.raises(FormatError, match=r"missing.tsv: cannot read lexicon file: .*; check the path"):
        Lexicon.read(tmp_path / "missing.tsv")
    (tmp_path / "folder.tsv").mkdir()
    with pytest.raises(FormatError, match=r"folder.tsv: is a directory, not a lexicon file; give a file"):
        Lexicon.read(tmp_path / "folder.tsv")


def test_from_pairs_and_to_pandas():
    lex = Lexicon.from_pairs([("House", "ennyumba"), ("house", "ennyumba"), ("dog", "embwa")],
                             src_lang="en", tgt_lang="lg", weighting="count")
    assert targets(lex, "house") == [("ennyumba", 2)] and lex.tgt_lang == "lug"
    df = lex.to_pandas()
    assert list(df.columns) == ["source", "target", "count"]
    assert df.values.tolist() == [["house", "ennyumba", 2], ["dog", "embwa", 1]]
