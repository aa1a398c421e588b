"""`lexaug synthesize` end to end: samples, lossless identity runs in every format, KJV invariants, bad input,
manifest and provenance."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from lexaug import defaults
from lexaug.generators.words import case_class, lookup_key, restore_case
from lexaug_cli.main import cli

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "resources" / "samples"
WORD = regex.compile(defaults.WORD_PATTERN)


def run(args: list[str], input: str | None = None):
    return CliRunner().invoke(cli, ["synthesize", *map(str, args)], input=input, catch_exceptions=False)


def identity_lexicon(text: str, path: Path) -> int:
    """Write a lexicon mapping each word of `text` to itself. Keys whose occurrences a case-restored single
    target cannot all reproduce (mixed case like 'McDonald' beside 'mcdonald', non-NFC spellings) are left
    out, so they are simply not looked up. Returns the number of entries."""
    forms: dict[str, set[str]] = {}
    for word in WORD.findall(text):
        forms.setdefault(lookup_key(word), set()).add(word)
    rows = []
    for key, words in sorted(forms.items()):
        if any(unicodedata.normalize("NFC", w) != w for w in words):
            continue
        lower = [w for w in words if case_class(w) == 0]
        target = lower[0] if lower else min(words)
        if all(restore_case(target, case_class(w)) == w for w in words):
            rows.append(f"{target}\t{target}\n")
    path.write_text("".join(rows), encoding="utf-8")
    return len(rows)


def identity_run(tmp_path: Path, source: Path, fmt: str, *extra: str) -> tuple[bytes, dict]:
    lex = tmp_path / "identity.tsv"
    assert identity_lexicon(source.read_text(encoding="utf-8"), lex) > 20
    out = tmp_path / f"out.{fmt}"
    result = run(["--lang", "xx", "--lexicon", lex, "--input", source, "--output", out, "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    manifest = json.loads(Path(f"{out}{defaults.MANIFEST_SUFFIX}").read_text())
    return out.read_bytes(), manifest


# --- the bundled samples ---------------------------------------------------------------------------------

def test_quick_start_command_on_samples(tmp_path):
    out = tmp_path / "english.spa.txt"
    result = run(["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--unimorph", SAMPLES / "unimorph", "--morph",
                  "--input", SAMPLES / "english.txt", "--output", out])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 46
    # morphology: walks -> anda (3sg present of a lemma translation), stopped -> paró/detuvo (preterite)
    assert lines[0].split()[3] == "anda" or lines[0].split()[3] == "camina"
    assert lines[9].split()[2] in ("paró", "detuvo")
    manifest = json.loads((tmp_path / "english.spa.txt.manifest.json").read_text())
    assert manifest["generator"]["generator"] == "morph.v2"
    assert [(r["kind"], r["lang"]) for r in manifest["resources"]] == [("lexicon", "spa"), ("unimorph", "eng"),
                                                                       ("unimorph", "spa")]
    assert manifest["counts"]["records_in"] == manifest["counts"]["records_out"] == 46
    assert manifest["counts"]["tokens"] == 377
    assert manifest["generator_stats"]["morph:table"] > 150
    assert result.stderr.startswith("synthesize: 46 records in, 46 out, 0 filtered, 0 skipped;")


def test_manifest_fields_and_jsonl_provenance(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 7, "text": "The old man walks."}\n{"text": "Good morning!", "x": [1]}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    lex = SAMPLES / "en_es.tsv"
    result = run(["--lang", "es", "--lexicon", lex, "--input", src, "--output", out, "--seed", 5])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    sha = hashlib.sha256(lex.read_bytes()).hexdigest()
    assert rows[1]["text"] == "Buenos días!"
    assert rows[0]["lexaug"] == {"lang": "spa", "mode": "substitute", "generator": "substitute.v3", "rate": 1.0,
                                 "lexicon_sha256": sha, "seed": 5, "source_id": "0"}
    assert rows[1]["lexaug"]["source_id"] == "1" and rows[1]["x"] == [1]
    m = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert m["lexaug_version"] == "0.1.0" and m["seed"] == 5 and m["command"] == "synthesize"
    assert m["generator"]["generator"] == "substitute.v3" and m["generator"]["params"]["min_replacements"] == 0
    assert m["resources"] == [{"kind": "lexicon", "lang": "spa", "path": str(lex), "sha256": sha,
                               "content_sha256": m["resources"][0]["content_sha256"]}]
    assert m["input"] == {"path": str(src), "format": "jsonl", "format_options": {}, "strict": True}
    assert m["counts"] == {"records_in": 2, "records_out": 2, "records_filtered": 0, "records_skipped": 0,
                           "skipped": {}, "tokens": 6, "replaced": 6, "coverage": 1.0,
                           "coverage_before_fallbacks": round(5 / 6, 6),  # "walks" -> "walk" (lemma fallback)
                           "coverage_by_fallback": {"contraction": 0.0, "lemma": round(1 / 6, 6), "spelling": 0.0,
                                                    "parts": 0.0},
                           "untranslated": {"top": [], "distinct": 0, "exact": True}}
    assert m["engine"] == {"name": "local", "workers": 1, "chunk_records": defaults.CHUNK_RECORDS}


def test_min_replacements_filters_and_counts(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("the old man\nzzz qqq the\nthe cat sleeps\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run(["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--min-replacements", 2, "--input", src,
                  "--output", out])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    counts = json.loads((tmp_path / "out.txt.manifest.json").read_text())["counts"]
    assert (counts["records_in"], counts["records_out"], counts["records_filtered"]) == (3, 2, 1)


def test_stdout_output_and_manifest_option(tmp_path):
    manifest = tmp_path / "m.json"
    result = run(["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", "-", "--output", "-",
                  "--format", "text", "--manifest", manifest], input="thank you\nGOOD NIGHT\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "gracias\nBUENAS NOCHES\n"
    assert json.loads(manifest.read_text())["output"]["path"] == "-"


def test_codeswitch_multi_target_and_unknown_label_warning(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("the old man walks to the market every morning\n" * 20, encoding="utf-8")
    other = tmp_path / "en_zz.tsv"
    other.write_text("old\tZOLD\nman\tZMAN\nmarket\tZMARKET\nmorning\tZMORNING\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run(["--lang", "spa", "--lang", "qqz", "--lexicon", SAMPLES / "en_es.tsv", "--lexicon", other,
                  "--mode", "codeswitch", "--rate", 0.5, "--input", src, "--output", out])
    assert result.exit_code == 0, result.output
    assert "Warning: unknown language code 'qqz': used as a label only" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert len(text.splitlines()) == 20 and "ZMAN" in text or "ZOLD" in text
    m = json.loads((tmp_path / "out.txt.manifest.json").read_text())
    assert m["generator"]["generator"] == "codeswitch.v2" and m["options"]["targets"] == ["spa", "qqz"]
    assert m["generator"]["params"]["lookalikes"] == {"spa": {"targets_fixed": 0, "letters": {}},
                                                      "qqz": {"targets_fixed": 0, "letters": {}}}
    assert 0 < m["counts"]["replaced"] < m["counts"]["tokens"] == 180


def test_lang_only_without_cache_names_the_fetch_command(tmp_path, monkeypatch):
    monkeypatch.setenv("LEXAUG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UNIMORPH", str(tmp_path / "um"))
    src = tmp_path / "in.txt"
    src.write_text("hello\n", encoding="utf-8")
    result = run(["--lang", "lug", "--input", src, "--output", tmp_path / "o.txt"])
    assert result.exit_code == 1
    assert "lexaug resources fetch lug" in result.output and "\n" not in result.output.strip()


def test_lang_only_with_morph_reads_the_caches(tmp_path, monkeypatch):
    """`--lang spa --morph` alone: the lexicon from $LEXAUG_HOME/lexicons/eng_spa/, the tables from the unimorph
    cache; the output is that of the run naming the same files."""
    import shutil

    from lexaug.catalog import lexicon_dir

    monkeypatch.setenv("LEXAUG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UNIMORPH", str(tmp_path / "um"))
    lexicon_dir("eng", "spa").mkdir(parents=True)
    # a file of the user's own: the catalog name en_es.tsv would be checked against the GATITOS sha256
    shutil.copy(SAMPLES / "en_es.tsv", lexicon_dir("eng", "spa") / "sample_en_es.tsv")
    shutil.copytree(SAMPLES / "unimorph", tmp_path / "um")
    cached, explicit = tmp_path / "cached.txt", tmp_path / "explicit.txt"
    result = run(["--lang", "es", "--morph", "--input", SAMPLES / "english.txt", "--output", cached])
    assert result.exit_code == 0, result.output
    assert run(["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--unimorph", SAMPLES / "unimorph", "--morph",
                "--input", SAMPLES / "english.txt", "--output", explicit]).exit_code == 0
    assert cached.read_bytes() == explicit.read_bytes()
    manifest = json.loads(Path(f"{cached}{defaults.MANIFEST_SUFFIX}").read_text())
    assert [(r["kind"], r["lang"], Path(r["path"]).parent.name) for r in manifest["resources"]] == [
        ("lexicon", "spa", "eng_spa"), ("unimorph", "eng", "eng"), ("unimorph", "spa", "spa")]
    assert manifest["generator_stats"]["morph:table"] > 150


# --- lossless: an identity lexicon reproduces every format byte for byte --------------------------------

def test_identity_text_gatitos(tmp_path, shared_data):
    source = shared_data / "lexicons" / "gatitos" / "en_lg.tsv"
    data, m = identity_run(tmp_path, source, "text")
    assert data == source.read_bytes()
    assert m["counts"]["records_in"] == m["counts"]["records_out"] == len(source.read_bytes().splitlines())
    assert m["counts"]["replaced"] > 0.9 * m["counts"]["tokens"]


def test_identity_jsonl_gatitos_derived_with_and_without_provenance(tmp_path, shared_data):
    rows = (shared_data / "lexicons" / "gatitos" / "en_wo.tsv").read_text(encoding="utf-8").splitlines()
    source = tmp_path / "gatitos.jsonl"
    source.write_text("".join(json.dumps({"text": r.split("\t")[0], "wo": r.split("\t")[1], "n": i},
                                         ensure_ascii=i % 2 == 0) + "\n" for i, r in enumerate(rows)), encoding="utf-8")
    data, _ = identity_run(tmp_path, source, "jsonl", "--no-provenance")
    assert data == source.read_bytes()
    with_prov, m = identity_run(tmp_path, source, "jsonl")
    out_rows = [json.loads(line) for line in with_prov.decode("utf-8").splitlines()]
    assert len(out_rows) == len(rows) == m["counts"]["records_out"]
    for i, (row, line) in enumerate(zip(out_rows, source.read_text(encoding="utf-8").splitlines())):
        prov = row.pop("lexaug")
        assert prov["source_id"] == str(i)
        assert list(row.items()) == list(json.loads(line).items())


def test_identity_conll_masakhaner(tmp_path, shared_data):
    source = shared_data / "ner" / "masakhaner" / "luo" / "train.txt"  # starts with a byte-order mark
    data, m = identity_run(tmp_path, source, "conll")
    assert data == source.read_bytes()
    assert m["counts"]["records_in"] == m["counts"]["records_out"] == 644  # sentences of luo/train.txt


@pytest.mark.parametrize("name,sentences", [("UD_Wolof-WTB/wo_wtb-ud-test.conllu", 470),
                                            ("UD_English-EWT/en_ewt-ud-test.conllu", 2077)])
def test_identity_conllu_ud(tmp_path, shared_data, name, sentences):
    source = shared_data / "ud" / name
    data, m = identity_run(tmp_path, source, "conllu")
    assert data == source.read_bytes()
    assert m["counts"]["records_in"] == m["counts"]["records_out"] == sentences


def test_identity_massive_fixture_with_provenance_removed(tmp_path):
    lines = ['{"id": "1", "locale": "en-US", "utt": "wake me up at five am this week", '
             '"annot_utt": "wake me up at [time : five am] [date : this week]", "intent": "alarm_set"}',
             '{"id": "2", "utt": "olly quiet", "annot_utt": "olly quiet", "worker_id": "8"}',
             '{"id": "3", "utt": "Play Jazz by Nina", "annot_utt": "Play [genre : Jazz] by [artist_name : Nina]"}']
    source = tmp_path / "massive.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data, _ = identity_run(tmp_path, source, "massive", "--no-provenance")
    assert data == source.read_bytes()
    with_prov, _ = identity_run(tmp_path, source, "massive")
    for line, out in zip(lines, with_prov.decode("utf-8").splitlines()):
        row = json.loads(out)
        assert row.pop("lexaug")["mode"] == "substitute"
        assert row == json.loads(line)


# --- bad input: one-line error with file and line; lenient runs skip and count ----------------------------

BAD = {
    "conll": ("Jii O\nbe O\nonly\n\nA B-PER\nman O\n\nthe O\n", "line 3: expected 2 space-separated columns"),
    "jsonl": ('{"text": "the cat"}\n{"text": "the dog"\n{"text": "a man"}\n', "line 2: invalid JSON"),
    "massive": ('{"utt": "wake me", "annot_utt": "wake [person : me"}\n{"utt": "hi", "annot_utt": "hi"}\n'
                '{"utt": "a man", "annot_utt": "a [p : man]"}\n', "line 1: unbalanced '['"),
}


@pytest.mark.parametrize("fmt", sorted(BAD))
def test_bad_input_strict_and_lenient(tmp_path, fmt):
    text, message = BAD[fmt]
    src = tmp_path / f"bad.{fmt}"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", src, "--output", out, "--format", fmt]
    strict = run(args)
    assert strict.exit_code == 1
    assert strict.output.strip() == strict.output.strip().splitlines()[0]  # one line
    assert strict.output.startswith(f"Error: {src}, {message}")
    assert not out.exists()  # a failed run leaves no half-written output
    lenient = run([*args, "--lenient"])
    assert lenient.exit_code == 0, lenient.output
    c = json.loads(Path(f"{out}.manifest.json").read_text())["counts"]
    assert (c["records_in"], c["records_out"], c["records_skipped"]) == (3, 2, 1)
    assert c["records_in"] == c["records_out"] + c["records_filtered"] + c["records_skipped"]
    assert c["skipped"] == {"malformed": 1} or sum(c["skipped"].values()) == 1


def test_missing_lexicon_and_input(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("the man\n", encoding="utf-8")
    result = run(["--lang", "spa", "--lexicon", tmp_path / "nope.tsv", "--input", src, "--output", tmp_path / "o"])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope.tsv'}: lexicon file not found; check the --lexicon path\n"
    result = run(["--lang", "spa", "--lexicon", SAMPLES / "en_es.tsv", "--input", tmp_path / "x.txt", "--output", "o"])
    assert result.exit_code == 1 and "input file not found" in result.output


# --- KJV with the 20k benchmark lexicon ------------------------------------------------------------------

@pytest.fixture(scope="module")
def kjv_runs(shared_data, tmp_path_factory):
    """`synthesize` on KJV with 1 and 2 workers (small chunks so that 2 workers really interleave)."""
    tmp = tmp_path_factory.mktemp("kjv")
    outs = {}
    for workers in (1, 2):
        out = tmp / f"kjv.{workers}.txt"
        result = run(["--lang", "xx", "--lexicon", shared_data / "bench" / "lex_en_xx.tsv", "--input",
                      shared_data / "text" / "kjv_verses.txt", "--output", out, "--workers", workers,
                      "--chunk-records", 1000, "--seed", 3])
        assert result.exit_code == 0, result.output
        outs[workers] = out
    return shared_data / "text" / "kjv_verses.txt", outs


@pytest.mark.slow
def test_kjv_line_count_and_only_words_change(kjv_runs):
    source, outs = kjv_runs
    before = source.read_text(encoding="utf-8")
    after = outs[1].read_text(encoding="utf-8")
    assert before.count("\n") == after.count("\n") == 31100
    assert WORD.sub("W", before) == WORD.sub("W", after)  # every non-word character kept, in place
    assert before != after
    m = json.loads(Path(f"{outs[1]}.manifest.json").read_text())
    assert m["counts"]["records_in"] == m["counts"]["records_out"] == 31100
    from lexaug.generators.words import WordSpec  # substitute.v2 words hold inner apostrophes and hyphens

    v2_word = regex.compile(WordSpec(apostrophes="inner", hyphens=True).source())
    assert m["counts"]["tokens"] == len(v2_word.findall(before))
    assert m["counts"]["coverage"] > 0.99


@pytest.mark.slow
def test_kjv_workers_give_identical_bytes(kjv_runs):
    _, outs = kjv_runs
    assert outs[1].read_bytes() == outs[2].read_bytes()
    m1 = json.loads(Path(f"{outs[1]}.manifest.json").read_text())
    m2 = json.loads(Path(f"{outs[2]}.manifest.json").read_text())
    assert m1["counts"] == m2["counts"] and m1["generator_stats"] == m2["generator_stats"]


def test_readme_quick_start_synthesize_command_runs(tmp_path, monkeypatch):
    """The `lexaug synthesize` of README's Quick start, run as written from a fresh folder."""
    import shlex

    line = next(l for l in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
                if "lexaug synthesize" in l and l.startswith("pip install"))
    command = line.split("lexaug synthesize", 1)[1].split("&&")[0]
    args = [a.replace("resources/", f"{REPO}/resources/", 1) if a.startswith("resources/") else a
            for a in shlex.split(command)]
    monkeypatch.chdir(tmp_path)
    result = run(args)
    assert result.exit_code == 0, result.output
    assert "--morph" in args
    assert len((tmp_path / "english.spa.txt").read_text(encoding="utf-8").splitlines()) == 46
    assert (tmp_path / "english.spa.txt.manifest.json").is_file()


def test_command_keeps_numpys_blas_to_one_thread_unless_the_user_chose():
    """numpy's OpenBLAS spins a helper thread around numpy calls; no lexaug command uses BLAS, so the `lexaug`
    entry point sets OPENBLAS_NUM_THREADS=1 before numpy loads, keeping a value the user set."""
    import os
    import subprocess
    import sys

    code = "import lexaug_cli.main, numpy, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "OPENBLAS_NUM_THREADS": "4"},
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "4"
