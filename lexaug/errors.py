"""Exceptions raised by lexaug. The CLI turns any `LexaugError` into a one-line message and exit status 1."""

from __future__ import annotations

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
    return FormatError(err.path, err.line, f"{err.detail} ({option})", reason=err.reason)
