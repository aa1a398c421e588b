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
from lexaug.errors import ChecksumError, ResourceError

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
    return base.rstrip("/") + urllib.parse.urlsplit(url).path


def download(url: str, dest: Path, *, sha256: str | None, size: int | None = None, progress: bool = False,
             label: str | None = None, timeout: float = DOWNLOAD_TIMEOUT_S) -> Path:
    """Download `url` to `dest` through a temporary file beside it, check size and sha256, then rename atomically.

    Args:
        url: http(s) or file URL.
        dest: final path; its folder is created.
        sha256: expected hex digest (None: not checked, the caller reports the file as unpinned).
        size: expected byte count, or None.
        progress: draw a progress bar on stderr.
    Returns: `dest`.
    Raises: ResourceError for HTTP/network errors, ChecksumError for a short, long or corrupt body; in both cases
    the temporary file is removed and an existing `dest` is left untouched.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        response = urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - URLs come from the catalog
    except urllib.error.HTTPError as err:
        raise ResourceError(f"{url}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        raise ResourceError(f"{url}: cannot download ({getattr(err, 'reason', err)})") from None
    announced = response.headers.get("Content-Length")
    total = int(announced) if announced and announced.isdigit() else size
    handle = tempfile.NamedTemporaryFile(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part", delete=False)
    tmp = Path(handle.name)
    try:
        digest, got = hashlib.sha256(), 0
        with response, handle, _bar(progress, total, label or dest.name) as bar:
            try:
                for block in iter(lambda: response.read(CHUNK), b""):
                    handle.write(block)
                    digest.update(block)
                    got += len(block)
                    bar(len(block))
            except (http.client.IncompleteRead, ConnectionError, TimeoutError) as err:
                raise ChecksumError(f"{url}: download interrupted after {got} bytes ({err})") from None
            handle.flush()
            os.fsync(handle.fileno())
        # http.client returns a short body without error when the server closes early: check the lengths.
        for expected, what in ((announced and int(announced), "the server announced"), (size, "the catalog gives")):
            if expected is not None and got != expected:
                raise ChecksumError(f"{url}: truncated or oversized download: got {got} bytes, {what} {expected}")
        if sha256 is not None and digest.hexdigest() != sha256.lower():
            raise ChecksumError(f"{url}: sha256 mismatch: expected {sha256}, got {digest.hexdigest()}")
        os.replace(tmp, dest)
    finally:
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


def git_clone(url: str, dest: Path, *, commit: str | None = None, quiet: bool = True) -> Path:
    """Clone `url` into a new temporary folder beside `dest` and return that folder.

    Checks out `commit` when given (detached HEAD). The caller verifies the files and renames the folder to
    `dest`; on a git failure the folder is removed and ResourceError carries git's last message line.
    With `quiet=False` git's own progress goes to stderr.
    """
    if shutil.which("git") is None:
        raise ResourceError("git is not installed; it is needed to fetch UniMorph repositories")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part"))
    try:
        _git(["clone", "--quiet" if quiet else "--progress", url, str(tmp)], url, "clone", quiet)
        if commit:
            _git(["-C", str(tmp), "-c", "advice.detachedHead=false", "checkout", "--quiet", commit], url,
                 f"checkout {commit}", True)
        return tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _git(args: list[str], url: str, what: str, capture: bool) -> None:
    done = subprocess.run(["git", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE if capture else None,
                          text=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    if done.returncode != 0:
        lines = (done.stderr or "").strip().splitlines()
        raise ResourceError(f"{url}: git {what} failed: {lines[-1] if lines else 'see the messages above'}")
