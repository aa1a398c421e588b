"""`lexaug synthesize` as a library: options -> resources -> generator -> a job the engines run -> manifest.

`SynthesisOptions` holds what a user chose; `build(options)` resolves the resources (explicit files, or the
catalog cache when only `--lang` is given), loads them once and makes the generator; `SynthesisJob` parses,
generates and renders one chunk of raw input (so worker processes exchange strings only); `run_synthesis`
wires input, engine and output and returns the manifest it wrote beside the output.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
import time
from dataclasses import asdict, dataclass, field
from operator import add
from pathlib import Path
from typing import Any, Callable, cast

from lexaug import __version__, defaults
from lexaug.engines.local import ChunkResult, Totals, run_local
from lexaug.errors import ConfigError, FormatError, LexaugError, name_lenient_option
from lexaug.generators.fallbacks import coverage_figures
from lexaug.generators.samples import check_samples, expand_samples

MODES = ("substitute", "codeswitch")


@dataclass
class SynthesisOptions:
    """Everything a `synthesize` run depends on. `rate`/`sentence_rate` None mean the mode's default."""

    langs: tuple[str, ...]
    mode: str = defaults.SYNTH_MODE
    src_lang: str = defaults.SRC_LANG
    lexicons: tuple[str, ...] = ()
    unimorph: str | None = None
    rate: float | None = None
    sentence_rate: float | None = None
    min_replacements: int = defaults.MIN_REPLACEMENTS
    morph: bool = False
    weighting: str = defaults.WEIGHTING
    choose: str = defaults.CODESWITCH_CHOOSE
    seed: int = defaults.SEED
    lid_model: str | None = None  # fastText LID model: annotates output records with their language
    lid_keep: tuple[str, ...] = ()  # with lid_model: keep only input records identified as these languages
    lid_min_score: float = 0.0  # with lid_model: drop input records whose best LID score is lower
    lexicon_lenient: bool = False  # skip malformed lexicon/UniMorph rows (counted per resource in the manifest)
    fetch: bool = False  # without --lexicon: download the catalog resources the run needs (never without it)
    generator: str | None = None  # --mode substitute: the registered generator (None: defaults.SUBSTITUTE_GENERATOR)
    samples: int = 1  # --samples K: K draws of every record, ids <id>#<k> (lexaug.generators.samples)

    def effective_rate(self) -> float:
        if self.rate is not None:
            return self.rate
        return defaults.SUBSTITUTE_RATE if self.mode == "substitute" else defaults.CODESWITCH_RATE

    def effective_sentence_rate(self) -> float:
        if self.sentence_rate is not None:
            return self.sentence_rate
        return defaults.CODESWITCH_SENTENCE_RATE


@dataclass
class Resource:
    """One resource file a run used, for the manifest."""

    kind: str  # "lexicon" | "unimorph"
    lang: str
    path: str
    sha256: str
    content_sha256: str | None = None
    skipped: dict[str, int] | None = None  # with --lexicon-lenient: malformed rows skipped, by reason
    skipped_examples: list[str] | None = None  # ... and the first messages

    def as_dict(self) -> dict[str, Any]:
        """The manifest entry (the skip fields only when rows were skipped)."""
        return {k: v for k, v in asdict(self).items() if v is not None or k == "content_sha256"}


@dataclass
class Built:
    """A ready generator and what it was built from."""

    generator: Any
    resources: list[Resource] = field(default_factory=list)
    targets: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    lexicon_sha256: str = ""
    pivots: dict[str, str] = field(default_factory=dict)  # target -> pivot language of a composed lexicon


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _label(code: str, explicit: bool, warnings: list[str]) -> str:
    """Canonical ISO 639-3 for a known code; with explicit resources an unknown code is kept as a label."""
    from lexaug.langs import normalize

    try:
        return normalize(code).iso3
    except LexaugError:
        if not explicit:
            raise
        warnings.append(f"unknown language code {code!r}: used as a label only")
        return code


