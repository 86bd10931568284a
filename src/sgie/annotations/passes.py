"""Annotation pass files: an annotator's documents-format JSON Lines, read strictly.

What it does
    ``read_pass(path, texts)`` reads a file in the ``documents`` shape (``sgie.records``), one
    document per line, with offsets and all three layers present -- the form annotators
    produce before a pass is ingested into the Label Studio export (``sgie annotations
    ingest``). Lines are read by the harness's strict JSON Lines reader
    (``sgie.scoring.jsonl.read_jsonl``: UTF-8 per line, no blank lines, no repeated keys) and
    checked by the harness's one validator (``sgie.scoring.validate.parse_document``: the
    record's text must be the corpus text of its id); a document id may appear once. Errors are
    ``InputError`` naming the file and line.

What it does not do
    No grounding of text-only spans (a pass must give offsets), no Label Studio conversion.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sgie.errors import InputError
from sgie.records import DocAnnotations
from sgie.scoring.jsonl import read_jsonl
from sgie.scoring.validate import parse_document


def read_pass(path: Path | str, texts: Mapping[str, str]) -> dict[str, DocAnnotations]:
    """Document id -> records of a pass file (see the module docstring)."""
    name = str(path)
    docs: dict[str, DocAnnotations] = {}
    first_line: dict[str, int] = {}
    for number, obj in read_jsonl(path):
        try:
            doc, _ = parse_document(obj, texts)
        except InputError as err:
            raise err.at(file=name, line=number) from None
        if doc.doc_id in docs:
            raise InputError(f"'id' must be unique (got {doc.doc_id!r}, first on line "
                             f"{first_line[doc.doc_id]})", file=name, line=number)  # fmt: skip
        if None in (doc.entities, doc.proposals, doc.attributions):
            raise InputError("'entities', 'proposals' and 'attributions' must all be present",
                             file=name, line=number)  # fmt: skip
        docs[doc.doc_id] = doc
        first_line[doc.doc_id] = number
    return docs
