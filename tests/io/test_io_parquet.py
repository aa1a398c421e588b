"""Parquet corpora: identity round trip (rows, schema, types), workers 1 = 2, provenance struct, tokens+labels,
nulls, hostile input as one-line errors, and memory flat in file size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from click.testing import CliRunner  # noqa: E402

from lexaug.io import read_records  # noqa: E402
from lexaug_cli.main import cli  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
LEXICON = SAMPLES / "en_es.tsv"


def sample_table(repeat: int = 1) -> "pa.Table":
    """The bundled English sample with columns of many types, the text also as a token list with tags."""
    lines = SAMPLES.joinpath("english.txt").read_text(encoding="utf-8").splitlines() * repeat
    n = len(lines)
    table = pa.table({
        "id": pa.array(range(n), pa.int32()),
        "text": pa.array(lines, pa.large_string()),
        "score": [i / 7 for i in range(n)],
        "tokens": [line.split() for line in lines],
        "ner_tags": [[k % 3 for k in range(len(line.split()))] for line in lines],
        "meta": [{"n": i, "src": "kjv" if i % 2 else None} for i in range(n)],
        "day": pa.array([i % 28 for i in range(n)], pa.date32()),
    })
    return table.replace_schema_metadata({b"origin": b"lexaug test"})


def identity_lexicon(tmp_path: Path) -> Path:
    path = tmp_path / "identity.tsv"
    rows = [line.split("\t")[0] for line in LEXICON.read_text(encoding="utf-8").splitlines() if line]
    path.write_text("".join(f"{w}\t{w}\n" for w in rows), encoding="utf-8")
    return path


def synth(tmp_path: Path, src: Path, out: Path, *extra: str, lexicon: Path = LEXICON) -> "CliRunner":
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "spa", "--lexicon", str(lexicon), "--input",
                                       str(src), "--output", str(out), *extra])
    return result


def test_identity_round_trip_keeps_rows_and_schema_and_workers_agree(tmp_path):
    table = sample_table()
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=7)
    lex = identity_lexicon(tmp_path)
    for workers in (1, 2):
        result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / f"out{workers}.parquet", "--workers",
                       str(workers), "--chunk-records", "10", "--no-provenance", lexicon=lex)
        assert result.exit_code == 0, result.output
    out, source = pq.read_table(tmp_path / "out1.parquet"), pq.read_table(tmp_path / "in.parquet")
    assert out.schema.equals(source.schema, check_metadata=True)  # (Parquet names list items `element`)
    assert out.equals(source) and out.num_rows == table.num_rows
    assert (tmp_path / "out1.parquet").read_bytes() == (tmp_path / "out2.parquet").read_bytes()
    groups = pq.ParquetFile(tmp_path / "out1.parquet").metadata
    assert groups.num_row_groups == 5 and max(groups.row_group(k).num_rows for k in range(5)) == 10


def test_provenance_struct_and_text_equal_to_the_text_format(tmp_path):
    pq.write_table(sample_table(), tmp_path / "in.parquet")
    table = pq.read_table(tmp_path / "in.parquet")
    (tmp_path / "in.txt").write_text("".join(f"{t}\n" for t in table.column("text").to_pylist()), encoding="utf-8")
    assert synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet", "--seed", "5").exit_code == 0
    assert synth(tmp_path, tmp_path / "in.txt", tmp_path / "out.txt", "--seed", "5").exit_code == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column("text").to_pylist() == (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert out.drop_columns(["text", "lexaug"]).equals(table.drop_columns(["text"]))
    prov = out.column("lexaug").to_pylist()
    assert [p["source_id"] for p in prov] == [str(i) for i in range(table.num_rows)]
    assert prov[0]["lang"] == "spa" and prov[0]["seed"] == 5 and prov[0]["generator"] == "substitute.v2"  # the default
    manifest = json.loads((tmp_path / "out.parquet.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["records_out"] == table.num_rows and manifest["input"]["format"] == "parquet"


def test_existing_provenance_column_is_replaced(tmp_path):
    pq.write_table(pa.table({"text": ["the man"], "lexaug": ["old"]}), tmp_path / "in.parquet")
    assert synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet").exit_code == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column_names == ["text", "lexaug"] and out.column("lexaug")[0].as_py()["source_id"] == "0"


def test_tokens_and_labels_stay_aligned(tmp_path):
    pq.write_table(sample_table(), tmp_path / "in.parquet")
    table = pq.read_table(tmp_path / "in.parquet")
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet", "--tokens-field", "tokens",
                   "--labels-field", "ner_tags")
    assert result.exit_code == 0, result.output
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column("ner_tags").equals(table.column("ner_tags"))
    assert out.column("text").equals(table.column("text"))
    before, after = table.column("tokens").to_pylist(), out.column("tokens").to_pylist()
    assert [len(t) for t in after] == [len(t) for t in before]
    assert before[0][:2] == ["The", "old"] and after[0][1] in ("viejo", "antiguo")
    # the same sentences as CoNLL (one token per line, labels beside): the same tokens out, row for row
    conll = "".join("".join(f"{t}\t{g}\n" for t, g in zip(toks, tags)) + "\n"
                    for toks, tags in zip(before, table.column("ner_tags").to_pylist()))
    (tmp_path / "in.conll").write_text(conll, encoding="utf-8")
    assert synth(tmp_path, tmp_path / "in.conll", tmp_path / "out.conll").exit_code == 0
    blocks = (tmp_path / "out.conll").read_text(encoding="utf-8").strip("\n").split("\n\n")
    # CoNLL writes a multiword translation one row per word (README); a Parquet token keeps it in one element
    assert [" ".join(line.split("\t")[0] for line in block.split("\n")) for block in blocks] == \
        [" ".join(tokens) for tokens in after]


def test_nulls_pass_through(tmp_path):
    table = pa.table({"text": ["the man", None, ""], "tokens": [["the", None, "woman"], None, []]})
    pq.write_table(table, tmp_path / "in.parquet")
    v1 = ("--generator", "substitute.v1")  # the expected words are v1's draws (the draws depend on the name)
    assert synth(tmp_path, tmp_path / "in.parquet", tmp_path / "a.parquet", "--no-provenance", *v1).exit_code == 0
    assert pq.read_table(tmp_path / "a.parquet").column("text").to_pylist() == ["el hombre", None, ""]
    assert synth(tmp_path, tmp_path / "in.parquet", tmp_path / "b.parquet", "--tokens-field", "tokens",
                 "--no-provenance", *v1).exit_code == 0
    assert pq.read_table(tmp_path / "b.parquet").column("tokens").to_pylist() == [["el", None, "mujer"], None, []]


def test_misaligned_labels_strict_error_and_lenient_skip(tmp_path):
    pq.write_table(pa.table({"tokens": [["the", "man"], ["woman"]], "ner_tags": [[1, 2], [1, 2]]}),
                   tmp_path / "in.parquet")
    args = ("--tokens-field", "tokens", "--labels-field", "ner_tags", "--generator", "substitute.v1")  # v1's draws
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet", *args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {tmp_path / 'in.parquet'}: row 1: 1 tokens in 'tokens' but 2 labels in 'ner_tags'; fix the row "
        "or read leniently to skip it")
    assert not (tmp_path / "out.parquet").exists() and not list(tmp_path.glob(".partial-*"))
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet", *args, "--lenient")
    assert result.exit_code == 0
    assert pq.read_table(tmp_path / "out.parquet").column("tokens").to_pylist() == [["el", "hombre"]]


@pytest.mark.parametrize("args, message", [
    (("--text-field", "body"), "no column 'body' (columns: text, n); pass --text-field"),
    (("--text-field", "n"), "column 'n' is int64, not a string column"),
    (("--tokens-field", "text"), "column 'text' is string, not a list of strings"),
    (("--labels-field", "n"), "--labels-field needs --tokens-field"),
])
def test_bad_columns_are_one_line_errors(tmp_path, args, message):
    pq.write_table(pa.table({"text": ["the man"], "n": [1]}), tmp_path / "in.parquet")
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet", *args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.parquet").exists()


def test_bad_files_and_outputs_are_one_line_errors(tmp_path):
    (tmp_path / "junk.parquet").write_text("not parquet\n")
    result = synth(tmp_path, tmp_path / "junk.parquet", tmp_path / "out.parquet")
    assert result.exit_code == 1 and "not a readable Parquet file" in result.output
    pq.write_table(pa.table({"text": ["the man"]}), tmp_path / "in.parquet")
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.jsonl")
    assert result.exit_code == 1 and "give an --output path ending in .parquet" in result.output
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "in.parquet")
    assert result.exit_code == 1 and "names the same file as --input" in result.output
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "nodir" / "out.parquet")
    assert result.exit_code == 1 and "nodir does not exist; create it first" in result.output
    assert not (tmp_path / "nodir").exists()


def test_empty_file_gives_an_empty_file_with_the_schema(tmp_path):
    pq.write_table(pa.table({"text": pa.array([], pa.string()), "n": pa.array([], pa.int8())}), tmp_path / "in.parquet")
    assert synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet").exit_code == 0
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.num_rows == 0 and out.column_names == ["text", "n", "lexaug"]


def test_read_records_streams_rows(tmp_path):
    pq.write_table(pa.table({"body": ["a", "b", None]}), tmp_path / "in.parquet", row_group_size=1)
    records = list(read_records(tmp_path / "in.parquet", field="body", max_records=2))
    assert [(r.id, r.slots) for r in records] == [("0", ["a"]), ("1", ["b"]), ("2", [])]


# VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child of a big parent (the test process
# holding the 10x table) would report the parent's size
PEAK_SCRIPT = """
import re, sys
from lexaug_cli.main import cli
cli(["synthesize", "--lang", "spa", "--lexicon", sys.argv[3], "--input", sys.argv[1], "--output", sys.argv[2],
     "--chunk-records", "500"], standalone_mode=False)
