"""The package imports cheaply and the CLI answers --help without heavy dependencies."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "transformers", "fasttext")


def test_import_and_help_do_not_load_heavy_libraries():
    code = (
        "import sys, lexaug, lexaug_cli.main as m\n"
        "from click.testing import CliRunner\n"
        "r = CliRunner().invoke(m.cli, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "for name in m.COMMANDS: r = CliRunner().invoke(m.cli, [name[0], '--help']); assert r.exit_code == 0, r.output\n"
        f"print(sorted(n for n in {HEAVY!r} if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_version_matches_package_metadata():
    from importlib.metadata import version

    import lexaug

    assert version("lexaug") == lexaug.__version__


def test_resources_ship_inside_the_package():
    from importlib.resources import files

    assert files("lexaug.resources").joinpath("__init__.py").is_file()
