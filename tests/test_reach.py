"""Issue 10: the whole catalog reachable: GATITOS, MUSE (trust on first use), UniMorph (trust on first use, local
git repositories), resumed downloads, `fetch --all`, pivots, `synthesize --fetch`. Loopback only."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexaug import catalog as cat
from lexaug import tofu
from lexaug.download import download, part_path
from lexaug.errors import ChecksumError
from lexaug_cli.main import cli

COMMIT = "3622039cf51f7eeffa58b957332a8e8c337981d7"
GATITOS = f"/google-research/url-nlp/{COMMIT}/gatitos/"
MUSE = "/arrival/dictionaries/"


@pytest.fixture
def home(home, monkeypatch, server) -> Path:
    """conftest's empty caches, with the catalog's URLs pointing at the loopback `server`."""
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", server.base)
    return home


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def gatitos_table(shared_data: Path) -> list[dict[str, str]]:
    with open(shared_data / "catalog" / "gatitos_files.tsv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_counts_of_the_whole_catalog():
    catalog = cat.Catalog.load()
    lexicon_langs = {e.lang for e in catalog.lexicons}
    unimorph_langs = {e.lang for e in catalog.unimorph}
    assert len(lexicon_langs) == 214 and len(unimorph_langs) == 169
    assert len(lexicon_langs | unimorph_langs) == 319 >= 300
    result = run("languages", "--has", "lexicon")
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "214 languages with lexicon"
    assert run("languages", "--has", "unimorph").output.splitlines()[-1] == "169 languages with unimorph"
    assert run("languages").output.splitlines()[-1] == "319 languages"


def test_languages_search_and_json():
    out = run("languages", "--search", "dari").output.splitlines()
    assert out[-1] == "2 languages matching 'dari'" and out[1].startswith("prs\tDari\tArab\tgatitos eng->prs")
    rows = [json.loads(line) for line in run("languages", "--search", "banjar", "--json").output.splitlines()]
    assert [r["code"] for r in rows] == ["bjn", "bjn-Arab"] and [r["script"] for r in rows] == ["Latn", "Arab"]
    assert {r["direction"] for r in rows[1]["resources"]} == {"eng->bjn-Arab", "bjn-Arab->eng"}
    assert run("languages", "--search", "Wolof").output.splitlines()[-1] == "1 language matching 'Wolof'"
    assert run("languages", "--search", "no such tongue").output.splitlines() == ["0 languages matching 'no such tongue'"]
    both = run("languages", "--has", "both").output.splitlines()
    assert any(line.startswith("kbd\t") for line in both)


def test_gatitos_fetch_and_verify_both_directions(shared_data, home, server):
    real = (shared_data / "lexicons" / "gatitos" / "en_wo.tsv").read_bytes()
    swapped = b"".join(b"\t".join(line.split(b"\t")[::-1]) + b"\n" for line in real.splitlines())
    rows = {r["file"]: r for r in gatitos_table(shared_data)}
    assert hashlib.sha256(swapped).hexdigest() == rows["wo_en.tsv"]["sha256"]  # <x>_en is en_<x> swapped
    server.files[GATITOS + "en_wo.tsv"] = real
    server.files[GATITOS + "wo_en.tsv"] = swapped
    paths = cat.fetch("wo", "lexicon")
    assert sorted(p.name for p in paths) == ["en_wo.tsv", "wo_en.tsv"]
    assert cat.resolve_lexicon("wol", "eng").name == "wo_en.tsv"  # --src-lang wol --lang eng uses <x>_en.tsv
    assert [c.status for c in cat.verify()] == ["ok", "ok"]


def test_muse_trust_on_first_use(home, server):
    first = b"the der\nhouse haus\nhouse heim\n"  # MUSE: space separated
    server.files[MUSE + "en-de.txt"] = first
    result = run("resources", "fetch", "--all", "--lang", "de", "--kind", "lexicon")
    assert "Notice: muse dictionaries are licensed CC-BY-NC-4.0 (non-commercial use only" in result.output
    entry = next(e for e in cat.Catalog.load().lexicons if e.file == "en-de.txt")
    assert entry.path().read_bytes() == first
    from lexaug.loaders.lexicon import Lexicon

    lex = Lexicon.read(cat.resolve_lexicon("en", "de"))  # the existing reader, languages from the file name
    assert [t.target for t in lex.lookup("house")] == ["haus", "heim"] and lex.stats()["tgt_lang"] == "deu"
    record = tofu.get(entry.tofu_key)
    assert record is not None and record["sha256"] == hashlib.sha256(first).hexdigest()
    check = next(c for c in cat.verify() if c.path == entry.path())
    assert (check.status, check.message) == ("ok", f"unpinned, recorded on {record['recorded']}")
    # upstream changes: a forced re-fetch refuses it and keeps the recorded copy
    server.files[MUSE + "en-de.txt"] = b"the die\nhouse haus\nhouse heim\n"
    with pytest.raises(ChecksumError, match=r"sha256 mismatch.*differs from the one recorded on first use .*delete its "
                                            r"entry 'lexicon:eng_deu/en-de.txt'"):
        cat.fetch_entry(entry, force=True)
    assert entry.path().read_bytes() == first
    # the cached copy edited in place, same size: refused on load (issue 9, defect 22)
    entry.path().write_bytes(b"the daz\nhouse haus\nhouse heim\n")
    with pytest.raises(ChecksumError, match="the first-use record gives"):
        cat.resolve_lexicon("eng", "deu")


def test_pinned_lexicon_edited_in_place_is_refused_on_load(shared_data, home, server):
    real = (shared_data / "lexicons" / "gatitos" / "en_lg.tsv").read_bytes()
    server.files[GATITOS + "en_lg.tsv"] = real
    (path,) = [p for p in cat.fetch("lg", "lexicon") if p.name == "en_lg.tsv"] if False else [
        cat.fetch_entry(next(e for e in cat.Catalog.load().lexicons if e.file == "en_lg.tsv")).paths[0]]
    path.write_bytes(real.replace(b"water", b"Water", 1))  # same size
    with pytest.raises(ChecksumError, match=r"en_lg.tsv sha256 is .*, the catalog gives .*; the cached file changed"):
        cat.resolve_lexicon("eng", "lug")


def test_resumed_partial_download(tmp_path, server):
    body = bytes(range(256)) * 64
    server.files["/f.bin"] = body
    dest = tmp_path / "f.bin"
    part_path(dest).write_bytes(body[:5000])  # an earlier transfer stopped here
    download(server.base + "/f.bin", dest, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
    assert dest.read_bytes() == body and not part_path(dest).exists()
    assert server.requests[-1] == ("/f.bin", "bytes=5000-")
    server.ranges = False  # a server that ignores Range: the download starts over
    part_path(dest).write_bytes(body[:100])
    dest.unlink()
    download(server.base + "/f.bin", dest, sha256=hashlib.sha256(body).hexdigest(), size=len(body))
    assert dest.read_bytes() == body


def test_oversized_body_is_not_read_whole(tmp_path, server):
    """issue 9, defect 24: reading stops at the catalog size plus one byte."""
    server.files["/big"] = b"x" * 2_000_000
    with pytest.raises(ChecksumError, match="oversized download: more than the 10 bytes the catalog gives"):
        download(server.base + "/big", tmp_path / "big", sha256=None, size=10)
    assert list(tmp_path.iterdir()) == []


def _git_repo(root: Path, name: str, files: dict[str, str]) -> str:
    repo = root / "unimorph" / f"{name}.git"
    repo.mkdir(parents=True)
    for fname, text in files.items():
        (repo / fname).write_text(text, encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_unimorph_trust_on_first_use_from_a_local_git_repo(tmp_path, home, monkeypatch):
    head = _git_repo(tmp_path / "mirror", "deu", {"deu": "Haus\tHäuser\tN;NOM;PL\n"})
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", (tmp_path / "mirror").as_uri())
    entry = cat.unimorph_entry("deu")
    assert entry is not None and not entry.pinned
    outcome = cat.fetch_entry(entry)
    assert outcome.status == "recorded" and [p.name for p in outcome.paths] == ["deu"]
    record = tofu.get("unimorph:deu")
    assert record is not None and record["commit"] == head and set(record["files"]) == {"deu"}
    result = run("resources", "verify")
    assert result.exit_code == 0 and f"unpinned, recorded on {record['recorded']}" in result.output
    table = tmp_path / "unimorph" / "deu" / "deu"
    table.write_text("Haus\tHauser\tN;NOM;PL\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="the first-use record gives"):
        cat.resolve_unimorph("deu")
    assert run("resources", "verify").exit_code == 1


def test_unimorph_repository_that_does_not_exist(tmp_path, home, monkeypatch):
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", (tmp_path / "mirror").as_uri())
    result = run("resources", "fetch", "ady", "--kind", "unimorph")
    assert result.exit_code == 1
    assert result.output.startswith("Error: the UniMorph repository 'ady' does not exist or cannot be reached")
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1


def test_fetch_all_with_one_broken_entry(shared_data, tmp_path, home, server, monkeypatch):
    """A small served catalog of three real GATITOS entries, one served broken: exit 1, the other two kept."""
    folder = shared_data / "lexicons" / "gatitos"
    names = ("en_wo.tsv", "en_lg.tsv", "en_tn.tsv")
    entries = [e for e in cat.Catalog.load().lexicons if e.file in names]
    _write_generated(tmp_path / "catalog.tsv", entries)
    monkeypatch.setenv("LEXAUG_CATALOG", str(tmp_path / "catalog.tsv"))
    for name in names:
        server.files[GATITOS + name] = (folder / name).read_bytes()
    server.files[GATITOS + "en_tn.tsv"] = (folder / "en_tn.tsv").read_bytes()[:-3] + b"xyz"  # same size, bad
    result = run("resources", "fetch", "--all", "--workers", "3")
    assert result.exit_code == 1
    assert "3 entries: 2 fetched and verified, 0 fetched (unpinned, checksums recorded), 0 already cached " \
           "(skipped), 1 failed" in result.output
    assert "failed\tlexicon\ttsn\t" in result.output and "sha256 mismatch" in result.output
    assert (home / "lexicons" / "eng_wol" / "en_wo.tsv").read_bytes() == (folder / "en_wo.tsv").read_bytes()
    assert (home / "lexicons" / "eng_lug" / "en_lg.tsv").read_bytes() == (folder / "en_lg.tsv").read_bytes()
    assert not (home / "lexicons" / "eng_tsn").exists() or list((home / "lexicons" / "eng_tsn").iterdir()) == []
    server.files[GATITOS + "en_tn.tsv"] = (folder / "en_tn.tsv").read_bytes()
    again = run("resources", "fetch", "--all")
    assert again.exit_code == 0 and "3 entries: 1 fetched and verified, 0 fetched (unpinned, checksums recorded), " \
                                    "2 already cached (skipped), 0 failed" in again.output


def test_synthesize_through_a_pivot_from_the_cache(tmp_path, home, shared_data):
    folder = shared_data / "lexicons" / "gatitos"
    lug = folder / "en_lg.tsv"
    wol = folder / "en_wo.tsv"
    swapped = b"".join(b"\t".join(line.split(b"\t")[::-1]) + b"\n" for line in wol.read_bytes().splitlines())
    for src, tgt, name, data in (("wol", "eng", "wo_en.tsv", swapped), ("eng", "lug", "en_lg.tsv", lug.read_bytes())):
        dest = cat.lexicon_dir(src, tgt) / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    corpus = tmp_path / "in.txt"
    corpus.write_text("ndox\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text('{"text": "ndox"}\n', encoding="utf-8")
    result = run("synthesize", "--src-lang", "wol", "--lang", "lug", "--input", str(jsonl), "--output", str(out),
                 "--min-replacements", "0")
    assert result.exit_code == 0, result.output
    manifest = json.loads(Path(str(out) + ".manifest.json").read_text(encoding="utf-8"))
    assert manifest["pivot"] == "eng"
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert record["lexaug"]["pivot"] == "eng"
    assert record["text"] == "amazzi"  # ndox -> water -> amazzi
    composed = home / "pivots" / "wol_lug.via-eng.tsv"
    assert manifest["resources"][0]["path"] == str(composed)


def test_lexicon_pivot_counts_as_weights(tmp_path):
    a = tmp_path / "xx_en.tsv"
    b = tmp_path / "en_yy.tsv"
    a.write_text("kasa\thouse\nkasa\thome\nkasa\tbuilding\n", encoding="utf-8")
    b.write_text("house\tcasa\nhome\tcasa\nhome\thogar\nbuilding\tedificio\n", encoding="utf-8")
    out = tmp_path / "xx_yy.tsv"
    result = run("lexicon", "pivot", str(a), str(b), "-o", str(out))
    assert result.exit_code == 0, result.output
    from lexaug.loaders.lexicon import Lexicon

    lex = Lexicon.read(out, weighting="count")
    assert [(t.target, t.count) for t in lex.lookup("kasa")] == [("casa", 2), ("hogar", 1), ("edificio", 1)]


def _write_generated(path: Path, entries: list[cat.LexiconEntry]) -> None:
    from lexaug.resources.make_catalog import COLUMNS

    lines = ["\t".join(COLUMNS)]
    for e in entries:
        lines.append("\t".join(["lexicon", e.name, e.lang, e.src, e.tgt, e.file, e.url, str(e.bytes or ""),
                                e.sha256 or "", e.lang_name, e.script, e.license, "pinned", ""]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_synthesize_fetch_one_gatitos_language_per_script(tmp_path, home, server, shared_data, monkeypatch):
    """`synthesize --lang <code> --fetch` downloads (from the loopback server) the one file the run needs, for one
    GATITOS language of each script in the shared table, with the file's own code (script/region kept)."""
    from dataclasses import replace

    table = gatitos_table(shared_data)
    first: dict[str, dict[str, str]] = {}
    for row in table:
        if row["src"] == "en" and row["script"]:
            first.setdefault(row["script"], row)
    assert {"Latn", "Arab", "Deva", "Ethi", "Cyrl", "Tibt", "Mtei", "Nkoo", "Hant"} <= set(first)
    bundled = {e.file: e for e in cat.Catalog.load().lexicons}
    served = []
    for script, row in sorted(first.items()):
        word = f"w{script}".encode()
        body = b"water\t" + word + b"\n"
        served.append(replace(bundled[row["file"]], sha256=hashlib.sha256(body).hexdigest(), bytes=len(body)))
        server.files[GATITOS + row["file"]] = body
    catalog_file = tmp_path / "catalog.tsv"
    _write_generated(catalog_file, served)
    monkeypatch.setenv("LEXAUG_CATALOG", str(catalog_file))
    corpus = tmp_path / "in.txt"
    corpus.write_text("water\n", encoding="utf-8")
    for script, row in sorted(first.items()):
        out = tmp_path / f"out.{script}.txt"
        args = ["synthesize", "--lang", row["tgt"], "--input", str(corpus), "--output", str(out)]
        refused = run(*args)  # never downloads without --fetch
        assert refused.exit_code == 1 and "--fetch" in refused.output, refused.output
        result = run(*args, "--fetch")
        assert result.exit_code == 0, (script, result.output)
        assert out.read_text(encoding="utf-8") == f"w{script}\n", script
    assert len(server.requests) == len(first)  # one download per language, none without --fetch
