"""Opening corpus files: plain, gzip or zstd, or `-` for stdin/stdout; UTF-8 with line endings kept as written.

Input compression is recognised by its magic bytes (so a misnamed or piped compressed file still reads); output
compression follows the extension (`.gz`, `.zst`). Lines end at `\\n` only (`\\r\\n` stays part of the line, a
lone `\\r` is ordinary text), which is what a byte-for-byte round trip needs.
"""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterator, TextIO

from lexaug.defaults import MAX_LINE_MB
from lexaug.errors import FormatError, wide_encoding_error

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BLOCK = 1 << 20  # bytes decoded at once; decoding whole blocks is ~10x faster than per line
_FEED = 1 << 15  # compressed bytes given to a decompressor at once (bounds a zstd call's output)


def compression_of(path: str | Path) -> str | None:
    """`"gz"`, `"zst"` or None from a file name's last suffix."""
    name = str(path).lower()
    if name.endswith(".gz"):
        return "gz"
    if name.endswith(".zst") or name.endswith(".zstd"):
        return "zst"
    return None


class LineReader(io.TextIOBase):
    """A read-only text stream over UTF-8 bytes that reports undecodable bytes with file and line.

    `errors="strict"` raises `FormatError(path, line, ..., reason="encoding")` at the first bad byte;
    `errors="surrogateescape"` passes bad bytes through as lone surrogates (U+DC80..U+DCFF) so that a lenient
    reader can skip and count the record that holds them (see `has_undecodable`). A UTF-16 or UTF-32 byte-order
    mark at the start is an error in either mode (`wide_encoding_error`).
    """

    def __init__(self, raw: BinaryIO, name: str, errors: str = "strict", close_raw: bool = True,
                 max_line_mb: float | None = None):
        super().__init__()
        self._raw = raw
        self.name = name
        self._errors = errors
        self._close_raw = close_raw
        self._lines: list[str] = []
        self._pos = 0
        self._rest: list[bytes] = []  # pieces of a line that has not ended yet (joined once, not per block)
        self._rest_size = 0
        self._eof = False
        self._lines_decoded = 0  # lines in blocks already decoded, for locating a bad byte
        self._first_block = True  # the first bytes are checked for a UTF-16/UTF-32 byte-order mark
        mb = MAX_LINE_MB if max_line_mb is None else max_line_mb
        self._max_line = max(int(mb * (1 << 20)), _BLOCK)

    def readable(self) -> bool:
        return True

    def _too_long(self) -> FormatError:
        mb = self._max_line / (1 << 20)
        return FormatError(self.name, self._lines_decoded + 1,
                           f"a line longer than {mb:g} MB (rewriting one line takes about 30 times its size in "
                           f"memory); split the line, or raise the limit with --max-line-mb", reason="line_too_long")

    def _fill(self) -> bool:
        while not self._eof:
            data = self._raw.read(_BLOCK)
            if self._first_block:
                # a whole file in UTF-16/32 is an error in either mode: its ASCII lines are valid UTF-8 bytes
                # (a NUL after each letter) that a lenient read would otherwise pass on as text
                self._first_block = False
                wide = wide_encoding_error(self.name, data)
                if wide:
                    raise wide
            if not data:
                self._eof = True
                block = b"".join(self._rest)
                self._rest, self._rest_size = [], 0
            else:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    self._rest.append(data)
                    self._rest_size += len(data)
                    if self._rest_size > self._max_line:
                        raise self._too_long()
                    continue
                if self._rest:
                    if self._rest_size + data.find(b"\n") + 1 > self._max_line:
                        raise self._too_long()
                    block = b"".join(self._rest) + data[:cut]
                else:
                    block = data[:cut]
                self._rest = [data[cut:]] if cut < len(data) else []
                self._rest_size = len(data) - cut
            if not block:
                return False
            try:
                text = block.decode("utf-8", self._errors)
            except UnicodeDecodeError as err:
                line = self._lines_decoded + block.count(b"\n", 0, err.start) + 1
                col = err.start - (block.rfind(b"\n", 0, err.start) + 1) + 1
                bad = block[err.start : err.end].hex(" ")
                raise FormatError(
                    self.name, line,
                    f"byte(s) {bad} at column {col} are not valid UTF-8; re-encode the file as UTF-8 "
                    "(e.g. `iconv -f latin1 -t utf-8`) or read it leniently to skip that record",
                    reason="encoding",
                ) from None
            parts = text.split("\n")
            lines = [p + "\n" for p in parts[:-1]]
            if parts[-1]:
                lines.append(parts[-1])
            self._lines_decoded += len(parts) - 1
            self._lines, self._pos = lines, 0
            return True
        return False

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self._pos >= len(self._lines) and not self._fill():
            return ""
        line = self._lines[self._pos]
        self._pos += 1
        return line

    def read_lines(self, n: int) -> list[str]:
        """The next `n` lines (fewer at the end of the stream, none after it), as slices of the decoded
        blocks: for readers that take many lines at once, without a call per line."""
        out: list[str] = []
        while len(out) < n:
            if self._pos >= len(self._lines) and not self._fill():
                break
            start = self._pos
            self._pos = min(len(self._lines), start + n - len(out))
            out += self._lines[start:self._pos]
        return out

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # a text stream yields str
        return self

    def __next__(self) -> str:  # type: ignore[override]
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def read(self, size: int | None = -1) -> str:
        """The rest of the stream (whole lines; `size` is not honoured, lines are never cut)."""
        return "".join(iter(self.readline, ""))

    def close(self) -> None:
        if not self.closed and self._close_raw:
            self._raw.close()
        super().close()


