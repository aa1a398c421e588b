"""`lexaug lexicon stats PATH...`: read bilingual lexicon files and report what was read and skipped."""

from __future__ import annotations

import json

import click

from lexaug import defaults


@click.group("lexicon")
def lexicon() -> None:
    """Bilingual lexicons (GATITOS, MUSE, PanLex extracts): inspect how they load."""


@lexicon.command("stats")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--sep", type=click.Choice(["tab", "space"]), default=None,
              help="Column separator (default: sniffed per file, TAB if the file has any).")
@click.option("--strict/--lenient", default=defaults.LEXICON_STRICT,
              help="Stop at the first malformed row (default) or skip such rows and count them.")
@click.option("--strip-annotations", is_flag=True, default=defaults.LEXICON_STRIP_ANNOTATIONS,
              help="Remove parenthetical annotations: 'adrese (verb)' -> 'adrese', 'abzorb(e)' -> 'abzorb'.")
@click.option("--max-target-words", type=click.IntRange(min=1), default=defaults.LEXICON_MAX_TARGET_WORDS,
              metavar="N", help="Drop definition-like targets of more than N words.")
@click.option("--reverse", is_flag=True, help="Read target -> source.")
@click.option("--extra-columns", type=click.Choice(["error", "ignore"]), default=defaults.LEXICON_EXTRA_COLUMNS,
              help="Rows with 3+ tab-separated columns: an error, or use the first two.")
@click.option("--src-lang", default=None, help="Source language code (default: from the file names).")
@click.option("--tgt-lang", default=None, help="Target language code (default: from the file names).")
@click.option("--json", "as_json", is_flag=True, help="Print the full stats as JSON.")
def stats(paths: tuple[str, ...], sep: str | None, strict: bool, strip_annotations: bool,
          max_target_words: int | None, reverse: bool, extra_columns: str, src_lang: str | None,
          tgt_lang: str | None, as_json: bool) -> None:
    """Load PATH... as one merged lexicon and print its counts (per file, then in total) and the look-alike
    letters in its targets that substitute.v3 repairs."""
    from lexaug.errors import FormatError, name_lenient_option
    from lexaug.loaders.lexicon import Lexicon

    try:
        lex = Lexicon.read(list(paths), src_lang=src_lang, tgt_lang=tgt_lang, sep=sep, strict=strict,
                           strip_annotations=strip_annotations, max_target_words=max_target_words,
                           reverse=reverse, extra_columns=extra_columns)
    except FormatError as err:
        raise name_lenient_option(err, "--lenient") from None
    st = lex.stats()
    from lexaug.generators.lookalikes import LookalikeLexicon

    repaired = LookalikeLexicon(lex)
    st["lookalikes"] = repaired.summary()
    if as_json:
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    click.echo(_table(st["files"]))
    click.echo("")
    for label, value in _summary(st):
        click.echo(f"{label:<26}{value}")


def _skipped(skipped: dict[str, int]) -> str:
    return ", ".join(f"{reason}={n}" for reason, n in skipped.items()) or "-"


def _table(files: list[dict]) -> str:
    header = ("file", "sep", "lines", "blank", "rows", "skipped", "sha256")
    rows = [(f["path"], f["sep"], str(f["lines"]), str(f["blank_lines"]), str(f["rows_read"]),
             _skipped(f["skipped"]), f["sha256"][:12]) for f in files]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in [header, *rows])


def _lookalikes(info: dict) -> str:
    if not info["targets_fixed"]:
        return "none"
    letters = ", ".join(f"{pair} {n}" for pair, n in info["letters"].items())
    return f"{info['targets_fixed']} targets ({letters}; substitute.v3 repairs them)"


