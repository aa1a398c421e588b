"""Hostile input to `lexaug resources`, `languages`, `lexicon pivot` and `synthesize --fetch`: one line
`Error: ...`, exit status 1, nothing half-written, no traceback. Loopback only."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from lexaug import catalog as cat
from lexaug_cli.main import cli

COMMIT = "3622039cf51f7eeffa58b957332a8e8c337981d7"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_error_line(result, startswith: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and lines[0].startswith(startswith), result.output
    return lines[0]


@pytest.mark.parametrize("base", ["not a url", "ftp://host/x", "http://", "file://"])
def test_base_url_that_is_not_a_url(home, base):
    """issue 9, defect 14."""
    line = one_error_line(run("resources", "fetch", "wol", "--base-url", base), f"Error: --base-url {base!r} is not")
    assert "give e.g. http://127.0.0.1:8000" in line
    assert not home.exists()


def test_base_url_from_environment_that_is_not_a_url(home, monkeypatch):
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", "nonsense")
    line = one_error_line(run("resources", "fetch", "wol", "--kind", "lexicon"),
                          "Error: $LEXAUG_CATALOG_BASE_URL 'nonsense' is not a URL")
    assert "LEXAUG_CATALOG_BASE_URL" in line and not home.exists()


def test_verify_with_an_unreadable_cached_file(home):
    """issue 9, defect 14: a cached path that cannot be read as a file is one clear line and exit 1."""
    entry = next(e for e in cat.Catalog.load().lexicons if e.file == "en_wo.tsv")
    entry.path().mkdir(parents=True)  # a folder where the file should be: reading it fails even as root
    result = run("resources", "verify")
    line = one_error_line(result, f"Error: {entry.path()}: en_wo.tsv is not a regular file")
    assert line.endswith("`lexaug resources fetch LANG --force`")


def test_corrupt_trust_on_first_use_record(home):
    home.mkdir(parents=True)
    (home / "tofu-lock.json").write_text("{not json", encoding="utf-8")
    entry = next(e for e in cat.Catalog.load().lexicons if e.file == "en-de.txt")
    entry.path().parent.mkdir(parents=True)
    entry.path().write_text("the\tder\n", encoding="utf-8")
    line = one_error_line(run("resources", "verify"), f"Error: {home / 'tofu-lock.json'}")
    assert (home / "tofu-lock.json").read_text(encoding="utf-8") == "{not json"  # left as it was


def test_fetch_needs_exactly_one_of_lang_and_all(home):
    one_error_line(run("resources", "fetch"), "Error: give either LANG or --all")
    one_error_line(run("resources", "fetch", "wol", "--all"), "Error: give either LANG or --all")
    result = run("resources", "fetch", "--all", "--workers", "0")
    assert result.exit_code == 2 and "--workers" in result.output


def test_unknown_and_ambiguous_codes(tmp_path, home):
    line = one_error_line(run("resources", "fetch", "qqq"), "Error: unknown language code 'qqq'")
    assert "strict=False" not in line and "lexaug languages --search" in line  # issue 9, defect 26
    one_error_line(run("resources", "fetch", "--all", "--lang", "zzz-Latn"), "Error: unknown language code")
    corpus = tmp_path / "in.txt"
    corpus.write_text("water\n", encoding="utf-8")
    line = one_error_line(run("synthesize", "--lang", "qqq", "--input", str(corpus), "--output", str(tmp_path / "o")),
                          "Error: unknown language code 'qqq'")
    assert "strict=False" not in line and "--lexicon" in line


def test_oversized_catalog_download_stops_early(tmp_path, home, server, monkeypatch):
    """issue 9, defect 24: a 64 KB entry served as 20 MB is refused after size + 1 bytes."""
    entry = next(e for e in cat.Catalog.load().lexicons if e.file == "en_wo.tsv")
    server.files[f"/google-research/url-nlp/{COMMIT}/gatitos/en_wo.tsv"] = b"a\tb\n" * 5_000_000
    line = one_error_line(run("resources", "fetch", "wol", "--kind", "lexicon", "--base-url", server.base),
                          "Error: ")
    assert f"oversized download: more than the {entry.bytes} bytes the catalog gives" in line
    assert not entry.path().exists() and not (entry.path().parent / f".{entry.file}.part").exists()


def test_interrupted_then_resumed(tmp_path, home, server):
    body = b"water\tndox\n" * 1000
    from lexaug.download import download, part_path

    dest = tmp_path / "x.tsv"
    part_path(dest).write_bytes(body[:10] + b"garbage")  # a part file that is not a prefix of the body
    with pytest.raises(Exception, match="sha256 mismatch"):
        server.files["/x.tsv"] = body
        download(server.base + "/x.tsv", dest, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
    assert not dest.exists() and not part_path(dest).exists()  # a bad resume is dropped, the next try starts over
    download(server.base + "/x.tsv", dest, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
    assert dest.read_bytes() == body


def test_pivot_cli_bad_input(tmp_path, home):
    a = tmp_path / "a.tsv"
    a.write_text("kasa\thouse\n", encoding="utf-8")
    one_error_line(run("lexicon", "pivot", str(a), "-o", str(tmp_path / "o.tsv")), "Error: give two files")
    one_error_line(run("lexicon", "pivot", "-o", str(tmp_path / "o.tsv"), "--src-lang", "wol"),
                   "Error: give two files")
    result = run("lexicon", "pivot", str(a), str(tmp_path / "missing.tsv"), "-o", str(tmp_path / "o.tsv"))
    assert result.exit_code == 2 and "does not exist" in result.output
    one_error_line(run("lexicon", "pivot", "--src-lang", "wol", "--lang", "lug", "-o", str(tmp_path / "o.tsv")),
                   "Error: no wol->eng lexicon")
    assert not (tmp_path / "o.tsv").exists()


def test_pivot_output_that_is_an_input_or_in_a_missing_folder(tmp_path, home):
    """`-o` naming either input file would replace it (it did, with an empty file when nothing composed): one
    line, both inputs unchanged; a missing output folder is refused like every other command's --output."""
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    a.write_text("kasa\thouse\n", encoding="utf-8")
    b.write_text("house\tkër\n", encoding="utf-8")
    for target in (a, b):
        one_error_line(run("lexicon", "pivot", str(a), str(b), "-o", str(target)),
                       f"Error: {target}: --output names the same file as")
    assert a.read_text(encoding="utf-8") == "kasa\thouse\n" and b.read_text(encoding="utf-8") == "house\tkër\n"
    one_error_line(run("lexicon", "pivot", str(a), str(b), "-o", str(tmp_path / "no" / "o.tsv")),
                   f"Error: {tmp_path / 'no' / 'o.tsv'}: --output folder")
    assert not (tmp_path / "no").exists()
    result = run("lexicon", "pivot", str(a), str(b), "-o", str(tmp_path / "o.tsv"))
    assert result.exit_code == 0 and (tmp_path / "o.tsv").read_text(encoding="utf-8") == "kasa\tkër\n"


