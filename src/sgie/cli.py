"""The ``sgie`` command line: a thin shell over the library.

What it does
    Builds an ``argparse`` parser whose subcommands are contributed by the modules of
    ``sgie.commands``: module ``sgie.commands.NAME`` registers the subcommand ``NAME``
    (``register(subparsers)``, one function per subcommand that calls library code). Only the
    module of the subcommand being run is imported (``sgie evaluate`` never imports the
    leaderboard, the studio client or the dataset builder); ``sgie``, ``sgie --help`` and an
    unknown subcommand import them all, to list them. Bad input (``sgie.errors.InputError``)
    is printed as one line on stderr with exit status 2 and no traceback; a failing service or
    file system (``sgie.errors.ServiceError``) likewise with exit status 1. A command that needs
    an optional part of the package declares its pip extra (``set_defaults(extra=...)``); if a
    module it imports is not installed, or it raises ``sgie.errors.MissingExtra``, one line
    names the extra to install and the exit status is 1. Other failures propagate.
    ``sgie --version`` prints the package, dataset and schema versions. Numpy's BLAS runs on
    one thread unless ``OPENBLAS_NUM_THREADS`` says otherwise: no command does linear algebra
    large enough to share, and idle BLAS threads cost CPU time.

What it does not do
    No logic of its own beyond dispatch.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Sequence

import sgie
import sgie.commands
from sgie.errors import InputError, MissingExtra, ServiceError


class _Version(argparse.Action):
    """``--version``: package, dataset and schema versions (imported only when asked)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None):  # fmt: skip
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:  # fmt: skip
        from sgie.dataset.version import DATASET_VERSION
        from sgie.schema import SCHEMA_VERSION

        print(f"sgie {sgie.__version__} (dataset {DATASET_VERSION}, schema {SCHEMA_VERSION})")
        parser.exit()

_HELP = ("-h", "--help")


def command_names() -> list[str]:
    """The subcommands, one per module of ``sgie.commands`` (found without importing them)."""
    import pkgutil  # only to list them all: its module walk imports inspect

    return sorted(m.name for m in pkgutil.iter_modules(sgie.commands.__path__))


def is_command(name: str) -> bool:
    """Whether ``name`` is one of ``command_names()``, found without listing them all."""
    if not name.isidentifier():  # no dotted or relative module name
        return False
    try:
        return importlib.util.find_spec(f"sgie.commands.{name}") is not None
    except (ImportError, ValueError):
        return False


def build_parser(only: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand, or with those named in ``only`` (their modules alone
    are imported)."""
    parser = argparse.ArgumentParser(
        prog="sgie",
        description="SGIE: Security Guarantees Information Extraction - corpus, annotations, "
        "dataset, evaluation and leaderboard.",
    )
    parser.add_argument("--version", action=_Version,
                        help="print the package, dataset and schema versions and exit")  # fmt: skip
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_names() if only is None else only:
        importlib.import_module(f"sgie.commands.{name}").register(subparsers)
    return parser


def _needed(argv: Sequence[str]) -> list[str] | None:
    """The subcommands a command line needs (``None``: all of them, to list them)."""
    command = next((a for a in argv if not a.startswith("-")), None)
    if command is not None:
        return [command] if is_command(command) else None
    return None if not argv or any(a in _HELP for a in argv) else []


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported (docstring)
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
    except ServiceError as err:
        print(f"sgie: error: {err}", file=sys.stderr)
        return 1
    except MissingExtra as err:
        print(f"sgie: error: {err}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as err:
        extra = getattr(args, "extra", None)
        top = (err.name or "").partition(".")[0]
        if extra is None or top in ("", "sgie"):
            raise
        print(f"sgie: error: {MissingExtra(extra, f'module {top!r}')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
