"""Exceptions raised by lexaug. The CLI turns any `LexaugError` into a one-line message and exit status 1."""

from __future__ import annotations

import re

from pathlib import Path


class LexaugError(Exception):
    """Base class of every error lexaug raises on purpose (bad input, missing resource, bad option)."""


class FormatError(LexaugError):
    """A file could not be read as the format it should have.

    The message names the place, the bad value and the fix:
    ``lex.tsv, line 3235: expected 2 tab-separated columns, got 1``.
    """

    def __init__(self, path: str | Path | None, line: int | None, message: str, reason: str = "malformed"):
        self.path = str(path) if path is not None else "<input>"
        self.line = line
        self.reason = reason
        self.detail = message
        where = self.path if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {message}")


class ResourceError(LexaugError):
    """A resource (lexicon, table, model) is missing or cannot be resolved; the message says how to get it."""


class ChecksumError(ResourceError):
    """A downloaded or cached file does not match the sha256 the catalog gives; it is never used."""


class ConfigError(LexaugError):
    """Options that contradict each other or are out of range."""


class TrainingError(LexaugError):
    """A model's training stopped: one of its worker processes failed or died (the message says which)."""


def name_lenient_option(err: FormatError, option: str) -> FormatError:
    """`err` with the CLI option that reads leniently named after its hint: a loader says "read leniently to
    skip it" (a loader does not know which command called it); the command adds ` (--lexicon-lenient)`."""
    if "leniently" not in err.detail:
        return err
    # right after the clause that says it ("read leniently to skip it (--lenient), or use the first two columns")
    detail = re.sub(r"(leniently[^,;]*)", lambda m: f"{m.group(1)} ({option})", err.detail, count=1)
    return FormatError(err.path, err.line, detail, reason=err.reason)


# Byte-order marks of the wide encodings, UTF-32 first: its little-endian mark starts with UTF-16's.
WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
             (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def wide_encoding_error(path: str | Path | None, data: bytes) -> FormatError | None:
    """The error for a file saved as UTF-16 or UTF-32 with a byte-order mark (None otherwise); every reader that
    reads whole files or first lines raises it, so the encoding is named instead of a byte being called Latin-1."""
    for mark, name in WIDE_BOMS:
        if data.startswith(mark):
            return FormatError(path, 1, f"file is {name} (byte-order mark); convert it to UTF-8, "
                                        f"e.g. `iconv -f {name} -t UTF-8`", reason="encoding")
    return None
