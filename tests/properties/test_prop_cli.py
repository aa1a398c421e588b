"""End-to-end properties of `lexaug synthesize` (click CliRunner, `--no-provenance`): an identity lexicon read from
a TSV file reproduces every format byte for byte in substitute and codeswitch (rate 1.0) mode, for any chunk size;
output bytes do not depend on worker count or chunking."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexaug.io import read_records
from lexaug_cli.main import cli

from prop_strategies import DOCS, identity_pairs, write_lexicon, words_of  # noqa: E402

MODES = [("substitute", "--generator", "substitute.v1"), ("substitute", "--generator", "substitute.v2"),
         ("substitute", "--generator", "substitute.v3"),
         ("codeswitch", "--rate", "1.0", "--sentence-rate", "1.0")]


def synthesize(folder: Path, doc: str, fmt: str, lexicon: Path, mode: tuple[str, ...], *extra: str) -> bytes:
    src, out = folder / "input", folder / f"out-{len(list(folder.iterdir()))}"
    src.write_bytes(doc.encode("utf-8"))
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "xx", "--lexicon", str(lexicon), "--input", str(src),
                                      "--output", str(out), "--format", fmt, "--no-provenance", "--mode", *mode,
                                      *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    synthesize.manifest = json.loads(Path(f"{out}.manifest.json").read_text(encoding="utf-8"))
    return out.read_bytes()


def slot_text(path: Path, fmt: str) -> str:
    """The text of every slot of the file (what the generators see), one slot per line."""
    return "\n".join(s for r in read_records(path, fmt) for s in r.slots)


def editable_words(path: Path, fmt: str) -> int:
    """Words in the slots a generator may edit (frozen slots, e.g. CoNLL-U multiword parts, left out)."""
    return sum(len(words_of(s)) for r in read_records(path, fmt) for i, s in enumerate(r.slots)
               if i not in r.frozen)


def identity_lexicon(folder: Path, doc: str, fmt: str, multiword: bool) -> Path:
    src = folder / "probe"
    src.write_bytes(doc.encode("utf-8"))
    lex = folder / "identity.tsv"
    write_lexicon(lex, identity_pairs(slot_text(src, fmt), multiword))
    return lex


@pytest.mark.parametrize("fmt", sorted(DOCS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), chunk=st.integers(1, 5), multiword=st.booleans(), mode=st.sampled_from(MODES))
def test_identity_lexicon_reproduces_every_format(fmt, data, chunk, multiword, mode):
    doc = data.draw(DOCS[fmt])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lex = identity_lexicon(folder, doc, fmt, multiword)
        got = synthesize(folder, doc, fmt, lex, mode, "--chunk-records", str(chunk), "--workers", "1")
        assert got == doc.encode("utf-8")
        # every word was looked up and replaced (by itself): the run really went through the lexicon
        counts = synthesize.manifest["counts"]
        if "substitute.v2" in mode or "substitute.v3" in mode:  # v2 words hold inner hyphens and apostrophes: fewer, longer words
            assert 0 < counts["tokens"] == counts["replaced"] <= editable_words(folder / "probe", fmt) or \
                counts["tokens"] == editable_words(folder / "probe", fmt) == 0
        else:
            assert counts["tokens"] == counts["replaced"] == editable_words(folder / "probe", fmt)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(DOCS))
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), chunk=st.integers(1, 3), mode=st.sampled_from(MODES), seed=st.integers(0, 99))
def test_worker_count_and_chunking_do_not_change_the_output(fmt, data, chunk, mode, seed):
    """Identity lexicon with 2 workers reproduces the input; a real (3-way) lexicon gives the same bytes for
    1 and 2 workers and any chunk size."""
    doc = data.draw(DOCS[fmt])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lex = identity_lexicon(folder, doc, fmt, False)
        assert synthesize(folder, doc, fmt, lex, mode, "--chunk-records", str(chunk), "--workers", "2") \
            == doc.encode("utf-8")
        words = words_of(slot_text(folder / "probe", fmt))
        # targets without brackets and spaces keep every format writable (a MASSIVE slot may not hold '[')
        real = folder / "real.tsv"
        write_lexicon(real, [(w, t) for w in dict.fromkeys(words) for t in ("uno", "dós", "TRES")])
        runs = {synthesize(folder, doc, fmt, real, mode, "--seed", str(seed), *args)
                for args in (["--workers", "1"], ["--workers", "2", "--chunk-records", str(chunk)],
                             ["--workers", "1", "--chunk-records", "1"])}
        assert len(runs) == 1
