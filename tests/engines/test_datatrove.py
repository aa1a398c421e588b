"""The datatrove steps give the same texts as the local engine (LocalPipelineExecutor, 1 and 2 tasks)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from lexaug.engines.datatrove import LexaugReader, LexaugSynthesize  # noqa: E402
from lexaug.errors import ConfigError  # noqa: E402
from lexaug.synthesis import SynthesisOptions, run_synthesis  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def run_datatrove(corpus: Path, options: SynthesisOptions, folder: Path, tasks: int, **reader: object) -> dict:
    executor = LocalPipelineExecutor(
        [LexaugReader(str(corpus), **reader), LexaugSynthesize(options), JsonlWriter(str(folder / "out"))],
        tasks=tasks, workers=tasks, logging_dir=str(folder / "logs"))
    executor.run()
    docs = {}
    for path in sorted((folder / "out").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                docs[int(doc["id"])] = doc
    return docs


def local_lines(corpus: Path, options: SynthesisOptions, out: Path) -> list[str]:
    run_synthesis(options, str(corpus), str(out), provenance=False)
    return out.read_text(encoding="utf-8").split("\n")


def test_samples_same_texts_as_local_engine(tmp_path):
    options = SynthesisOptions(langs=("spa",), lexicons=(str(SAMPLES / "en_es.tsv"),), seed=11)
    corpus = SAMPLES / "english.txt"
    local = local_lines(corpus, options, tmp_path / "local.txt")
    docs = run_datatrove(corpus, options, tmp_path / "dt", tasks=2, chunk_records=10)
    assert sorted(docs) == list(range(46))
    assert [docs[i]["text"] for i in range(46)] == local[:46]
    assert docs[3]["metadata"]["lexaug"]["source_id"] == "3"
    assert docs[3]["metadata"]["lexaug"]["seed"] == 11


def test_reader_rejects_token_formats():
    with pytest.raises(ConfigError, match="text or jsonl"):
        LexaugReader("x.conll", fmt="conll")
    with pytest.raises(ConfigError, match="either options or a generator"):
        LexaugSynthesize()


@pytest.mark.slow
@pytest.mark.parametrize("tasks", [1, 2])
def test_kjv_same_texts_as_local_engine(tmp_path, shared_data, tasks):
    corpus = shared_data / "text" / "kjv_verses.txt"
    options = SynthesisOptions(langs=("xx",), lexicons=(str(shared_data / "bench" / "lex_en_xx.tsv"),), seed=3)
    local = local_lines(corpus, options, tmp_path / "local.txt")
    docs = run_datatrove(corpus, options, tmp_path / "dt", tasks=tasks)
    assert len(docs) == 31100
    assert all(docs[i]["text"] == local[i] for i in range(31100))
