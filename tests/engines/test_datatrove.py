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


# --- datatrove's own readers ---------------------------------------------------------------------------------

def sample_rows() -> list[str]:
    return SAMPLES.joinpath("english.txt").read_text(encoding="utf-8").splitlines()


def write_shards(folder: Path, rows: list[str], sizes: tuple[int, ...]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    folder.mkdir()
    start = 0
    for k, size in enumerate(sizes):
        part = rows[start:start + size]
        pq.write_table(pa.table({"text": part, "n": list(range(start, start + size))}),
                       folder / f"part-{k:02d}.parquet", row_group_size=5)
        start += size


def docs_of(folder: Path) -> list[dict]:
    docs = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            docs += [json.loads(line) for line in fh]
    return docs


def run_pipeline(steps: list, folder: Path, tasks: int) -> list[dict]:
    LocalPipelineExecutor([*steps, JsonlWriter(str(folder / "out"))], tasks=tasks, workers=tasks,
                          logging_dir=str(folder / "logs")).run()
    return docs_of(folder / "out")


@pytest.mark.parametrize("tasks", [1, 2])
def test_parquet_reader_over_shards_equals_local_engine_on_concatenation(tmp_path, tasks):
    pq = pytest.importorskip("pyarrow.parquet")
    from datatrove.pipeline.readers import ParquetReader

    from lexaug.engines.datatrove import row_offsets

    rows = sample_rows()
    write_shards(tmp_path / "shards", rows, (20, 7, len(rows) - 27))
    pq.write_table(pq.read_table(tmp_path / "shards"), tmp_path / "all.parquet")
    options = SynthesisOptions(langs=("spa",), lexicons=(str(SAMPLES / "en_es.tsv"),), seed=4)
    run_synthesis(options, str(tmp_path / "all.parquet"), str(tmp_path / "local.parquet"), chunk_records=8)
    local = pq.read_table(tmp_path / "local.parquet").column("text").to_pylist()
    offsets = row_offsets(str(tmp_path / "shards"))
    assert offsets == {"part-00.parquet": 0, "part-01.parquet": 20, "part-02.parquet": 27}
    docs = run_pipeline([ParquetReader(str(tmp_path / "shards")),
                         LexaugSynthesize(options, id_from="index", offsets=offsets)], tmp_path / "dt", tasks)
    by_index = {int(d["metadata"]["lexaug"]["source_id"]): d for d in docs}
    assert sorted(by_index) == list(range(len(rows)))
    assert [by_index[i]["text"] for i in range(len(rows))] == local
    assert all(by_index[i]["metadata"]["n"] == i for i in by_index)  # the other columns travel in metadata


def test_jsonl_reader_with_id_from_a_field_equals_the_cli(tmp_path):
    from datatrove.pipeline.readers import JsonlReader

    rows = sample_rows()
    (tmp_path / "in").mkdir()
    with open(tmp_path / "in" / "c.jsonl", "w", encoding="utf-8") as fh:
        for i, text in enumerate(rows):
            fh.write(json.dumps({"text": text, "row": i}) + "\n")
    options = SynthesisOptions(langs=("spa",), lexicons=(str(SAMPLES / "en_es.tsv"),), seed=9)
    run_synthesis(options, str(tmp_path / "in" / "c.jsonl"), str(tmp_path / "local.jsonl"))
    local = [json.loads(line) for line in (tmp_path / "local.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = run_pipeline([JsonlReader(str(tmp_path / "in")), LexaugSynthesize(options, id_from="row")],
                        tmp_path / "dt", 1)
    assert [d["text"] for d in docs] == [r["text"] for r in local]
    assert [d["metadata"]["lexaug"] for d in docs] == [r["lexaug"] for r in local]


@pytest.mark.parametrize("tasks", [1, 2])
def test_hf_reader_from_disk_with_index_ids(tmp_path, tasks):
    datasets = pytest.importorskip("datasets")
    from datatrove.pipeline.readers import HuggingFaceDatasetReader

    rows = sample_rows()
    datasets.Dataset.from_dict({"text": rows}).save_to_disk(str(tmp_path / "saved"))
    options = SynthesisOptions(langs=("spa",), lexicons=(str(SAMPLES / "en_es.tsv"),), seed=2)
    run_synthesis(options, str(SAMPLES / "english.txt"), str(tmp_path / "local.txt"), provenance=False)
    local = (tmp_path / "local.txt").read_text(encoding="utf-8").splitlines()
    docs = run_pipeline([HuggingFaceDatasetReader(str(tmp_path / "saved"), load_from_disk=True),
                         LexaugSynthesize(options, id_from="hf_index")], tmp_path / "dt", tasks)
    by_index = {int(d["metadata"]["lexaug"]["source_id"]): d["text"] for d in docs}
    assert sorted(by_index) == list(range(len(rows)))
    assert [by_index[i] for i in range(len(rows))] == local


def test_record_id_errors():
    from datatrove.data import Document

    options = SynthesisOptions(langs=("spa",), lexicons=(str(SAMPLES / "en_es.tsv"),))
    with pytest.raises(ConfigError, match="no metadata field 'row'"):
        LexaugSynthesize(options, id_from="row").record_id(Document(text="a", id="x", metadata={"n": 1}))
    with pytest.raises(ConfigError, match="is not datatrove's '<file>/<row>'"):
        LexaugSynthesize(options, id_from="index").record_id(Document(text="a", id="abc"))
    with pytest.raises(ConfigError, match="not HuggingFaceDatasetReader's"):
        LexaugSynthesize(options, id_from="hf_index").record_id(Document(text="a", id="abc"))
    step = LexaugSynthesize(options, id_from="index", offsets={"b.parquet": 10})
    assert step.record_id(Document(text="a", id="b.parquet/3")) == "13"
