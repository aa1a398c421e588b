"""`SynthesisJob` rewrites plain text without building records; the bytes and counts are those of the
record path (parse, generate, render)."""

from __future__ import annotations

from collections import Counter

import pytest

from lexaug.generators import CodeSwitch, Substitute
from lexaug.io import ReadReport, get_format
from lexaug.io.base import Chunk
from lexaug.loaders.lexicon import Lexicon
from lexaug.synthesis import SynthesisJob


def through_records(generator, chunk: Chunk, seed: int) -> tuple[str, dict, Counter]:
    fmt = get_format("text")
    report = ReadReport()
    generator.stats = Counter()
    outs = list(generator.run(fmt.parse(chunk, path="in.txt", report=report), seed))
    counts = {"records_in": report.read, "records_read": report.read, "records_out": len(outs)}
    return "".join(map(fmt.render, outs)), counts, generator.stats


def check(generator, chunk: Chunk, seed: int = 5) -> str:
    job = SynthesisJob(get_format("text"), generator, seed, "in.txt")
    got = job.process(chunk)
    text, counts, stats = through_records(generator, chunk, seed)
    assert (got.text, got.counts, got.stats) == (text, counts, stats)
    return got.text


FIXTURE = "The dog\r\nthe big dog, a lot\n\n\ra dog\rthe\nDOG and the x dog\nthe last dog\r"


@pytest.mark.parametrize("k_min", [0, 2])
def test_plain_text_path_matches_the_record_path(k_min):
    lex = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a"] for k in range(3)]
                             + [("a lot", "sana"), ("x", "\x01")])
    text = check(Substitute(lex, min_replacements=k_min), Chunk(FIXTURE, 11, 10))
    assert text.count("\r\n") == 1 and text.endswith("\r")
    assert len(text.split("\n")) == (6 if k_min == 0 else 5)  # the empty line has no replacement
    check(CodeSwitch(lex, rate=0.5), Chunk(FIXTURE, 1, 0))


def test_plain_text_path_on_real_text(shared_data):
    path = shared_data / "text" / "kjv_verses.txt"
    lex = Lexicon.read(shared_data / "bench" / "lex_en_xx.tsv")
    fmt = get_format("text")
    with open(path, encoding="utf-8", newline="") as fh:
        chunks = list(fmt.chunks(fh, 3000))
    for chunk in (chunks[0], chunks[-1]):
        out = check(Substitute(lex, min_replacements=20), chunk)
        assert 0 < out.count("\n") < chunk.text.count("\n")  # many verses have fewer than 20 words
        check(CodeSwitch(lex, rate=0.3, sentence_rate=0.8), chunk)
