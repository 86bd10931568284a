"""``sgie agreement``: write annotations/agreement.json and annotations/AGREEMENT.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from sgie.annotations.store import default_annotations_dir, load_store, store_path
from sgie.atomic import write_texts_together
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("agreement", help="measure inter-annotator agreement (generated report)")
    p.add_argument("--annotations", type=Path, default=None, help="annotations folder")
    p.add_argument("--check", action="store_true",
                   help="exit 1 if the committed report differs from a fresh computation")  # fmt: skip
    p.set_defaults(func=cmd_agreement, extra="agreement")


def cmd_agreement(args: argparse.Namespace) -> int:
    # Imported here, not at start-up: scikit-learn and krippendorff are slow to import.
    from sgie.agreement.report import agreement_report, dumps_json, render_markdown

    folder = args.annotations or default_annotations_dir()
    corpus = load_corpus(default_corpus_dir())
    store = load_store(folder, corpus)
    if not store.annotations:
        raise InputError("the export must exist and hold annotations (got none)",
                         file=str(store_path(folder)))  # fmt: skip
    report = agreement_report(store, corpus)
    files = {folder / "agreement.json": dumps_json(report), folder / "AGREEMENT.md": render_markdown(report)}
    if args.check:
        stale = [str(p) for p, text in files.items()
                 if not p.is_file() or p.read_text(encoding="utf-8") != text]  # fmt: skip
        for p in stale:
            print(f"stale: {p} (run `sgie agreement`)")
        return 1 if stale else 0
    write_texts_together(files)  # both or neither
    for path in files:
        print(f"wrote {path}")
    return 0
