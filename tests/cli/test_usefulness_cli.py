"""CLI of the usefulness work: `--rate` in substitute and morph (issue 9, defect 1), `--samples`, `--generator`,
`lexicon coverage`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from lexaug_cli.main import cli

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def run(args: list) -> object:
    return CliRunner().invoke(cli, ["synthesize", *map(str, args)], catch_exceptions=False)


def test_rate_is_applied_in_substitute_and_morph_and_stated_truthfully(tmp_path):
    base = ["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", SAMPLES / "english.txt"]
    for extra in ([], ["--morph", "--unimorph", SAMPLES / "unimorph"]):
        full, part = tmp_path / "full.txt", tmp_path / "part.txt"
        assert run([*base, *extra, "--output", full]).exit_code == 0
        assert run([*base, *extra, "--output", part, "--rate", "0.1"]).exit_code == 0
        m_full = json.loads(Path(f"{full}.manifest.json").read_text())
        m_part = json.loads(Path(f"{part}.manifest.json").read_text())
        assert full.read_bytes() != part.read_bytes()
        assert m_part["counts"]["replaced"] < 0.25 * m_full["counts"]["replaced"]
        assert m_part["generator"]["params"]["rate"] == 0.1 and "rate" not in m_full["generator"]["params"]
        for workers in (2,):  # seeded per record: the same for any number of workers
            again = tmp_path / "again.txt"
            assert run([*base, *extra, "--output", again, "--rate", "0.1", "--workers", workers,
                        "--chunk-records", 7]).exit_code == 0
            assert again.read_bytes() == part.read_bytes()


def test_v1_output_unchanged_at_rate_one_and_samples_one(tmp_path):
    base = ["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", SAMPLES / "english.txt",
            "--generator", "substitute.v1"]
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    assert run([*base, "--output", a]).exit_code == 0
    assert run([*base, "--output", b, "--rate", "1.0", "--samples", "1"]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    # the bytes of substitute.v1 before this branch (commit e284d52), seed 0
    assert hashlib.sha256(a.read_bytes()).hexdigest() == "53f1220ff2cc3525a0516dc34fbdfd5076f6bca8280a85e24755c5279ca157f1"
    assert a.read_text(encoding="utf-8").splitlines()[0] == "El antiguo hombre walks a los mercado cada mañana."


def test_samples_are_deterministic_for_any_workers(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": "The old man walks to the market."}) + "\n"
                           for i in range(9)), encoding="utf-8")
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"o{workers}.jsonl"
        assert run(["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", src, "--output", out,
                    "--samples", 3, "--workers", workers, "--chunk-records", 2]).exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    rows = [json.loads(line) for line in outs[0].decode().splitlines()]
    assert len(rows) == 27 and [r["lexaug"]["source_id"] for r in rows[:3]] == ["0#0", "0#1", "0#2"]
    assert rows[0]["lexaug"]["samples"] == 3 and len({r["text"] for r in rows[:3]}) > 1
    m = json.loads(Path(f"{tmp_path / 'o1.jsonl'}.manifest.json").read_text())
    assert m["options"]["samples"] == 3 and m["counts"]["records_out"] == 27


def test_bad_samples_and_generator_are_one_line_errors(tmp_path):
    base = ["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", SAMPLES / "english.txt",
            "--output", tmp_path / "o.txt"]
    for extra, says in ((["--samples", 0], "--samples must be an integer >= 1"),
                        (["--generator", "codeswitch.v1"],
                         "--generator codeswitch.v1: --mode substitute takes substitute.v3, substitute.v2, "
                         "substitute.v1"),
                        (["--generator", "substitute.v9"], "--generator substitute.v9: --mode substitute takes"),
                        (["--generator", ""], "--generator : --mode substitute takes"),
                        (["--generator", "morph.v1"], "--mode substitute takes"),
                        (["--generator", "substitute.v1", "--morph"], "--generator substitute.v1: --morph takes "
                                                                      "morph.v2, morph.v1")):
        result = CliRunner().invoke(cli, ["synthesize", *map(str, base + extra)])
        assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
        assert not (tmp_path / "o.txt").exists()


def test_lexicon_coverage_table_and_fill_in_tsv(shared_data, tmp_path):
    missing = tmp_path / "missing.tsv"
    result = CliRunner().invoke(cli, ["lexicon", "coverage", "--lexicon",
                                      str(shared_data / "lexicons" / "gatitos" / "en_wo.tsv"), "--column", "text",
                                      str(shared_data / "sib200" / "eng_Latn" / "train.tsv"), "--json",
                                      "--missing-tsv", str(missing)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["after"]["token_coverage"] > report["before"]["token_coverage"] + 0.05
    assert report["after"]["by_fallback"]["lemma"] > 0 and report["after"]["by_fallback"]["contraction"] > 0
    rows = missing.read_text(encoding="utf-8").splitlines()
    word, count, empty = rows[0].split("\t")
    assert empty == "" and int(count) >= int(rows[1].split("\t")[1]) and word == report["untranslated"][0][0]
    result = CliRunner().invoke(cli, ["lexicon", "coverage", "--lexicon", str(tmp_path / "none.tsv"),
                                      str(missing)])
    assert result.exit_code == 1 and "none.tsv: file not found" in result.output
