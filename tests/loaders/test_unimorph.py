"""MorphTable: reading rules, errors, indexes and lookups on tiny fixtures, then on every real UniMorph file."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from lexaug.errors import FormatError, ResourceError
from lexaug.loaders.glosses import Glosses
from lexaug.loaders.unimorph import MorphTable, canonical_features, resolve_unimorph_paths
from lexaug.types import MorphEntry


def _write(tmp_path: Path, content: str | bytes, name: str = "xxx") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


SMALL = (
    "run\tran\tV;PST\n"
    "run\truns\tV;3;SG;PRS\n"
    "run\trunning\tV;V.PTCP;PRS\n"
    "\n"
    "dream\tdreamed\tV;PST\n"
    "dream\tdreamt\tV;PST\n"
    "dream\tdreamt\tPST;V\n"
    "run\tran\tV;PST\n"
    "cat\tcats\tN;PL\n"
    "Run\tRan\tV;PST\n"
)


def test_reads_rows_indexes_and_counts(tmp_path: Path) -> None:
    table = MorphTable.read(_write(tmp_path, SMALL))
    assert len(table) == 8
    st = table.stats()
    assert (st["lines"], st["blank_lines"], st["duplicates"], st["skipped"]) == (10, 1, 1, {})
    assert (st["lemmas"], st["forms"], st["feature_bundles"]) == (4, 7, 4)
    assert st["pos"] == {"V": 7, "N": 1}
    assert list(table.rows())[:2] == [("run", "ran", "V;PST"), ("run", "runs", "V;3;SG;PRS")]
    assert table.inflect("run", "PST;V") == ("ran",)
    assert table.inflect("run", "V;PRS;3;SG") == ("runs",)
    assert table.inflect("dream", "V;PST") == ("dreamed", "dreamt")  # several forms kept in order, no repeat
    assert table.inflect("run", "V;FUT") == ()
    assert table.inflect("walk", "V;PST") == ()
    assert [e.form for e in table.paradigm("run")] == ["ran", "runs", "running"]
    assert table.analyze("dreamt") == (MorphEntry("dream", "dreamt", "V;PST", "PST;V"),
                                       MorphEntry("dream", "dreamt", "PST;V", "PST;V"))
    assert table.analyze("ran") == (MorphEntry("run", "ran", "V;PST", "PST;V"),)  # exact case by default
    assert [e.lemma for e in table.analyze("RAN", casefold=True)] == ["run", "Run"]
    assert table.lemmas() == ("run", "dream", "cat", "Run")
    assert table.lemmas(pos="N") == ("cat",)
    assert table.analyze("cats", pos="V") == ()
    assert [e.features for e in table.paradigm("cat", pos="N")] == ["N;PL"]
    assert table.inflect("run", "V;PRS;NOM(3,SG)", loose=True) == ("runs",)
    assert table.inflect("run", "V;PRS;NOM(3,SG)") == ()


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    """NA/null/quotes are text; multiword lemmas and forms stay; TAB is the only separator; U+2028 and
    vertical tab inside a field do not split the line (str.splitlines would)."""
    content = ('null\tnull\tV;NFIN\nNA\tNA\tN;SG\n"quoted\t\'tis "so"\tV;PST\nice cream\tice creams\tN;PL\n'
               "a\u2028b\tab\u2029c\tN;SG\nx y\tx  y\tN;SG\n")
    table = MorphTable.read(_write(tmp_path, content))
    assert [(e.lemma, e.form) for e in table] == [
        ("null", "null"), ("NA", "NA"), ('"quoted', "'tis \"so\""), ("ice cream", "ice creams"),
        ("a\u2028b", "ab\u2029c"), ("x y", "x  y")]
    df = table.to_pandas()
    assert list(df.columns) == ["lemma", "form", "features", "canonical", "pos"]
    assert df["lemma"].tolist()[:2] == ["null", "NA"]
    assert int(df["lemma"].isna().sum()) == 0
    assert df["pos"].tolist() == ["V", "N", "V", "N", "N", "N"]


def test_crlf_bom_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "café")
    content = "\ufeff" + f"{nfd}\t{nfd}s\tN;PL\r\n\r\nthé\tthés\tN;PL\r\n"
    table = MorphTable.read(_write(tmp_path, content))
    assert [(e.lemma, e.form, e.features) for e in table] == [("café", "cafés", "N;PL"), ("thé", "thés", "N;PL")]
    assert table.inflect(nfd, "N;PL") == ("cafés",)  # queries are NFC-normalised too
    assert table.stats()["blank_lines"] == 1


def test_whitespace_only_lines_are_blank(tmp_path: Path) -> None:
    table = MorphTable.read(_write(tmp_path, "a\tb\tN\n   \n\t\n\nc\td\tV\n"))
    assert (len(table), table.stats()["blank_lines"]) == (2, 3)


def test_layered_and_composite_features(tmp_path: Path) -> None:
    content = ("ke\tke-a\tV;PRS;NOM(3,SG)\nke\tke-b\tN;NOM(PL;PSS(1,PL))\nke\tke-c\tV;PST+RMT;1;SG\n"
               "ke\tke-d\tV;non{PST};ARGAC3SG;LGSPEC1\nke\tke-e\tV;MASC/FEM\n")
    table = MorphTable.read(_write(tmp_path, content))
    assert table.inflect("ke", "NOM(SG,3);V;PRS") == ("ke-a",)
    assert table.inflect("ke", "N;NOM(PSS(PL,1);PL)") == ("ke-b",)
    assert table.inflect("ke", "SG;1;RMT+PST;V") == ("ke-c",)
    assert table.inflect("ke", "LGSPEC1;ARGAC3SG;non{PST};V") == ("ke-d",)
    assert table.inflect("ke", "V;FEM/MASC") == ("ke-e",)
    assert table.analyze("ke-b")[0].features == "N;NOM(PL;PSS(1,PL))"  # original kept for output
    assert table.analyze("ke-b")[0].canonical == "N;NOM(PL;PSS(1,PL))"


@pytest.mark.parametrize("content, line, reason, message", [
    ("a\tb\tV\nlonely\n", 2, "columns",
     "expected 3 tab-separated columns (lemma, form, features), got 1; fix the row or read leniently to skip it"),
    ("a\tb\tV\tX\n", 1, "columns", "expected 3 tab-separated columns (lemma, form, features), got 4"),
    ("a\tb\tV\n\tb\tV\n", 2, "empty_field", "empty lemma column; fill it in or read leniently to skip the row"),
    ("a\t \tV\n", 1, "empty_field", "empty form column"),
    ("a\tb\t\n", 1, "empty_field", "empty features column"),
    ("a\tb\tV;NOM(3,SG\n", 1, "features", "unbalanced '(' in features 'V;NOM(3,SG'"),
    ("a\tb\tV\nx\x00\x01\x02y\tz\tV\n", 2, "binary", "binary data (NUL or control bytes)"),
])
def test_bad_rows_strict_and_lenient(tmp_path: Path, content: str, line: int, reason: str, message: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(FormatError) as info:
        MorphTable.read(path)
    assert str(info.value).startswith(f"{path}, line {line}: {message}")
    assert (info.value.line, info.value.reason) == (line, reason)
    table = MorphTable.read(path, strict=False)
    st = table.stats()
    assert st["skipped"] == {reason: 1}
    assert st["warnings"][0].startswith(f"{path}, line {line}: ")
    assert st["rows"] + st["duplicates"] + sum(st["skipped"].values()) == st["lines"] - st["blank_lines"]


def test_wrong_encoding(tmp_path: Path) -> None:
    path = _write(tmp_path, "a\tb\tV\ncaf\xe9\tcaf\xe9s\tN;PL\nc\td\tV\n".encode("latin-1"))
    with pytest.raises(FormatError) as info:
        MorphTable.read(path)
    assert str(info.value) == (f"{path}, line 2: not valid UTF-8 (byte 0xe9 at byte 4 of the line); re-encode "
                               "the file as UTF-8, e.g. `iconv -f LATIN1 -t UTF-8`")
    assert info.value.reason == "encoding"
    table = MorphTable.read(path, strict=False)
    assert [e.lemma for e in table] == ["a", "c"]
    assert table.stats()["skipped"] == {"encoding": 1}


def test_utf16_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "a\tb\tV\nc\td\tV\n".encode("utf-16"))
    with pytest.raises(FormatError, match=r"line 1: file is UTF-16 \(byte-order mark\); convert it to UTF-8"):
        MorphTable.read(path)
    table = MorphTable.read(path, strict=False)
    assert (len(table), table.stats()["skipped"]) == (0, {"encoding": 2})


def test_utf32_file_is_named_utf32(tmp_path: Path) -> None:
    path = _write(tmp_path, "a\tb\tV\n".encode("utf-32"))  # its mark starts with UTF-16's
    with pytest.raises(FormatError, match=r"line 1: file is UTF-32 \(byte-order mark\); .*iconv -f UTF-32 -t UTF-8"):
        MorphTable.read(path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(FormatError) as info:
        MorphTable.read(path)
    assert str(info.value).startswith(f"{path}: empty file: no lemma<TAB>form<TAB>features rows; check the path")
    assert info.value.reason == "empty_file"
    assert MorphTable.read(path, strict=False).stats()["skipped"] == {"empty_file": 1}


def test_merge_files_and_sha256(tmp_path: Path) -> None:
    one = _write(tmp_path, "a\tb\tV\nc\td\tV\n", "fin.1")
    two = _write(tmp_path, "c\td\tV\ne\tf\tN\n", "fin.2")
    table = MorphTable.read([one, two])
    assert [e.lemma for e in table] == ["a", "c", "e"]
    assert table.stats()["duplicates"] == 1
    assert table.sha256 == hashlib.sha256(one.read_bytes() + two.read_bytes()).hexdigest()
    assert MorphTable.read(one).sha256 == hashlib.sha256(one.read_bytes()).hexdigest()
    assert table.paths == (str(one), str(two))


def test_from_rows() -> None:
    table = MorphTable.from_rows([("go", "went", "V;PST"), ("go", "gone", "V;V.PTCP;PST")])
    assert table.inflect("go", "PST;V") == ("went",)
    with pytest.raises(FormatError, match="got 4"):
        MorphTable.from_rows([("go", "we\tnt", "V;PST")])


def test_for_language_layout(tmp_path: Path) -> None:
    """The unimorph package's cache: <home>/<iso>/<iso>, or numbered parts read in numeric order."""
    (tmp_path / "fin").mkdir()
    for n, row in [(10, "c\tc\tN\n"), (2, "b\tb\tN\n"), (1, "a\ta\tN\n")]:
        _write(tmp_path / "fin", row, f"fin.{n}")
    _write(tmp_path / "fin", "not a part", "fin.gloss")
    assert [p.name for p in resolve_unimorph_paths("fin", tmp_path)] == ["fin.1", "fin.2", "fin.10"]
    assert MorphTable.for_language("fi", home=tmp_path).lemmas() == ("a", "b", "c")  # ISO 639-1 accepted
    (tmp_path / "deu").mkdir()
    _write(tmp_path / "deu", "x\ty\tV\n", "deu")
    assert MorphTable.for_language("deu", home=tmp_path).lemmas() == ("x",)


