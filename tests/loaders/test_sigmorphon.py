"""lexaug.loaders.sigmorphon: every shared-task layout, quirks, writers; real 2017 and 2022 files."""

from __future__ import annotations

import glob
import unicodedata
from pathlib import Path

import pytest

from lexaug.errors import ConfigError, FormatError
from lexaug.loaders.sigmorphon import (
    LEMMA_FEATURES_FORM,
    LEMMA_FORM_FEATURES,
    looks_like_features,
    parse_name,
    read_sigmorphon,
    write_predictions,
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_2022_three_columns_with_blank_lines_crlf_duplicates(tmp_path):
    path = _write(tmp_path, "xyz_small.train",
                  "walk\twalked\tV;PST\r\n\r\nwalk\twalked\tV;PST\r\ngo\twent\tV;PST\r\ncome in\tcame in\tV;PST\r\n")
    data = read_sigmorphon(path)
    assert data.layout == LEMMA_FORM_FEATURES and not data.covered
    assert data.triples() == [("walk", "walked", "V;PST"), ("walk", "walked", "V;PST"), ("go", "went", "V;PST"),
                              ("come in", "came in", "V;PST")]
    assert [it.line for it in data] == [1, 3, 4, 5]
    assert data.stats == {"crlf_lines": 5, "blank_lines": 1, "duplicate_rows": 1, "rows": 4}


def test_lemma_features_form_layouts_are_sniffed(tmp_path):
    y2016 = _write(tmp_path, "german-task1-train", "Hund\tpos=N,case=DAT,num=PL\tHunden\nsehen\tpos=V,tense=PST\tsah\n")
    y2023 = _write(tmp_path, "eng.trn", "walk\tV;PST\twalked\nsee\tV;PRS;NOM(3,SG)\tsees\n")
    assert read_sigmorphon(y2016).layout == LEMMA_FEATURES_FORM
    assert read_sigmorphon(y2016).triples()[0] == ("Hund", "Hunden", "pos=N,case=DAT,num=PL")
    assert read_sigmorphon(y2023).triples() == [("walk", "walked", "V;PST"), ("see", "sees", "V;PRS;NOM(3,SG)")]
    # An explicit layout overrides sniffing.
    forced = read_sigmorphon(y2023, layout=LEMMA_FORM_FEATURES)
    assert forced.triples()[0] == ("walk", "V;PST", "walked")


def test_covered_files_two_columns_and_empty_middle(tmp_path):
    old = read_sigmorphon(_write(tmp_path, "english-covered-test", "enwind\t\tV;PST\nbehallow\t\tV;NFIN\n"))
    new = read_sigmorphon(_write(tmp_path, "eng.covered.tst", "enwind\tV;PST\nbehallow\tV;NFIN\n"))
    for data in (old, new):
        assert data.covered
        assert data.pairs() == [("enwind", "V;PST"), ("behallow", "V;NFIN")]
        assert [it.form for it in data] == [None, None]
    with pytest.raises(FormatError, match="covered test file"):
        new.triples()


def test_several_gold_forms_and_non_nfc_kept_verbatim(tmp_path):
    nfd = unicodedata.normalize("NFD", "café")
    path = _write(tmp_path, "x.gold", f"dream\tdreamed\tV;PST\ndream\tdreamt\tV;PST\n{nfd}\t{nfd}s\tN;PL\n")
    data = read_sigmorphon(path)
    assert data.gold()[("dream", "V;PST")] == ("dreamed", "dreamt")
    assert data.items[2].lemma == nfd and data.items[2].lemma != "café"
    assert data.stats["non_nfc_rows"] == 1


def test_bad_rows_strict_and_lenient(tmp_path):
    path = _write(tmp_path, "bad.train", "walk\twalked\tV;PST\nlonely\nx\ty\tz\tw\n\twent\tV;PST\n")
    with pytest.raises(FormatError) as err:
        read_sigmorphon(path)
    assert "bad.train, line 2: expected 2 or 3 tab-separated columns, got 1" in str(err.value)
    data = read_sigmorphon(path, strict=False)
    assert data.triples() == [("walk", "walked", "V;PST")]
    assert data.stats["skipped_columns"] == 2 and data.stats["skipped_empty"] == 1


def test_mixed_covered_and_gold_rows(tmp_path):
    path = _write(tmp_path, "mixed.dev", "walk\twalked\tV;PST\ngo\t\tV;PST\n")
    with pytest.raises(FormatError, match="line 2: row has no form"):
        read_sigmorphon(path)
    assert read_sigmorphon(path, strict=False).stats["skipped_missing_form"] == 1


def test_prediction_files_keep_rows_that_predicted_nothing(tmp_path):
    """`predictions=True`: an empty form column is an (empty, wrong) prediction, kept in place and listed; a row
    without the column is still an error; a file without any form is a covered file still (given as --pred by
    mistake, it is refused rather than scored 0)."""
    path = _write(tmp_path, "x.pred", "walk\twalked\tV;PST\ngo\t\tV;PST\nsee\tsaw\tV;PST\n")
    data = read_sigmorphon(path, predictions=True)
    assert data.triples() == [("walk", "walked", "V;PST"), ("go", "", "V;PST"), ("see", "saw", "V;PST")]
    assert data.empty_lines == (2,) and data.stats["empty_forms"] == 1 and not data.covered
    path = _write(tmp_path, "y.pred", "walk\twalked\tV;PST\ngo\t\tV;PST\nsee\tV;PST\n")
    with pytest.raises(FormatError, match="line 3: row has no form"):
        read_sigmorphon(path, predictions=True)
    lenient = read_sigmorphon(path, predictions=True, strict=False)
    assert [it.line for it in lenient] == [1, 2] and lenient.stats["skipped_missing_form"] == 1
    path = _write(tmp_path, "z.pred", "go\tV;PST\t\nsee\tV;PST\t\n")
    for flag in (True, False):
        data = read_sigmorphon(path, layout=LEMMA_FEATURES_FORM, predictions=flag)
        assert data.covered and data.empty_lines == () and "empty_forms" not in data.stats
        with pytest.raises(FormatError, match="covered test file"):
            data.triples()


def test_bom_and_unknown_layout(tmp_path):
    path = _write(tmp_path, "bom.train", "\ufeffwalk\twalked\tV;PST\n")
    assert read_sigmorphon(path).items[0].lemma == "walk"
    with pytest.raises(ConfigError, match="unknown layout"):
        read_sigmorphon(path, layout="form-lemma")


@pytest.mark.parametrize("name, expected", [
    ("german-train-low", ("german", "low", "train")),
    ("finnish-uncovered-test", ("finnish", None, "gold")),
    ("english-covered-test", ("english", None, "test")),
    ("ang_small.train", ("ang", "small", "train")),
    ("kaz.gold", ("kaz", None, "gold")),
    ("eng.trn", ("eng", None, "train")),
    ("eng.covered.tst", ("eng", None, "test")),
    ("old-norse-dev", ("old-norse", None, "dev")),
])
def test_parse_name(name, expected):
    got = parse_name(name)
    assert (got["lang"], got["setting"], got["split"]) == expected


def test_features_recogniser():
    assert looks_like_features("V;PST;3;SG") and looks_like_features("V;PRS;NOM(3,SG)")
    assert looks_like_features("V;2:PL;PRS;PRF:COL") and looks_like_features("pos=V,tense=PST")
    assert not looks_like_features("walked") and not looks_like_features("came in")


def test_writer_echoes_verbatim_in_order(tmp_path):
    nfd = unicodedata.normalize("NFD", "é")
    pairs = [(f"a{nfd}", "V;PST"), ("b c", "N;PL;LGSPEC01")]
    out = tmp_path / "pred"
    assert write_predictions(out, pairs, ["x", "y z"]) == 2
    assert out.read_bytes().decode("utf-8") == f"a{nfd}\tx\tV;PST\nb c\ty z\tN;PL;LGSPEC01\n"
    write_predictions(out, pairs, ["x", "y z"], layout=LEMMA_FEATURES_FORM)
    assert out.read_text(encoding="utf-8").splitlines()[1] == "b c\tN;PL;LGSPEC01\ty z"
    assert read_sigmorphon(out).triples()[1] == ("b c", "y z", "N;PL;LGSPEC01")
    with pytest.raises(ConfigError, match="2 inputs but 1 forms"):
        write_predictions(out, pairs, ["x"])


def test_real_2022_files(shared_data):
    folder = shared_data / "sigmorphon2022"
    sizes = {Path(p).name: len(read_sigmorphon(p)) for p in glob.glob(str(folder / "*_small.train"))}
    assert len(sizes) == 23
    assert {k: v for k, v in sizes.items() if v != 700} == {
        "ckt_small.train": 167, "hsb_small.train": 240, "hsi_small.train": 70, "ket_small.train": 630,
        "slp_small.train": 240, "kaz_small.train": 7000}
    spaces = 0
    for path in glob.glob(str(folder / "*.train")):
        data = read_sigmorphon(path)
        assert data.layout == LEMMA_FORM_FEATURES and not data.covered
        spaces += sum(" " in it.lemma or " " in (it.form or "") for it in data)
    assert spaces == 9423
    test, gold = read_sigmorphon(folder / "ang.test"), read_sigmorphon(folder / "ang.gold")
    assert test.covered and len(test) == len(gold) == 1969 and test.pairs() == gold.pairs()
    assert read_sigmorphon(folder / "mag_small.train").stats["non_nfc_rows"] == 59


def test_real_2017_files(shared_data):
    folder = shared_data / "conll2017"
    covered = read_sigmorphon(folder / "persian-covered-test")
    assert covered.covered and len(covered) == 1000
    assert covered.pairs() == read_sigmorphon(folder / "persian-uncovered-test").pairs()
    high = read_sigmorphon(folder / "persian-train-high")
    assert high.layout == LEMMA_FORM_FEATURES and len(high) == 10000
    assert sum(":" in it.features for it in high) == 1495
    assert sum(" " in it.lemma or " " in (it.form or "") for it in high) == 8466
