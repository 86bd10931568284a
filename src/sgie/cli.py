"""The ``sgie`` command line: a thin shell over the library.

What it does
    Builds an ``argparse`` parser whose subcommands are contributed by the modules of
    ``sgie.commands`` (each has ``register(subparsers)`` and one function per subcommand that
    calls library code). Bad input (``sgie.errors.InputError``) is printed as one line on
    stderr with exit status 2 and no traceback; a failing service or file system
    (``sgie.errors.ServiceError``) likewise with exit status 1; other failures propagate.

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
from sgie.errors import InputError, ServiceError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sgie",
        description="SGIE: Security Guarantees Information Extraction - corpus, annotations, "
        "dataset, evaluation and leaderboard.",
    )
    parser.add_argument("--version", action="version", version=f"sgie {sgie.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(sgie.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"sgie.commands.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as err:
        print(f"sgie: error: {err}", file=sys.stderr)
        return 2
    except ServiceError as err:
        print(f"sgie: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
