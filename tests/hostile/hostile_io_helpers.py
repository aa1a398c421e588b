"""Helpers of the hostile-input tests: corpora of every reader format built record by record (so the expected
output of a lenient run is known byte for byte), compression, and a CLI run that checks the two allowed outcomes.

Allowed outcomes of `lexaug synthesize` on any input (issue 9):
- exit 1, exactly one output line `Error: <file>[, line N]: ...`, no traceback, no output file left behind;
- exit 0, the output byte-correct and the manifest's counts balanced (records in = out + filtered + skipped).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import zstandard
from click.testing import CliRunner

from lexaug_cli.main import cli

FORMATS = ("text", "jsonl", "conll", "conllu", "massive")
WORDS = [["alpha", "beta", "gamma"], ["delta", "epsilon", "zeta"], ["eta", "theta", "iota"]]
_ROW = "\t_\t_\t_\t_\t_\t_\t_\t_"


def record(fmt: str, words: list[str], n: int, nl: str = "\n", final: bool = True) -> str:
    """One record of `fmt` holding `words` (3 words), its `n` as id; `final=False` drops the last newline
    (and, for sentence formats, the blank line), as a file without a final newline ends."""
    a, b, c = words
    if fmt == "text":
        out = f"{a} {b} {c}{nl}"
    elif fmt == "jsonl":
        out = f'{{"id": {n}, "text": "{a} {b} {c}"}}{nl}'
    elif fmt == "massive":
        out = f'{{"id": {n}, "annot_utt": "{a} [thing : {b}] {c}", "utt": "{a} {b} {c}"}}{nl}'
    elif fmt == "conll":
        out = f"{a} O{nl}{b} B-LOC{nl}{c} I-LOC{nl}{nl}"
    elif fmt == "conllu":
        out = f"# text = {a} {b} {c}{nl}1\t{a}{_ROW}{nl}2\t{b}{_ROW}{nl}3\t{c}{_ROW}{nl}{nl}"
    else:
        raise ValueError(fmt)
    if not final:
        out = out[: -len(nl)]
        if fmt in ("conll", "conllu"):
            out = out[: -len(nl)]
    return out


def corpus(fmt: str, nl: str = "\n", final: bool = True) -> list[str]:
    """Three records; the last one without its final newline when `final` is False."""
    return [record(fmt, w, n, nl, final or n < len(WORDS) - 1) for n, w in enumerate(WORDS)]


def identity_lexicon(path: Path) -> Path:
    """Every fixture word (and `thing`) mapped to itself: a run rewrites every word and must give back the
    input byte for byte."""
    words = sorted({w for ws in WORDS for w in ws} | {"thing"})
    path.write_text("".join(f"{w}\t{w}\n" for w in words), encoding="utf-8")
    return path


def compress(data: bytes, kind: str) -> bytes:
    if kind == "gz":
        return gzip.compress(data)
    if kind == "zst":
        return zstandard.ZstdCompressor(write_checksum=True).compress(data)
    return data


def suffix(fmt: str, kind: str) -> str:
    ext = {"text": ".txt", "jsonl": ".jsonl", "massive": ".jsonl", "conll": ".txt", "conllu": ".conllu"}[fmt]
    return ext + ("" if kind == "plain" else f".{kind}")


@dataclass
class Outcome:
    exit_code: int
    output: str
    stderr: str
    manifest: dict | None
    out_bytes: bytes | None


def synthesize(tmp_path: Path, source: Path, fmt: str, *extra: str, lexicon: Path | None = None,
               out_name: str = "out") -> Outcome:
    """Run `lexaug synthesize` (identity lexicon) on `source`; output written uncompressed."""
    lex = lexicon or identity_lexicon(tmp_path / "identity.tsv")
    out = tmp_path / f"{out_name}{suffix(fmt, 'plain')}"
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "sw", "--lexicon", str(lex), "--format", fmt,
                                      "--input", str(source), "--output", str(out), "--no-progress", *extra])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"uncaught {type(result.exception).__name__}: {result.exception}\n{result.output}"
    manifest_path = Path(f"{out}.manifest.json")
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
    return Outcome(result.exit_code, result.output, result.stderr, manifest,
                   out.read_bytes() if out.exists() else None)


def assert_one_line_error(outcome: Outcome, path: Path, line: int | None = None, fragment: str = "") -> str:
    """Exit 1, one line `Error: <path>[, line N]: ...`, no traceback, no output file."""
    assert outcome.exit_code == 1, outcome.output
    assert "Traceback" not in outcome.output
    lines = outcome.output.strip().splitlines()
    assert len(lines) == 1, outcome.output
    where = f"Error: {path}, line {line}: " if line is not None else f"Error: {path}: "
    assert lines[0].startswith(where), (where, lines[0])
    assert fragment in lines[0], (fragment, lines[0])
    assert outcome.out_bytes is None, "a failed run left its output file behind"
    return lines[0]


def assert_balanced(outcome: Outcome, expected: bytes, records_in: int, skipped: dict[str, int] | None = None) -> None:
    """Exit 0, output equal to `expected`, counts balanced and as given."""
    assert outcome.exit_code == 0, outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.out_bytes == expected
    counts = outcome.manifest["counts"]
    assert counts["records_in"] == records_in, counts
    assert counts["records_in"] == counts["records_out"] + counts["records_filtered"] + counts["records_skipped"]
    assert counts["skipped"] == (skipped or {}), counts


def line_of(data: bytes, marker: bytes) -> int:
    """1-based line number of the first occurrence of `marker`."""
    return data[: data.index(marker)].count(b"\n") + 1


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
