"""lexaug.catalog and lexaug.download: catalog parsing, verified downloads from a loopback HTTP server,
UniMorph clones from a local git repository, cache lookups. Never touches the internet."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from lexaug import catalog as cat
from lexaug.download import rewrite_url, sha256_file
from lexaug.errors import ChecksumError, FormatError, ResourceError

GATITOS_COMMIT = "3622039cf51f7eeffa58b957332a8e8c337981d7"
LUG = b"water\tamazzi\nfire\tomuliro\nfire\tmuliro\n"
LUG_URL = f"https://raw.githubusercontent.com/google-research/url-nlp/{GATITOS_COMMIT}/gatitos/en_lg.tsv"
LUG_PATH = f"/google-research/url-nlp/{GATITOS_COMMIT}/gatitos/en_lg.tsv"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_catalog(tmp_path: Path, body: str) -> cat.Catalog:
    path = tmp_path / "catalog.toml"
    path.write_text(body, encoding="utf-8")
    return cat.Catalog.load(path)


def lug_catalog(tmp_path: Path, data: bytes = LUG) -> cat.Catalog:
    return write_catalog(tmp_path, f"""
[[lexicon]]
name = "gatitos"
src = "eng"
tgt = "lug"
file = "en_lg.tsv"
url = "{LUG_URL}"
bytes = {len(data)}
sha256 = "{sha(data)}"
license = "CC-BY-4.0"
""")


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- HTTP downloads -------------------------------------------------------------------------------------

def test_good_download_lands_in_cache_layout(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG, None, None)
    paths = cat.fetch("lug", catalog=catalog, base_url=server.base)
    expected = home / "lexicons" / "eng_lug" / "en_lg.tsv"
    assert paths == [expected]
    assert expected.read_bytes() == LUG
    assert files_under(home) == ["lexicons/eng_lug/en_lg.tsv"]  # no temporary file left behind
    assert cat.resolve_lexicon("eng", "lug", catalog=catalog) == expected
    assert cat.cached("lug", catalog=catalog) == [expected]
    assert [(c.status, c.path) for c in cat.verify(catalog)] == [("ok", expected)]


def test_language_codes_in_any_form(tmp_path, home, server):
    pytest.importorskip("lexaug.langs")
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG, None, None)
    expected = home / "lexicons" / "eng_lug" / "en_lg.tsv"
    assert cat.fetch("lg", "lexicon", catalog=catalog, base_url=server.base) == [expected]
    assert cat.resolve_lexicon("en", "lg", catalog=catalog) == expected
    assert cat.cached("LG", catalog=catalog) == [expected]


def test_base_url_from_environment(tmp_path, home, server, monkeypatch):
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG, None, None)
    monkeypatch.setenv("LEXAUG_CATALOG_BASE_URL", server.base + "/")
    assert cat.fetch("lug", "lexicon", catalog=catalog)[0].read_bytes() == LUG


def test_rewrite_url_keeps_path_only():
    assert rewrite_url("https://github.com/unimorph/amh.git", "file:///srv/m/") == "file:///srv/m/unimorph/amh.git"
    assert rewrite_url(LUG_URL, "") == LUG_URL


def test_corrupt_download_is_rejected_and_nothing_cached(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    bad = LUG.replace(b"amazzi", b"amazzj")
    server.routes[LUG_PATH] = (200, bad, None, None)
    with pytest.raises(ChecksumError, match=f"sha256 mismatch: expected {sha(LUG)}, got {sha(bad)}"):
        cat.fetch("lug", catalog=catalog, base_url=server.base)
    assert files_under(home) == []
    with pytest.raises(ResourceError, match="run `lexaug resources fetch lug --kind lexicon`"):
        cat.resolve_lexicon("eng", "lug", catalog=catalog)


def test_truncated_download_server_closes_early(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG, len(LUG), 10)  # announces the full length, sends 10 bytes, closes
    with pytest.raises(ChecksumError, match=f"got 10 bytes, the server announced {len(LUG)}; run the fetch again"):
        cat.fetch("lug", catalog=catalog, base_url=server.base)
    assert files_under(home) == ["lexicons/eng_lug/.en_lg.tsv.part"]  # kept to resume; never read as the lexicon
    with pytest.raises(ResourceError, match="run `lexaug resources fetch lug --kind lexicon`"):
        cat.resolve_lexicon("eng", "lug", catalog=catalog)


def test_truncated_download_short_body_honestly_announced(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG[:12], None, None)  # a short file served as complete
    with pytest.raises(ChecksumError, match=f"got 12 bytes, the catalog gives {len(LUG)}"):
        cat.fetch("lug", catalog=catalog, base_url=server.base)
    assert files_under(home) == []


def test_404_is_a_resource_error(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    with pytest.raises(ResourceError, match=r"gatitos/en_lg.tsv: HTTP 404") as err:
        cat.fetch("lug", catalog=catalog, base_url=server.base)
    assert not isinstance(err.value, ChecksumError)
    assert files_under(home) == []


def test_failed_refetch_keeps_the_good_copy(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG, None, None)
    (path,) = cat.fetch("lug", catalog=catalog, base_url=server.base)
    server.routes[LUG_PATH] = (200, b"x" * len(LUG), None, None)
    with pytest.raises(ChecksumError):
        cat.fetch("lug", catalog=catalog, base_url=server.base, force=True)
    assert path.read_bytes() == LUG
    assert files_under(home) == ["lexicons/eng_lug/en_lg.tsv"]
    cat.fetch("lug", catalog=catalog, base_url=server.base)  # intact copy cached: no request made
    assert path.read_bytes() == LUG


def test_verify_detects_corruption_after_download_and_fetch_repairs(tmp_path, home, server):
    catalog = lug_catalog(tmp_path)
    server.routes[LUG_PATH] = (200, LUG, None, None)
    (path,) = cat.fetch("lug", catalog=catalog, base_url=server.base)
    path.write_bytes(LUG.replace(b"water", b"Water"))  # same size, different bytes
    (check,) = cat.verify(catalog)
    assert (check.status, check.path) == ("bad", path)
    assert check.message == f"en_lg.tsv sha256 is {sha(LUG.replace(b'water', b'Water'))}, the catalog gives {sha(LUG)}"
    path.write_bytes(LUG[:5])
    with pytest.raises(ChecksumError, match=f"5 bytes, the catalog gives {len(LUG)}"):
        cat.resolve_lexicon("eng", "lug", catalog=catalog)
    cat.fetch("lug", catalog=catalog, base_url=server.base)  # a bad cached copy is downloaded again
    assert [c.status for c in cat.verify(catalog)] == ["ok"]


# --- lookups ----------------------------------------------------------------------------------------------

def test_resolve_lexicon_messages_and_user_files(tmp_path, home):
    catalog = lug_catalog(tmp_path)
    with pytest.raises(ResourceError, match=r"only eng->lug: run `lexaug resources fetch lug --kind lexicon`"):
        cat.resolve_lexicon("lug", "eng", catalog=catalog)
    with pytest.raises(ResourceError, match="the catalog has no eng->wol lexicon"):
        cat.resolve_lexicon("eng", "wol", catalog=catalog)
    own = home / "lexicons" / "eng_wol" / "mine.tsv"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"water\tndox\n")
    (own.parent / ".mine.tsv.part").write_bytes(b"")
    assert cat.resolve_lexicon("eng", "wol", catalog=catalog) == own


def test_resolve_unimorph_layout(tmp_path, home):
    root = tmp_path / "unimorph"
    with pytest.raises(ResourceError, match=r"no UniMorph table for fin in .*; run `lexaug resources fetch fin "
                                            r"--kind unimorph`"):
        cat.resolve_unimorph("fin")
    (root / "fin").mkdir(parents=True)
    for part in ("fin.10", "fin.2", "fin.1", "fin.args", "README.md"):
        (root / "fin" / part).write_text("a\tb\tN\n")
    assert [p.name for p in cat.resolve_unimorph("fin")] == ["fin.1", "fin.2", "fin.10"]
    (root / "fin" / "fin").write_text("a\tb\tN\n")
    assert cat.resolve_unimorph("fin") == [root / "fin" / "fin"]


# --- UniMorph through git ---------------------------------------------------------------------------------

def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def swc_mirror(tmp_path) -> tuple[str, str, bytes]:
    """A local bare repository at <mirror>/unimorph/swc.git with two commits; returns (base URL, first commit,
    the table at the first commit)."""
    work = tmp_path / "work"
    work.mkdir()
    git("init", "--quiet", cwd=work)
    table = "kitabu\tvitabu\tN;PL\nkitabu\tkitabu\tN;SG\n".encode()
    (work / "swc").write_bytes(table)
    git("add", "swc", cwd=work)
    git("commit", "--quiet", "-m", "one", cwd=work)
    first = git("rev-parse", "HEAD", cwd=work)
    (work / "swc").write_bytes(table + b"mtu\twatu\tN;PL\n")
    git("commit", "--quiet", "-am", "two", cwd=work)
    mirror = tmp_path / "mirror" / "unimorph"
    mirror.mkdir(parents=True)
    git("clone", "--quiet", "--bare", str(work), str(mirror / "swc.git"), cwd=tmp_path)
    return (tmp_path / "mirror").as_uri(), first, table


def swc_catalog(tmp_path: Path, commit: str, digest: str) -> cat.Catalog:
    return write_catalog(tmp_path, f"""
