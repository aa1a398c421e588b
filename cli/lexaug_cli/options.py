"""Click options that several commands share: one definition, so the meaning, default, validation and help agree."""

from __future__ import annotations

import click

from lexaug import defaults

max_line_mb_option = click.option(
    "--max-line-mb", type=click.FloatRange(1.0), default=defaults.MAX_LINE_MB, show_default=True,
    help="Longest input line read, in MB; a longer one stops the run with its file and line (rewriting one line "
         "takes about 30 times its size in memory).")