def test_for_language_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNIMORPH", str(tmp_path))
    with pytest.raises(ResourceError) as info:
        MorphTable.for_language("zul")
    assert str(info.value) == (f"no UniMorph table for 'zul' in {tmp_path / 'zul'} (looked for zul and zul.1, zul.2, "
                               f"...); get it with `lexaug resources fetch zul` or `git clone "
                               f"https://github.com/unimorph/zul.git {tmp_path / 'zul'}` (what `unimorph download` does)")


# Real files ---------------------------------------------------------------------------------------------
# Counts checked independently with awk/sort/uniq (CR stripped): lines, blank lines, duplicates, rows kept,
# distinct lemmas, distinct forms.
REAL = {
    "amh/amh": (46224, 0, 145, 46079, 2461, 41274),
    "amh/amh.args": (46224, 0, 145, 46079, 2461, 41274),
    "eng/eng": (115524, 1, 0, 115523, 22765, 91870),
    "eng/eng.args": (115523, 0, 0, 115523, 22765, 91870),
    "gup/gup": (307, 0, 0, 307, 73, 302),
    "kbd/kbd": (3354, 262, 0, 3092, 250, 2974),
    "mlt/mlt": (3700, 116, 1822, 1762, 112, 1499),
    "nav/nav": (11884, 0, 0, 11884, 627, 11036),
    "sqi/sqi": (33484, 1, 0, 33483, 589, 28910),
    "swc/swc": (10200, 108, 716, 9376, 100, 6635),
    "swc/swc.sm": (4949, 0, 196, 4753, 97, 4753),
    "zul/zul": (49699, 580, 0, 49119, 566, 32352),
    "zul/zul.sm": (500, 0, 58, 442, 87, 440),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_file_counts(shared_data: Path, name: str) -> None:
    table = MorphTable.read(shared_data / "unimorph" / name)
    st = table.stats()
    lines, blank, dups, rows, lemmas, forms = REAL[name]
    assert (st["lines"], st["blank_lines"], st["duplicates"], st["rows"]) == (lines, blank, dups, rows)
    assert (st["lemmas"], st["forms"], st["skipped"]) == (lemmas, forms, {})
    assert st["rows"] + st["duplicates"] == st["lines"] - st["blank_lines"]
    assert not any("\r" in e.features or "\r" in e.form for e in table)


def test_every_real_file_is_covered(shared_data: Path) -> None:
    files = {str(p.relative_to(shared_data / "unimorph")) for p in (shared_data / "unimorph").glob("*/*")}
    docs = {f for f in files if f.endswith("README.md")}
    assert files - docs == set(REAL) | {"gup/notes", "amh/amh.gloss"}


def test_real_pos_and_quirks(shared_data: Path) -> None:
    um = shared_data / "unimorph"
    assert MorphTable.read(um / "amh/amh").stats()["pos"] == {"V": 24970, "N": 20280, "ADJ": 829}
    assert MorphTable.read(um / "zul/zul").stats()["pos"] == {"V": 25463, "N": 23044, "ADJ": 612}
    eng = MorphTable.read(um / "eng/eng")
    assert eng.inflect("abear", "V;V.PTCP;PST") == ("aborne", "aborn")
    assert eng.inflect("null", "V;NFIN") == ("null",)
    assert [e.lemma for e in eng.analyze("ran")] == ["rin", "run"]
    assert len(eng.lemmas(pos="V")) == 22765 and eng.lemmas(pos="N") == ()
    gup = MorphTable.read(um / "gup/gup")
    assert gup.inflect("na", "V;1;SG;ARGAC2;non{PST}") == ("nan",)
    mlt = MorphTable.read(um / "mlt/mlt")
    assert "semgħet" in mlt.inflect("sama'", "V;FIN;PST;PRF;2;SG")
    zul_sm = MorphTable.read(um / "zul/zul.sm")
    assert {e.features for e in zul_sm if "+" in e.features} == {"V;SG;1;PST+RMT", "V;SG;1;PST+RCT",
                                                                   "V;SG;1;FUT+IMMED"}


def test_real_notes_fail_clearly(shared_data: Path) -> None:
    path = shared_data / "unimorph" / "gup" / "notes"
    with pytest.raises(FormatError) as info:
        MorphTable.read(path)
    assert str(info.value) == (f"{path}, line 1: expected 3 tab-separated columns (lemma, form, features), got 1; "
                               "fix the row or read leniently to skip it")
    st = MorphTable.read(path, strict=False).stats()
    # 52 lines: 18 blank or whitespace-only (grep -c -P '^\s*$'), the other 34 have 1 or 2 columns
    assert (st["rows"], st["lines"], st["blank_lines"], st["skipped"]) == (0, 52, 18, {"columns": 34})


def test_real_gloss_file(shared_data: Path) -> None:
    path = shared_data / "unimorph" / "amh" / "amh.gloss"
    with pytest.raises(FormatError, match=r"amh.gloss, line 1: expected 3 tab-separated columns .* got 2 "
                                          r"\(a .gloss file is lemma<TAB>gloss"):
        MorphTable.read(path)
    glosses = Glosses.read(path)
    assert glosses.stats() == {"rows": 2226, "lines": 2230, "blank_lines": 0, "duplicates": 4, "skipped": {},
                               "lemmas": 2220}
    assert glosses.glosses("ተሻለ") == ("recover", "become better")


@pytest.mark.parametrize("strict", [True, False])
def test_gloss_file_in_utf16_is_an_error_in_either_mode(tmp_path: Path, strict: bool) -> None:
    # session 22: lenient reading skipped the first line and kept the others, each letter followed by a NUL
    path = _write(tmp_path, "go\tmove\nsee\tlook\n".encode("utf-16"), "x.gloss")
    with pytest.raises(FormatError, match=r"x.gloss, line 1: file is UTF-16 \(byte-order mark\)"):
        Glosses.read(path, strict=strict)


@pytest.mark.parametrize("name", ["mlt/mlt", "zul/zul", "zul/zul.sm", "amh/amh.args", "gup/gup", "nav/nav",
                                  "swc/swc.sm", "kbd/kbd"])
def test_real_round_trips(shared_data: Path, name: str) -> None:
    table = MorphTable.read(shared_data / "unimorph" / name)
    for entry in table:
        assert entry.form in table.inflect(entry.lemma, entry.features)
        assert any(a.lemma == entry.lemma and a.canonical == entry.canonical for a in table.analyze(entry.form))


@pytest.mark.slow
def test_real_round_trips_english(shared_data: Path) -> None:
    table = MorphTable.read(shared_data / "unimorph" / "eng" / "eng")
    misses = sum(entry.form not in table.inflect(entry.lemma, entry.features) or
                 (entry.lemma, entry.features) not in {(a.lemma, a.features) for a in table.analyze(entry.form)}
                 for entry in table)
    assert misses == 0


def test_real_eng_and_args_agree(shared_data: Path) -> None:
    eng = MorphTable.read(shared_data / "unimorph" / "eng" / "eng")
    args = MorphTable.read(shared_data / "unimorph" / "eng" / "eng.args")
    assert [row[:2] for row in eng.rows()] == [row[:2] for row in args.rows()]
    changed = Counter((a[2], b[2]) for a, b in zip(eng.rows(), args.rows()) if a[2] != b[2])
    assert changed == {("V;3;SG;PRS", "V;PRS;NOM(3,SG)"): 22785}
    assert eng.inflect("run", "V;PRS;NOM(3,SG)", loose=True) == args.inflect("run", "V;3;SG;PRS", loose=True) \
        == ("runs",)


def test_real_merge_and_language_lookup(shared_data: Path) -> None:
    um = shared_data / "unimorph"
    merged = MorphTable.read([um / "swc/swc", um / "swc/swc.sm"])
    assert (len(merged), merged.stats()["duplicates"]) == (14129, 912)
    assert len(MorphTable.for_language("en", home=um)) == 115523
    assert MorphTable.read(um / "mlt/mlt").sha256 == \
        "1d46d8f620cdf65c1d67893f819f3839f3bf466f24c289b10be98d2f788db388"
    assert canonical_features("V;3;SG;PRS") == "3;PRS;SG;V"
