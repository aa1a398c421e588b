"""`evaluate classify` trains fastText with character 3-5-grams by default (`--word-features` turns them off);
the setting is recorded in the result JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli


SPORT, FOOD = ["ball", "goal", "team"], ["bread", "rice", "soup"]
TARGET = {"ball": "bola", "goal": "goli", "team": "timu", "bread": "mkate", "rice": "wali", "soup": "supu",
          "the": "ile", "is": "ni", "good": "nzuri", "we": "sisi", "like": "penda"}
FILLER = ["the", "is", "good", "we", "like"]


def _rows(n: int, translate: bool) -> str:
    """TSV rows: four filler words and one topic word; the label is the topic. Target-language rows share no
    word and almost no character 3-gram with the English ones, so only translation can carry the topic."""
    rows = []
    for i in range(n):
        label, topic = ("sport", SPORT) if i % 2 else ("food", FOOD)
        words = [FILLER[(i * 7 + k) % len(FILLER)] for k in range(4)] + [topic[(i // 2) % 3]]
        words = words[i % 5:] + words[:i % 5]
        rows.append(f"{i}\t{label}\t{' '.join(TARGET[w] if translate else w for w in words)}\n")
    return "index_id\tlabel\ttext\n" + "".join(rows)


@pytest.mark.parametrize("flag, expected", [(None, (3, 5)), ("--word-features", (0, 0)), ("--char-ngrams", (3, 5))])
def test_char_ngrams_default_and_recorded(tmp_path, flag, expected):
    pytest.importorskip("fasttext")
    train, test = tmp_path / "train.tsv", tmp_path / "test.tsv"
    train.write_text(_rows(60, translate=False), encoding="utf-8")
    test.write_text(_rows(40, translate=True), encoding="utf-8")
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("".join(f"{en}\t{xx}\n" for en, xx in TARGET.items()), encoding="utf-8")
    out = tmp_path / "r.json"
    args = ["evaluate", "classify", "--train", str(train), "--test", str(test), "--lang", "xx", "--lexicon",
            str(lexicon), "--seeds", "1", "--samples", "1", "--output", str(out)]
    result = CliRunner().invoke(cli, args + ([flag] if flag else []))
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert (report["settings"]["fasttext"]["minn"], report["settings"]["fasttext"]["maxn"]) == expected
    # the test set is in the target language: translated training data finds the topic words, English does not.
    # Not "== 100": fastText trains with several threads (Hogwild updates), so an item may flip now and then
    assert report["synthetic"]["accuracy"]["mean"] >= 90.0
    assert report["source"]["accuracy"]["mean"] <= 75.0