def _summary(st: dict) -> list[tuple[str, str]]:
    tph = st["translations_per_headword"]
    return [
        ("languages", f"{st['src_lang'] or '?'} -> {st['tgt_lang'] or '?'}"),
        ("files", str(len(st["files"]))),
        ("rows read", str(st["rows_read"])),
        ("blank lines", str(st["blank_lines"])),
        ("rows skipped", _skipped(st["skipped"])),
        ("headwords", str(st["headwords"])),
        ("pairs", str(st["pairs"])),
        ("duplicate rows", str(st["duplicate_rows"])),
        ("translations/headword", f"mean {tph['mean']:.3f}, max {tph['max']}"),
        ("multiword sources", f"{st['multiword_headwords']} ({st['multiword_source_share']:.1%})"),
        ("multiword targets", f"{st['multiword_targets']} ({st['multiword_target_share']:.1%})"),
        ("max source words", str(st["max_source_words"])),
        ("annotations stripped", str(st["annotations_stripped"])),
        ("definition-like dropped", str(st["definition_like_dropped"])),
        ("look-alike letters", _lookalikes(st["lookalikes"])),
        ("sha256", st["sha256"]),
    ]


@lexicon.command("pivot")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The composed A->B lexicon.")
@click.option("--src-lang", default=None, help="With --lang and no PATHS: source language, from the cache.")
@click.option("--lang", "tgt_lang", default=None, help="With --src-lang and no PATHS: target language.")
@click.option("--via", default="eng", show_default=True, help="Pivot language (with --src-lang/--lang).")
@click.option("--fetch", is_flag=True, help="With --src-lang/--lang: download the two legs when not cached.")
@click.option("--strict/--lenient", default=defaults.LEXICON_STRICT,
              help="Stop at the first malformed row of either input (default) or skip such rows and count them.")
def pivot(paths: tuple[str, ...], output: str, src_lang: str | None, tgt_lang: str | None, via: str,
          fetch: bool, strict: bool) -> None:
    """Compose A_to_pivot.tsv and pivot_to_B.tsv into an A->B lexicon; a pair reached through several pivot
    words is written as often as its weight, so `--weighting count` reads the weights back.

    \b
      lexaug lexicon pivot bjn_en.tsv en_wo.tsv -o bjn_wo.tsv
      lexaug lexicon pivot --src-lang bjn --lang wol --via eng -o bjn_wo.tsv
    """
    from lexaug.errors import ConfigError, FormatError, name_lenient_option
    from lexaug.outputs import check_output_path
    from lexaug.pivot import compose

    if paths:
        if len(paths) != 2 or src_lang or tgt_lang:
            raise ConfigError("give two files (A_to_pivot PIVOT_to_B), or --src-lang and --lang without files")
        a, b = paths
    else:
        if not (src_lang and tgt_lang):
            raise ConfigError("give two files (A_to_pivot PIVOT_to_B), or --src-lang and --lang")
        from lexaug import catalog as cat

        catalog = cat.Catalog.load()
        legs = []
        for x, y in ((src_lang, via), (via, tgt_lang)):
            if fetch:
                s, t = catalog.resolve_tag(x, "lexicon"), catalog.resolve_tag(y, "lexicon")
                entries = cat.lexicon_entries(s, t, catalog)
                if entries and not any(e.is_cached() for e in entries):
                    cat.fetch_entry(entries[0])
            legs.append(str(cat.resolve_lexicon(x, y, catalog=catalog)))
        a, b = legs
    check_output_path(output, "--output", [("the A_to_pivot file", a), ("the PIVOT_to_B file", b)])
    try:
        st = compose(a, b, output, strict=strict)
    except FormatError as err:
        raise name_lenient_option(err, "--lenient") from None
    click.echo(f"{output}: {st.sources} source words, {st.pairs} pairs, {st.rows} rows (weights as repeats); "
               f"{st.pivot_words_unmatched} pivot words without a translation, {st.skipped_rows} input rows skipped",
               err=True)


@lexicon.command("coverage")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--lexicon", "lexicon_paths", multiple=True, required=True, type=click.Path(dir_okay=False),
              help="Bilingual lexicon file(s), source<TAB>target (several are merged).")
