"""`lexaug inflect`: train, run and score SIGMORPHON inflection models (rule baseline, neural model)."""

from __future__ import annotations

import importlib
import json
from typing import Any

import click

from lexaug import defaults
from lexaug.errors import ConfigError

_LAYOUTS = ("auto", "lemma-form-features", "lemma-features-form")

# Further `inflect` sub-commands living in their own modules: (name, module under lexaug_cli, attribute).
SUBCOMMANDS: list[tuple[str, str, str]] = [
    ("hallucinate", "hallucinate", "hallucinate_cmd"),
]


@click.group("inflect")
def inflect() -> None:
    """SIGMORPHON inflection: train a model, predict a test file, score predictions."""


def _parse_options(pairs: tuple[str, ...]) -> dict[str, Any]:
    """`-o key=value` pairs; values are read as JSON when they parse (numbers, true/false), else strings."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"option {pair!r} is not KEY=VALUE (e.g. -o max_steps=3000)")
        try:
            out[key.replace("-", "_")] = json.loads(value)
        except json.JSONDecodeError:
            out[key.replace("-", "_")] = value
    return out


@inflect.command("train")
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Training file (lemma, form, features rows; any shared-task year).")
@click.option("--dev", "dev_path", type=click.Path(exists=True, dir_okay=False),
              help="Dev file for model selection (neural); the rule baseline does not use it.")
@click.option("--model", "model_name", type=click.Choice(["rules", "neural"]), default=defaults.INFLECT_MODEL,
              show_default=True)
@click.option("--output", "--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Model directory (--out is the same option).")
@click.option("--compat", type=click.Choice(["2017", "2020"]), default=defaults.INFLECT_COMPAT,
              help="rules: 2020 reproduces the 2020-2022 baseline ports' prefix/suffix detector.")
@click.option("--seed", type=int, default=defaults.SEED, show_default=True, help="neural: random seed.")
@click.option("--minutes", type=click.FloatRange(min=0, min_open=True), default=None,
              help=f"neural: wall-clock budget for the whole training run [default: {defaults.NEURAL_MINUTES:g}]; "
                   "training also stops after 10 dev evaluations without improvement.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default=None,
              help=f"neural: where to train (auto: cuda when torch sees a GPU) [default: {defaults.NEURAL_DEVICE}]")
@click.option("-o", "--option", "options", multiple=True, metavar="KEY=VALUE",
              help="Model option, repeatable (neural: hallucinate=0, beam=1, ensemble=3, workers=3, layers=3, "
                   "char_members=0 (every member writes edit scripts; default: the last of 2+ writes characters), "
                   "char_hallucinate=4000 (hallucinated pairs for the character members; default: 1000, or hallucinate "
                   "if fewer), "
                   "char_copy=1000 (pairs copying a training word, for the character members; default 0), "
                   "char_warm=true (character members start from the last edit-script member's encoder; "
                   "default false), "
                   "char_rescue=0.1 (a character member below that share of the best edit-script member's dev "
                   "accuracy at half its time starts again from that member's encoder; default 0: never), "
                   "same_script=true (hallucinated stem letters from the replaced letter's own script; default "
                   "false), "
                   "measure_reserve=true (under --minutes, time the edit-script members' dev search to size the "
                   "tuning reserve; default false), "
                   "mark_clusters=true (edit scripts copy a combining mark only with its letter; default false), "
                   "auto_mark_clusters=false (default true: mark_clusters turns on where the plain alignment moves a "
                   "mark to another letter in a training pair), "
                   "set_features=true, tag_parts=true (composite tags such as AT+ABL enter as their parts; default "
                   "false), tag_whole=true (with tag_parts: the composite enters whole too; default false), "
                   "auto_tag_parts=0.05 (both on when that share of --dev items has a composite never seen whole "
                   "in training; default 0.05; 0: never), "
                   "dev_train=0.5 (that share of the --dev rows, seeded, joins the training data; the rest select "
                   "and tune the model; default 0), "
                   "max_steps=3000, ...).")
def train_cmd(train_path: str, dev_path: str | None, model_name: str, out_dir: str, compat: str | None,
              seed: int, minutes: float | None, device: str | None, options: tuple[str, ...]) -> None:
    """Train a model on a shared-task training file and save it to --output."""
    from lexaug.inflection.base import inflector_class
    from lexaug.loaders.sigmorphon import read_training_rows

    if compat and model_name != "rules":
        raise ConfigError("--compat applies to the rules model only")
    if model_name != "neural" and (minutes is not None or device is not None):
        raise ConfigError("--minutes and --device apply to the neural model only (--model neural)")
    opts = _parse_options(options)
    if model_name == "neural":
        if "max_minutes" in opts and minutes is not None:
            raise ConfigError("give the budget once: --minutes or -o max_minutes, not both")
        from lexaug.inflection.neural import BUDGET_HPARAMS

        budget = opts.pop("max_minutes", minutes if minutes is not None else defaults.NEURAL_MINUTES)
        if budget:  # 0 (-o max_minutes=0): no clock, max_steps stops the run
            opts = {**BUDGET_HPARAMS, **opts}
        opts["max_minutes"] = budget
        opts["device"] = device or defaults.NEURAL_DEVICE
    train = read_training_rows(train_path)
    dev = read_training_rows(dev_path) if dev_path else None
    if model_name == "rules":
        opts["compat"] = compat
    else:
        opts.setdefault("seed", seed)
        opts.setdefault("progress", lambda line: click.echo(line, err=True))
    model = inflector_class(model_name).train(train, dev, **opts)
    model.save(out_dir)
    info = getattr(model, "info", {})
    extra = f" in {info['seconds']} s on {info['device']}" if "device" in info else ""
    click.echo(f"trained {model_name} on {len(train)} pairs{extra} -> {out_dir}", err=True)


@inflect.command("predict")
@click.option("--model", "model_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Covered test file (lemma, features) or any file with lemma and features columns.")
@click.option("--output", "output_path", required=True, type=click.Path(),
              help="Prediction file (its folder must exist; not the input file; - for stdout).")
@click.option("--layout", type=click.Choice(_LAYOUTS), default="auto", show_default=True,
              help="Columns of the output; auto: the input's 3-column layout, else " + defaults.INFLECT_LAYOUT)
def predict_cmd(model_dir: str, input_path: str, output_path: str, layout: str) -> None:
    """Predict a form for every line of --input, written in input order in the gold files' layout."""
    from lexaug.inflection.base import load_inflector
    from lexaug.loaders.sigmorphon import read_sigmorphon, write_predictions
    from lexaug.outputs import check_output_path

    check_output_path(output_path, "--output", [("--input", input_path)])  # before any work
    model = load_inflector(model_dir)
    data = read_sigmorphon(input_path)
    if layout == "auto":
        layout = data.layout if not data.covered else defaults.INFLECT_LAYOUT
    pairs = data.pairs()
    n = write_predictions(output_path, pairs, model.predict_many(pairs), layout=layout)
    empty = getattr(model, "replaced_empty", 0)  # a neural model never writes an empty form; it says so
    if empty:
        instead = "the rule baseline's form" if getattr(model, "fallback", None) is not None else "the lemma"
        click.echo(f"{empty} of {n} forms: the model wrote nothing; {instead} written instead (train longer)",
                   err=True)
    click.echo(f"wrote {n} predictions -> {output_path}", err=True)