def test_synthesize_pivot_without_cache_names_the_fix(tmp_path, home):
    corpus = tmp_path / "in.txt"
    corpus.write_text("ndox\n", encoding="utf-8")
    line = one_error_line(run("synthesize", "--src-lang", "wol", "--lang", "lug", "--input", str(corpus), "--output",
                              str(tmp_path / "out.txt")), "Error: no direct wol->lug lexicon; the pivot through eng")
    assert "--fetch" in line
    assert not (tmp_path / "out.txt").exists()


def test_fetch_of_a_plain_code_names_its_variants(tmp_path, home, monkeypatch):
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", (tmp_path / "empty").as_uri())
    result = run("resources", "fetch", "bjn", "--kind", "lexicon")
    assert "Note: bjn also has the variant(s) bjn-Arab; fetch them by that code" in result.output
    assert result.exit_code == 1  # nothing served here


def test_pivot_malformed_row_fails_unless_lenient(tmp_path, home):
    """A malformed row in an input lexicon was skipped with exit 0 (counted only in the summary line), while every
    other lexicon reader fails on it by default: now one line naming the file, the line and `--lenient`."""
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    a.write_text("kasa\thouse\nbroken\n", encoding="utf-8")
    b.write_text("house\tkër\n", encoding="utf-8")
    out = tmp_path / "o.tsv"
    line = one_error_line(run("lexicon", "pivot", str(a), str(b), "-o", str(out)), f"Error: {a}, line 2:")
    assert "--lenient" in line and not out.exists()
    result = run("lexicon", "pivot", str(a), str(b), "-o", str(out), "--lenient")
    assert result.exit_code == 0 and "1 input rows skipped" in result.output
    assert out.read_text(encoding="utf-8") == "kasa\tkër\n"


def test_unknown_code_hint_names_only_options_the_command_has(tmp_path, home):
    """`resources fetch/path` have no --lexicon; their unknown-code message told users to give one."""
    for args in (["resources", "fetch", "zzz"], ["resources", "path", "zzz"]):
        line = one_error_line(run(*args), "Error: unknown language code 'zzz'")
        assert "languages --search" in line and "--lexicon" not in line
    corpus = tmp_path / "c.txt"
    corpus.write_text("the dog\n", encoding="utf-8")
    line = one_error_line(run("synthesize", "--lang", "zzz", "--input", str(corpus), "--output",
                              str(tmp_path / "o.txt")), "Error: unknown language code 'zzz'")
    assert line.endswith("or give --lexicon FILE to use the code as a label only")
