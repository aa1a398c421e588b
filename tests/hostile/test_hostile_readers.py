"""Hostile input for every reader (issue 9): a table of bad inputs built in tmp_path for text, jsonl, conll,
conllu and massive, plain, gzip and zstd, strict and lenient, driven through `lexaug synthesize` with an
identity lexicon. Each case ends in one of the two allowed outcomes (see `hostile_io_helpers`): exit 1 with one
line naming the file (and line where there is one), or exit 0 with byte-correct output and balanced counts."""

from __future__ import annotations

import pytest

from hostile_io_helpers import (  # noqa: E402  (tests/hostile is on sys.path, as pytest runs it)
    FORMATS, WORDS, assert_balanced, assert_one_line_error, compress, corpus, identity_lexicon, line_of, record,
    suffix, synthesize,
)

KINDS = ("plain", "gz", "zst")
MODES = ("--strict", "--lenient")


def _write(tmp_path, fmt: str, kind: str, data: bytes):
    path = tmp_path / f"in{suffix(fmt, kind)}"
    path.write_bytes(compress(data, kind))
    return path


# --- well-formed variants: every mode gives back the input byte for byte ---------------------------------

def _variants(fmt: str) -> dict[str, bytes]:
    out = {
        "lf": "".join(corpus(fmt)).encode(),
        "crlf": "".join(corpus(fmt, "\r\n")).encode(),
        "no_final_newline": "".join(corpus(fmt, final=False)).encode(),
        "crlf_no_final_newline": "".join(corpus(fmt, "\r\n", final=False)).encode(),
        "bom_start": ("\ufeff" + "".join(corpus(fmt))).encode(),
        "empty": b"",
    }
    if fmt in ("text", "conll", "conllu"):  # a NUL is an ordinary character there
        out["nul_in_word"] = "".join(corpus(fmt)).replace("beta", "be\x00ta").encode()
    if fmt in ("jsonl", "massive"):  # an escaped lone surrogate is valid JSON, kept as written
        out["lone_surrogate_escape"] = "".join(corpus(fmt)).replace("epsilon", "eps\\ud800ilon").encode()
    return out


