"""Lexicon coverage of a corpus (`lexaug lexicon coverage`): which words a lexicon translates, through which
fallback, and the most frequent words it misses (what a speaker should add to the lexicon first).

Counts single-word lookups the way `substitute.v1` (before) and `substitute.v2` (after, with its fallbacks)
see the corpus; multiword headwords are not matched here, so coverage can be a little lower than a
synthesize manifest reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from lexaug.generators.substitute import Substitute
from lexaug.generators.substitute_versions import SubstituteV2
from lexaug.generators.words import lookup_key, split_words


def _count(generator: Substitute, texts: Iterable[str]) -> dict[str, Any]:
    table = generator.table
    tokens = found = 0
    missing: Counter[str] = Counter()
    types: set[str] = set()
    found_types: set[str] = set()
    kinds: Counter[str] = Counter()
    for text in texts:
        words = split_words(text, generator._split, generator._split_ascii)[1::2]
        if not words:
            continue
        ents = table.entries(words)
        if isinstance(generator, SubstituteV2):
            kinds.update(table.kind_counts(words))  # type: ignore[attr-defined]
        tokens += len(words)
        for word, ent in zip(words, ents):
            key = lookup_key(word, generator.case_fold)
            types.add(key)
            if len(ent) > 1:
                found += 1
                found_types.add(key)
            else:
                missing[key] += 1
    return {"tokens": tokens, "translated": found, "token_coverage": round(found / tokens, 6) if tokens else 0.0,
            "types": len(types), "types_translated": len(found_types),
            "type_coverage": round(len(found_types) / len(types), 6) if types else 0.0,
            "by_fallback": dict(kinds), "missing": missing}


def coverage_report(lexicon: Any, texts: list[str], src_lang: str = "eng", top: int = 20) -> dict[str, Any]:
    """Coverage of `texts` by `lexicon` before (substitute.v1) and after (substitute.v2) the fallbacks.

    Returns {"before": {...}, "after": {...}, "untranslated": [(word, count), ...]} where each side holds
    tokens, translated, token_coverage, types, types_translated, type_coverage, by_fallback; `untranslated`
    lists every word the fallbacks still miss, most frequent first (`top` is only what a table shows).
    """
    before = _count(Substitute(lexicon, src_lang=src_lang), texts)
    after = _count(SubstituteV2(lexicon, src_lang=src_lang), texts)
    missing = after.pop("missing")
    before.pop("missing")
    return {"before": before, "after": after, "top": top,
            "untranslated": sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))}


def format_coverage(report: dict[str, Any]) -> str:
    """A text table of a `coverage_report`."""
    b, a = report["before"], report["after"]
    lines = [f"{'':<24}{'before (v1)':>14}{'after (v2)':>14}",
             f"{'tokens':<24}{b['tokens']:>14,}{a['tokens']:>14,}",
             f"{'token coverage %':<24}{100 * b['token_coverage']:>14.1f}{100 * a['token_coverage']:>14.1f}",
             f"{'types':<24}{b['types']:>14,}{a['types']:>14,}",
             f"{'type coverage %':<24}{100 * b['type_coverage']:>14.1f}{100 * a['type_coverage']:>14.1f}"]
    for kind, n in sorted(a["by_fallback"].items(), key=lambda kv: -kv[1]):
        lines.append(f"{'  by ' + kind + ' %':<24}{'':>14}{100 * n / a['tokens']:>14.1f}")
    lines.append(f"most frequent untranslated words (of {len(report['untranslated']):,}):")
    lines += [f"  {count:>6}  {word}" for word, count in report["untranslated"][:report["top"]]]
    return "\n".join(lines)
