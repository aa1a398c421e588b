"""`SynthesisJob` rewrites plain text without building records; the bytes and counts are those of the
record path (parse, generate, render)."""

from __future__ import annotations

from collections import Counter

import pytest

from lexaug.generators import CodeSwitch, Substitute
from lexaug.io import ReadReport, get_format
from lexaug.io.base import Chunk
from lexaug.loaders.lexicon import Lexicon
from lexaug.synthesis import SynthesisJob, take_untranslated, track_untranslated


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


LF_ONLY = "The dogs\nthe big dog, a lot\n\na dog x\nDOG and the x dog\nthe last dog\n" * 40 + "the\x01dog\n"


@pytest.mark.parametrize("name", ["substitute.v1", "substitute.v2", "substitute.v3"])
@pytest.mark.parametrize("options", [{}, {"min_replacements": 2}, {"rate": 0.5}])
def test_lines_ending_in_newline_take_run_lines_with_the_record_path_bytes(name, options):
    """A chunk whose lines all end in "\\n" goes through `run_lines` (joined once, no split at REC): the bytes,
    counts and stats of the record path, also with a text holding REC, a translation holding REC, filtering
    and a rate below 1."""
    from lexaug.generators import make_generator

    lex = Lexicon.from_pairs([(w, f"{w}{k}") for w in ["dog", "the", "a"] for k in range(3)]
                             + [("a lot", "sana"), ("x", "\x01")])
    generator = make_generator(name, lexicon=lex, src_lang="eng", **options)
    calls = []
    generator.run_lines = lambda *a, _run=generator.run_lines: calls.append(1) or _run(*a)
    text = check(generator, Chunk(LF_ONLY, 1, 0))
    untranslated = SynthesisJob(get_format("text"), generator, 5, "in.txt").process(Chunk(LF_ONLY, 1, 0)).untranslated
    track_untranslated(generator)
    list(generator.run(get_format("text").parse(Chunk(LF_ONLY, 1, 0), path="in.txt"), 5))
    assert untranslated == take_untranslated(generator) and untranslated[0]["big"] > 10
    assert calls and text.count("dog0") + text.count("dog1") + text.count("dog2") > 50
    assert text.count("\x01") > 30 and ("sana" in text or "rate" in options)
