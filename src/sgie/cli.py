"""The ``sgie`` command line: a thin shell over the library.

What it does
    Builds an ``argparse`` parser whose subcommands are contributed by the modules of
    ``sgie.commands``: module ``sgie.commands.NAME`` registers the subcommand ``NAME``
    (``register(subparsers)``, one function per subcommand that calls library code). Only the
    module of the subcommand being run is imported (``sgie evaluate`` never imports the
    leaderboard, the studio client or the dataset builder); ``sgie``, ``sgie --help`` and an
    unknown subcommand import them all, to list them. Bad input (``sgie.errors.InputError``)
    is printed as one line on stderr with exit status 2 and no traceback; other failures
    propagate.

What it does not do
    No logic of its own beyond dispatch.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import sgie
import sgie.commands
from sgie.errors import InputError

_HELP = ("-h", "--help")


def command_names() -> list[str]:
    """The subcommands, one per module of ``sgie.commands`` (found without importing them)."""
    return sorted(m.name for m in pkgutil.iter_modules(sgie.commands.__path__))


def build_parser(only: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with those named in ``only`` (their modules alone
    are imported)."""
    parser = argparse.ArgumentParser(
        prog="sgie",
        description="SGIE: Security Guarantees Information Extraction - corpus, annotations, "
        "dataset, evaluation and leaderboard.",
    )
    parser.add_argument("--version", action="version", version=f"sgie {sgie.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names() if only is None else only:
        importlib.import_module(f"sgie.commands.{name}").register(subparsers)
    return parser


def _needed(argv: Sequence[str]) -> list[str] | None:
    """The subcommands a command line needs (``None``: all of them, to list them)."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command is not None:
        return [command] if command in command_names() else None
    return None if not argv or any(a in _HELP for a in argv) else []


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(_needed(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as err:
        print(f"sgie: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
