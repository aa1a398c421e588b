"""A check of a fastText model file's header against the file's size, before fastText reads it.

fastText trusts the counts in a model file: it allocates a matrix of `rows x cols` floats, a dictionary of
`size` entries or a code table of `codesize` bytes as the header says, then reads. A crafted or truncated
file can make it allocate gigabytes (or read forever past the end). `check_model_file` walks the layout with
the sizes the header gives and refuses the file when any of them does not fit in the bytes that are there.

Layout (fastText 0.9, version 12; little-endian; facts of the format, see fastText's `FastText::loadModel`):

    int32 magic (793712314), int32 version (<= 12)
    args:  12 x int32 (dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn,
           lrUpdateRate), float64 t
    dictionary: int32 size, int32 nwords, int32 nlabels, int64 ntokens, int64 pruneidx_size (-1: not pruned);
           size entries of (NUL-terminated word, int64 count, int8 type); pruneidx_size x (int32, int32)
    bool quant_input; input matrix; bool qout; output matrix (quantized only when quant_input and qout)
    dense matrix:     int64 m, int64 n, m * n float32
    quantized matrix: bool qnorm, int64 m, int64 n, int32 codesize, codesize bytes, product quantizer;
                      with qnorm: m bytes of norm codes and a second product quantizer
    product quantizer: int32 dim, nsubq, dsub, lastdsub; dim * 256 float32 centroids
"""

from __future__ import annotations

import mmap
import re
import struct
from pathlib import Path

from lexaug.errors import ResourceError

MAGIC = 793712314
MAX_VERSION = 12
_ARGS = struct.Struct("<12id")
_DICT = struct.Struct("<3iqq")
_KSUB = 256  # centroids per sub-quantizer


class _Bad(Exception):
    pass


class _Reader:
    def __init__(self, data: mmap.mmap | bytes):
        self.data, self.pos, self.size = data, 0, len(data)

    def need(self, n: int, what: str) -> None:
        if n < 0 or self.pos + n > self.size:
            raise _Bad(f"{what} needs {n:,} bytes at offset {self.pos:,}, the file has {self.size - self.pos:,} left "
                       "(truncated or crafted)")

    def unpack(self, fmt: struct.Struct | str, what: str) -> tuple:
        st = fmt if isinstance(fmt, struct.Struct) else struct.Struct(fmt)
        self.need(st.size, what)
        values = st.unpack_from(self.data, self.pos)
        self.pos += st.size
        return values

    def skip(self, n: int, what: str) -> None:
        self.need(n, what)
        self.pos += n


def _dense(r: _Reader, dim: int, which: str) -> None:
    m, n = r.unpack("<qq", f"{which} matrix header")
    if m < 1 or n < 0:  # no rows: no model (and nothing would bound the dimension fastText allocates by)
        raise _Bad(f"{which} matrix has size {m} x {n}")
    if n != dim:
        raise _Bad(f"{which} matrix has {n} columns, the model's dimension is {dim}")
    r.skip(4 * m * n, f"{which} matrix of {m:,} x {n:,} floats")


def _quantizer(r: _Reader, which: str) -> None:
    dim, nsubq, dsub, lastdsub = r.unpack("<4i", f"{which} quantizer header")
    if min(dim, nsubq, dsub, lastdsub) < 0:
        raise _Bad(f"{which} quantizer has negative sizes")
    r.skip(4 * dim * _KSUB, f"{which} quantizer centroids ({dim:,} x {_KSUB})")


def _quantized(r: _Reader, dim: int, which: str) -> None:
    (qnorm,) = r.unpack("<?", f"{which} matrix flag")
    m, n, codesize = r.unpack("<qqi", f"{which} quantized matrix header")
    if m < 1 or n < 0 or codesize < 0:
        raise _Bad(f"{which} quantized matrix has negative sizes ({m}, {n}, {codesize})")
    if n != dim:
        raise _Bad(f"{which} matrix has {n} columns, the model's dimension is {dim}")
    r.skip(codesize, f"{which} matrix codes")
    _quantizer(r, which)
    if qnorm:
        r.skip(m, f"{which} matrix norm codes")
        _quantizer(r, f"{which} norm")


_ENTRY = rb"[^\x00]*\x00[\s\S]{9}"  # a dictionary entry: NUL-terminated word, int64 count, int8 type
_CHUNK = 4096
_CHUNK_RE = re.compile(b"(?:" + _ENTRY + b"){%d}" % _CHUNK)


def _skip_entries(r: _Reader, count: int) -> int:
    """The offset after `count` dictionary entries from `r.pos`: one regular expression match per 4,096
    entries (each entry matches in one way only, so this is linear; a Python loop is 7x slower)."""
    pos, left = r.pos, count
    while left:
        n = min(left, _CHUNK)
        pattern = _CHUNK_RE if n == _CHUNK else re.compile(b"(?:" + _ENTRY + b"){%d}" % n)
        found = pattern.match(r.data, pos)
        if found is None:
            raise _Bad(f"dictionary of {count:,} entries runs past the end of the file (truncated or crafted)")
        pos, left = found.end(), left - n
    return pos



def _walk(r: _Reader) -> None:
    magic, version = r.unpack("<2i", "file header")
    if magic != MAGIC:
        raise _Bad("wrong magic number (not a fastText .bin/.ftz file)")
    if not 0 <= version <= MAX_VERSION:
        raise _Bad(f"format version {version} is not one this fastText reads (<= {MAX_VERSION})")
    args = r.unpack(_ARGS, "arguments")
    dim = args[0]
    if dim < 1:
        raise _Bad(f"dimension {dim} is not positive")
    size, nwords, nlabels, _ntokens, prune = r.unpack(_DICT, "dictionary header")
    if min(size, nwords, nlabels) < 0 or nwords + nlabels != size or prune < -1:
        raise _Bad(f"dictionary counts disagree (size {size}, words {nwords}, labels {nlabels}, pruned {prune})")
    r.need(10 * size, f"dictionary of {size:,} entries")  # each: at least a NUL, an int64 and an int8
    r.pos = _skip_entries(r, size)
    if prune > 0:
        r.skip(8 * prune, f"prune index of {prune:,} pairs")
    (quant_input,) = r.unpack("<?", "input matrix flag")
    _quantized(r, dim, "input") if quant_input else _dense(r, dim, "input")
    (qout,) = r.unpack("<?", "output matrix flag")
    _quantized(r, dim, "output") if quant_input and qout else _dense(r, dim, "output")


def check_model_file(path: str | Path) -> None:
    """Raise ResourceError (one line naming `path`) unless every size in the fastText model file's header fits
    in the file (see module docstring). Reads the header and dictionary only (memory-mapped)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            if fh.seek(0, 2) == 0:
                raise _Bad("empty file")
            fh.seek(0)
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                _walk(_Reader(mm))
    except _Bad as err:
        raise ResourceError(f"{path}: not a fastText model, or a damaged one: {err}; pass an intact .bin/.ftz model "
                            "file (e.g. lid.176.bin), downloaded again if it was cut short") from None
    except OSError as err:
        raise ResourceError(f"{path}: cannot read the fastText model ({err.strerror or err}); check the path "
                            "and its permissions") from None