[[unimorph]]
lang = "swc"
git = "https://github.com/unimorph/swc.git"
license = "CC BY-SA 3.0"
commit = "{commit}"
files = [{{ name = "swc", sha256 = "{digest}" }}]
""")


def test_unimorph_clone_pinned_commit(tmp_path, home, swc_mirror):
    base, first, table = swc_mirror
    catalog = swc_catalog(tmp_path, first, sha(table))
    root = tmp_path / "unimorph"
    (root / "swc").mkdir(parents=True)  # the empty folder `unimorph download` leaves when its clone fails
    assert cat.fetch("swc", "unimorph", catalog=catalog, base_url=base) == [root / "swc" / "swc"]
    assert (root / "swc" / "swc").read_bytes() == table  # the pinned commit, not the newer HEAD
    assert (root / "swc" / ".git").is_dir()
    assert sorted(p.name for p in root.iterdir()) == ["swc"]
    assert cat.resolve_unimorph("swc") == [root / "swc" / "swc"]
    assert [(c.status, c.path.name) for c in cat.verify(catalog)] == [("ok", "swc")]
    (root / "swc" / "swc").write_bytes(table.upper())
    assert [c.status for c in cat.verify(catalog)] == ["bad"]


def test_unimorph_clone_with_wrong_checksum_leaves_nothing(tmp_path, home, swc_mirror):
    base, first, table = swc_mirror
    catalog = swc_catalog(tmp_path, first, sha(b"other"))
    with pytest.raises(ChecksumError, match=f"swc sha256 is {sha(table)}, the catalog gives {sha(b'other')}"):
        cat.fetch("swc", catalog=catalog, base_url=base)
    assert list((tmp_path / "unimorph").iterdir()) == []


def test_unimorph_missing_repository_and_commit(tmp_path, home, swc_mirror):
    base, first, table = swc_mirror
    missing = write_catalog(tmp_path, '[[unimorph]]\nlang = "zul"\ngit = "https://github.com/unimorph/zul.git"\n'
                                      'license = "CC BY-SA 3.0"\n')
    with pytest.raises(ResourceError, match=r"the UniMorph repository 'zul' does not exist or cannot be reached "
                                            r"\(.*unimorph/zul.git\): git clone failed: fatal: "):
        cat.fetch("zul", catalog=missing, base_url=base)
    catalog = swc_catalog(tmp_path, "0" * 40, sha(table))
    with pytest.raises(ResourceError, match=f"git checkout {'0' * 40} failed"):
        cat.fetch("swc", catalog=catalog, base_url=base)
    assert list((tmp_path / "unimorph").iterdir()) == []


# --- catalog parsing ----------------------------------------------------------------------------------------

def test_bad_catalogs_are_format_errors(tmp_path):
    with pytest.raises(FormatError, match="not valid TOML"):
        write_catalog(tmp_path, "[[lexicon]\n")
    with pytest.raises(FormatError, match="sha256 must be 64 lower-case hex digits, got 'abc'"):
        write_catalog(tmp_path, '[[lexicon]]\nname="x"\nsrc="eng"\ntgt="lug"\nfile="f"\nurl="u"\nsha256="abc"\n'
                                'license="l"\n')
    with pytest.raises(FormatError, match="bad catalog entry: 'git'"):
        write_catalog(tmp_path, '[[unimorph]]\nlang="swc"\nlicense="l"\n')


def test_unknown_language_in_catalog_query(tmp_path, home):
    with pytest.raises(ResourceError, match="the catalog has no resource for wol; `lexaug languages --search NAME`"):
        cat.fetch("wol", catalog=lug_catalog(tmp_path))


def test_bundled_catalog_shape():
    catalog = cat.Catalog.load()
    gatitos = [e for e in catalog.lexicons if e.name == "gatitos"]
    muse = [e for e in catalog.lexicons if e.name == "muse"]
    assert len(gatitos) == 346 and len(muse) == 88 and len(catalog.unimorph) == 169
    assert all(e.url.startswith(f"https://raw.githubusercontent.com/google-research/url-nlp/{GATITOS_COMMIT}/"
                                f"gatitos/{e.file}") for e in gatitos)
    assert all(e.pinned for e in gatitos) and not any(e.pinned for e in muse)
    assert all(e.license == "CC-BY-NC-4.0" for e in muse)
    assert {e.lang for e in muse} == {cat.tag(c) for c in "af ar bg bn bs ca cs da de el es et fa fi fr he hi hr hu id "
                                      "it ja ko lt lv mk ms nl no pl pt ro ru sk sl sq sv ta th tl tr uk vi zh".split()}
    pinned = {e.lang for e in catalog.unimorph if e.pinned}
    assert pinned == {"amh", "eng", "gup", "kbd", "mlt", "nav", "sqi", "swc", "zul"}
    assert sorted((e.src, e.tgt) for e in catalog.entries("lug", "lexicon")) == [("eng", "lug"), ("lug", "eng")]
    assert [e.kind for e in catalog.entries("kbd")] == ["lexicon", "lexicon", "unimorph"]
    # script and region variants are distinct resources; Dari is not Persian
    assert {"bjn", "bjn-Arab", "kas", "kas-Deva", "apd-SD", "mni-Mtei", "sat-Latn", "prs", "fas"} <= catalog.languages()
    assert catalog.resolve_tag("fa-AF") == "prs" and catalog.resolve_tag("fa") == "fas"
    assert catalog.resolve_tag("rhg") == "rhg-Latn"  # the one variant
    assert len(catalog.languages()) >= 300


def test_ambiguous_plain_code_names_the_variants(tmp_path):
    body = "".join(f"""