def has_undecodable(text: str) -> bool:
    """True when `text` holds bytes that were not UTF-8 (lone surrogates from `errors="surrogateescape"`)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _Decompressor:
    """The decompressed bytes of a gzip or zstd stream, `read` in blocks of about the size asked for.

    Every damage is a FormatError naming the file (reason `compression`), never a shorter corpus: a stream
    that ends inside a gzip member or zstd frame (truncated), corrupt data (a failed CRC or checksum, an
    invalid block) and bytes after the last member or frame that start no new one. Several gzip members or
    zstd frames are read one after the other; NUL padding after a gzip member is skipped, as gzip(1) does.
    """

    def __init__(self, raw: BinaryIO, name: str, kind: str):
        self._raw = raw
        self.name = name
        self._kind = kind
        self._obj: Any = self._new()
        self._pending = b""  # compressed bytes not yet given to the decompressor
        self._inside = False  # the current member/frame has started and not ended
        self._units = 0  # members/frames read to their end
        self._eof = False

    def _new(self) -> Any:
        if self._kind == "gz":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        import zstandard

        return zstandard.ZstdDecompressor().decompressobj()  # one frame; a new one for the next

    def _error(self, what: str) -> FormatError:
        label = "gzip" if self._kind == "gz" else "zstd"
        return FormatError(self.name, None, f"{what}; the {label} file is damaged: fetch or write it again "
                           f"(check it with `{'gzip -t' if self._kind == 'gz' else 'zstd -t'}`)",
                           reason="compression")

    def read(self, size: int = _BLOCK) -> bytes:
        """About `size` decompressed bytes (more or fewer), or b"" at the end of the stream."""
        out: list[bytes] = []
        have = 0
        while have < size and not self._eof:
            if not self._pending:
                self._pending = self._raw.read(_FEED)
                if not self._pending:
                    self._eof = True
                    if self._inside or not self._units:
                        unit = "gzip member" if self._kind == "gz" else "zstd frame"
                        raise self._error(f"the compressed stream is truncated (it ends inside a {unit})")
                    break
            data = self._feed(size - have)
            if data:
                out.append(data)
                have += len(data)
        return b"".join(out)

    def _feed(self, room: int) -> bytes:
        data, self._pending = self._pending, b""
        if not self._inside and self._units:
            if self._kind == "gz":
                data = data.lstrip(b"\0")
                if not data:
                    return b""
            if not data.startswith((_GZIP_MAGIC if self._kind == "gz" else _ZSTD_MAGIC)[:len(data)]) \
                    and not (self._kind == "zst" and _is_skippable(data)):
                raise self._error("unexpected bytes after the end of the compressed data")
        self._inside = True
        obj = self._obj
        try:
            if self._kind == "gz":
                out = obj.decompress(data, max(room, 1))
                self._pending = obj.unconsumed_tail
            else:
                out = obj.decompress(data)
        except Exception as err:  # zlib.error, zstandard.ZstdError: the data is not what the header promised
            raise self._error(f"corrupt compressed data ({err})") from None
        if obj.eof:
            self._pending = obj.unused_data + self._pending
            self._obj, self._inside = self._new(), False
            self._units += 1
        return out

    def close(self) -> None:
        self._raw.close()


def _is_skippable(data: bytes) -> bool:
    """A zstd skippable frame starts with 0x184D2A50..5F (little-endian)."""
    return len(data) >= 4 and data[1:4] == b"\x2a\x4d\x18" and data[0] & 0xF0 == 0x50


def _decompressed(raw: BinaryIO, name: str) -> Any:
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[arg-type,type-var]
    head = buffered.peek(4)[:4]
    if head.startswith(_GZIP_MAGIC):
        return _Decompressor(buffered, name, "gz")
    if head.startswith(_ZSTD_MAGIC) or _is_skippable(head):
        return _Decompressor(buffered, name, "zst")
    if head and len(head) < 4 and (_GZIP_MAGIC.startswith(head) or _ZSTD_MAGIC.startswith(head)):
        kind = "gzip" if _GZIP_MAGIC.startswith(head) else "zstd"
        raise FormatError(name, None, f"the compressed stream is truncated ({len(head)} byte(s) of a {kind} "
                          "header); the file is damaged: fetch or write it again", reason="compression")
    return buffered


def open_input(path: str | Path, errors: str = "strict", max_line_mb: float | None = None) -> TextIO:
    """Open a corpus for reading as UTF-8 text with line endings untouched.

    Args:
        path: a file (plain, `.gz` or `.zst`; recognised by magic bytes) or `-` for stdin.
        errors: `"strict"` (an undecodable byte is a FormatError naming file and line) or `"surrogateescape"`
            (lenient readers skip and count such records).
        max_line_mb: longest line accepted, in MiB of UTF-8 (default `defaults.MAX_LINE_MB`, at least 1); a
            longer line is a FormatError (reason `line_too_long`) naming file and line.
    Returns:
        A text stream; iterate it for lines ending in `\\n` (or `\\r\\n`), the last one possibly without.
    """
    if str(path) == "-":
        raw: BinaryIO = sys.stdin.buffer
        return LineReader(_decompressed(raw, "<stdin>"), "<stdin>", errors, close_raw=False,  # type: ignore[return-value]
                          max_line_mb=max_line_mb)
    try:
        fh = open(path, "rb")
    except OSError as err:
        raise FormatError(path, None, f"cannot open: {err.strerror}; check the path", reason="io") from None
    try:
        source = _decompressed(fh, str(path))
    except BaseException:
        fh.close()
        raise
    return LineReader(source, str(path), errors, max_line_mb=max_line_mb)  # type: ignore[return-value]


class _StdoutWriter(io.TextIOWrapper):
    """UTF-8 writer over stdout that flushes but never closes the process's stdout."""

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.detach()


