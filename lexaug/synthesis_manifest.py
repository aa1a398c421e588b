"""What a `synthesize` run reports: the provenance every output record carries, the manifest written beside the
output, its `untranslated` block (and the per-chunk counting behind it), and the one-line summary.

Used by `lexaug.synthesis_run` (text formats), `lexaug.engines.columnar` (Parquet, `datasets`) and
`lexaug.hf`; `lexaug.synthesis` re-exports every public name.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

from lexaug import __version__, defaults
from lexaug.generators.fallbacks import coverage_figures

if TYPE_CHECKING:
    from lexaug.engines.local import Totals
    from lexaug.synthesis import Built, SynthesisOptions


def provenance_base(options: SynthesisOptions, built: Built) -> dict[str, Any]:
    """The provenance every output record carries (the engine adds `source_id`)."""
    prov: dict[str, Any] = {
        "lang": built.targets[0] if len(built.targets) == 1 else list(built.targets),
        "mode": "morph" if options.morph else options.mode,
        "generator": built.generator.name,
        "rate": options.effective_rate(),
    }
    if options.samples > 1:
        prov["samples"] = options.samples
    if options.mode == "codeswitch":
        prov["sentence_rate"] = options.effective_sentence_rate()
    prov.update(lexicon_sha256=built.lexicon_sha256, seed=options.seed)
    if built.pivots:
        prov["pivot"] = next(iter(built.pivots.values())) if len(built.pivots) == 1 else dict(built.pivots)
    return prov



def default_manifest_path(output: str) -> str:
    """`<output>.manifest.json`, or `defaults.STDOUT_MANIFEST` in the working directory for stdout and for a
    special file such as /dev/null (whose folder is no place for a manifest)."""
    from lexaug.outputs import is_special

    return defaults.STDOUT_MANIFEST if is_special(output) else output + defaults.MANIFEST_SUFFIX



def manifest(options: SynthesisOptions, built: Built, totals: Totals, *, input_path: str, output_path: str,
             fmt: Any, format_options: dict[str, Any], workers: int, chunk_records: int, strict: bool,
             provenance: bool, elapsed: float, chars: int, workers_requested: int | None = None) -> dict[str, Any]:
    """The run's manifest: generator signature and parameters, resources with sha256 (and, read leniently, the
    rows skipped), lexaug version, seed, engine settings (`workers`: processes that did the work;
    `workers_requested` when --workers asked for more) and counts (records in = out + filtered + skipped; tokens, replaced, coverage)."""
    gen = built.generator
    counts = dict(totals.counts)
    skipped = {k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("skipped:")}
    stats = totals.stats
    tokens, replaced = stats.get("tokens", 0), stats.get("replaced", 0)
    return {
        "lexaug_version": __version__,
        "command": "synthesize",
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "generator": gen.signature(),
        "options": {**asdict(options), "langs": list(options.langs), "lexicons": list(options.lexicons),
                    "targets": list(built.targets), "rate": options.effective_rate(),
                    "sentence_rate": options.effective_sentence_rate()},
        "seed": options.seed,
        "resources": [r.as_dict() for r in built.resources],
        **({"pivot": next(iter(built.pivots.values())) if len(built.pivots) == 1 else dict(built.pivots)}
           if built.pivots else {}),
        "input": {"path": input_path, "format": fmt.name, "format_options": format_options, "strict": strict},
        "output": {"path": output_path, "provenance": provenance},
        "engine": {"name": "local", "workers": workers, "chunk_records": chunk_records,
                   **({"workers_requested": workers_requested}
                      if workers_requested is not None and workers_requested != workers else {})},
        "counts": {
            "records_in": counts.get("records_in", 0),
            "records_out": counts.get("records_out", 0),
            "records_filtered": stats.get("records_filtered", 0),
            "records_skipped": sum(skipped.values()),
            "skipped": skipped,
            "tokens": tokens,
            "replaced": replaced,
            "coverage": round(replaced / tokens, 6) if tokens else 0.0,
            **coverage_figures(stats, getattr(gen, "fallbacks", None)),
            **({"untranslated": untranslated_figures(totals)} if hasattr(gen, "take_untranslated") else {}),
        },
        "generator_stats": dict(sorted(stats.items())),
        "skipped_examples": totals.errors,
        "warnings": built.warnings,
        "elapsed_s": round(elapsed, 3),
        "input_chars": chars,
    }


def summary_line(data: dict[str, Any], output_path: str, manifest_file: str) -> str:
    """One line for stderr: counts, coverage, speed, where the output and the manifest went."""
    c = data["counts"]
    secs = data["elapsed_s"]
    speed = data["input_chars"] / 1e6 / secs if secs > 0 else 0.0
    return (f"synthesize: {c['records_in']:,} records in, {c['records_out']:,} out, {c['records_filtered']:,} "
            f"filtered, {c['records_skipped']:,} skipped; {c['replaced']:,}/{c['tokens']:,} words replaced "
            f"({100 * c['coverage']:.1f}%); {secs:.1f} s, {speed:.1f} MB/s -> "
            f"{'stdout' if output_path == '-' else output_path} (manifest {manifest_file})")


def track_untranslated(generator: Any) -> None:
    """Start counting the untranslated words of a chunk (generators with `take_untranslated` only)."""
    if hasattr(generator, "take_untranslated"):
        generator.untranslated = Counter()


def take_untranslated(generator: Any) -> tuple[dict[str, int], bool] | None:
    """The chunk's untranslated words and whether some were left out (see `Substitute.take_untranslated`);
    counting stops until the next `track_untranslated`. None for generators that do not count them."""
    if not hasattr(generator, "take_untranslated"):
        return None
    out = generator.take_untranslated()
    generator.untranslated = None
    return cast("tuple[dict[str, int], bool]", out)


def untranslated_figures(totals: Totals, top: int = defaults.UNTRANSLATED_TOP) -> dict[str, Any]:
    """The manifest's `untranslated` block: the `top` most frequent untranslated words (lookup keys, ties by
    word) with their counts, how many distinct words were tracked, and whether the counts are exact (False when
    a chunk had more than `defaults.UNTRANSLATED_PER_CHUNK` distinct untranslated words or the run more than
    `defaults.UNTRANSLATED_TRACKED`: then counts are lower bounds and rare words may be missing)."""
    ranked = sorted(totals.untranslated.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return {"top": [[word, n] for word, n in ranked], "distinct": len(totals.untranslated),
            "exact": totals.untranslated_exact}

