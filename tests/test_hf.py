"""`lexaug.hf.LexaugMap` with `Dataset.map` (num_proc 1 and 2) equals `lexaug synthesize`'s output for the same
rows; `synthesize --input` reads a folder saved by `save_to_disk`. No hub access: datasets are built in memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")
pq = pytest.importorskip("pyarrow.parquet")

from click.testing import CliRunner  # noqa: E402

from lexaug.errors import ConfigError, FormatError  # noqa: E402
from lexaug.hf import LexaugMap  # noqa: E402
from lexaug.synthesis import SynthesisOptions  # noqa: E402
from lexaug_cli.main import cli  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "resources" / "samples"
LEXICON = str(SAMPLES / "en_es.tsv")


def sample_dataset() -> "datasets.Dataset":
    lines = SAMPLES.joinpath("english.txt").read_text(encoding="utf-8").splitlines()
    return datasets.Dataset.from_dict({
        "text": lines, "n": list(range(len(lines))), "tokens": [line.split() for line in lines],
        "ner_tags": [[k % 2 for k in range(len(line.split()))] for line in lines],
    })


def cli_synthesize(*args: str) -> None:
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "spa", "--lexicon", LEXICON, *args])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("num_proc", [1, 2])
def test_map_equals_cli_jsonl(tmp_path, num_proc):
    ds = sample_dataset().select_columns(["text", "n"])
    with open(tmp_path / "in.jsonl", "w", encoding="utf-8") as fh:
        for row in ds:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    # --min-replacements 7 filters rows: the map drops the same rows the CLI drops
    cli_synthesize("--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out.jsonl"), "--seed", "7",
                   "--min-replacements", "7")
    expected = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    fn = LexaugMap(SynthesisOptions(langs=("spa",), lexicons=(LEXICON,), seed=7, min_replacements=7))
    out = ds.map(fn, batched=True, batch_size=8, with_indices=True, num_proc=num_proc)
    assert 0 < len(expected) < len(ds)
    assert out.to_list() == expected
    if num_proc == 1:  # without num_proc, datasets calls `fn` itself (with num_proc, even 1, it calls copies)
        assert ds.map(fn, batched=True, with_indices=True).to_list() == expected
        assert fn.stats["records_in"] == len(ds) and fn.stats["records_out"] == len(expected)
        assert fn.stats["records_filtered"] == len(ds) - len(expected)


def test_map_tokens_equals_cli_on_saved_dataset_folder(tmp_path):
    ds = sample_dataset()
    ds.save_to_disk(str(tmp_path / "saved"))
    cli_synthesize("--input", str(tmp_path / "saved"), "--output", str(tmp_path / "out.parquet"),
                   "--tokens-field", "tokens", "--labels-field", "ner_tags", "--chunk-records", "10")
    fn = LexaugMap(SynthesisOptions(langs=("spa",), lexicons=(LEXICON,)), tokens_field="tokens",
                   labels_field="ner_tags")
    out = ds.map(fn, batched=True, with_indices=True, num_proc=2)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.to_pylist() == out.to_list()
    assert out["ner_tags"] == ds["ner_tags"] and out["text"] == ds["text"]
    assert out["tokens"][0][:2] != ds["tokens"][0][:2]
    # the Parquet file keeps the dataset's features: datasets reads it back with the same types
    assert datasets.Dataset.from_parquet(str(tmp_path / "out.parquet")).features["ner_tags"] == ds.features["ner_tags"]


def test_saved_dataset_dict_and_bad_columns(tmp_path):
    datasets.DatasetDict({"train": sample_dataset()}).save_to_disk(str(tmp_path / "dd"))
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "spa", "--lexicon", LEXICON, "--input",
                                      str(tmp_path / "dd"), "--output", str(tmp_path / "o.parquet")])
    assert result.exit_code == 1
    assert f"a DatasetDict folder; pass one split's folder, e.g. {tmp_path / 'dd' / 'train'}" in result.output
    fn = LexaugMap(SynthesisOptions(langs=("spa",), lexicons=(LEXICON,)), text_field="body")
    with pytest.raises(ConfigError, match="no column 'body'"):
        fn({"text": ["a"]}, [0])
    bad = LexaugMap(SynthesisOptions(langs=("spa",), lexicons=(LEXICON,)), tokens_field="t", labels_field="l")
    with pytest.raises(FormatError, match="row 5: 1 tokens in 't' but 2 labels in 'l'"):
        bad({"t": [["man"]], "l": [[0, 1]]}, [5])
    lenient = LexaugMap(SynthesisOptions(langs=("spa",), lexicons=(LEXICON,)), tokens_field="t", labels_field="l",
                        strict=False, provenance=False)
    assert lenient({"t": [["man"], ["woman"]], "l": [[0, 1], [0]]}, [5, 6]) == {"t": [["mujer"]], "l": [[0]]}
    assert lenient.stats["skipped:labels"] == 1


def test_counts_with_num_proc_stay_in_the_workers_and_the_documented_totals(tmp_path):
    """README "datasets": with `num_proc` the workers' counts are not summed into `fn.stats` (it stays empty, never
    partial); the totals come from the row counts, or, all of them, from `lexaug synthesize` on the saved folder,
    whose manifest holds what `fn.stats` holds after a map without `num_proc`."""
    ds = sample_dataset().select_columns(["text", "n"])
    options = SynthesisOptions(langs=("spa",), lexicons=(LEXICON,), seed=7, min_replacements=7)
    fn = LexaugMap(options, provenance=False)
    out = ds.map(fn, batched=True, batch_size=8, with_indices=True, num_proc=2)
    assert not fn.stats
    single = LexaugMap(options, provenance=False)
    assert ds.map(single, batched=True, batch_size=8, with_indices=True).to_list() == out.to_list()
    assert single.stats["records_in"] == len(ds) and single.stats["records_out"] == len(out)
    assert single.stats["records_filtered"] == len(ds) - len(out) > 0
    ds.save_to_disk(str(tmp_path / "saved"))
    cli_synthesize("--input", str(tmp_path / "saved"), "--output", str(tmp_path / "out.parquet"), "--seed", "7",
                   "--min-replacements", "7", "--no-provenance", "--workers", "2", "--chunk-records", "8")
    assert pq.read_table(tmp_path / "out.parquet").to_pylist() == out.to_list()
    counts = json.loads((tmp_path / "out.parquet.manifest.json").read_text(encoding="utf-8"))["counts"]
    for key in ("records_in", "records_out", "records_filtered", "tokens", "replaced"):
        assert counts[key] == single.stats[key], key
