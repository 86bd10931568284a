"""``--format bio``: BIO tags over the ``ner`` config's rows, decoded into prediction records.

What it does
    A tagger trained on the ``ner`` config outputs, per row, one tag per token. This module
    reads that output, JSON Lines with one object per row::

      {"id": "000-003", "ner_tags": ["O", "B-GPE", "O", ...]}
      {"id": "000-004", "ner_tags": [0, 9, 10, 0, ...]}

    ``id`` is the row id of the ``ner`` config (``<document id>-<paragraph index, 3 digits>``);
    ``ner_tags`` holds tag names of the config (``sgie.dataset.ner.BIO_NAMES``) or their
    ClassLabel ids (indices into that list); an optional ``tokens`` list, if given, must equal
    the row's tokens (a check that the tagger saw the same tokenisation). No other field.

    The rows of a document are recomputed from its text exactly as ``sgie build`` makes them
    (``sgie.dataset.tokenize.paragraphs`` and ``tokenize``), so the tags are placed on the
    row's token offsets in the document; ``read_bio(path, texts)`` returns one prediction
    record per document that has rows (``{"id", "entities"}``, each entity with ``id``,
    ``start``, ``end``, ``text``, ``label``), for the ordinary prediction checks and scoring.
    A document without any row is a missing document; a document with some rows must have all
    of them.

    **Decoding rule** (IOB2, ``sgie.dataset.ner.decode``): ``B-X`` opens an entity of type X;
    ``I-X`` continues the open entity if it has type X; ``O`` closes it. An ``I-X`` after ``O``,
    at the start of a row, or after an entity of another type opens a new entity of type X (the
    conlleval convention, which is seqeval's default mode). On valid IOB2 sequences this is
    also seqeval's strict IOB2 mode, and the strict entity scores equal seqeval's
    ``mode="strict", scheme=IOB2`` (``tests/test_scoring_bio.py``, a differential property
    test); seqeval's strict mode differs only on invalid sequences, where it drops the entity
    that a stray ``I-`` would open.

    With ``foreign=True`` (``--label-map``), any ``B-<label>`` / ``I-<label>`` tag is accepted
    (``B-PER`` from a CoNLL tagger) and the label map is applied to the decoded entities
    afterwards; ids then are not accepted (their names are the ``ner`` config's).

    Rows of corpus documents that are not being scored (``other_documents``: the documents of
    other splits) are skipped and their document ids returned; any other unknown row id is an
    error.

What it does not do
    No scoring, no label mapping (``sgie.scoring.formats.labels``), no tokenisation rules of
    its own (``sgie.dataset.tokenize``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sgie.dataset.ner import BIO_NAMES, OUTSIDE, decode
from sgie.dataset.tokenize import Token, paragraphs, tokenize
from sgie.errors import InputError
from sgie.records import JSON, JSONObject
from sgie.scoring.jsonl import read_jsonl

FIELDS = ("id", "ner_tags", "tokens")


@dataclass(frozen=True)
class Row:
    """One row of the ``ner`` config: its id, document and tokens (document offsets)."""

    id: str
    doc_id: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class BioPredictions:
    """Prediction records by document id, and the documents whose rows were skipped."""

    records: Mapping[str, JSONObject]
    lines: Mapping[str, int]  # document id -> line of its first row, for messages
    skipped: tuple[str, ...]  # documents outside the scored set, sorted


def row_id(doc_id: str, paragraph: int) -> str:
    """The ``ner`` config's id of a document's paragraph (``sgie.dataset.rows``)."""
    return f"{doc_id}-{paragraph:03d}"


def ner_rows(doc_id: str, text: str) -> tuple[Row, ...]:
    """The rows of the ``ner`` config for one document, as ``sgie build`` makes them."""
    return tuple(Row(row_id(doc_id, p.index), doc_id, tokenize(p.text, p.start)) for p in paragraphs(text))


def _tags(value: JSON, row: Row, foreign: bool) -> list[str]:
    if not isinstance(value, list):
        raise InputError(f"'ner_tags' must be a list of tags (got {type(value).__name__})")
    if len(value) != len(row.tokens):
        raise InputError(f"'ner_tags' must have one tag per token of row {row.id!r} "
                         f"({len(row.tokens)} tokens) (got {len(value)})")  # fmt: skip
    tags: list[str] = []
    for k, tag in enumerate(value):
        if isinstance(tag, int) and not isinstance(tag, bool) and not foreign and 0 <= tag < len(BIO_NAMES):
            tags.append(BIO_NAMES[tag])
        elif isinstance(tag, str) and (tag in BIO_NAMES if not foreign else _foreign_tag(tag)):
            tags.append(tag)
        else:
            expected = ("'O', 'B-<label>' or 'I-<label>' (mapped by --label-map)" if foreign else
                        f"a tag of the ner config ('O', 'B-PERSON', ...) or its id 0..{len(BIO_NAMES) - 1}; "
                        "for another tag set use --label-map")  # fmt: skip
            raise InputError(f"'ner_tags[{k}]' must be {expected} (got {str(tag)[:80]!r})")
    return tags


def _foreign_tag(tag: str) -> bool:
    prefix, dash, label = tag.partition("-")
    return tag == OUTSIDE or (prefix in ("B", "I") and bool(dash) and bool(label))


def _check_tokens(value: JSON, row: Row) -> None:
    if value != [t.text for t in row.tokens]:
        raise InputError(f"'tokens' must equal the tokens of row {row.id!r} of the ner config "
                         f"(got {str(value)[:80]})")  # fmt: skip


def read_bio(
    path: Path | str,
    texts: Mapping[str, str],
    *,
    foreign: bool = False,
    other_documents: frozenset[str] = frozenset(),
) -> BioPredictions:
    """A BIO predictions file as prediction records for the documents of ``texts``."""
    name = str(path)
    rows = {r.id: r for doc_id in sorted(texts) for r in ner_rows(doc_id, texts[doc_id])}
    tags: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    seen: dict[str, int] = {}
    skipped: set[str] = set()
    for number, value in read_jsonl(path):
        try:
            if not isinstance(value, dict):
                raise InputError(f"line must be a JSON object (got {type(value).__name__})")
            unknown = sorted(set(value) - set(FIELDS))
            if unknown or "id" not in value or "ner_tags" not in value:
                raise InputError(f"row must have 'id' and 'ner_tags' (and optionally 'tokens') only "
                                 f"(got {sorted(value)[:10]})")  # fmt: skip
            rid = value["id"]
            if not isinstance(rid, str):
                raise InputError(f"'id' must be a string (got {type(rid).__name__})")
            if rid in seen:
                raise InputError(f"'id' must be unique (got {rid[:80]!r} again; first in line {seen[rid]})")
            seen[rid] = number
            row = rows.get(rid)
            if row is None:
                doc_id = rid.rpartition("-")[0]
                if doc_id in other_documents:
                    skipped.add(doc_id)
                    continue
                raise InputError(f"'id' must be a row id of the ner config for a scored document, "
                                 f"<document>-<paragraph> such as {next(iter(rows), '000-000')!r} "
                                 f"(got {rid[:80]!r})")  # fmt: skip
            if "tokens" in value:
                _check_tokens(value["tokens"], row)
            tags[rid] = _tags(value["ner_tags"], row, foreign)
            first_line.setdefault(row.doc_id, number)
        except InputError as err:
            raise err.at(file=name, line=number) from None
    records: dict[str, JSONObject] = {}
    for doc_id in sorted(first_line):
        doc_rows = [r for r in rows.values() if r.doc_id == doc_id]
        missing = [r.id for r in doc_rows if r.id not in tags]
        if missing:
            raise InputError(f"rows of document {doc_id!r} must all be given ({len(doc_rows)} rows) "
                             f"(got none for {missing[:5]}{' ...' if len(missing) > 5 else ''})",
                             file=name)  # fmt: skip
        text = texts[doc_id]
        spans = [s for r in doc_rows for s in decode(r.tokens, tags[r.id])]
        records[doc_id] = {"id": doc_id, "entities": [
            {"id": f"e{k}", "start": s.start, "end": s.end, "text": text[s.start:s.end], "label": s.label}
            for k, s in enumerate(spans, 1)
        ]}  # fmt: skip
    return BioPredictions(records, first_line, tuple(sorted(skipped)))
