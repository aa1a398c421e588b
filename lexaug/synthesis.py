"""`lexaug synthesize` as a library: options -> resources -> generator -> a job the engines run.

`SynthesisOptions` holds what a user chose; `build(options)` resolves the resources (explicit files, or the
catalog cache when only `--lang` is given), loads them once and makes the generator; `SynthesisJob` parses,
generates and renders one chunk of raw input (so worker processes exchange strings only).

The run driver (`run_synthesis`: paths checked, input -> engine -> output, signals) lives in
`lexaug.synthesis_run`; the provenance, the manifest and its untranslated-word figures in
`lexaug.synthesis_manifest`. Both are re-exported here, so `from lexaug.synthesis import run_synthesis` works.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from operator import add
from pathlib import Path
from typing import Any

from lexaug import defaults
from lexaug.download import sha256_file as file_sha256  # the name callers used before the helpers were folded
from lexaug.engines.local import ChunkResult
from lexaug.errors import ConfigError, FormatError, LexaugError, name_lenient_option
from lexaug.generators.samples import check_samples, expand_samples
from lexaug.synthesis_manifest import (default_manifest_path, manifest, provenance_base, summary_line,
                                       take_untranslated, track_untranslated, untranslated_figures)
from lexaug.synthesis_run import run_synthesis

__all__ = ["MODES", "SynthesisOptions", "Resource", "Built", "build", "SynthesisJob", "lid_step", "file_sha256",
           "run_synthesis", "manifest", "provenance_base", "default_manifest_path", "summary_line",
           "track_untranslated", "take_untranslated", "untranslated_figures"]

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
    generator: str | None = None  # a registered generator of the mode (None: `generator_name`'s default)
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


def _label(code: str, explicit: bool, warnings: list[str]) -> str:
    """Canonical ISO 639-3 for a known code; with explicit resources an unknown code is kept as a label."""
    from lexaug.langs import normalize

    try:
        return normalize(code).iso3
    except LexaugError as err:
        if not explicit:  # a command reading a lexicon can take an unknown code as a label: say how
            raise LexaugError(f"{err}, or give --lexicon FILE to use the code as a label only") from None
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


def generator_name(options: SynthesisOptions) -> str:
    """The generator `build` makes: `options.generator`, which must belong to the mode (substitute.vN,
    codeswitch.vN, or morph.vN with --morph), else the mode's default (`defaults.*_GENERATOR`)."""
    family, default = (("codeswitch", defaults.CODESWITCH_GENERATOR) if options.mode == "codeswitch" else
                       ("morph", defaults.MORPH_GENERATOR) if options.morph else
                       ("substitute", defaults.SUBSTITUTE_GENERATOR))
    from lexaug.generators import available

    name = default if options.generator is None else options.generator
    if name.rsplit(".", 1)[0] != family or name not in available():
        choices = ", ".join(sorted((n for n in available() if n.rsplit(".", 1)[0] == family), reverse=True))
        where = "--morph" if family == "morph" else f"--mode {options.mode}"
        raise ConfigError(f"--generator {name}: {where} takes {choices}")
    return name


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
    name = generator_name(options)  # before any resource is loaded
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
    for option, value in (("--rate", options.effective_rate()), ("--sentence-rate", options.effective_sentence_rate())):
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{option} must be between 0 and 1, got {value}")
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
        params.update(lexicons=[lexicons[t] for t in targets], langs=list(targets), rate=options.effective_rate(),
                      sentence_rate=options.effective_sentence_rate(), choose=options.choose)
    elif options.morph:
        src_table, tgt_table, morph_res = _tables(options, src, targets[0])
        resources += morph_res
        params.update(lexicon=lexicons[targets[0]], source_table=src_table, target_table=tgt_table)
    else:
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
