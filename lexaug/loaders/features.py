"""UniMorph feature bundles: parsing, an order-insensitive canonical string, POS detection, and a
comparable view that puts UniMorph 3 (`V;3;SG;PRS`) and UniMorph 4 (`V;PRS;NOM(3,SG)`) notation side by side.

Format followed: the UniMorph schema (Sylak-Glassman 2016) as used by UniMorph 3 (Kirov et al. 2018,
features joined with `;`) and the layered argument notation of UniMorph 4 (Batsuren et al. 2022, e.g.
`N;NOM(PL;PSS(1,PL))`, `V;IPFV;NOM(MASC;3,SG)`). Composite values are kept as one feature and normalised
inside: `+` (conjunction, `PST+RMT`) and `/` (disjunction, `MASC/FEM`) list their parts in sorted order,
`non{PST}` canonicalises what it negates. Language-specific tags (`LGSPEC1`, `ARGAC3SG`, `BANTU9`) are atoms.

Canonical form (what `canonical_features` returns, used to compare bundles):
- top-level features are de-duplicated and sorted (plain code-point order), joined with `;`;
- inside a layer `NAME(...)` the content is a list of groups separated by `;`, each group a list of
  arguments separated by `,`; arguments inside a group and the groups themselves are de-duplicated and
  sorted, because a layer lists the feature values of one argument (person, number, gender), a set;
- whitespace around features is dropped; case is kept (`non{PST}` is lower case on purpose).
So `NOM(SG,3;MASC)` and `NOM(MASC;3,SG)` give `NOM(3,SG;MASC)`, and `PST;V` equals `V;PST`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# The part-of-speech dimension of the UniMorph schema. V.PTCP, V.MSDR and V.CVB are verbal sub-classes:
# a bundle whose only POS tag is one of them counts as POS "V".
MAIN_POS = ("N", "PROPN", "ADJ", "PRO", "CLF", "ART", "DET", "V", "ADV", "AUX",
            "ADP", "COMP", "CONJ", "NUM", "PART", "INTJ")
VERBAL_POS = ("V.PTCP", "V.MSDR", "V.CVB")
POS_TAGS = frozenset(MAIN_POS + VERBAL_POS)
_MAIN_POS = frozenset(MAIN_POS)


class FeatureError(ValueError):
    """A feature string that cannot be parsed (unbalanced parentheses, empty feature). The loaders turn it
    into a `FormatError` with path and line."""


@dataclass(frozen=True, slots=True)
class FeatureBundle:
    """A parsed bundle: `original` as written, `canonical` (see module docstring), `features` the set of
    canonical top-level features (layers kept whole, e.g. `NOM(3,SG)`), `pos` the detected part of speech
    (`V`, `N`, `ADJ`, ... or None)."""

    original: str
    canonical: str
    features: frozenset[str]
    pos: str | None


def _split_top(text: str, seps: str, whole: str) -> list[str]:
    """Split `text` on any character of `seps` at parenthesis depth 0."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise FeatureError(f"unbalanced ')' in features {whole!r}")
        elif depth == 0 and ch in seps:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise FeatureError(f"unbalanced '(' in features {whole!r}")
    parts.append(text[start:])
    return parts


def _canon_atom(atom: str, whole: str) -> str:
    if atom.startswith("non{") and atom.endswith("}"):
        return "non{" + _canon_atom(atom[4:-1].strip(), whole) + "}"
    if "/" in atom or "+" in atom:
        alternatives = sorted({"+".join(sorted({p.strip() for p in alt.split("+")})) for alt in atom.split("/")})
        if any(not p for alt in alternatives for p in alt.split("+")):
            raise FeatureError(f"empty part in composite value {atom!r} of features {whole!r}")
        return "/".join(alternatives)
    return atom


def _canon_item(item: str, whole: str) -> str:
    item = item.strip()
    if not item:
        raise FeatureError(f"empty feature in {whole!r} (doubled or trailing ';' or ',')")
    open_at = item.find("(")
    if open_at < 0:
        if ")" in item:
            raise FeatureError(f"unbalanced ')' in features {whole!r}")
        return _canon_atom(item, whole)
    if not item.endswith(")") or open_at == 0:
        raise FeatureError(f"malformed layer {item!r} in features {whole!r}: expected NAME(arguments)")
    head, inner = item[:open_at].strip(), item[open_at + 1:-1]
    groups = {",".join(sorted({_canon_item(a, whole) for a in _split_top(g, ",", whole)}))
              for g in _split_top(inner, ";", whole)}
    return f"{head}({';'.join(sorted(groups))})"


