"""Verified downloads: HTTP(S) files and git repositories, written so that nothing unverified is ever left
where the cache looks. Used by `lexaug.catalog`; only ever called when the user asks (`lexaug resources fetch`)."""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from typing import Any
from pathlib import Path

from lexaug.defaults import CATALOG_BASE_URL_ENV, DOWNLOAD_TIMEOUT_S
from lexaug.errors import ChecksumError, ConfigError, ResourceError

CHUNK = 1 << 16


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def rewrite_url(url: str, base_url: str | None = None) -> str:
    """Replace the scheme and host of `url` by `base_url` (default: $LEXAUG_CATALOG_BASE_URL), keeping the path.

    `https://github.com/unimorph/amh.git` with base `file:///srv/mirror` gives `file:///srv/mirror/unimorph/amh.git`;
    without a base the URL is returned unchanged.
    """
    base = base_url if base_url is not None else os.environ.get(CATALOG_BASE_URL_ENV)
    if not base:
        return url
    check_base_url(base, "--base-url" if base_url is not None else f"${CATALOG_BASE_URL_ENV}")
    return base.rstrip("/") + urllib.parse.urlsplit(url).path


def check_base_url(base: str, what: str = "--base-url") -> None:
    """ConfigError unless `base` is an http(s) URL with a host or a file URL (a mirror of the catalog's hosts)."""
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https", "file") or (parts.scheme != "file" and not parts.netloc) or (
            parts.scheme == "file" and not parts.path):
        raise ConfigError(f"{what} {base!r} is not a URL; give e.g. http://127.0.0.1:8000 or file:///srv/mirror")


def part_path(dest: Path) -> Path:
    """Where a download of `dest` is written until it is verified: `.<name>.part` beside it (kept after an
    interrupted transfer, so the next attempt resumes with an HTTP Range request)."""
    return dest.with_name(f".{dest.name}.part")


def download(url: str, dest: Path, *, sha256: str | None, size: int | None = None, progress: bool = False,
             label: str | None = None, timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    """Download `url` to `dest` through `.<name>.part` beside it, check size and sha256, then rename atomically.

    An interrupted transfer leaves the part file; the next call asks the server for the rest (`Range: bytes=N-`)
    and appends it when the server answers 206, else starts over. Reading stops one byte past `size`, so an
    oversized body is refused without downloading it whole.

    Args:
        url: http(s) or file URL.
        dest: final path; its folder is created.
        sha256: expected hex digest (None: not checked; the caller records it, trust on first use).
        size: expected byte count, or None.
        progress: draw a progress bar on stderr.
    Returns: `dest`.
    Raises: ResourceError for HTTP/network errors, ChecksumError for a short, long or corrupt body; an existing
    `dest` is left untouched, and only an interrupted transfer leaves its part file.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = part_path(dest)
    have = tmp.stat().st_size if tmp.is_file() else 0
    if size is not None and have >= size:
        tmp.unlink()
        have = 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - URLs come from the catalog
    except urllib.error.HTTPError as err:
        if err.code == 416:  # the part file is not a prefix the server can continue: start over next time
            tmp.unlink(missing_ok=True)
        raise ResourceError(f"{url}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise ResourceError(f"{url}: cannot download ({getattr(err, 'reason', err)})") from None
    resumed = have > 0 and getattr(response, "status", 200) == 206
    digest, got = hashlib.sha256(), 0
    if resumed:
        with open(tmp, "rb") as old:
            for block in iter(lambda: old.read(CHUNK), b""):
                digest.update(block)
        got = have
    announced_raw = response.headers.get("Content-Length")
    announced = int(announced_raw) + got if announced_raw and announced_raw.isdigit() else None
    total = announced if announced is not None else size
    limit = None if size is None else size + 1  # read at most one byte past the catalog's size
    keep_part = False
    try:
        with response, open(tmp, "ab" if resumed else "wb") as handle, _bar(progress, total, label or dest.name) as bar:
            if resumed:
                bar(got)
            try:
                while limit is None or got < limit:
                    block = response.read(CHUNK if limit is None else min(CHUNK, limit - got))
                    if not block:
                        break
                    handle.write(block)
                    digest.update(block)
                    got += len(block)
                    bar(len(block))
            except (http.client.IncompleteRead, ConnectionError, TimeoutError) as err:
                keep_part = True
                raise ChecksumError(f"{url}: download interrupted after {got} bytes ({err}); run the fetch again "
                                    "to resume") from None
            handle.flush()
            os.fsync(handle.fileno())
        if size is not None and got > size:
            raise ChecksumError(f"{url}: oversized download: more than the {size} bytes the catalog gives; "
                                "stopped reading")
        # http.client returns a short body without error when the server closes early: check the lengths.
        if announced is not None and got < announced:
            keep_part = True
            raise ChecksumError(f"{url}: truncated download: got {got} bytes, the server announced {announced}; "
                                "run the fetch again to resume")
        for expected, what in ((announced, "the server announced"), (size, "the catalog gives")):
            if expected is not None and got != expected:
                raise ChecksumError(f"{url}: truncated or oversized download: got {got} bytes, {what} {expected}")
        if sha256 is not None and digest.hexdigest() != sha256.lower():
            raise ChecksumError(f"{url}: sha256 mismatch: expected {sha256}, got {digest.hexdigest()}")
        os.replace(tmp, dest)
    finally:
        if not keep_part:
            tmp.unlink(missing_ok=True)
    return dest


class _bar:
    """A click progress bar on stderr when asked, otherwise a no-op; called with the bytes just read."""

    def __init__(self, enabled: bool, total: int | None, label: str):
        self._bar: Any = None
        if enabled:
            import click

            self._bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=total is None)

    def __enter__(self):
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)


def git_clone(url: str, dest: Path, *, commit: str | None = None, quiet: bool = True,
              missing_hint: str | None = None) -> Path:
    """Clone `url` into a new temporary folder beside `dest` and return that folder.

    Checks out `commit` when given (detached HEAD). The caller verifies the files and renames the folder to
    `dest`; on a git failure the folder is removed and ResourceError carries git's last message line (for a
    repository that does not exist, `missing_hint` first). With `quiet=False` git's own progress goes to stderr.
    """
    if shutil.which("git") is None:
        raise ResourceError("git is not installed; it is needed to fetch UniMorph repositories")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part"))
    try:
        _git(["clone", "--quiet" if quiet else "--progress", url, str(tmp)], url, "clone", True, missing_hint)
        if commit:
            _git(["-C", str(tmp), "-c", "advice.detachedHead=false", "checkout", "--quiet", commit], url,
                 f"checkout {commit}", True)
        return tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


_MISSING = ("not found", "does not exist", "does not appear to be a git repository", "could not read from remote")


def _git(args: list[str], url: str, what: str, capture: bool, missing_hint: str | None = None) -> None:
    done = subprocess.run(["git", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE if capture else None,
                          text=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    if done.returncode != 0:
        lines = [line for line in (done.stderr or "").strip().splitlines() if line.strip()]
        fatal = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
        last = (fatal or lines or ["see the messages above"])[0 if fatal else -1].strip()
        if missing_hint and any(m in (done.stderr or "").lower() for m in _MISSING):
            raise ResourceError(f"{missing_hint}: git clone failed: {last}")
        raise ResourceError(f"{url}: git {what} failed: {last}")
