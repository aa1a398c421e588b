"""Entry point of the `lexaug` command. Each command group lives in its own module and imports heavy
libraries only inside its functions, so `lexaug --help` stays fast."""

from __future__ import annotations

import importlib

import click

from lexaug import __version__
from lexaug.errors import LexaugError

# (command name, module under lexaug_cli, attribute): one row per command or group.
COMMANDS: list[tuple[str, str, str]] = [
    ("resources", "resources", "resources"),
    ("languages", "languages", "languages"),
    ("lexicon", "lexicon", "lexicon"),
    ("unimorph", "unimorph", "unimorph"),
    ("synthesize", "synthesize", "synthesize"),
    ("evaluate", "evaluate", "evaluate"),
    ("inflect", "inflect", "inflect"),
    ("feed", "feed", "feed"),
]


class LexaugGroup(click.Group):
    """A click group that turns `LexaugError` into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except LexaugError as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=LexaugGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lexaug")
def cli() -> None:
    """lexaug: synthetic training data for low-resource languages from bilingual lexicons and UniMorph tables."""


def _register() -> None:
    for name, module, attr in COMMANDS:
        command = getattr(importlib.import_module(f"lexaug_cli.{module}"), attr)
        cli.add_command(command, name)


_register()


def main() -> None:
    cli()
