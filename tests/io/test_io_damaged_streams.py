"""Damaged compressed input (issue 9, defects 2 and 16): a truncated or corrupt gzip/zstd stream, or bytes
after its end, is a FormatError naming the file; never a shorter corpus, an EOFError or a BadGzipFile."""

from __future__ import annotations

import gzip

import pytest
import zstandard

from lexaug.errors import FormatError
from lexaug.io import open_input, open_output, read_records

LINES = [f"line {n} with some words in it, number {n * 7}\n" for n in range(4000)]
DATA = "".join(LINES).encode()


def _read(path) -> str:
    with open_input(path) as fh:
        return fh.read()


def _zst(data: bytes, **kw) -> bytes:
    return zstandard.ZstdCompressor(**kw).compress(data)


@pytest.mark.parametrize("kind", ["gz", "zst"])
@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_stream_is_an_error_naming_the_file(tmp_path, kind, keep):
    whole = gzip.compress(DATA) if kind == "gz" else _zst(DATA)
    path = tmp_path / f"cut.txt.{kind}"
    path.write_bytes(whole[: int(len(whole) * keep)])
    with pytest.raises(FormatError, match=rf"cut\.txt\.{kind}: .*truncated") as err:
        _read(path)
    assert err.value.reason == "compression"


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_truncated_header_is_an_error(tmp_path, kind):
    whole = gzip.compress(DATA) if kind == "gz" else _zst(DATA)
    for cut in (2, 3, 6):
        path = tmp_path / f"head{cut}.{kind}"
        path.write_bytes(whole[:cut])
        with pytest.raises(FormatError, match=rf"head{cut}\.{kind}: .*truncated"):
            _read(path)


def test_gzip_crc_error(tmp_path):
    raw = bytearray(gzip.compress(DATA))
    raw[-6] ^= 0xFF  # inside the CRC32 of the trailer
    path = tmp_path / "crc.gz"
    path.write_bytes(bytes(raw))
    with pytest.raises(FormatError, match=r"crc\.gz: .*(corrupt|check)"):
        _read(path)


def test_gzip_corrupt_deflate_data(tmp_path):
    raw = bytearray(gzip.compress(DATA))
    for at in range(40, 60):
        raw[at] ^= 0x5A
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(raw))
    with pytest.raises(FormatError, match=r"bad\.gz: .*corrupt"):
        _read(path)


@pytest.mark.parametrize("kind", ["gz", "zst"])
def test_trailing_garbage_after_the_stream(tmp_path, kind):
    whole = gzip.compress(DATA) if kind == "gz" else _zst(DATA)
    path = tmp_path / f"trail.{kind}"
    path.write_bytes(whole + b"this is not compressed\n")
    with pytest.raises(FormatError, match=rf"trail\.{kind}: .*after the end of the compressed data"):
        _read(path)


def test_gzip_zero_padding_and_members_still_read(tmp_path):
    path = tmp_path / "two.gz"
    path.write_bytes(gzip.compress(DATA[:1000]) + gzip.compress(DATA[1000:]) + b"\0" * 512)
    assert _read(path).encode() == DATA


def test_zst_corrupt_frame(tmp_path):
    raw = bytearray(_zst(DATA, write_checksum=True))
    raw[len(raw) // 2] ^= 0xFF
    path = tmp_path / "corrupt.zst"
    path.write_bytes(bytes(raw))
    with pytest.raises(FormatError, match=r"corrupt\.zst: .*corrupt"):
        _read(path)


def test_zst_frames_and_big_stream_read_whole(tmp_path):
    path = tmp_path / "frames.zst"
    path.write_bytes(_zst(DATA[:5]) + _zst(b"") + _zst(DATA[5:]))
    assert _read(path).encode() == DATA
    big = DATA * 200  # ~8 MB decompressed: several output blocks
    path.write_bytes(_zst(big))
    with open_input(path) as fh:
        assert sum(len(line) for line in fh) == len(big)


def test_zst_output_carries_a_checksum(tmp_path):
    path = tmp_path / "o.txt.zst"
    with open_output(path) as fh:
        fh.write("abc\n")
    params = zstandard.get_frame_parameters(path.read_bytes())
    assert params.has_checksum


def test_truncation_is_raised_even_when_reading_leniently(tmp_path):
    whole = gzip.compress(DATA)
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(whole[: len(whole) // 2])
    from lexaug.io import ReadReport

    with pytest.raises(FormatError, match="truncated"):
        list(read_records(path, "text", strict=False, report=ReadReport()))
