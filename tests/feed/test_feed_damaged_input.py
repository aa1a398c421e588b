"""`lexaug feed` over a truncated compressed corpus (issue 9, defect 2): `--source` and `--synthesize` both
stop with one line naming the file, exit 1, instead of feeding a shorter corpus."""

from __future__ import annotations

import zstandard
import pytest
from click.testing import CliRunner

from lexaug_cli.main import cli


@pytest.mark.parametrize("option", ["--source", "--synthesize"])
@pytest.mark.parametrize("workers", ["0", "1"])
def test_truncated_zst_source_is_an_error(tiny_dir, tmp_path, option, workers):
    text = "".join(f"the cat sat on the dog number {n}\n" for n in range(3000)).encode()
    whole = zstandard.ZstdCompressor().compress(text)
    cut = tmp_path / "cut.txt.zst"
    cut.write_bytes(whole[: len(whole) // 2])
    lex = tmp_path / "en_xx.tsv"
    lex.write_text("cat\tpaka\ndog\tmbwa\n", encoding="utf-8")
    args = ["feed", "--tokenizer", str(tiny_dir / "tok"), "--block-size", "8", "--output", str(tmp_path / "o"),
            option, str(cut), "--synth-workers", workers]
    if option == "--synthesize":
        args += ["--lang", "xx", "--lexicon", str(lex)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "cut.txt.zst" in lines[0], res.output
    assert "truncated" in lines[0] and "Traceback" not in res.output