class _Unclosed(io.TextIOBase):
    """Writes to a text stream that takes str directly; close() flushes it but leaves it open."""

    def __init__(self, target: TextIO):
        super().__init__()
        self._target = target

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:  # type: ignore[override]
        return self._target.write(text)

    def flush(self) -> None:
        self._target.flush()

    def close(self) -> None:
        if not self.closed:
            self._target.flush()
        super().close()


def open_output(path: str | Path, level: int | None = None) -> TextIO:
    """Open a corpus for writing as UTF-8 text; nothing is translated (`newline=""`), so `\\r\\n` survives.

    Args:
        path: a file (`.gz` and `.zst` are compressed) or `-` for stdout.
        level: compression level (gzip 1-9, default 6; zstd 1-22, default 3).
    Returns:
        A text stream; close it (or use `with`) to finish the compressed frame.
    """
    if str(path) == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # e.g. an in-memory stdout: it takes str directly
            return _Unclosed(sys.stdout)  # type: ignore[return-value]
        sys.stdout.flush()
        return _StdoutWriter(buffer, encoding="utf-8", newline="", write_through=True)
    kind = compression_of(path)
    if kind == "gz":
        return gzip.open(path, "wt", compresslevel=level or 6, encoding="utf-8", newline="")  # type: ignore
    if kind == "zst":
        import zstandard

        raw: IO[bytes] = open(path, "wb")
        # with a content checksum, so a damaged copy of the output is an error when read back, not other text
        writer = zstandard.ZstdCompressor(level=level or 3, write_checksum=True).stream_writer(raw, closefd=True)
        return io.TextIOWrapper(writer, encoding="utf-8", newline="")  # type: ignore[arg-type]
    return open(path, "w", encoding="utf-8", newline="")
