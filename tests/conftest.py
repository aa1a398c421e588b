"""Shared fixtures. Real data lives in ../shared/data beside the checkout; tests that need it skip where absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_CANDIDATES = [
    Path(os.environ["LEXAUG_SHARED_DATA"]) if os.environ.get("LEXAUG_SHARED_DATA") else None,
    Path(__file__).resolve().parents[1].parent / "shared" / "data",
    Path(__file__).resolve().parents[1] / "shared" / "data",
]


def _find_shared() -> Path | None:
    for candidate in _CANDIDATES:
        if candidate is not None and (candidate / "MANIFEST.tsv").is_file():
            return candidate
    return None


SHARED_DATA = _find_shared()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real data files (../shared/data); tests using it skip outside the team's checkouts."""
    if SHARED_DATA is None:
        pytest.skip("../shared/data is not present (only in the team's checkouts and CI)")
    return SHARED_DATA


@pytest.fixture
def server():
    """A loopback HTTP server (`loopback.LoopbackServer`): `server.files[path] = bytes`, `server.base` its URL."""
    from loopback import LoopbackServer

    srv = LoopbackServer()
    yield srv
    srv.close()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty lexaug cache ($LEXAUG_HOME, returned) and unimorph cache ($UNIMORPH) under `tmp_path`, with the
    bundled catalog and its real URLs ($LEXAUG_CATALOG and $LEXAUG_CATALOG_BASE_URL unset)."""
    monkeypatch.setenv("LEXAUG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("UNIMORPH", str(tmp_path / "unimorph"))
    monkeypatch.delenv("LEXAUG_CATALOG_BASE_URL", raising=False)
    monkeypatch.delenv("LEXAUG_CATALOG", raising=False)
    return tmp_path / "home"
