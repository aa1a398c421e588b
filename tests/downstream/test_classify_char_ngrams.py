"""`evaluate classify` trains fastText with character 3-5-grams by default (`--word-features` turns them off);
the setting is recorded in the result JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli


@pytest.mark.parametrize("flag, expected", [(None, (3, 5)), ("--word-features", (0, 0)), ("--char-ngrams", (3, 5))])
def test_char_ngrams_default_and_recorded(tmp_path, flag, expected):
    pytest.importorskip("fasttext")
    train = tmp_path / "train.tsv"
    rows = "".join(f"{i}\t{'x' if i % 2 else 'y'}\t{'good ball' if i % 2 else 'bad rice'} {i}\n" for i in range(40))
    train.write_text("index_id\tlabel\ttext\n" + rows, encoding="utf-8")
    lexicon = tmp_path / "en_xx.tsv"
    lexicon.write_text("good\tnzuri\nball\tbola\nbad\tmbaya\nrice\twali\n", encoding="utf-8")
    out = tmp_path / "r.json"
    args = ["evaluate", "classify", "--train", str(train), "--test", str(train), "--lang", "xx", "--lexicon",
            str(lexicon), "--seeds", "1", "--samples", "1", "--output", str(out)]
    result = CliRunner().invoke(cli, args + ([flag] if flag else []))
    assert result.exit_code == 0, result.output
    fasttext = json.loads(out.read_text())["settings"]["fasttext"]
    assert (fasttext["minn"], fasttext["maxn"]) == expected
    # words that separate the labels: far above chance (50%). Not "== 100": fastText trains with several
    # threads (Hogwild updates), so one of the 40 items sometimes flips with character n-grams (seen: 97.5)
    assert json.loads(out.read_text())["synthetic"]["accuracy"]["mean"] >= 90.0