def _detect_pos(features: frozenset[str], order: list[str]) -> str | None:
    for feature in order:
        if feature in _MAIN_POS:
            return feature
    return "V" if any(f in features for f in VERBAL_POS) else None


@lru_cache(maxsize=65536)
def parse_features(text: str) -> FeatureBundle:
    """Parse a UniMorph feature string into a `FeatureBundle`.

    Args:
        text: features as written, e.g. `V;3;SG;PRS` or `N;NOM(PL;PSS(1,PL))`.
    Returns:
        The bundle with its canonical string, top-level feature set and POS.
    Raises:
        FeatureError: unbalanced parentheses, an empty feature, or an empty string.
    """
    if not text.strip():
        raise FeatureError("empty feature string")
    order = [_canon_item(item, text) for item in _split_top(text, ";", text)]
    features = frozenset(order)
    return FeatureBundle(text, ";".join(sorted(features)), features, _detect_pos(features, order))


def canonical_features(text: str) -> str:
    """Order-insensitive canonical form of a feature string (see the module docstring for the rules).

    `canonical_features("V;PRS;3;SG") == canonical_features("V;3;SG;PRS") == "3;PRS;SG;V"`.
    Raises `FeatureError` for malformed strings.
    """
    return parse_features(text).canonical


# Agreement notation bridge (UniMorph 4 layers <-> UniMorph 3 compact tags) ------------------------------
_PERSON = ("0", "1", "2", "3", "4")
_NUMBER = {"SG": "S", "DU": "D", "PL": "P"}
_GENDER = {"MASC": "M", "FEM": "F", "NEUT": "N"}
# UniMorph 4 names an agreement layer by the case of the argument; UniMorph 3 used these prefixes.
_LAYER_PREFIX = {"ACC": "ARGAC", "ERG": "ARGER", "ABS": "ARGAB", "DAT": "ARGDA", "BEN": "ARGBE"}
_COMPACT = re.compile(r"^(PSS|ARG[A-Z]{2})([0-4])(SG|DU|PL|S|D|P)?(MASC|FEM|NEUT|M|F|N)?$")


def _compact(prefix: str, args: list[str]) -> list[str]:
    person = [a for a in args if a in _PERSON]
    number = [a for a in args if a in _NUMBER]
    gender = [a for a in args if a in _GENDER]
    rest = [a for a in args if a not in _PERSON and a not in _NUMBER and a not in _GENDER]
    if len(person) != 1 or len(number) > 1 or len(gender) > 1:
        return [f"{prefix}({','.join(sorted(args))})"]
    tag = prefix + person[0] + "".join(_NUMBER[n] for n in number) + "".join(_GENDER[g] for g in gender)
    return [tag] + rest


@lru_cache(maxsize=65536)
def comparable_features(text: str) -> frozenset[str]:
    """A flat feature set in which UniMorph 3 and UniMorph 4 agreement notation compare equal.

    Rules (an approximation checked on the English and Amharic `.args` pairs, where it maps every row):
    - `NOM(...)` (subject agreement) is lifted to top level: `V;PRS;NOM(3,SG)` -> {V, PRS, 3, SG},
      like UniMorph 3's `V;3;SG;PRS`;
    - other layers become UniMorph 3 compact tags, person + number letter + gender letter:
      `PSS(3,SG,MASC)` -> `PSS3SM`, `ACC(3,SG)` -> `ARGAC3S` (ERG/ABS/DAT/BEN likewise), and arguments
      that are not person/number/gender stay as separate features (`PSS(2,SG,FORM)` -> {PSS2S, FORM});
      a layer without exactly one person value is kept whole;
    - UniMorph 3 compact tags are normalised to single letters (`ARGAC3SG` -> `ARGAC3S`).
    Returns a frozenset of canonical feature strings; raises `FeatureError` for malformed strings.
    """
    out: set[str] = set()
    for feature in parse_features(text).features:
        _flatten(feature, text, out)
    return frozenset(out)


def _flatten(feature: str, whole: str, out: set[str]) -> None:
    open_at = feature.find("(")
    if open_at < 0:
        m = _COMPACT.match(feature)
        if m:
            feature = m[1] + m[2] + _NUMBER.get(m[3] or "", m[3] or "") + _GENDER.get(m[4] or "", m[4] or "")
        out.add(feature)
        return
    head = feature[:open_at]
    args = [a for group in _split_top(feature[open_at + 1:-1], ";", whole) for a in _split_top(group, ",", whole)]
    if head == "NOM":
        for arg in args:
            _flatten(arg, whole, out)
    else:
        out.update(_compact(_LAYER_PREFIX.get(head, head), args))