def _pair_lexicons(options: SynthesisOptions, targets: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(target, lexicon files) per target: all files for a single target, or one file per target in order."""
    if not options.lexicons:
        from lexaug.resolve import lexicon_for  # direct, or a pivot through English; fetched only with --fetch

        return [(t, [str(lexicon_for(options.src_lang, raw, fetch=options.fetch))])  # raw: keeps script/region
                for t, raw in zip(targets, options.langs)]
    if len(targets) == 1:
        return [(targets[0], list(options.lexicons))]
    if len(options.lexicons) != len(targets):
        raise ConfigError(f"{len(targets)} --lang values but {len(options.lexicons)} --lexicon files: give one "
                          "lexicon per language, in the same order")
    return [(t, [p]) for t, p in zip(targets, options.lexicons)]


def _tables(options: SynthesisOptions, src: str, tgt: str) -> tuple[Any, Any, list[Resource]]:
    """Source and target UniMorph tables for `--morph`, from `--unimorph DIR` or the unimorph cache."""
    from lexaug.loaders.unimorph import MorphTable

    found = []
    for lang in (src, tgt):
        if options.unimorph:
            folder = Path(options.unimorph) / lang
            paths = [folder / lang] if (folder / lang).is_file() else sorted(folder.glob(f"{lang}.[0-9]*"))
            if not paths:
                raise ConfigError(f"--unimorph {options.unimorph}: no table {folder / lang}; the folder must use "
                                  f"the unimorph layout DIR/<iso>/<iso> for both {src} and {tgt}")
        else:
            from lexaug.resolve import unimorph_for

            paths = unimorph_for(lang, fetch=options.fetch)
        found.append((lang, [str(p) for p in paths]))
    tables, resources = [], []
    for lang, files in found:
        try:
            table = MorphTable.read(files if len(files) > 1 else files[0], strict=not options.lexicon_lenient)
        except FormatError as err:
            raise name_lenient_option(err, "--lexicon-lenient") from None
        tables.append(table)
        st = table.stats()
        skipped = {k: v for k, v in st.get("skipped", {}).items() if v} or None
        for p in files:
            res = Resource("unimorph", lang, p, file_sha256(p), getattr(table, "sha256", None))
            if skipped:  # a table's counts cover all its files: reported on its first file
                res.skipped, res.skipped_examples, skipped = skipped, list(st.get("warnings", []))[:10], None
            resources.append(res)
    return tables[0], tables[1], resources


def build(options: SynthesisOptions) -> Built:
    """Resolve and load the resources of `options` and make the generator.

    Raises:
        ConfigError: contradictory options (several targets with substitute, lexicon count mismatch).
        ResourceError: a resource is neither given nor cached (the message names `lexaug resources fetch`).
    """
    from lexaug.generators import make_generator
    from lexaug.loaders.lexicon import Lexicon

    if options.mode not in MODES:
        raise ConfigError(f"--mode must be one of {', '.join(MODES)}, got {options.mode!r}")
    if not options.langs:
        raise ConfigError("give at least one --lang")
    explicit = bool(options.lexicons)
    warnings: list[str] = []
    src = _label(options.src_lang, explicit, warnings)
    targets = tuple(_label(code, explicit, warnings) for code in options.langs)
    if options.mode == "substitute" and len(targets) > 1:
        raise ConfigError("--mode substitute takes one --lang; use --mode codeswitch for several targets")
    if options.morph and len(targets) > 1:
        raise ConfigError("--morph takes one --lang")
    if options.morph and options.mode != "substitute":
        raise ConfigError(f"--morph works with --mode substitute only (--mode {options.mode} would ignore it); "
                          "drop --morph or use --mode substitute")
    if options.sentence_rate is not None and options.mode != "codeswitch":
        raise ConfigError(f"--sentence-rate applies to --mode codeswitch only (--mode {options.mode} would ignore "
                          "it); drop --sentence-rate or use --mode codeswitch")
    for name, value in (("--rate", options.effective_rate()), ("--sentence-rate", options.effective_sentence_rate())):
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{name} must be between 0 and 1, got {value}")
    if options.min_replacements < 0:
        raise ConfigError(f"--min-replacements must be >= 0, got {options.min_replacements}")

    resources: list[Resource] = []
    lexicons = {}
    for tgt, paths in _pair_lexicons(options, targets):
        for p in paths:
            if not Path(p).is_file():
                raise LexaugError(f"{p}: lexicon file not found; check the --lexicon path")
        try:
            lex = Lexicon.read(paths if len(paths) > 1 else paths[0], src_lang=None if explicit else src,
                               tgt_lang=None if explicit else tgt, weighting=options.weighting,
                               strict=not options.lexicon_lenient)
        except FormatError as err:
            raise name_lenient_option(err, "--lexicon-lenient") from None
        lexicons[tgt] = lex
        per_file = lex.stats().get("files", [])
        for k, p in enumerate(paths):
            res = Resource("lexicon", tgt, p, file_sha256(p), lex.sha256)
            counts = per_file[k] if k < len(per_file) else {}
            if counts.get("skipped"):
                res.skipped, res.skipped_examples = dict(counts["skipped"]), list(counts.get("messages", []))
            resources.append(res)

    if options.min_replacements and (options.mode != "substitute" or options.morph):
        raise ConfigError("--min-replacements applies to --mode substitute without --morph")
    params: dict[str, Any] = {"weighting": options.weighting, "src_lang": src}
    if options.mode == "codeswitch":
        name = "codeswitch"
        params.update(lexicons=[lexicons[t] for t in targets], langs=list(targets), rate=options.effective_rate(),
                      sentence_rate=options.effective_sentence_rate(), choose=options.choose)
    elif options.morph:
        name = "morph"
        src_table, tgt_table, morph_res = _tables(options, src, targets[0])
        resources += morph_res
        params.update(lexicon=lexicons[targets[0]], source_table=src_table, target_table=tgt_table)
    else:
        name = options.generator or defaults.SUBSTITUTE_GENERATOR
        if not name.startswith("substitute."):
            raise ConfigError(f"--generator must be a substitute generator (substitute.v1, substitute.v2), got {name!r}")
        params.update(lexicon=lexicons[targets[0]], min_replacements=options.min_replacements,
                      rate=options.effective_rate())
    if options.morph:
        params.update(rate=options.effective_rate())
    check_samples(options.samples)
    generator = make_generator(name, **params)
    lex_sha = lexicons[targets[0]].sha256 if len(targets) == 1 else hashlib.sha256(
        "".join(lexicons[t].sha256 for t in targets).encode()).hexdigest()
    from lexaug.pivot import pivot_of

    pivots = {r.lang: via for r in resources if r.kind == "lexicon" and (via := pivot_of(r.path))}
    return Built(generator, resources, targets, warnings, lex_sha, pivots)


@dataclass
class SynthesisJob:
    """One chunk of raw input -> parsed records -> generated records -> rendered text, with counts.

    Runs in worker processes: it holds the loaded generator (shared by fork or pickled once per worker) and
    returns only strings and integers.
    """

    fmt: Any
    generator: Any
    seed: int
    path: str
    strict: bool = True
    provenance: dict[str, Any] | None = None
    lid: Any = None  # a lexaug.filters.lid.LidStep, or None
    samples: int = 1  # K draws of every record (lexaug.generators.samples)

    def process(self, chunk: Any) -> ChunkResult:
        from lexaug.io import ReadReport
        from lexaug.io.base import as_chunk

        chunk = as_chunk(chunk)
        if self._plain_text(chunk):
            return self._process_lines(chunk)
        report = ReadReport()
        parts: list[str] = []
        render = self.fmt.render
        # text, CoNLL and CoNLL-U have no place for provenance: skip building a dict per record
        base = self.provenance if hasattr(self.fmt, "provenance_key") else None
        records = self.fmt.parse(chunk, path=self.path, strict=self.strict, report=report)
        generator = self.generator
        stats: Counter[str]
        generator.stats = stats = Counter()  # this chunk's counts only; the engine adds chunks up
        track_untranslated(generator)
        lid = self.lid
        if lid is not None and lid.filters:
            records = lid.clean(records, stats)
        if self.samples > 1:
            records = expand_samples(records, self.samples)
        outputs = generator.run(records, self.seed)
        if lid is not None:
            outputs = lid.annotate(outputs, stats)
        unwritable = ReadReport()  # records the format cannot write (e.g. a MASSIVE slot holding a bracket)
        if base is None:
            outputs = list(outputs)
            try:
                parts = list(map(render, outputs))  # no per-record provenance: the loop runs in C
            except FormatError:
                parts = self._render_each(outputs, None, unwritable)
        else:
            parts = self._render_each(outputs, base, unwritable)
        notes = getattr(self.fmt, "notes", None)  # what the writer did besides writing (e.g. CoNLL-U `# text`)
        if notes:
            stats.update(notes)
            notes.clear()
        counts = {"records_in": report.read + report.total_skipped, "records_read": report.read,
                  "records_out": len(parts)}
        report.merge(unwritable)
        for reason, n in report.skipped.items():
            counts[f"skipped:{reason}"] = n
        return ChunkResult("".join(parts), counts, stats=stats, errors=list(report.errors),
                           untranslated=take_untranslated(generator))

    def _render_each(self, outputs: Any, base: dict[str, Any] | None, unwritable: Any) -> list[str]:
        """Render record by record: a record the format cannot write is a FormatError naming the input file
        and the record's line (one-record-per-line formats) or sentence; lenient runs skip and count it."""
        from lexaug.io.base import Format

        parts: list[str] = []
        render = self.fmt.render
        by_line = type(self.fmt).split_records is Format.split_records
        for record in outputs:
            prov = None
            if base is not None:
                prov = {**base, "source_id": record.id}
                if "lid" in record.meta:
                    prov["lid"] = record.meta["lid"]
            try:
                parts.append(render(record, prov))
            except FormatError as err:
                index = int(record.id) if record.id.isdecimal() else -1
                line = index + 1 if by_line and index >= 0 else None
                where = "" if by_line or index < 0 else f"sentence {index + 1}: "
                error = FormatError(self.path, line, f"{where}cannot write the rewritten record: {err.detail}; "
                                    "fix the lexicon entry, or run with --lenient to skip such records",
                                    reason="unwritable")
                if self.strict:
                    raise error from None
                unwritable.skip(error)
        return parts

    def _plain_text(self, chunk: Any) -> bool:
        """True when the chunk can skip records: text lines, all decodable, a generator with `run_texts`, no
        LID step (which reads and annotates records)."""
        from lexaug.io.streams import has_undecodable
        from lexaug.io.text import TextFormat

        return (isinstance(self.fmt, TextFormat) and self.lid is None and hasattr(self.generator, "run_texts")
                and self.samples == 1
                and not has_undecodable(chunk.text))

    def _process_lines(self, chunk: Any) -> ChunkResult:
        """`process` for plain text: lines in, rewritten lines out, the same bytes and counts as through
        records (tested), a third less work per line."""
        contents, ends = self.fmt.lines(chunk)
        first, n = chunk.first_index, len(contents)
        generator = self.generator
        stats: Counter[str] = Counter()
        generator.stats = stats
        track_untranslated(generator)
        ids = list(map(str, range(first, first + n)))
        if hasattr(generator, "run_lines") and ends.count("\n") == n:  # every line ends in "\n"
            text, n_out = generator.run_lines(ids, contents, self.seed)  # joined by the generator (faster)
        else:
            outs = generator.run_texts(ids, contents, self.seed)
            if None in outs:  # filtered records (e.g. --min-replacements)
                kept = [(out, end) for out, end in zip(outs, ends) if out is not None]
                text, n_out = "".join([out + end for out, end in kept]), len(kept)
            else:
                text, n_out = "".join(map(add, outs, ends)), n
        return ChunkResult(text, {"records_in": n, "records_read": n, "records_out": n_out}, stats=stats,
                           untranslated=take_untranslated(generator))


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


def lid_step(options: SynthesisOptions) -> Any:
    """The language-identification step of a run (`--lid-model`), or None; checks the model loads."""
    if options.lid_model is None:
        if options.lid_keep or options.lid_min_score:
            raise ConfigError("--lid-keep and --lid-min-score need --lid-model PATH (a fastText LID model)")
        return None
    from lexaug.filters.lid import LidStep

    step = LidStep(options.lid_model, tuple(options.lid_keep), options.lid_min_score)
    step.identifier  # load once here, so a bad path fails before any output is written
    return step


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


def _check_paths(options: SynthesisOptions, input_path: str, output_path: str, manifest_path: str | None,
                 manifest_file: str) -> None:
    """Every output checked before any work: writable folder, not a folder, not one of the inputs, not each
    other (see `lexaug.outputs`). Raises OutputError/LexaugError with one line naming the option."""
    from lexaug.outputs import check_distinct, check_output_path

    import sys

    if input_path == "-" and sys.stdin is None:
        raise LexaugError("-: --input - reads stdin, which is closed; give --input FILE or redirect stdin")
    for option, path in (("--output", output_path), ("--manifest", manifest_path)):
        if path == "-" and sys.stdout is None:
            raise LexaugError(f"-: {option} - writes to stdout, which is closed; give {option} FILE or redirect "
                              "stdout")
    if input_path != "-":  # a file, or a pipe such as bash's <(zcat corpus.gz)
        from lexaug.io.parquet import is_datasets_dir

        if Path(input_path).is_dir() and not is_datasets_dir(input_path):
            raise LexaugError(f"{input_path}: --input is a directory; give a corpus file or a folder saved by "
                              "datasets' save_to_disk")
        if not Path(input_path).exists():
            raise LexaugError(f"{input_path}: input file not found; check the --input path")
    inputs: list[tuple[str, str]] = [("--input", input_path)] if input_path != "-" else []
    inputs += [("--lexicon", p) for p in options.lexicons]
    if options.lid_model:
        inputs.append(("--lid-model", options.lid_model))
    check_output_path(output_path, "--output", inputs)
    check_distinct({"--output": output_path, "--manifest": manifest_path or manifest_file})
    if manifest_path != "-":
        check_output_path(manifest_file, "--manifest", [*inputs, ("--output", output_path)])


def _make_format(fmt: str | None, input_path: str, format_options: dict[str, Any]) -> Any:
    """The corpus format; a format option the format does not take is an error naming the CLI option
    (`lexaug.io.get_format`)."""
    from lexaug.io import format_for_path, get_format

    return get_format(fmt, **format_options) if fmt else format_for_path(input_path, **format_options)


class _OutputFailed(Exception):
    """A write to the output failed (disk full, closed pipe ...): carries the OSError."""

    def __init__(self, err: OSError):
        super().__init__(str(err))
        self.err = err


def _guard(write: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`write` with its OSErrors marked as the output's (reads fail with their own errors)."""
    def guarded(data: Any) -> Any:
        try:
            return write(data)
        except OSError as err:
            raise _OutputFailed(err) from None
    return guarded


def run_synthesis(options: SynthesisOptions, input_path: str, output_path: str, *, fmt: str | None = None,
                  format_options: dict[str, Any] | None = None, workers: int = defaults.WORKERS,
                  chunk_records: int = defaults.CHUNK_RECORDS, strict: bool = True, provenance: bool = True,
                  manifest_path: str | None = None, progress: bool = False,
                  warn: Callable[[str], Any] | None = None, max_line_mb: float | None = None) -> str:
    """Run `synthesize` end to end with the local engine; returns the one-line summary.

    Outputs are checked before any work (`lexaug.outputs`). The output and the manifest are written to hidden
    partial files and renamed into place only when both are complete, so a failed or interrupted run
    (SIGTERM, SIGINT, SIGHUP: `Interrupted`) leaves neither; partial files of earlier runs killed with SIGKILL
    are removed first. `manifest_path` "-" prints the manifest on stdout (not with `output_path` "-").

    Raises:
        LexaugError: bad input, options or resources, or a write that failed (one line naming the path).
        Interrupted: a signal stopped the run (after the clean-up).
        BrokenPipeError: stdout was closed by its reader (e.g. `| head`); the CLI ends quietly.
    """
    from lexaug.engines.local import worker_cap
    from lexaug.engines.progress import Progress
    from lexaug.engines.signals import stop_on_signals
    from lexaug.io import open_input, open_output
    from lexaug.outputs import OutputError, describe_os_error, is_special, partial_path, remove_stale_partials

    from lexaug.engines.columnar import run_columnar, wants_columnar

    start = time.perf_counter()
    say = warn or (lambda m: None)
    manifest_file = manifest_path or default_manifest_path(output_path)
    _check_paths(options, input_path, output_path, manifest_path, manifest_file)
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}")
    if chunk_records < 1:
        raise ConfigError(f"--chunk-records must be at least 1, got {chunk_records}")
    if wants_columnar(input_path, fmt) and options.samples > 1:
        raise ConfigError("--samples is not supported for Parquet or datasets input yet; use JSONL (or map with "
                          "lexaug.hf once per sample seed)")
    if wants_columnar(input_path, fmt):  # Parquet or a `datasets` folder: batches of rows, written as Parquet
        return run_columnar(options, input_path, output_path, format_options=format_options, workers=worker_cap(workers),
                            chunk_records=chunk_records, strict=strict, provenance=provenance,
                            manifest_path=manifest_path, warn=warn)
    form = _make_format(fmt, input_path, format_options or {})
    built = build(options)
    for message in built.warnings:
        say(message)
    name = "<stdin>" if input_path == "-" else input_path
    job = SynthesisJob(form, built.generator, options.seed, name, strict,
                       provenance_base(options, built) if provenance else None, lid_step(options),
                       samples=options.samples)
    used = worker_cap(workers)
    if used < workers:
        say(f"--workers {workers} capped at {used} ({os.cpu_count() or 1} cores); workers are also started only "
            "as there are chunks for them")
    size = Path(input_path).stat().st_size if input_path != "-" and Path(input_path).is_file() else None
    bar = Progress(size, enabled=progress)
    direct = is_special(output_path)  # stdout, /dev/null: written as it comes, no rename
    target = output_path if direct else str(partial_path(output_path))
    man_tmp = None if manifest_file == "-" or is_special(manifest_file) else partial_path(manifest_file)
    for path in (output_path, manifest_file):
        remove_stale_partials(path)
    try:
        with stop_on_signals() as stopper:
            try:
                with open_input(input_path, errors="strict" if strict else "surrogateescape",
                                max_line_mb=max_line_mb) as fin, \
                        open_output(target) as fout:
                    raw = getattr(fout, "buffer", None)  # the byte stream under the text stream, if any
                    totals = run_local(job, form.chunks(fin, chunk_records), _guard(fout.write), workers=used,
                                       progress=bar.update,
                                       write_bytes=_guard(raw.write) if raw is not None else None)
            except _OutputFailed as failed:
                if isinstance(failed.err, BrokenPipeError):
                    raise failed.err from None
                raise OutputError(describe_os_error(failed.err, output_path)
                                  + ("" if direct else "; nothing was written")) from None
            except OSError as err:  # opening, or flushing on close
                if isinstance(err, BrokenPipeError) or err.filename not in (None, target):
                    raise
                raise OutputError(describe_os_error(err, output_path)
                                  + ("" if direct else "; nothing was written")) from None
            elapsed = time.perf_counter() - start
            data = manifest(options, built, totals, input_path=input_path, output_path=output_path, fmt=form,
                            format_options=format_options or {}, workers=totals.workers_used,
                            chunk_records=chunk_records, strict=strict, provenance=provenance, elapsed=elapsed,
                            chars=bar.chars, workers_requested=workers)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            if man_tmp is not None:
                try:
                    with open(man_tmp, "w", encoding="utf-8") as fh:
                        fh.write(text)
                        fh.flush()
                        os.fsync(fh.fileno())
                except OSError as err:
                    raise OutputError(describe_os_error(err, manifest_file) + "; the run failed and wrote "
                                      "nothing" + (" else" if direct else "")) from None
            with stopper.commit():  # both files or neither: a signal from now on is ignored
                if not direct:
                    os.replace(target, output_path)
                if man_tmp is not None:
                    os.replace(man_tmp, manifest_file)
            if manifest_file == "-":
                import sys

                sys.stdout.write(text)
                sys.stdout.flush()
            elif man_tmp is None:  # a special file, e.g. /dev/stderr
                from lexaug.outputs import write_atomic

                write_atomic(manifest_file, text.encode("utf-8"), "manifest")
    finally:
        bar.close()
        for leftover in (None if direct else target, man_tmp):
            if leftover is not None and os.path.exists(leftover):
                os.remove(leftover)
    return summary_line(data, output_path, manifest_file)


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
