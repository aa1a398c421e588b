"""A crafted or damaged fastText model file is refused from its header, before fastText allocates anything:
sizes and counts in the header must fit in the file."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from lexaug.errors import ResourceError
from lexaug.filters.fasttext_header import check_model_file
from lexaug.filters.lid import LanguageIdentifier

fasttext = pytest.importorskip("fasttext")

from lid_helpers import ENGLISH, PSEUDO, sentences, train_model  # noqa: E402

MAGIC, VERSION = 793712314, 12


def header(dim: int = 16) -> bytes:
    # magic, version; args: dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate; t
    return struct.pack("<2i12id", MAGIC, VERSION, dim, 5, 5, 1, 5, 1, 1, 3, 0, 0, 0, 100, 1e-4)


def dictionary(words: list[str], nlabels: int = 0) -> bytes:
    out = struct.pack("<3iqq", len(words), len(words) - nlabels, nlabels, 100, -1)
    for i, word in enumerate(words):
        out += word.encode() + b"\0" + struct.pack("<qb", 10, 1 if i >= len(words) - nlabels else 0)
    return out


def dense(m: int, n: int, data: bool = True) -> bytes:
    return struct.pack("<qq", m, n) + (b"\0" * (4 * m * n) if data else b"")


def crafted(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


@pytest.fixture
def no_fasttext_load(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("fastText was handed a file the header check should refuse")
    monkeypatch.setattr(fasttext, "load_model", refuse)


def small_valid() -> bytes:
    words = ["a", "b", "__label__en", "__label__fr"]
    return (header(4) + dictionary(words, nlabels=2) + b"\0" + dense(2, 4) + b"\0" + dense(2, 4))


CASES = {
    "huge_input_matrix": header() + dictionary(["__label__en"], 1) + b"\0" + dense(10**6, 10**6, data=False),
    "huge_dictionary": header() + struct.pack("<3iqq", 2**31 - 1, 2**31 - 2, 1, 10, -1) + b"x\0",
    "unterminated_word": header() + struct.pack("<3iqq", 1, 0, 1, 10, -1) + b"__label__en" * 3,
    "counts_disagree": header() + struct.pack("<3iqq", 5, 1, 1, 10, -1) + b"\0" * 64,
    "negative_matrix": header() + dictionary(["__label__en"], 1) + b"\0" + dense(-1, 16, data=False),
    "huge_dim_empty_matrix": header(2**30) + dictionary(["__label__en"], 1) + b"\0" + dense(0, 2**30)
    + b"\0" + dense(0, 2**30),
    "huge_prune_index": header() + struct.pack("<3iqq", 1, 0, 1, 10, 2**40) + b"__label__en\0" + b"\0" * 9,
    "huge_quant_codes": header() + dictionary(["__label__en"], 1) + b"\1" + b"\0" + struct.pack("<qqi", 10, 16, 2**31 - 1),
    "huge_centroids": header() + dictionary(["__label__en"], 1) + b"\1" + b"\0" + struct.pack("<qqi", 1, 16, 1)
    + b"\0" + struct.pack("<4i", 2**30, 1, 1, 1),
    "header_only": header()[:30],
    "empty": b"",
    "wrong_magic": struct.pack("<2i", 12345, 12) + b"\0" * 200,
    "newer_version": struct.pack("<2i", MAGIC, 99) + b"\0" * 200,
    "valid_then_truncated": small_valid()[:-5],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_crafted_header_is_refused_before_fasttext(tmp_path, no_fasttext_load, case):
    path = crafted(tmp_path, f"{case}.bin", CASES[case])
    with pytest.raises(ResourceError) as err:
        LanguageIdentifier(path)
    message = str(err.value)
    assert message.startswith(str(path)) and "\n" not in message and "fastText model" in message


def test_small_valid_model_passes_the_check(tmp_path):
    path = crafted(tmp_path, "ok.bin", small_valid())
    check_model_file(path)


def test_cli_names_the_model_file(tmp_path):
    from click.testing import CliRunner

    from lexaug_cli.main import cli

    path = crafted(tmp_path, "lid.bin", CASES["huge_input_matrix"])
    src = crafted(tmp_path, "in.txt", b"the cat\n")
    lex = crafted(tmp_path, "en_xx.tsv", b"cat\tpaka\n")
    result = CliRunner().invoke(cli, ["synthesize", "--lang", "swa", "--lexicon", str(lex), "--input", str(src),
                                      "--output", str(tmp_path / "out.txt"), "--lid-model", str(path),
                                      "--lid-keep", "eng"])
    if result.exit_code == 2 and "No such option" in result.output:
        pytest.skip("synthesize has no --lid-model option")
    assert result.exit_code == 1 and str(path) in result.output and "Traceback" not in result.output, result.output


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("lidheader")
    return train_model(tmp, {"en": sentences(ENGLISH, 200, 1), "sw": sentences(PSEUDO, 200, 2)}, "m")


def test_trained_and_quantized_models_pass_and_load(trained, tmp_path):
    check_model_file(trained)
    model = fasttext.load_model(str(trained))
    train = trained.with_suffix(".txt")
    model.quantize(input=str(train), retrain=False, cutoff=1000, qnorm=True)
    ftz = tmp_path / "m.ftz"
    model.save_model(str(ftz))
    check_model_file(ftz)
    assert LanguageIdentifier(ftz).predict(["the of and to in that"])[0][0].lang == "eng"


@pytest.mark.parametrize("keep", [100, 1000, 5000])
def test_truncated_real_model_is_refused(trained, tmp_path, no_fasttext_load, keep):
    path = crafted(tmp_path, "cut.bin", trained.read_bytes()[:keep])
    with pytest.raises(ResourceError, match="cut.bin"):
        LanguageIdentifier(path)
