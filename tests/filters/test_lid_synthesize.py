"""`lexaug synthesize --lid-model`: clean the input by language, annotate output records with theirs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli

pytest.importorskip("fasttext")

from lid_helpers import ENGLISH, PSEUDO, sentences, train_model  # noqa: E402

LEXICON = {en: PSEUDO[i % len(PSEUDO)] for i, en in enumerate(ENGLISH)}


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lidsynth")
    model = train_model(tmp, {"en": sentences(ENGLISH, 300, 1), "wo": sentences(PSEUDO, 300, 2)}, "lid")
    lexicon = tmp / "en_wo.tsv"
    lexicon.write_text("".join(f"{en}\t{xx}\n" for en, xx in LEXICON.items()), encoding="utf-8")
    corpus = tmp / "in.jsonl"
    lines = ["the man was in the house of his father", "kalu meno sawi tuba ngoro fela dimbu",
             "he had not been at that place", "osi warra lemi kutu bango tisa"]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in lines), encoding="utf-8")
    return tmp, model, lexicon, corpus


def _run(tmp, model, lexicon, corpus, *extra):
    out = tmp / "out.jsonl"
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "wol", "--lexicon", str(lexicon), "--input",
                                      str(corpus), "--output", str(out), "--lid-model", str(model), *extra])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp / "out.jsonl.manifest.json").read_text())
    return [json.loads(line) for line in out.read_text().splitlines()], manifest


def test_input_cleaned_by_language_and_counted(setup):
    rows, manifest = _run(*setup, "--lid-keep", "en", "--workers", "2", "--chunk-records", "1")
    assert len(rows) == 2  # the two lines already in the target language were not English input
    counts = manifest["counts"]
    assert counts["records_in"] == 4 and counts["records_out"] == 2 and counts["records_filtered"] == 2
    assert manifest["generator_stats"]["filtered:lid_other_language"] == 2
    assert manifest["options"]["lid_keep"] == ["en"]


def test_output_annotated_with_its_language(setup):
    rows, manifest = _run(*setup)
    assert len(rows) == 4
    assert [row["lexaug"]["lid"]["lang"] for row in rows] == ["wol"] * 4  # all words were translated
    assert all(0.5 < row["lexaug"]["lid"]["score"] <= 1.0 for row in rows)
    assert manifest["generator_stats"]["lid_output:wol"] == 4


def test_lid_options_without_a_model_or_with_a_bad_one(setup):
    tmp, _, lexicon, corpus = setup
    base = ["synthesize", "--lang", "wol", "--lexicon", str(lexicon), "--input", str(corpus),
            "--output", str(tmp / "x.jsonl")]
    result = CliRunner().invoke(cli, base + ["--lid-keep", "en"])
    assert result.exit_code == 1 and "--lid-keep and --lid-min-score need --lid-model" in result.output
    result = CliRunner().invoke(cli, base + ["--lid-model", str(tmp / "missing.bin")])
    assert result.exit_code == 1 and "no fastText model there" in result.output
    assert not (tmp / "x.jsonl").exists()