WELL_FORMED = [(fmt, name) for fmt in FORMATS for name in _variants(fmt)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt, name", WELL_FORMED, ids=[f"{f}-{n}" for f, n in WELL_FORMED])
def test_well_formed_input_round_trips(tmp_path, fmt, name, kind, mode):
    data = _variants(fmt)[name]
    source = _write(tmp_path, fmt, kind, data)
    outcome = synthesize(tmp_path, source, fmt, mode, "--no-provenance")
    assert_balanced(outcome, data, 0 if not data else len(WORDS))


# --- one bad record among good ones: strict names it, lenient skips and counts it ----------------------

def _bad_records(fmt: str) -> dict[str, tuple[bytes, bytes, str]]:
    """name -> (raw record 1, a marker inside its bad line, skip reason)."""
    good = record(fmt, ["delta", "MARK", "zeta"], 1)
    cases = {
        "latin1": (good.encode().replace(b"MARK", b"caf\xe9"), b"caf\xe9", "encoding"),
        "surrogate_bytes": (good.encode().replace(b"MARK", b"x\xed\xa0\x80y"), b"x\xed\xa0\x80y", "encoding"),
        "utf16_bytes": (good.encode().replace(b"MARK", "zz".encode("utf-16")), b"\xff\xfe", "encoding"),
    }
    if fmt == "jsonl":
        cases["unclosed_object"] = (good.replace("}", "").encode(), b"MARK", "json")
        cases["deep_nesting"] = (good.replace('"id": 1', '"id": ' + "[" * 100_000 + "]" * 100_000).encode(),
                                 b"MARK", "json")
        cases["nul_in_string"] = (good.replace("MARK", "a\x00b").encode(), b"a\x00b", "json")
        cases["missing_field"] = (good.replace('"text"', '"txt"').encode(), b"MARK", "missing_field")
    if fmt == "massive":
        cases["unbalanced_bracket"] = (good.replace("] ", " ").encode(), b"MARK", "unbalanced_bracket")
        cases["deep_nesting"] = (good.replace('"id": 1', '"id": ' + "{\"a\": " * 100_000 + "1" + "}" * 100_000)
                                 .encode(), b"MARK", "json")
        cases["nul_in_string"] = (good.replace("MARK", "a\x00b", 1).encode(), b"a\x00b", "json")
    if fmt == "conll":
        cases["three_columns"] = (good.replace("MARK B-LOC", "MARK x B-LOC").encode(), b"MARK", "columns")
        cases["one_column"] = (good.replace("MARK B-LOC", "MARK").encode(), b"MARK", "columns")
    if fmt == "conllu":
        cases["short_row"] = (good.replace("MARK" + "\t_" * 8, "MARK").encode(), b"\tMARK", "columns")
        cases["superscript_id"] = (good.replace("2\tMARK", "\u00b2\tMARK").encode(), b"\tMARK", "bad_id")
        cases["backwards_range"] = (good.replace("2\tMARK", "3-2\tx" + "\t_" * 8 + "\n2\tMARK").encode(),
                                    b"3-2\t", "bad_id")
        cases["letter_id"] = (good.replace("2\tMARK", "two\tMARK").encode(), b"\tMARK", "bad_id")
    return cases


BAD = [(fmt, name) for fmt in FORMATS for name in _bad_records(fmt)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt, name", BAD, ids=[f"{f}-{n}" for f, n in BAD])
def test_bad_record_strict_error_or_lenient_skip(tmp_path, fmt, name, kind, mode):
    raw, marker, reason = _bad_records(fmt)[name]
    first, _, last = corpus(fmt)
    data = first.encode() + raw + last.encode()
    source = _write(tmp_path, fmt, kind, data)
    outcome = synthesize(tmp_path, source, fmt, mode, "--no-provenance")
    if mode == "--strict":
        assert_one_line_error(outcome, source, line_of(data, marker))
    else:
        assert_balanced(outcome, (first + last).encode(), 3, {reason: 1})
        assert outcome.manifest["skipped_examples"][0].startswith(f"{source}, line {line_of(data, marker)}: ")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-32"])
def test_whole_file_in_utf16_or_utf32_is_named_in_every_mode(tmp_path, fmt, mode, encoding):
    # session 22: the message said "not valid UTF-8 ... iconv -f latin1", and in lenient mode the ASCII records
    # of a UTF-16 file (valid UTF-8 bytes with a NUL after each letter) were written out as text with NULs
    data = "".join(corpus(fmt)).encode(encoding.lower())  # with its byte-order mark
    source = _write(tmp_path, fmt, "plain", data)
    outcome = synthesize(tmp_path, source, fmt, mode)
    assert_one_line_error(outcome, source, 1, f"file is {encoding} (byte-order mark); convert it to UTF-8, "
                                              f"e.g. `iconv -f {encoding} -t UTF-8`")


# --- damaged compression: an error naming the file in every mode ----------------------------------------

def _damaged(kind: str, data: bytes) -> dict[str, bytes]:
    whole = compress(data, kind)
    flipped = bytearray(whole)
    flipped[len(whole) // 2] ^= 0xFF
    return {
        "truncated_half": whole[: len(whole) // 2],
        "truncated_last_byte": whole[:-1],
        "trailing_garbage": whole + b"garbage\n",
        "corrupt": bytes(flipped),
        "second_member_truncated": whole + compress(data, kind)[:10],
    }


DAMAGE = [(fmt, kind, name) for fmt in FORMATS for kind in ("gz", "zst") for name in _damaged(kind, b"x\n")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fmt, kind, name", DAMAGE, ids=[f"{f}-{k}-{n}" for f, k, n in DAMAGE])
def test_damaged_compressed_input_is_an_error(tmp_path, fmt, kind, name, mode):
    data = "".join(corpus(fmt)).encode() * 50
    source = tmp_path / f"in{suffix(fmt, kind)}"
    source.write_bytes(_damaged(kind, data)[name])
    outcome = synthesize(tmp_path, source, fmt, mode)
    line = assert_one_line_error(outcome, source)
    assert "compressed" in line


def test_truncated_conll_zst_does_not_end_in_a_cut_label(tmp_path):
    """The issue's example: half a .zst CoNLL file came out with its last label cut to `B-`."""
    data = "".join(corpus("conll")).encode() * 2000
    whole = compress(data, "zst")
    source = tmp_path / "ner.txt.zst"
    source.write_bytes(whole[: len(whole) // 2])
    for workers in ("1", "2"):
        assert_one_line_error(synthesize(tmp_path, source, "conll", "--workers", workers), source, None,
                              "truncated")


# --- records the format cannot write, errors that escaped --lenient, counters that reach the manifest -----

@pytest.mark.parametrize("workers", ["1", "2"])
def test_conllu_superscript_id_with_workers(tmp_path, workers):
    first, second, last = corpus("conllu")
    data = (first + second.replace("2\tepsilon", "\u00b2\tepsilon") + last).encode()
    source = _write(tmp_path, "conllu", "plain", data)
    args = ("--workers", workers, "--chunk-records", "1")
    assert_one_line_error(synthesize(tmp_path, source, "conllu", *args), source, line_of(data, b"\xc2\xb2"), "ID")
    outcome = synthesize(tmp_path, source, "conllu", "--lenient", *args)
    assert_balanced(outcome, (first + last).encode(), 3, {"bad_id": 1})


@pytest.mark.parametrize("workers", ["1", "2"])
def test_massive_translation_with_a_bracket(tmp_path, workers):
    data = "".join(corpus("massive")).encode()
    source = _write(tmp_path, "massive", "plain", data)
    lex = identity_lexicon(tmp_path / "lex.tsv")
    lex.write_text(lex.read_text().replace("epsilon\tepsilon", "epsilon\t[eps]"), encoding="utf-8")
    args = ("--workers", workers, "--chunk-records", "1", "--no-provenance")
    outcome = synthesize(tmp_path, source, "massive", *args, lexicon=lex)
    assert_one_line_error(outcome, source, 2, "may not contain '[' or ']'")
    outcome = synthesize(tmp_path, source, "massive", "--lenient", *args, lexicon=lex)
    first, _, last = corpus("massive")
    assert_balanced(outcome, (first + last).encode(), 3, {"unwritable": 1})
    assert outcome.manifest["skipped_examples"][0].startswith(f"{source}, line 2: ")


def test_conllu_text_mismatch_left_alone_and_counted_in_manifest(tmp_path):
    first, second, last = corpus("conllu")
    second = second.replace("# text = delta epsilon zeta", "# text = delta epsilno zeta")
    data = (first + second + last).encode()
    source = _write(tmp_path, "conllu", "plain", data)
    lex = tmp_path / "lex.tsv"
    lex.write_text("epsilon\tdifferent\nzeta\tzed\nalpha\tal\n", encoding="utf-8")
    for workers in ("1", "2"):
        outcome = synthesize(tmp_path, source, "conllu", "--workers", workers, "--chunk-records", "1", lexicon=lex)
        assert outcome.exit_code == 0, outcome.output
        text = outcome.out_bytes.decode()
        assert "# text = delta epsilno zeta\n" in text  # left as it was, nothing guessed
        assert "# text = al beta gamma\n" in text  # a matching one is rewritten
        assert outcome.manifest["generator_stats"]["conllu_text_unmatched"] == 1


def test_conll_multiword_translation_reads_back(tmp_path):
    data = "".join(corpus("conll")).encode()
    source = _write(tmp_path, "conll", "zst", data)
    lex = tmp_path / "lex.tsv"
    lex.write_text("epsilon\tpasin bilong pait\nbeta\tbe ta\n", encoding="utf-8")
    outcome = synthesize(tmp_path, source, "conll", lexicon=lex)
    assert outcome.exit_code == 0, outcome.output
    assert b"delta O\npasin B-LOC\nbilong I-LOC\npait I-LOC\nzeta I-LOC\n" in outcome.out_bytes
    again = tmp_path / "again.txt"
    again.write_bytes(outcome.out_bytes)
    back = synthesize(tmp_path, again, "conll", out_name="back")
    assert_balanced(back, outcome.out_bytes, 3)


def test_keep_slot_values_with_text_is_one_clear_line(tmp_path):
    source = _write(tmp_path, "text", "plain", "".join(corpus("text")).encode())
    outcome = synthesize(tmp_path, source, "text", "--keep-slot-values")
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert outcome.output.strip() == ("Error: --keep-slot-values applies to --format massive only, not text; "
                                      "drop it or pass the right --format")
