"""Entry point of the `lexaug` command. Each command group lives in its own module and imports heavy
libraries only inside its functions, so `lexaug --help` stays fast."""

from __future__ import annotations

import importlib
import os

# numpy's bundled OpenBLAS keeps a helper thread spinning on a second core around numpy calls (the generators do
# per-batch arithmetic in numpy): 0.13-0.19x extra CPU for nothing, since no lexaug command uses BLAS. Set before
# anything imports numpy; a value the user set is kept. Measured: bench_synthesize.py, substitute per core 0.87x
# -> 1.00x the inline baseline (MB/CPU-s), wall clock unchanged.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click  # noqa: E402

from lexaug import __version__
from lexaug.engines.signals import Interrupted
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
    """A click group that turns errors into one line and an exit status, never a traceback:

    - `LexaugError`: `Error: <message>`, exit 1;
    - an OSError no command handled (permission, disk full, a folder where a file was expected ...):
      `Error: <path>: <reason>`, exit 1;
    - `Interrupted` (SIGTERM, SIGINT, SIGHUP during a run that cleans up after itself): one line, exit
      128 + the signal number, as a shell reports a process a signal ended;
    - a closed stdout (`lexaug ... | head`): nothing more is written, exit 141 (128 + SIGPIPE), silently.
    """

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except LexaugError as err:
            raise click.ClickException(str(err)) from None
        except Interrupted as err:
            click.echo(f"Error: {err}; the run stopped: its worker processes ended, its partial files were "
                       "removed and no manifest was written", err=True)
            ctx.exit(128 + err.signum)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(128 + 13)
        except OSError as err:
            where = err.filename if err.filename is not None else "<file>"
            raise click.ClickException(f"{where}: {err.strerror or err}; check the path, its permissions and "
                                       "the free space") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush does not fail again on the closed pipe."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


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
