"""``sgie prose [--check]``: refresh numbers in prose from the generated files they cite."""

from __future__ import annotations

import argparse
from pathlib import Path

from sgie.atomic import write_texts_together
from sgie.corpus.manifest import default_corpus_dir
from sgie.prose import stale_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("prose", help="refresh numbers quoted in README/DATASHEET from generated files")
    p.add_argument("--check", action="store_true", help="exit 1 if any quoted number is stale")
    p.add_argument("--root", type=Path, default=None, help="repository root")
    p.set_defaults(func=cmd_prose)


def cmd_prose(args: argparse.Namespace) -> int:
    root = args.root or default_corpus_dir().parent
    stale = stale_files(root)
    if not args.check:
        write_texts_together({Path(p): t for p, t in stale.items()})  # all or none
    for path in stale:
        print(f"stale numbers: {path} (run `sgie prose`)" if args.check else f"updated {path}")
    return 1 if (stale and args.check) else 0
