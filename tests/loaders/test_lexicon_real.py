"""Lexicon loader on the real GATITOS files and the benchmark lexicon (../shared/data).

Expected numbers were computed independently with coreutils/awk, e.g. for each file:
  grep -c . F                                           non-blank lines
  awk -F'\\t' 'NF==2' F | wc -l                           well-formed rows
  awk -F'\\t' 'NF==2' F | LC_ALL=C sort -u | wc -l        distinct pairs
  awk -F'\\t' 'NF==2{print $1}' F | awk '{print tolower($0)}' | sort -u | wc -l   headwords
  sha256sum F
"""

from __future__ import annotations

import hashlib

import pytest

from lexaug.errors import FormatError
from lexaug.loaders.lexicon import Lexicon
from lexaug.types import Translation

# file: (non-blank lines, rows read, headwords, pairs, target language, sha256 prefix)
GATITOS = {
    "en_ak.tsv": (4001, 4001, 4000, 4001, "aka", "9bdc08faeea8622e"),
    "en_arn.tsv": (4004, 4003, 4001, 4003, "arn", "8201275a93e940e2"),
    "en_bm.tsv": (4000, 4000, 4000, 4000, "bam", "0e0c297562516309"),
    "en_crs.tsv": (4303, 4303, 3989, 4303, "crs", "86440b717c754ded"),
    "en_ee.tsv": (3990, 3990, 3990, 3990, "ewe", "2d16398fa50ed696"),
    "en_fon.tsv": (4198, 4198, 3998, 4198, "fon", "d55071361882da15"),
    "en_gv.tsv": (4001, 4001, 4001, 4001, "glv", "63a5292b7242162b"),
    "en_kbd.tsv": (4623, 4623, 3976, 4623, "kbd", "d257ebb4327f6194"),
    "en_lg.tsv": (3998, 3998, 3998, 3998, "lug", "dd7a93bfb79b2836"),
    "en_luo.tsv": (5198, 5198, 3941, 5198, "luo", "55e7fe6ccca99d91"),
    "en_mos.tsv": (4001, 4001, 4000, 4001, "mos", "d838bcebe0621e0a"),
    "en_pcm.tsv": (4064, 4064, 4001, 4064, "pcm", "e2e1214486514b6b"),
    "en_sah.tsv": (4175, 4175, 3983, 4175, "sah", "66d1c08918c649f1"),
    "en_tn.tsv": (4500, 4500, 3995, 4500, "tsn", "c746556c6485ada2"),
    "en_tpi.tsv": (4384, 4384, 4001, 4384, "tpi", "7f764bbf193b29b5"),
    "en_ts.tsv": (4500, 4500, 3995, 4500, "tso", "c746556c6485ada2"),
    "en_tyv.tsv": (4140, 4140, 3983, 4140, "tyv", "ec7fedd42915b3f3"),
    "en_udm.tsv": (4057, 4057, 3992, 4057, "udm", "85a0b3b2f24a14ae"),
    "en_wo.tsv": (4034, 4034, 4001, 4034, "wol", "6c5ba2cd30526b83"),
}


@pytest.fixture(scope="module")
def gatitos(shared_data):
    return shared_data / "lexicons" / "gatitos"


def test_all_gatitos_files_are_named(gatitos):
    assert sorted(p.name for p in gatitos.glob("*.tsv")) == sorted(GATITOS)


@pytest.mark.parametrize("name", sorted(GATITOS))
def test_gatitos_file_counts(gatitos, name):
    lines, rows, headwords, pairs, tgt, sha = GATITOS[name]
    lex = Lexicon.read(gatitos / name, strict=name != "en_arn.tsv")
    st = lex.stats()
    assert st["lines"] == lines and st["blank_lines"] == 0
    assert st["rows_read"] + sum(st["skipped"].values()) == lines
    assert (st["rows_read"], st["headwords"], st["pairs"], st["duplicate_rows"]) == (rows, headwords, pairs, 0)
    assert (lex.src_lang, lex.tgt_lang) == ("eng", tgt)
    assert lex.sha256 == hashlib.sha256((gatitos / name).read_bytes()).hexdigest()
    assert lex.sha256.startswith(sha)


