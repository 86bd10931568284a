"""The ``sgie`` entry point: one subcommand per command module, and only the module of the
subcommand being run is imported (start-up)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from sgie.cli import build_parser, command_names, is_command, main

SRC = Path(__file__).resolve().parents[1] / "src"


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_each_command_module_registers_its_own_name():
    """Module sgie.commands.NAME registers exactly the subcommand NAME (what lazy loading relies on)."""
    assert _subcommands(build_parser()) == command_names()
    for name in command_names():
        assert _subcommands(build_parser([name])) == [name]


def test_evaluate_imports_only_its_own_command_module():
    """`sgie evaluate --help` imports no other command module, and neither numpy nor scipy."""
    code = ("import sys\nfrom sgie.cli import main\ntry:\n    main(['evaluate', '--help'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('sgie.commands.')"
            " or m.split('.')[0] in ('numpy', 'scipy')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC)}).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "['sgie.commands.evaluate']"


@pytest.mark.parametrize("argv", [["--help"], []])
def test_help_lists_every_command(argv, capsys):
    """`sgie --help` and a bare `sgie` list every subcommand."""
    try:
        code = main(argv)
    except SystemExit as exit:
        code = exit.code
    assert code in (0, 2)
    out = capsys.readouterr().out
    assert all(name in out for name in command_names())


def test_unknown_command_names_the_known_ones(capsys):
    """An unknown subcommand is an argparse error listing the known ones."""
    with pytest.raises(SystemExit):
        main(["evaluat"])
    err = capsys.readouterr().err
    assert "invalid choice: 'evaluat'" in err and "'evaluate'" in err


def test_a_command_is_known_without_listing_them_all():
    """``is_command`` says yes for every subcommand and no for anything else."""
    assert all(is_command(name) for name in command_names())
    assert not any(is_command(x) for x in ("", "nope", "evaluate.x", "../cli", "__init__x", "sgie"))
