"""The ``sgie`` command line: a thin shell over the library.

What it does
    Builds an ``argparse`` parser whose subcommands are contributed by the modules of
    ``sgie.commands`` (each has ``register(subparsers)`` and one function per subcommand that
    calls library code). Bad input (``sgie.errors.InputError``) is printed as one line on
    stderr with exit status 2 and no traceback; a failing service or file system
    (``sgie.errors.ServiceError``) likewise with exit status 1. A command that needs an optional
    part of the package declares its pip extra (``set_defaults(extra=...)``); if a module it
    imports is not installed, or it raises ``sgie.errors.MissingExtra``, one line names the
    extra to install and the exit status is 1. Other failures propagate. ``sgie --version``
    prints the package, dataset and schema versions.

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sgie",
        description="SGIE: Security Guarantees Information Extraction - corpus, annotations, "
        "dataset, evaluation and leaderboard.",
    )
    parser.add_argument("--version", action=_Version,
                        help="print the package, dataset and schema versions and exit")  # fmt: skip
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