@click.option("--src-lang", default=defaults.SRC_LANG, show_default=True,
              help="Source language of the corpus (selects contractions, lemmas and spelling rules).")
@click.option("--column", default=None, help="TSV corpora: the header column holding the text (SIB-200: text). "
                                             "Default: every line is one text.")
@click.option("--top", type=click.IntRange(min=0), default=20, show_default=True,
              help="Untranslated words shown in the table.")
@click.option("--missing-tsv", type=click.Path(dir_okay=False), default=None,
              help="Write every untranslated word as word<TAB>count<TAB> (most frequent first), for a speaker to "
                   "fill in the translation.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--strict/--lenient", default=defaults.LEXICON_STRICT,
              help="Stop at the first malformed lexicon row, undecodable corpus line or TSV row with another "
                   "number of cells than its header (default), or skip such rows and count them.")
def coverage(corpora: tuple[str, ...], lexicon_paths: tuple[str, ...], src_lang: str, column: str | None,
             top: int, missing_tsv: str | None, as_json: bool, strict: bool) -> None:
    """Token and type coverage of CORPUS... by a lexicon, before and after substitute.v2's fallbacks, and the
    most frequent untranslated words."""
    from pathlib import Path

    from lexaug.errors import FormatError, LexaugError, name_lenient_option
    from lexaug.generators.coverage import coverage_report, format_coverage
    from lexaug.loaders.lexicon import Lexicon
    from lexaug.outputs import check_output_path, write_atomic

    for path in (*lexicon_paths, *corpora):
        if not Path(path).is_file():
            raise LexaugError(f"{path}: file not found; check the path")
    if missing_tsv is not None:
        check_output_path(missing_tsv, "--missing-tsv", [("a corpus", c) for c in corpora] +
                          [("a --lexicon file", lx) for lx in lexicon_paths])
    try:
        lex = Lexicon.read(list(lexicon_paths) if len(lexicon_paths) > 1 else lexicon_paths[0], src_lang=src_lang,
                           strict=strict)
        texts: list[str] = []
        skipped_lines = 0
        for path in corpora:
            lines, skipped = _corpus_texts(path, column, strict)
            texts += lines
            skipped_lines += skipped
    except FormatError as err:
        raise name_lenient_option(err, "--lenient") from None
    report = coverage_report(lex, texts, src_lang=src_lang, top=top)
    report["skipped"] = {"corpus_lines": skipped_lines, "lexicon_rows": sum(lex.stats()["skipped"].values())}
    if missing_tsv is not None:
        rows = "".join(f"{word}\t{count}\t\n" for word, count in report["untranslated"])
        write_atomic(missing_tsv, rows.encode("utf-8"), "--missing-tsv")
    if as_json:
        click.echo(json.dumps({**report, "untranslated": report["untranslated"][:top]}, indent=2,
                              ensure_ascii=False))
    else:
        click.echo(format_coverage(report))
        if any(report["skipped"].values()):
            click.echo(f"skipped: {report['skipped']['lexicon_rows']} lexicon rows, "
                       f"{report['skipped']['corpus_lines']} corpus lines (--lenient)", err=True)


def _corpus_texts(path: str, column: str | None, strict: bool) -> tuple[list[str], int]:
    """The texts of one corpus (every line, or the `column` cell of each row of a TSV table with a header: the
    `tsv` format) and how many lines were skipped (malformed or undecodable; only when not `strict`)."""
    from lexaug.errors import ConfigError
    from lexaug.io import ReadReport, get_format, read_records

    report = ReadReport()
    fmt = get_format("tsv", field=column) if column is not None else get_format("text")
    try:
        texts = [slot for record in read_records(path, fmt, strict=strict, report=report) for slot in record.slots]
    except ConfigError as err:  # a header without the column: the format names synthesize's --text-field
        raise ConfigError(str(err).replace("--text-field", "--column")) from None
    return texts, report.total_skipped
