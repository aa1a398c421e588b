"""Whether cached resources are the ones the catalog pins or the first fetch recorded (trust on first use,
`lexaug.tofu`): the checks behind loading a cached file, `fetch` keeping an intact copy, and
`lexaug resources verify`. Never downloads. `lexaug.catalog` re-exports the public names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lexaug import tofu
from lexaug.catalog_entries import LexiconEntry, PinnedFile, UnimorphEntry
from lexaug.download import sha256_file
from lexaug.errors import ChecksumError

if TYPE_CHECKING:
    from lexaug.catalog import Catalog


def lexicon_pin(entry: LexiconEntry) -> PinnedFile | None:
    """The checksum a lexicon file must have: the catalog's, else the one recorded on first use, else None."""
    if entry.sha256 is not None:
        return PinnedFile(entry.file, entry.sha256, entry.bytes)
    found = tofu.get(entry.tofu_key)
    if found and isinstance(found.get("sha256"), str):
        return PinnedFile(entry.file, found["sha256"], found.get("bytes"))
    return None


def lexicon_problem(entry: LexiconEntry, path: Path) -> str | None:
    """None when the cached file matches its pin (catalog or first-use record, or no record at all)."""
    pin = lexicon_pin(entry)
    if pin is None:
        return None if path.is_file() else f"{entry.file} is missing"
    return pin_problem(pin, path, "the catalog" if entry.pinned else "the first-use record")


def pin_problem(pin: PinnedFile, path: Path, source: str = "the catalog") -> str | None:
    """None if `path` matches the pin, else what is wrong with it."""
    if path.exists() and not path.is_file():
        return f"{pin.name} is not a regular file"
    if not path.is_file():
        return f"{pin.name} is missing"
    size = path.stat().st_size
    if pin.bytes is not None and size != pin.bytes:
        return f"{pin.name} has {size} bytes, {source} gives {pin.bytes}"
    try:
        digest = sha256_file(path)
    except OSError as err:
        return f"{pin.name} cannot be read ({err.strerror or err})"
    if digest != pin.sha256:
        return f"{pin.name} sha256 is {digest}, {source} gives {pin.sha256}"
    return None


def check_recorded(entry: UnimorphEntry, paths: list[Path]) -> None:
    """ChecksumError when a table of an unpinned UniMorph repository differs from its first-use record."""
    record = tofu.get(entry.tofu_key)
    recorded: dict[str, Any] = (record or {}).get("files") or {}
    for path in paths:
        if path.name in recorded:
            problem = pin_problem(PinnedFile(path.name, recorded[path.name]), path, "the first-use record")
            if problem:
                raise ChecksumError(f"{path}: {problem}; run `lexaug resources fetch {entry.lang} --kind unimorph "
                                    "--force`")


@dataclass(frozen=True)
class Check:
    """One result of `verify`: status is "ok", "bad" or "unpinned" (no checksum known, none recorded)."""

    path: Path
    status: str
    message: str = ""


def verify(catalog: Catalog | None = None) -> list[Check]:
    """Re-hash every cached file the catalog knows and report each; uncached entries are skipped. Files trusted on
    first use are checked against their record ("unpinned, recorded on <date>")."""
    if catalog is None:
        from lexaug.catalog import Catalog  # here: lexaug.catalog imports this module

        catalog = Catalog.load()
    checks: list[Check] = []
    for entry in catalog.lexicons:
        path = entry.path()
        if not path.exists():
            continue
        if not path.is_file():
            checks.append(Check(path, "bad", f"{entry.file} is not a regular file"))
            continue
        record = None if entry.pinned else tofu.get(entry.tofu_key)
        if not entry.pinned and record is None:
            checks.append(Check(path, "unpinned", "no checksum known and none recorded"))
            continue
        problem = lexicon_problem(entry, path)
        note = "" if entry.pinned else f"unpinned, recorded on {record.get('recorded') if record else '?'}"
        checks.append(Check(path, "bad" if problem else "ok", problem or note))
    for um in catalog.unimorph:
        if not um.is_cached():
            continue
        folder = um.path()
        pins, note = list(um.files), ""
        if not um.pinned:
            record = tofu.get(um.tofu_key)
            if record is None:
                checks.append(Check(folder, "unpinned", "no checksum known and none recorded"))
                continue
            pins = [PinnedFile(n, s) for n, s in (record.get("files") or {}).items()]
            note = f"unpinned, recorded on {record.get('recorded')}"
        for pin in pins:
            problem = pin_problem(pin, folder / pin.name, "the catalog" if um.pinned else "the first-use record")
            checks.append(Check(folder / pin.name, "bad" if problem else "ok", problem or note))
    return checks
