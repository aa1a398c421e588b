"""`lexaug synthesize`: word substitution, code-switching and morphology-aware substitution over a corpus."""

from __future__ import annotations

import sys

import click

from lexaug import defaults
from lexaug_cli.options import max_line_mb_option

FORMAT_NAMES = ("text", "jsonl", "conll", "conllu", "massive", "parquet", "tsv")


@click.command("synthesize")
@click.option("--lang", "langs", multiple=True, required=True,
              help="Target language (ISO 639-1/3 or BCP-47). Repeat for multi-target --mode codeswitch. With "
                   "--lexicon it is only a label (unknown codes get a warning); alone it selects cached resources.")
@click.option("--src-lang", default=defaults.SRC_LANG, show_default=True, help="Source language of the corpus.")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
              help="Bilingual lexicon file(s), source<TAB>target. Several files for one --lang are merged; "
                   "with several --lang, give one per language in the same order. Default: the catalog cache.")
@click.option("--unimorph", type=click.Path(file_okay=False),
              help="Folder in the unimorph layout DIR/<iso>/<iso> holding the source and target tables (--morph). "
                   "Default: the unimorph cache ($UNIMORPH).")
@click.option("--mode", type=click.Choice(["substitute", "codeswitch"]), default=defaults.SYNTH_MODE,
              show_default=True, help="substitute: every lexicon word (Wang et al. 2022); codeswitch: CoSDA-ML style.")
@click.option("--rate", type=float, default=None,
              help=f"Token replacement rate (default: substitute {defaults.SUBSTITUTE_RATE}, "
                   f"codeswitch {defaults.CODESWITCH_RATE}).")
@click.option("--sentence-rate", type=float, default=None,
              help=f"codeswitch: share of records that are switched (default {defaults.CODESWITCH_SENTENCE_RATE}).")
@click.option("--choose", type=click.Choice(["token", "sentence"]), default=defaults.CODESWITCH_CHOOSE,
              show_default=True, help="codeswitch with several --lang: pick the target per token or per sentence.")
@click.option("--min-replacements", type=int, default=defaults.MIN_REPLACEMENTS, show_default=True,
              help="substitute: drop records with fewer replaced words (Wang et al. 2022 used 3); counted as "
                   "filtered.")
@click.option("--morph", is_flag=True, help="Morphology-aware: analyse with the source UniMorph table, inflect "
                                            "the translated lemma with the target table.")
@click.option("--weighting", type=click.Choice(["uniform", "count"]), default=defaults.WEIGHTING,
              show_default=True, help="Choice among several translations of a word.")
@click.option("--format", "fmt_name", type=click.Choice(FORMAT_NAMES), default=None,
              help="Corpus format (default: from the input's extension).")
@click.option("--text-field", default=None, help=f"jsonl/parquet/tsv: the field or column holding the text "
                                                 f"(default {defaults.JSONL_FIELD!r}; in jsonl dots reach nested "
                                                 "keys).")
@click.option("--tokens-field", default=None, help="parquet: a list-of-strings column, one slot per token "
                                                   "(NER-style data; then --text-field is not used).")
@click.option("--labels-field", default=None, help="parquet: with --tokens-field, the parallel label column "
                                                   "(checked to have one label per token).")
@click.option("--keep-slot-values", is_flag=True, help="massive: leave the values inside [slot : value] as they are.")
@click.option("--input", "input_path", required=True, help="Input corpus (.gz/.zst read transparently), a .parquet file, a folder saved by datasets' "
                   "save_to_disk, or - for stdin.")
@click.option("--output", "output_path", required=True, help="Output corpus (.gz/.zst compressed), or - for stdout.")
@click.option("--manifest", "manifest_path", default=None,
              help=f"Where to write the run manifest (default: <output>{defaults.MANIFEST_SUFFIX}; for stdout "
                   f"./{defaults.STDOUT_MANIFEST}); - prints it on stdout (not with --output -). It may not name "
                   "an input or the output.")
@click.option("--workers", type=int, default=defaults.WORKERS, show_default=True,
              help="Worker processes (1 runs in-process). Output is identical for any value.")
@click.option("--chunk-records", type=int, default=defaults.CHUNK_RECORDS, show_default=True,
              help="Records per work unit handed to a worker.")
@click.option("--lid-model", type=click.Path(dir_okay=False), default=None,
              help="fastText language-ID model (lid.176 or GlotLID/NLLB labels): annotates each output record's "
                   "provenance with its language, and with --lid-keep/--lid-min-score cleans the input.")
@click.option("--lid-keep", multiple=True, help="With --lid-model: keep only input records identified as this "
                                                "language (repeatable; any code form).")