print(re.search(r"VmHWM:\\s*(\\d+) kB", open("/proc/self/status").read()).group(1))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak RSS is read from /proc (Linux)")
def test_peak_memory_flat_in_file_size(tmp_path):
    """Peak RSS of a run over a 10x larger file stays within 10% of the 1x file (rows are streamed)."""
    peaks = {}
    for repeat in (100, 1000):
        pq.write_table(sample_table(repeat), tmp_path / f"in{repeat}.parquet", row_group_size=2000)
        done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(tmp_path / f"in{repeat}.parquet"),
                               str(tmp_path / f"out{repeat}.parquet"), str(LEXICON)],
                              capture_output=True, text=True, check=True)
        peaks[repeat] = int(done.stdout.split()[-1])
    assert pq.ParquetFile(tmp_path / "out1000.parquet").metadata.num_rows == 46_000
    assert peaks[1000] <= 1.10 * peaks[100], peaks


def test_lid_annotation_and_cleaning_as_jsonl(tmp_path):
    """--lid-model on Parquet: the same rows kept and the same `lid` as the JSONL path (here as JSON text)."""
    pytest.importorskip("fasttext")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "filters"))
    from lid_helpers import ENGLISH, PSEUDO, sentences, train_model

    model = train_model(tmp_path, {"en": sentences(ENGLISH, 300, 1), "wo": sentences(PSEUDO, 300, 2)}, "lid")
    lexicon = tmp_path / "en_wo.tsv"
    lexicon.write_text("".join(f"{en}\t{PSEUDO[i % len(PSEUDO)]}\n" for i, en in enumerate(ENGLISH)),
                       encoding="utf-8")
    lines = ["the man was in the house of his father", "kalu meno sawi tuba ngoro fela dimbu",
             "he had not been at that place", "osi warra lemi kutu bango tisa"]
    pq.write_table(pa.table({"text": lines}), tmp_path / "in.parquet")
    (tmp_path / "in.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in lines), encoding="utf-8")
    outs = {}
    for suffix in ("parquet", "jsonl"):
        result = CliRunner().invoke(cli, ["synthesize", "--lang", "wol", "--lexicon", str(lexicon), "--input",
                                          str(tmp_path / f"in.{suffix}"), "--output", str(tmp_path / f"o.{suffix}"),
                                          "--lid-model", str(model), "--lid-keep", "en", "--workers", "2",
                                          "--chunk-records", "1"])
        assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "o.parquet").to_pylist()
    expected = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2 and [r["text"] for r in rows] == [e["text"] for e in expected]
    assert [json.loads(r["lexaug"]["lid"]) for r in rows] == [e["lexaug"]["lid"] for e in expected]
    assert [r["lexaug"]["source_id"] for r in rows] == ["0", "2"]


def test_without_pyarrow_a_one_line_error(tmp_path, monkeypatch):
    pq.write_table(pa.table({"text": ["the man"]}), tmp_path / "in.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now raises ImportError
    result = synth(tmp_path, tmp_path / "in.parquet", tmp_path / "out.parquet")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == ("Error: Parquet and datasets folders need pyarrow: pip install "
                                                      "'lexaug[parquet]'")
