"""README "Use it in your pipeline": every code block of the section runs, in order, in an empty folder (with a
`resources` link), and the outputs agree: the datatrove runs (local, Slurm through a stand-in `sbatch`, Ray) give the
CLI's texts on the concatenated file, and `Dataset.map` gives the CLI's rows for the saved dataset."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

for module in ("pyarrow", "datasets", "datatrove"):
    pytest.importorskip(module)

import pyarrow.parquet as pq  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HAS_RAY = importlib.util.find_spec("ray") is not None

# A stand-in Slurm: `sbatch` runs each array task of the script at once, `srun` runs its command.
SBATCH = '''
import os, re, subprocess, sys
script = sys.argv[-1]
text = open(script).read()
found = re.search(r"^#SBATCH --array=(\\d+)-(\\d+)", text, re.M)
offset = next((a.split("RUN_OFFSET=")[1] for a in sys.argv if "RUN_OFFSET=" in a), "0")
for task in range(int(found.group(1)), int(found.group(2)) + 1) if found else [0]:
    env = {**os.environ, "SLURM_ARRAY_TASK_ID": str(task), "RUN_OFFSET": offset, "SLURM_JOB_ID": "1",
           "SLURM_NODELIST": "localhost"}
    subprocess.run(["bash", script], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("Submitted batch job 1")
'''
SRUN = '''
import os, sys
args = sys.argv[1:]
while args and args[0].startswith("-"):
    args = args[2:] if args[0] in ("-n", "-N") else args[1:]
os.execvp(args[0], args)
'''
TOOLS = {"launch_pickled_pipeline": "datatrove.tools.launch_pickled_pipeline",
         "merge_stats": "datatrove.tools.merge_stats"}


def section_blocks() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Use it in your pipeline")
    end = text.find("\n## ", start + 1)
    section = text[start:end if end != -1 else None]
    return re.findall(r"```(python|bash)\n(.*?)```", section, re.S)


def fake_slurm(folder: Path) -> Path:
    folder.mkdir()
    scripts = {"sbatch": SBATCH, "srun": SRUN, "scontrol": "print('localhost')\n"}
    scripts.update({name: f"import sys\nfrom {module} import main\nsys.exit(main())\n"
                    for name, module in TOOLS.items()})
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!{sys.executable}\n{body}")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return folder


def texts_by_index(folder: Path) -> list[str]:
    docs = {}
    for path in folder.glob("*.jsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                docs[int(doc["metadata"]["lexaug"]["source_id"])] = doc["text"]
    return [docs[i] for i in range(len(docs))]


def test_section_has_the_examples():
    blocks = section_blocks()
    code = "\n".join(body for _, body in blocks)
    for name in ("LexaugMap", "ParquetReader", "LocalPipelineExecutor", "SlurmPipelineExecutor",
                 "RayPipelineExecutor", "--tokens-field", "--input saved_ds"):
        assert name in code
    assert len(blocks) == 6


@pytest.mark.slow
def test_readme_pipeline_examples_run(tmp_path):
    (tmp_path / "resources").symlink_to(ROOT / "resources")
    bin_dir = fake_slurm(tmp_path / "fakebin")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), str(ROOT / "cli"), env.get("PYTHONPATH")]))
    ran = []
    for k, (lang, body) in enumerate(section_blocks()):
        if "RayPipelineExecutor" in body and not HAS_RAY:
            continue
        command = ["bash", "-e", "-c", body] if lang == "bash" else [sys.executable, "-c", body]
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"block {k}:\n{body}\n{done.stderr[-3000:]}"
        ran.append(k)
    cli_texts = pq.read_table(tmp_path / "corpus.spa.parquet").column("text").to_pylist()
    assert len(cli_texts) == 46
    for run in ("local", "slurm") + (("ray",) if HAS_RAY else ()):
        assert texts_by_index(tmp_path / "out" / run) == cli_texts, run
    assert pq.read_table(tmp_path / "saved_ds.map.parquet").to_pylist() == \
        pq.read_table(tmp_path / "saved_ds.spa.parquet").to_pylist()
    ner, ner_out = pq.read_table(tmp_path / "ner.parquet"), pq.read_table(tmp_path / "ner.spa.parquet")
    assert ner_out.column("ner_tags").equals(ner.column("ner_tags"))
    assert ner_out.column("tokens").to_pylist() != ner.column("tokens").to_pylist()
