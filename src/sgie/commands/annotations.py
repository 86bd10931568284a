"""``sgie annotations validate FILE`` / ``sgie annotations ingest --annotator NAME FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sgie.annotations.passes import read_pass
from sgie.annotations.store import (
    ANNOTATORS,
    EXPORT_FILE,
    default_annotations_dir,
    ingest_documents,
    load_store,
    revalidate,
    write_store,
)
from sgie.corpus.manifest import default_corpus_dir, load_corpus


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("annotations", help="validate and ingest annotation files")
    sub = p.add_subparsers(dest="annotations_command", metavar="ACTION", required=True)
    v = sub.add_parser("validate", help="validate a documents-format JSONL file (all layers)")
    v.add_argument("file", type=Path)
    v.set_defaults(func=cmd_validate)
    i = sub.add_parser("ingest", help="put an annotator's documents-format JSONL into the export")
    i.add_argument("file", type=Path)
    i.add_argument("--annotator", required=True, choices=ANNOTATORS)
    i.add_argument("--annotations", type=Path, default=None, help="annotations folder")
    i.set_defaults(func=cmd_ingest)
    s = sub.add_parser("summary", help="validate the committed export and count items")
    s.add_argument("--annotations", type=Path, default=None, help="annotations folder")
    s.set_defaults(func=cmd_summary)


def cmd_validate(args: argparse.Namespace) -> int:
    corpus = load_corpus(default_corpus_dir())
    docs = read_pass(args.file, corpus.texts())
    # Round-trip through the Label Studio result form: the same checks as the export.
    revalidate(ingest_documents([], corpus, "a", docs), corpus, str(args.file))
    for doc_id, d in sorted(docs.items()):
        print(f"{doc_id}: {len(d.entities or ())} entities, {len(d.proposals or ())} proposals, "
              f"{len(d.attributions or ())} attributions")  # fmt: skip
    print(f"{args.file}: OK")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    corpus = load_corpus(default_corpus_dir())
    folder = args.annotations or default_annotations_dir()
    docs = read_pass(args.file, corpus.texts())
    store = load_store(folder, corpus)
    tasks = ingest_documents(list(store.tasks), corpus, args.annotator, docs)
    write_store(folder / EXPORT_FILE, tasks, corpus)
    print(f"ingested {len(docs)} documents for annotator {args.annotator!r} into {folder / EXPORT_FILE}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    store = load_store(args.annotations, load_corpus(default_corpus_dir()))
    for name, docs in sorted(store.annotations.items()):
        e = sum(len(d.entities or ()) for d in docs.values())
        p = sum(len(d.proposals or ()) for d in docs.values())
        a = sum(len(d.attributions or ()) for d in docs.values())
        print(f"{name}: {len(docs)} documents, {e} entities, {p} proposals, {a} attributions")
    return 0
