"""`lexaug evaluate`: measure whether synthetic data helps (downstream checks)."""

from __future__ import annotations

import json

import click

from lexaug import defaults


@click.group("evaluate")
def evaluate() -> None:
    """Downstream checks of synthetic data."""


@evaluate.command("classify")
@click.option("--train", "train_path", required=True, type=click.Path(dir_okay=False),
              help="Labelled source-language training data (CSV or TSV with a header row, or JSONL).")
@click.option("--test", "test_path", required=True, type=click.Path(dir_okay=False),
              help="Labelled target-language test data (CSV, TSV or JSONL).")
@click.option("--lang", required=True, help="Target language (a label when --lexicon is given).")
@click.option("--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
              help="Bilingual lexicon source<TAB>target (default: the catalog cache for --lang).")
@click.option("--src-lang", default=defaults.SRC_LANG, show_default=True, help="Language of the training data.")
@click.option("--mode", type=click.Choice(["substitute", "codeswitch"]), default=defaults.SYNTH_MODE,
              show_default=True, help="How the training data is synthesized.")
@click.option("--rate", type=float, default=None, help="Token replacement rate (default: the mode's).")
@click.option("--text-column", default="text", show_default=True, help="Column (or JSON key) holding the text.")
@click.option("--label-column", default="label", show_default=True, help="Column (or JSON key) holding the label.")
@click.option("--seeds", type=click.IntRange(min=1), default=3, show_default=True,
              help="Repeat each condition with seeds 0..N-1 (new translations and fastText initialisation).")
@click.option("--strict/--lenient", default=True, show_default=True,
              help="lenient: skip rows with an empty text or label and count them in the result.")
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write the result JSON (- for stdout; the table then goes to stderr).")
@click.option("--generator", "generator_name", default=None,
              help="The generator version (default: the newest of the mode): substitute.v3 (v2 + look-alike "
                   "letters repaired), substitute.v2 (source-side fallbacks) or substitute.v1; --mode codeswitch: "
                   "codeswitch.v2 (look-alike letters repaired) or codeswitch.v1.")
@click.option("--samples", type=click.IntRange(min=1), default=defaults.CLASSIFY_SAMPLES, show_default=True,
              help="Synthetic draws of every training example (ids <id>#<k>).")
@click.option("--char-ngrams/--word-features", "char_ngrams", default=True, show_default=True,
              help="fastText features: words and character 3-5-grams (default), or words only.")
def classify(train_path: str, test_path: str, lang: str, lexicons: tuple[str, ...], src_lang: str, mode: str,
             rate: float | None, text_column: str, label_column: str, seeds: int, strict: bool,
             output_path: str, generator_name: str | None, samples: int, char_ngrams: bool) -> None:
    """Train fastText classifiers on the source data, its synthesized version and both; score on the test set.

    The JSON holds one entry per condition (source, synthetic, both) with accuracy and macro_f1 (mean, std,
    per seed), plus the settings. A table is printed too.
    """
    from lexaug.downstream.classify import FastTextConfig, compare, format_table
    from lexaug.downstream.labelled import read_labelled
    from lexaug.synthesis import SynthesisOptions, build

    from lexaug.outputs import check_output_path, write_atomic

    inputs = [("--train", train_path), ("--test", test_path)] + [("--lexicon", path) for path in lexicons]
    check_output_path(output_path, "--output", inputs)  # before any work
    train = read_labelled(train_path, text_column, label_column, strict=strict)
    test = read_labelled(test_path, text_column, label_column, strict=strict)
    built = build(SynthesisOptions(langs=(lang,), mode=mode, src_lang=src_lang, lexicons=lexicons, rate=rate,
                                   generator=generator_name))
    for message in built.warnings:
        click.echo(f"warning: {message}", err=True)
    minn, maxn = defaults.CLASSIFY_CHAR_NGRAMS if char_ngrams else (0, 0)
    report = compare(train, test, built.generator, seeds=seeds, samples=samples,
                     config=FastTextConfig(minn=minn, maxn=maxn))
    report["settings"].update(lang=built.targets[0], lexicon_sha256=built.lexicon_sha256)
    write_atomic(output_path, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), "--output")
    click.echo(format_table(report), err=output_path == "-")  # `--output -`: stdout holds the JSON alone