@click.option("--lid-min-score", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="With --lid-model: drop input records whose best language score is lower.")
@max_line_mb_option
@click.option("--seed", type=int, default=defaults.SEED, show_default=True, help="Random seed.")
@click.option("--generator", "generator_name", default=None,
              help="The generator version (default: the newest of the mode). --mode substitute: substitute.v3 "
                   "(substitute.v2 with look-alike letters in the lexicon's targets repaired: Ewe wᴐ -> wɔ), "
                   "substitute.v2 (source-side fallbacks: contractions, lemmas, spelling variants, hyphenated parts) "
                   "or substitute.v1; --mode codeswitch: codeswitch.v2 (look-alike letters repaired) or codeswitch.v1; "
                   "--morph: morph.v2 (the same) or morph.v1. Earlier versions give their earlier outputs, byte "
                   "for byte.")
@click.option("--samples", type=int, default=defaults.SAMPLES, show_default=True,
              help="K different draws of every record (ids <id>#<k>); 1 gives the output of a run without it.")
@click.option("--strict/--lenient", default=True, show_default=True,
              help="strict: a malformed record stops the run with file and line; lenient: skip and count it.")
@click.option("--lexicon-lenient", is_flag=True,
              help="Skip malformed rows of the lexicon(s) and UniMorph tables instead of stopping; the manifest "
                   "counts them per resource with the first messages. (--lenient applies to corpus records.)")
@click.option("--no-provenance", is_flag=True, help="Do not add the provenance object to JSONL/MASSIVE records (the struct column to Parquet).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when stderr is a tty).")
@click.option("--fetch", is_flag=True, help="Without --lexicon: download the catalog resources this run needs "
                                            "(lexicon, pivot legs, UniMorph tables). Never downloads without it.")
def synthesize(langs: tuple[str, ...], src_lang: str, lexicons: tuple[str, ...], unimorph: str | None, mode: str,
               rate: float | None, sentence_rate: float | None, choose: str, min_replacements: int, morph: bool, weighting: str,
               fmt_name: str | None, text_field: str | None, tokens_field: str | None, labels_field: str | None,
               keep_slot_values: bool, input_path: str,
               output_path: str, manifest_path: str | None, workers: int, chunk_records: int, seed: int,
               strict: bool, no_provenance: bool, progress: bool | None, lid_model: str | None,
               lid_keep: tuple[str, ...], lid_min_score: float, lexicon_lenient: bool,
               max_line_mb: float, fetch: bool,
               generator_name: str | None, samples: int) -> None:
    """Make synthetic target-language (or code-switched) text from a corpus and a bilingual lexicon.

    \b
    Example (offline, bundled samples):
      lexaug synthesize --lang spa --lexicon resources/samples/en_es.tsv \\
        --unimorph resources/samples/unimorph --morph \\
        --input resources/samples/english.txt --output english.spa.txt

    Writes the output corpus and a manifest (parameters, resource sha256, counts) beside it, and one summary
    line on stderr. Outputs are checked before any work and renamed into place only when complete: a failed
    or interrupted run (SIGTERM, SIGINT, SIGHUP) leaves neither; partial files left by a run killed with
    SIGKILL are removed by the next run of the same output.
    """
    import os

    # Parquet: Arrow's default mimalloc pool kept ~60 MB more resident on KJV and made the peak vary by up to ~10%
    # from run to run; the system allocator keeps it flat. Set before pyarrow loads; an explicit choice wins.
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    from lexaug.synthesis import SynthesisOptions, run_synthesis

    format_options: dict[str, object] = {}
    if text_field is not None:
        format_options["field"] = text_field
    if keep_slot_values:
        format_options["keep_slot_values"] = True
    for key, value in (("tokens_field", tokens_field), ("labels_field", labels_field)):
        if value is not None:  # parquet only: another format names the unknown option in its error
            format_options[key] = value
    options = SynthesisOptions(
        langs=langs, mode=mode, src_lang=src_lang, lexicons=lexicons, unimorph=unimorph, rate=rate,
        sentence_rate=sentence_rate, choose=choose, min_replacements=min_replacements, morph=morph, weighting=weighting, seed=seed,
        lid_model=lid_model, lid_keep=lid_keep, lid_min_score=lid_min_score, lexicon_lenient=lexicon_lenient,
        fetch=fetch,
        generator=generator_name, samples=samples,
    )
    show = sys.stderr.isatty() if progress is None else progress
    summary = run_synthesis(
        options, input_path, output_path, fmt=fmt_name, format_options=format_options, workers=workers,
        chunk_records=chunk_records, strict=strict, provenance=not no_provenance, manifest_path=manifest_path,
        progress=show, warn=lambda msg: click.echo(f"Warning: {msg}", err=True), max_line_mb=max_line_mb,
    )
    click.echo(summary, err=True)
