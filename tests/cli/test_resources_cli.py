"""`lexaug resources list | fetch | path | verify` through click's CliRunner, with the bundled catalog and a
local file:// mirror (never the internet)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli

COMMIT = "3622039cf51f7eeffa58b957332a8e8c337981d7"


@pytest.fixture
def env(tmp_path, monkeypatch) -> dict[str, Path]:
    monkeypatch.setenv("LEXAUG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UNIMORPH", str(tmp_path / "unimorph"))
    mirror = tmp_path / "mirror"
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", mirror.as_uri())
    return {"home": tmp_path / "home", "mirror": mirror, "unimorph": tmp_path / "unimorph"}


def mirror_file(mirror: Path, name: str, data: bytes) -> None:
    path = mirror / "google-research" / "url-nlp" / COMMIT / "gatitos" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def run(*args: str):
    return CliRunner().invoke(cli, ["resources", *args])


def test_list_shows_catalog_and_cache_state(env):
    result = run("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 346 + 88 + 169
    assert lines[0] == "lexicon\taar-eng\tgatitos\tCC-BY-4.0\t-"
    assert "unimorph\tswc\tunimorph\tCC BY-SA 3.0\t-" in lines
    assert "unimorph\tdeu\tunimorph (trust on first use)\tCC BY-SA 3.0\t-" in lines
    assert "lexicon\teng-deu\tmuse (trust on first use)\tCC-BY-NC-4.0\t-" in lines
    assert "lexicon\tbjn-Arab-eng\tgatitos\tCC-BY-4.0\t-" in lines
    (env["unimorph"] / "swc").mkdir(parents=True)
    (env["unimorph"] / "swc" / "swc").write_text("a\tb\tN\n")
    assert "unimorph\tswc\tunimorph\tCC BY-SA 3.0\tcached" in run("list").output.splitlines()


def test_fetch_path_verify_real_file(env, shared_data):
    real = (shared_data / "lexicons" / "gatitos" / "en_wo.tsv").read_bytes()
    mirror_file(env["mirror"], "en_wo.tsv", real)
    expected = env["home"] / "lexicons" / "eng_wol" / "en_wo.tsv"
    result = run("fetch", "wol", "--kind", "lexicon")
    assert result.exit_code == 1  # wo_en.tsv (the other direction) is not on the mirror
    assert "wo_en.tsv: cannot download" in result.output
    result = run("fetch", "--all", "--lang", "wol", "--kind", "lexicon")
    assert result.exit_code == 1 and "2 entries: 0 fetched and verified, 0 fetched (unpinned, checksums recorded), 1 already cached (skipped), 1 failed" in result.output
    assert expected.read_bytes() == real
    assert run("path", "wol").output == f"{expected}\n"
    verified = run("verify")
    assert verified.exit_code == 0
    assert verified.output.splitlines()[0] == f"ok\t{expected}"
    assert verified.output.splitlines()[-1] == "1 cached files checked, none corrupt"
    expected.write_bytes(real[:-1] + b"X")
    verified = run("verify")
    assert verified.exit_code == 1
    lines = verified.output.splitlines()
    assert lines[0].startswith(f"bad\t{expected}\ten_wo.tsv sha256 is ")
    assert lines[-1].startswith(f"Error: {expected}: en_wo.tsv sha256 is ")
    assert lines[-1].endswith("; fetch again with `lexaug resources fetch LANG --force`")


def test_fetch_corrupt_mirror_fails_cleanly(env):
    mirror_file(env["mirror"], "en_lg.tsv", b"water\tamazzi\n")
    result = run("fetch", "lug", "--kind", "lexicon")
    assert result.exit_code == 1
    url = f"{env['mirror'].as_uri()}/google-research/url-nlp/{COMMIT}/gatitos/en_lg.tsv"
    assert result.output.splitlines()[-1] == (
        f"Error: {url}: truncated or oversized download: got 13 bytes, the catalog gives 72009")
    assert list((env["home"] / "lexicons" / "eng_lug").iterdir()) == []


def test_path_and_fetch_errors_name_the_fix(env):
    result = run("path", "wol")
    assert (result.exit_code, result.output) == (1, "Error: nothing cached for wol; run `lexaug resources fetch wol`\n")
    result = run("path", "wol", "--kind", "unimorph")
    assert result.output == "Error: nothing cached for wol; run `lexaug resources fetch wol --kind unimorph`\n"
    result = run("fetch", "wol", "--kind", "unimorph")
    assert (result.exit_code, result.output) == (
        1, "Error: the catalog has no unimorph for wol; `lexaug languages --search NAME` shows what it has\n")
    result = run("fetch", "lug", "--kind", "lexicon")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "cannot download" in result.output


def test_path_lists_unimorph_parts(env):
    folder = env["unimorph"] / "fin"
    folder.mkdir(parents=True)
    for name in ("fin.2", "fin.1"):
        (folder / name).write_text("talo\ttalot\tN;NOM;PL\n")
    assert run("path", "fin").output == f"{folder / 'fin.1'}\n{folder / 'fin.2'}\n"
