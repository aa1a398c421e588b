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
