"""``sgie annotations validate FILE`` / ``sgie annotations ingest --annotator NAME FILE``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sgie.annotations.store import (
    ANNOTATORS,
    EXPORT_FILE,
    default_annotations_dir,
    ingest_documents,
    load_store,
    write_store,
)
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.errors import InputError
from sgie.records import DocAnnotations, parse_doc


def register(subparsers: argparse._SubParsersAction) -> None:
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


def read_documents_file(path: Path, texts: dict[str, str]) -> dict[str, DocAnnotations]:
    """A documents-format JSONL file (offsets required, every layer present), strictly parsed."""
    docs: dict[str, DocAnnotations] = {}
    first_line: dict[str, int] = {}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file must exist (got nothing)", file=str(path)) from None
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
            doc = parse_doc(obj, texts, extra_fields=("text",))
        except UnicodeDecodeError as err:
            raise InputError(f"line must be UTF-8 (got byte {raw[err.start]:#x})", file=str(path),
                             line=number) from None  # fmt: skip
        except json.JSONDecodeError as err:
            raise InputError(f"line must be a JSON object ({err.msg})", file=str(path),
                             line=number) from None  # fmt: skip
        except InputError as err:
            raise err.at(file=str(path), line=number) from None
        if doc.doc_id in docs:
            raise InputError(f"'id' must be unique (got {doc.doc_id!r}, first on line "
                             f"{first_line[doc.doc_id]})", file=str(path), line=number)  # fmt: skip
        if None in (doc.entities, doc.proposals, doc.attributions):
            raise InputError("'entities', 'proposals' and 'attributions' must all be present",
                             file=str(path), line=number)  # fmt: skip
        docs[doc.doc_id] = doc
        first_line[doc.doc_id] = number
    if not docs:
        raise InputError("file must contain at least one document (got none)", file=str(path))
    return docs


def cmd_validate(args: argparse.Namespace) -> int:
    corpus = load_corpus(default_corpus_dir())
    docs = read_documents_file(args.file, corpus.texts())
    # Round-trip through the Label Studio result form: the same checks as the export.
    tasks = ingest_documents([], corpus, "a", docs)
    from sgie.annotations.store import validate_tasks

    validate_tasks(tasks, corpus, str(args.file))
    for doc_id, d in sorted(docs.items()):
        print(f"{doc_id}: {len(d.entities or ())} entities, {len(d.proposals or ())} proposals, "
              f"{len(d.attributions or ())} attributions")  # fmt: skip
    print(f"{args.file}: OK")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    corpus = load_corpus(default_corpus_dir())
    folder = args.annotations or default_annotations_dir()
    docs = read_documents_file(args.file, corpus.texts())
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
