"""Locating values inside one raw JSON object line, so writers can splice new values into the original text
and keep every other byte (key order, spacing, escapes, number formatting) as it was."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass

from lexaug.errors import FormatError

_DECODER = json.JSONDecoder()
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
_WS = " \t\n\r"


@dataclass(frozen=True, slots=True)
class Located:
    """Spans (start, end) in the line of each requested key path's value (None when absent), and the index of
    the top-level object's closing brace; `empty` is True for `{}`."""

    spans: tuple[tuple[int, int] | None, ...]
    close: int
    empty: bool
    last_end: int  # end of the last top-level value: where a new key goes


_WS_RE = re.compile(r"[ \t\n\r]*")


def _skip_ws(s: str, i: int) -> int:
    return _WS_RE.match(s, i).end()  # type: ignore[union-attr]


def _walk(s: str, i: int, paths: list[tuple[str, ...]], found: dict[int, tuple[int, int]], depth: int,
          path: str | None, line: int) -> tuple[int, bool, int]:
    """Scan the object starting at s[i] == '{'; record spans of paths (matched from `depth` on); return the
    index of its closing brace and whether it was empty. Later duplicate keys win, as in json.loads."""
    skip = _WS_RE.match
    heads = {p[depth] for p in paths if len(p) > depth + 1}
    leaves: dict[str, list[int]] = {}
    for n, p in enumerate(paths):
        if len(p) == depth + 1:
            leaves.setdefault(p[depth], []).append(n)
    size = len(s)
    i = skip(s, i + 1).end()  # type: ignore[union-attr]
    if i < size and s[i] == "}":
        return i, True, i
    while True:
        if i >= size or s[i] != '"':
            raise FormatError(path, line, f"invalid JSON at column {i + 1}: expected a key in double quotes",
                              reason="json")
        key, i = _scanstring(s, i + 1)
        i = skip(s, i).end()  # type: ignore[union-attr]
        if i >= size or s[i] != ":":
            raise FormatError(path, line, f"invalid JSON at column {i + 1}: expected ':'", reason="json")
        start = skip(s, i + 1).end()  # type: ignore[union-attr]
        if key in heads and start < size and s[start] == "{":
            end, _, _ = _walk(s, start, paths, found, depth + 1, path, line)
            end += 1
        else:
            _, end = _DECODER.raw_decode(s, start)
        if key in leaves:
            for n in leaves[key]:
                found[n] = (start, end)
        i = skip(s, end).end()  # type: ignore[union-attr]
        if i < size and s[i] == ",":
            i = skip(s, i + 1).end()  # type: ignore[union-attr]
            continue
        if i < size and s[i] == "}":
            return i, False, end
        raise FormatError(path, line, f"invalid JSON at column {i + 1}: expected ',' or '}}'", reason="json")


def _explain(msg: str) -> str:
    """A json error message as a whole sentence: the decoder's "Invalid control character at" ends in "at"
    because it expects the position to follow."""
    if msg.startswith("Invalid control character"):
        return ("a raw control character (tab, line break or other character below U+0020) inside a string; "
                "escape it (\\t, \\n, \\u00XX)")
    return msg[:-3] if msg.endswith(" at") else msg


def locate(s: str, paths: list[tuple[str, ...]], path: str | None = None, line: int = 0) -> Located:
    """Validate `s` (one JSON object, optional surrounding whitespace; on line 1 a UTF-8 byte-order mark may
    open it, as Windows tools write) and find the value spans of `paths`.

    Raises FormatError(reason="json") for anything json.loads would reject, or for a value that is not an object.
    """
    i = _skip_ws(s, 0)
    if line <= 1 and s.startswith("\ufeff"):  # a byte-order mark opening the file: kept as it is, not JSON
        i = _skip_ws(s, 1)
    if i >= len(s) or s[i] != "{":
        raise FormatError(path, line, "expected a JSON object ({...}) on this line", reason="json")
    found: dict[int, tuple[int, int]] = {}
    try:
        close, empty, last_end = _walk(s, i, paths, found, 0, path, line)
    except json.JSONDecodeError as err:
        raise FormatError(path, line, f"invalid JSON at column {err.pos + 1}: {_explain(err.msg)}",
                          reason="json") from None
    except RecursionError:
        raise FormatError(path, line, "JSON nested too deeply to read (arrays or objects nested about "
                          f"{sys.getrecursionlimit()} levels or more); flatten the record or read leniently to "
                          "skip it", reason="json") from None
    except (ValueError, IndexError) as err:
        if "int_max_str_digits" in str(err) or "Exceeds the limit" in str(err):
            raise FormatError(path, line, f"a JSON number of more than {sys.get_int_max_str_digits()} digits, "
                              "which lexaug cannot read; write it as a string or read leniently to skip the record",
                              reason="json") from None
        raise FormatError(path, line, f"invalid JSON: {err}", reason="json") from None
    if _skip_ws(s, close + 1) != len(s):
        raise FormatError(path, line, f"extra text after the JSON object at column {close + 2}", reason="json")
    return Located(tuple(found.get(n) for n in range(len(paths))), close, empty, last_end)


_KINDS = {"{": "an object", "[": "an array", "t": "a boolean", "f": "a boolean", "n": "null", "N": "a number",
          "I": "a number", "-": "a number"}


def string_at(s: str, span: tuple[int, int] | None, field: str, path: str | None, line: int,
              hint: str = "pass the field that holds the text with --text-field") -> str:
    """The decoded string value at `span`; FormatError when the field is missing (the message ends with
    `hint`) or not a string."""
    if span is None:
        raise FormatError(path, line, f"no field {field!r}; {hint}", reason="missing_field")
    if s[span[0]] != '"':
        kind = _KINDS.get(s[span[0]], "a number")
        raise FormatError(path, line, f"field {field!r} is {kind}, expected a string; {hint}",
                          reason="not_string")
    value, _ = json.decoder.scanstring(s, span[0] + 1)  # type: ignore[attr-defined]
    return value


def encode_like(value: str, original_raw: str) -> str:
    """JSON string for `value`, escaping non-ASCII only when the original value did (`\\u00e9` style)."""
    return json.dumps(value, ensure_ascii="\\u" in original_raw)


def splice(line: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end) span of `line` by its text; spans must not overlap."""
    out, pos = [], 0
    for start, end, text in sorted(edits):
        out.append(line[pos:start])
        out.append(text)
        pos = end
    out.append(line[pos:])
    return "".join(out)


def provenance_edit(located: Located, key: str, key_span: tuple[int, int] | None,
                    provenance: dict) -> tuple[int, int, str]:
    """The edit that sets `key` to `provenance`: replace its value when the key exists, else insert it before
    the closing brace."""
    value = json.dumps(provenance, ensure_ascii=False, sort_keys=False)
    if key_span is not None:
        return (key_span[0], key_span[1], value)
    sep = "" if located.empty else ", "
    return (located.last_end, located.last_end, f"{sep}{json.dumps(key)}: {value}")
