"""The `synthesize` run driver for text formats: every path checked before any work, input -> engine -> output
through hidden partial files, the manifest beside the output, and both renamed into place only when complete
(a signal stops the run cleanly: `lexaug.engines.signals`). Parquet and `datasets` input go to
`lexaug.engines.columnar`. `lexaug.synthesis` re-exports `run_synthesis`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from lexaug import defaults
from lexaug.errors import ConfigError, LexaugError
from lexaug.synthesis_manifest import default_manifest_path, manifest, provenance_base, summary_line

if TYPE_CHECKING:
    from lexaug.synthesis import SynthesisOptions


def _check_paths(options: SynthesisOptions, input_path: str, output_path: str, manifest_path: str | None,
                 manifest_file: str) -> None:
    """Every output checked before any work: writable folder, not a folder, not one of the inputs, not each
    other (see `lexaug.outputs`). Raises OutputError/LexaugError with one line naming the option."""
    from lexaug.outputs import check_distinct, check_output_path

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
    from lexaug.engines.local import run_local, worker_cap
    from lexaug.engines.progress import Progress
    from lexaug.engines.signals import stop_on_signals
    from lexaug.io import open_input, open_output
    from lexaug.outputs import OutputError, describe_os_error, is_special, partial_path, remove_stale_partials

    from lexaug.engines.columnar import run_columnar, wants_columnar
    from lexaug.synthesis import SynthesisJob, build, lid_step  # here: lexaug.synthesis re-exports this module

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

