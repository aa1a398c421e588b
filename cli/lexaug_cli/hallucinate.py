"""`lexaug inflect hallucinate`: new training pairs by stem hallucination (Anastasopoulos & Neubig 2019)."""

from __future__ import annotations

import json

import click

from lexaug import defaults


@click.command("hallucinate")
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Training file (lemma, form, features rows; any shared-task year).")
@click.option("-n", "count", required=True, type=click.IntRange(min=1), help="Number of pairs to make.")
@click.option("--output", "output_path", required=True, type=click.Path(),
              help="Output file (- for stdout): lemma<TAB>form<TAB>features, the layout every reader reads.")
@click.option("--seed", type=int, default=defaults.SEED, show_default=True)
@click.option("--min-stem", type=click.IntRange(min=1), default=defaults.HALLUCINATE_MIN_STEM, show_default=True,
              help="Shortest run of aligned identical characters taken as stem.")
@click.option("--any-char", is_flag=True,
              help="Replace any stem character (default: letters only, by letters; marks, spaces stay).")
@click.option("--same-script", is_flag=True, default=defaults.HALLUCINATE_SAME_SCRIPT,
              help="Replace a character by one of its own Unicode script only (data written in two scripts, "
                   "e.g. Gothic letters and Latin transliteration, then gives no mixed words).")
def hallucinate_cmd(train_path: str, count: int, output_path: str, seed: int, min_stem: int,
                    any_char: bool, same_script: bool) -> None:
    """Write N hallucinated (lemma, form, features) rows that are not in --train."""
    from lexaug.generators.hallucinate import hallucinate
    from lexaug.loaders.sigmorphon import read_training_rows, write_predictions
    from lexaug.outputs import check_output_path

    check_output_path(output_path, "--output", [("--train", train_path)])  # before any work
    train = read_training_rows(train_path)
    made, stats = hallucinate(train, count, seed=seed, min_stem=min_stem, letters_only=not any_char,
                              same_script=same_script)
    write_predictions(output_path, [(l, t) for l, _, t in made], [f for _, f, _ in made],
                      layout=defaults.INFLECT_LAYOUT)
    if len(made) < count:
        click.echo(f"only {len(made)} of the {count} requested pairs could be made: the {len(train)} training "
                   "rows give no more distinct ones (stopped early)", err=True)
    click.echo(f"wrote {len(made)} hallucinated pairs -> {output_path} {json.dumps(stats, sort_keys=True)}",
               err=True)
