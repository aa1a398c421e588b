"""Trust on first use: what the first fetch of an unpinned resource found, kept in `$LEXAUG_HOME/tofu-lock.json`.

For catalog entries without a checksum known in advance (MUSE files, most UniMorph repositories) the first fetch
records the sha256 and size of each file (and the git commit of a repository) with the date; later loads and
`lexaug resources verify` check against that record, so a file changed upstream or in the cache is refused.
The lock file is written atomically (temporary file + rename) under a process-wide lock, so parallel
downloads in threads never lose each other's records.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from lexaug.defaults import lexaug_home
from lexaug.errors import FormatError

LOCK_NAME = "tofu-lock.json"
_MUTEX = threading.Lock()


def lock_path() -> Path:
    """$LEXAUG_HOME/tofu-lock.json."""
    return lexaug_home() / LOCK_NAME


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FormatError(str(path), None, f"unreadable trust-on-first-use record ({err}); delete it to record "
                          "again on the next fetch", reason="tofu") from None
    if not isinstance(data, dict):
        raise FormatError(str(path), None, "not a JSON object; delete it to record again", reason="tofu")
    return data


def get(key: str) -> dict[str, Any] | None:
    """The record for `key` (`lexicon:<src>_<tgt>/<file>` or `unimorph:<repo>`), or None."""
    record = _read(lock_path()).get(key)
    return record if isinstance(record, dict) else None


def record(key: str, value: dict[str, Any]) -> dict[str, Any]:
    """Store `value` (plus today's date as `recorded`) under `key`; returns what was stored."""
    value = {**value, "recorded": time.strftime("%Y-%m-%d", time.gmtime())}
    with _MUTEX:
        path = lock_path()
        data = _read(path)
        data[key] = value
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False,
                                             encoding="utf-8")
        with handle:
            json.dump(data, handle, indent=1, sort_keys=True)
            handle.write("\n")
        os.replace(handle.name, path)
    return value


def forget(key: str) -> None:
    """Drop the record for `key` (a forced re-fetch of an unpinned resource records it anew)."""
    with _MUTEX:
        path = lock_path()
        data = _read(path)
        if data.pop(key, None) is not None:
            path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