@inflect.command("evaluate")
@click.option("--gold", "gold_paths", required=True, multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold file; repeat for several languages (paired in order with --pred).")
@click.option("--pred", "pred_paths", required=True, multiple=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--train", "train_paths", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Training file(s) for the seen/unseen partitions (2022), one per --gold.")
@click.option("--convention", type=click.Choice(["2022", "2017"]), default=defaults.INFLECT_CONVENTION,
              show_default=True, help="2022: positional + partitions; 2017: keyed by (lemma, features).")
@click.option("--normalize", type=click.Choice(["NFC", "NFD", "none"], case_sensitive=False),
              default=defaults.INFLECT_NORMALIZE or "none", show_default=True,
              help="Unicode normal form applied before comparing (none: raw, as the published 2022 table).")
@click.option("--align", type=click.Choice(["strict", "key"]), default="strict", show_default=True,
              help="2022: strict: each prediction row must carry its gold row's lemma and features; key: match "
                   "rows by (lemma, features) and report how many were moved.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def evaluate_cmd(gold_paths: tuple[str, ...], pred_paths: tuple[str, ...], train_paths: tuple[str, ...],
                 convention: str, normalize: str, align: str, as_json: bool) -> None:
    """Exact-match accuracy and mean Levenshtein distance, per language with macro/micro averages."""
    from lexaug.inflection.evaluate import evaluate, summary_table
    from lexaug.loaders.sigmorphon import parse_name, read_sigmorphon, read_training_rows

    if len(gold_paths) != len(pred_paths):
        raise ConfigError(f"{len(gold_paths)} --gold files but {len(pred_paths)} --pred files; pair them")
    if train_paths and len(train_paths) != len(gold_paths):
        raise ConfigError(f"{len(train_paths)} --train files for {len(gold_paths)} --gold files; give one each")
    norm = None if normalize.lower() == "none" else normalize.upper()
    results = {}
    for k, (gold_path, pred_path) in enumerate(zip(gold_paths, pred_paths)):
        train = read_training_rows(train_paths[k]) if train_paths else None
        name = str(parse_name(gold_path)["lang"])
        if name in results:
            name = f"{name}#{k + 1}"
        predicted = read_sigmorphon(pred_path, predictions=True)
        if predicted.empty_lines:  # predicted nothing: wrong, as the official scorers count it
            n, shown = len(predicted.empty_lines), ", ".join(map(str, predicted.empty_lines[:5]))
            rows = "row has" if n == 1 else "rows have"
            where = f"line {shown}" if n == 1 else f"lines {shown}" + (", ..." if n > 5 else "")
            click.echo(f"{pred_path}: {n} prediction {rows} an empty form ({where}), scored as wrong", err=True)
        results[name] = evaluate(read_sigmorphon(gold_path), predicted, convention=convention,
                                 train=train, normalize=norm, align=align)
        if results[name].realigned:
            click.echo(f"{pred_path}: {results[name].realigned} prediction rows re-aligned to their gold rows by "
                       "(lemma, features)", err=True)
    if as_json:
        click.echo(json.dumps({lang: r.as_dict() for lang, r in results.items()}, indent=2))
    else:
        click.echo(summary_table(results), nl=False)


def _register() -> None:
    for name, module, attr in SUBCOMMANDS:
        inflect.add_command(getattr(importlib.import_module(f"lexaug_cli.{module}"), attr), name)


_register()