def test_en_arn_line_3235(gatitos):
    with pytest.raises(FormatError) as err:
        Lexicon.read(gatitos / "en_arn.tsv")
    assert "en_arn.tsv, line 3235: expected 2 tab-separated columns, got 1" in str(err.value)
    lex = Lexicon.read(gatitos / "en_arn.tsv", strict=False)
    assert lex.stats()["skipped"] == {"columns": 1}
    assert lex.lookup("smart") == (Translation("ülmen kechi tukuwkülei", 1),)


def test_en_tn_and_en_ts_are_byte_identical(gatitos):
    tn, ts = Lexicon.read(gatitos / "en_tn.tsv"), Lexicon.read(gatitos / "en_ts.tsv")
    assert tn.sha256 == ts.sha256
    assert tn.lookup("a little") == ts.lookup("a little") == (Translation("go le gonnye", 1),)


def test_en_crs_annotations(gatitos):
    plain = Lexicon.read(gatitos / "en_crs.tsv")
    assert plain.lookup("address") == (Translation("ladres", 1), Translation("adrese (verb)", 1))
    lex = Lexicon.read(gatitos / "en_crs.tsv", strip_annotations=True)
    st = lex.stats()
    assert st["annotations_stripped"] == 114  # awk -F'\t' '$2 ~ /\(/' en_crs.tsv | wc -l
    assert st["rows_read"] == 4303 and st["skipped"] == {}
    assert lex.lookup("address") == (Translation("ladres", 1), Translation("adrese", 1))
    assert lex.lookup("absorb") == (Translation("abzorb", 1),)
    assert [t.target for t in lex.lookup("crazy")] == ["fol", "fou"]
    assert st["pairs"] == 4303 - st["duplicate_rows"]


def test_en_tpi_definitions(gatitos):
    lex = Lexicon.read(gatitos / "en_tpi.tsv", max_target_words=3)
    st = lex.stats()
    # awk -F'\t' 'split($2, w, " ") > 3' en_tpi.tsv | wc -l
    assert st["definition_like_dropped"] == 428 and st["skipped"] == {"definition_like": 428}
    assert st["rows_read"] == 4384 - 428
    assert lex.lookup("across") == (Translation("akros", 1),)
    full = Lexicon.read(gatitos / "en_tpi.tsv")
    assert [t.target for t in full.lookup("across")] == ["akros", "long wanpela sait i go long narapela sait"]
    assert full.stats()["multiword_targets"] == 1684  # awk -F'\t' '$2 ~ / /' en_tpi.tsv | wc -l


def test_merge_all_gatitos(gatitos):
    paths = [gatitos / name for name in sorted(GATITOS)]
    lex = Lexicon.read(paths, strict=False)
    st = lex.stats()
    assert st["lines"] == sum(v[0] for v in GATITOS.values())
    assert st["rows_read"] == sum(v[1] for v in GATITOS.values()) and st["skipped"] == {"columns": 1}
    assert (lex.src_lang, lex.tgt_lang) == (None, None)  # 19 target languages
    assert len(st["files"]) == 19


def test_bench_lexicon_duplicates(shared_data):
    lex = Lexicon.read(shared_data / "bench" / "lex_en_xx.tsv", weighting="count")
    st = lex.stats()
    assert (st["lines"], st["rows_read"], st["duplicate_rows"], st["pairs"], st["headwords"]) == (
        33390, 33390, 3, 33387, 20000)
    assert Translation("mé", 2) in lex.translations("kusalamo")
    assert Translation("nu", 2) in lex.translations("supposed")
    assert Translation("lú", 2) in lex.translations("vajafelo")
    assert (lex.src_lang, lex.tgt_lang) == (None, None)  # `xx` is no language
