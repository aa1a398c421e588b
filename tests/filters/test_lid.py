"""fastText language identification on models trained inside the test (no downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexaug.errors import ResourceError
from lexaug.filters.lid import LanguageIdentifier, LidFilter, parse_label
from lexaug.types import Record

fasttext = pytest.importorskip("fasttext")

from lid_helpers import ENGLISH, PSEUDO, sentences as _sentences, train_model as _train  # noqa: E402


@pytest.fixture(scope="module")
def lid176_style(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("lid176")
    return _train(tmp, {"en": _sentences(ENGLISH, 300, 1), "sw": _sentences(PSEUDO, 300, 2)}, "lid176")


@pytest.fixture(scope="module")
def nllb_style(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("nllb")
    return _train(tmp, {"eng_Latn": _sentences(ENGLISH, 300, 3), "swh_Latn": _sentences(PSEUDO, 300, 4)}, "nllb")


def test_label_normalisation_for_both_styles():
    assert parse_label("__label__en") == ("eng", None)
    assert parse_label("__label__eng_Latn") == ("eng", "Latn")
    assert parse_label("__label__bjn_Arab") == ("bjn", "Arab")
    assert parse_label("__label__sw") == ("swa", None)


@pytest.mark.parametrize("style", ["lid176_style", "nllb_style"])
def test_predictions_are_canonical_codes_with_scores(style, request):
    lid = LanguageIdentifier(request.getfixturevalue(style))
    guesses = lid.predict(["the man was in the house of his father", "kalu meno sawi tuba ngoro fela"], k=2)
    assert guesses[0][0].lang == "eng"
    assert guesses[1][0].lang in {"swa", "swh"}
    for top in guesses:
        assert 0.0 <= top[1].score <= top[0].score <= 1.0


def test_newlines_inside_a_text_are_read_as_spaces(lid176_style):
    lid = LanguageIdentifier(lid176_style)
    assert lid.predict(["the man\nwas in\r\nthe house"])[0][0].lang == "eng"


def test_filter_keeps_annotates_and_counts(nllb_style):
    lid = LidFilter(LanguageIdentifier(nllb_style), keep=["en"], min_score=0.5)
    records = [Record(str(i), [text]) for i, text in enumerate(
        ["the man was in the house", "kalu meno sawi tuba ngoro", "he had not and was", "dimbu osi warra lemi"]
    )]
    kept = list(lid.filter(records, batch_size=3))
    assert [r.id for r in kept] == ["0", "2"]
    assert kept[0].meta["lid"]["lang"] == "eng" and kept[0].meta["lid"]["script"] == "Latn"
    assert records[1].meta["lid"]["lang"] == "swh"  # dropped records are annotated too
    assert lid.stats == {"lid_seen": 4, "lid_kept": 2, "lid_other_language": 2}


def test_min_score_alone_drops_uncertain_records(lid176_style):
    lid = LidFilter(LanguageIdentifier(lid176_style), min_score=1.01)
    assert list(lid.filter([Record("0", ["the house"])])) == []
    assert lid.stats["lid_low_score"] == 1


def test_missing_or_invalid_model_is_a_clear_error(tmp_path):
    with pytest.raises(ResourceError, match="no fastText model"):
        LanguageIdentifier(tmp_path / "absent.bin")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(ResourceError, match="not a fastText model"):
        LanguageIdentifier(bad)


def test_real_text_english_versus_wolof(shared_data, tmp_path):
    """Train on KJV verses and Wolof UD sentences, identify held-out lines of each."""
    kjv = (shared_data / "text" / "kjv_verses.txt").read_text(encoding="utf-8").splitlines()
    wolof = [
        line.split("=", 1)[1].strip()
        for line in (shared_data / "ud" / "UD_Wolof-WTB" / "wo_wtb-ud-test.conllu").read_text(encoding="utf-8").splitlines()
        if line.startswith("# text =")
    ]
    assert len(wolof) > 400
    model = _train(tmp_path, {"en": kjv[:2000], "wo": wolof[:300]}, "real")
    lid = LidFilter(LanguageIdentifier(model), keep=["wol"])
    held_out = [Record(f"e{i}", [t]) for i, t in enumerate(kjv[-200:])] + [
        Record(f"w{i}", [t]) for i, t in enumerate(wolof[300:400])
    ]
    kept = list(lid.filter(held_out))
    wolof_kept = sum(r.id.startswith("w") for r in kept)
    english_kept = sum(r.id.startswith("e") for r in kept)
    assert wolof_kept >= 90 and english_kept <= 5