[[lexicon]]
name = "gatitos"
src = "eng"
tgt = "{t}"
file = "en_{t}.tsv"
url = "https://example.org/en_{t}.tsv"
sha256 = "{"0" * 64}"
license = "CC-BY-4.0"
""" for t in ("bjn-Arab", "bjn-Latn"))
    catalog = write_catalog(tmp_path, body)
    with pytest.raises(ResourceError, match=r"'bjn' is ambiguous: the catalog has the variants bjn-Arab, bjn-Latn"):
        catalog.entries("bjn")
    assert [e.tgt for e in catalog.entries("bjn-Arab")] == ["bjn-Arab"]


def test_bundled_catalog_languages_are_known_to_langs():
    """The whole catalog walks: every tag normalises to itself."""
    langs = pytest.importorskip("lexaug.langs")
    for code in cat.Catalog.load().languages():
        assert langs.normalize(code).tag == code


# --- real files -------------------------------------------------------------------------------------------

def test_generated_catalog_is_what_the_script_makes(shared_data):
    from lexaug.resources import make_catalog

    committed = (Path(make_catalog.__file__).parent / "catalog_generated.tsv").read_text(encoding="utf-8")
    assert committed == make_catalog.render(shared_data / "catalog")


def test_every_gatitos_checksum_matches_the_table(shared_data):
    import csv

    with open(shared_data / "catalog" / "gatitos_files.tsv", encoding="utf-8") as fh:
        table = {r["file"]: r for r in csv.DictReader(fh, delimiter="\t")}
    gatitos = {e.file: e for e in cat.Catalog.load().lexicons if e.name == "gatitos"}
    assert sorted(gatitos) == sorted(table) and len(table) == 346
    for name, entry in gatitos.items():
        assert (entry.sha256, entry.bytes) == (table[name]["sha256"], int(table[name]["bytes"])), name
    folder = shared_data / "lexicons" / "gatitos"
    for path in folder.glob("en_*.tsv"):
        assert gatitos[path.name].sha256 == sha256_file(path), path.name
    assert gatitos["en_tn.tsv"].sha256 == gatitos["en_ts.tsv"].sha256  # byte-identical upstream


def test_unimorph_pins_match_real_files(shared_data):
    pins = [(e.lang, p) for e in cat.Catalog.load().unimorph for p in e.files]
    assert len(pins) == 23
    for lang, pin in pins:
        path = shared_data / "unimorph" / lang / pin.name
        assert (sha256_file(path), path.stat().st_size) == (pin.sha256, pin.bytes), path


def test_fetch_real_gatitos_from_loopback_mirror(shared_data, home, server):
    folder = shared_data / "lexicons" / "gatitos"
    for path in folder.glob("en_*.tsv"):
        server.routes[f"/google-research/url-nlp/{GATITOS_COMMIT}/gatitos/{path.name}"] = (
            200, path.read_bytes(), None, None)
    wanted = {p.name for p in folder.glob("en_*.tsv")}
    entries = [e for e in cat.Catalog.load().lexicons if e.name == "gatitos" and e.file in wanted]
    assert len(entries) == 19
    assert {cat.fetch_entry(e, base_url=server.base).status for e in entries} == {"fetched"}
    assert cat.resolve_lexicon("eng", "lug").read_bytes() == (folder / "en_lg.tsv").read_bytes()
    checks = cat.verify()
    assert [c.status for c in checks] == ["ok"] * 19
