"""The datatrove pipeline on Ray (`RayPipelineExecutor`, a local Ray with 2 CPUs started here) gives the same
texts as the local engine on the concatenated Parquet file. Needs the `ray` extra; skipped without it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
try:
    import ray
except ImportError:  # not in `all`: see the `ray` extra in pyproject.toml
    pytest.skip("ray is not installed (pip install 'lexaug[ray]')", allow_module_level=True)

from lexaug.engines.datatrove import LexaugSynthesize, row_offsets  # noqa: E402
from lexaug.synthesis import SynthesisOptions, run_synthesis  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.mark.slow
def test_ray_executor_same_texts_as_local_engine(tmp_path):
    from datatrove.executor import RayPipelineExecutor
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import JsonlWriter

    rows = SAMPLES.joinpath("english.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "shards").mkdir()
    for k, (start, stop) in enumerate([(0, 15), (15, 30), (30, len(rows))]):
        pq.write_table(pa.table({"text": rows[start:stop]}), tmp_path / "shards" / f"part-{k}.parquet")
    pq.write_table(pq.read_table(tmp_path / "shards"), tmp_path / "all.parquet")
    options = SynthesisOptions(langs=("spa",), lexicons=(str(SAMPLES / "en_es.tsv"),), seed=6)
    run_synthesis(options, str(tmp_path / "all.parquet"), str(tmp_path / "local.parquet"))
    local = pq.read_table(tmp_path / "local.parquet").column("text").to_pylist()

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        RayPipelineExecutor(
            [ParquetReader(str(tmp_path / "shards")),
             LexaugSynthesize(options, id_from="index", offsets=row_offsets(str(tmp_path / "shards"))),
             JsonlWriter(str(tmp_path / "out"))],
            tasks=3, workers=2, mem_per_cpu_gb=0.5, logging_dir=str(tmp_path / "logs")).run()
    finally:
        ray.shutdown()
    texts = {}
    for path in sorted((tmp_path / "out").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                texts[int(doc["metadata"]["lexaug"]["source_id"])] = doc["text"]
    assert [texts[i] for i in range(len(rows))] == local
