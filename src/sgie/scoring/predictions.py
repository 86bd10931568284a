"""Prediction files: strict reading into annotation records, with text-only spans grounded.

What it does
    ``read_predictions(path, texts)`` reads a JSON Lines predictions file (format: the
    ``sgie.scoring.official`` header and ``eval/predictions.schema.json``) against the texts of
    the documents being scored, and returns a ``PredictionSet``. ``parse_records`` does the
    same for records that did not come from a file (an extractor's output). Every problem is an
    ``InputError`` naming the file (or source), line, field, expected and found:

    * anything ``sgie.scoring.jsonl`` rejects (missing or empty file, blank line, non-UTF-8,
      malformed JSON, repeated keys);
    * anything the validator rejects (``sgie.scoring.validate``: unknown or missing fields,
      wrong types, unknown labels or values, offsets out of range or reversed, ``text`` not
      equal to the slice, non-unique item ids, dangling references, nesting cycles), including
      a document id that is not among the documents being scored;
    * a document id given twice (naming both lines);
    * a layer present in some records and absent in others (a layer is attempted for the whole
      submission or not at all; scoring a partly attempted layer would be misleading).

    Text-only spans are grounded (``sgie.scoring.grounding``); items that cannot be grounded are
    kept apart in ``PredictionSet.ungrounded``, not dropped.

What it does not do
    No scoring; no handling of missing documents (``sgie.scoring.official`` does that).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import msgspec

from sgie.errors import InputError, quote
from sgie.records import JSON, LAYER_NAMES, DocAnnotations
from sgie.scoring.grounding import Ungrounded
from sgie.scoring.jsonl import LineFile
from sgie.scoring.validate import decode_prediction, parse_prediction


class Located(msgspec.Struct, frozen=True):
    """Where a record came from, for error messages: a file and line, or a description."""

    source: str
    line: int | None = None

    def describe(self) -> str:
        return f"line {self.line}" if self.line is not None else self.source

    def error(self, err: InputError) -> InputError:
        return err.at(file=self.source, line=self.line)


class PredictionSet(msgspec.Struct, frozen=True):
    """Parsed predictions: grounded records by document id, and what could not be grounded."""

    docs: Mapping[str, DocAnnotations]
    ungrounded: Mapping[str, Ungrounded]
    source: str


class LayerPresence:
    """Checks, record by record, that each layer is present in every record or in none."""

    def __init__(self, what: str):
        self.what = what
        self.first: dict[tuple[str, bool], Located] = {}
        self.pattern: tuple[bool, ...] | None = None  # the first record's layers

    def see(self, doc: DocAnnotations, where: Located) -> None:
        pattern = (doc.entities is not None, doc.proposals is not None, doc.attributions is not None)
        if pattern == self.pattern:
            return
        self.pattern = self.pattern or pattern
        for layer in LAYER_NAMES:
            present = getattr(doc, layer) is not None
            self.first.setdefault((layer, present), where)
            other = self.first.get((layer, not present))
            if other is not None:
                has, lacks = (where, other) if present else (other, where)
                raise where.error(InputError(
                    f"'{layer}' must be present in every {self.what} record or in none (present "
                    f"in {has.describe()}, absent in {lacks.describe()})"
                ))  # fmt: skip


class _Collector:
    """Gathers validated prediction records: one per document id, layers all-or-none."""

    def __init__(self, source: str):
        self.source = source
        self.docs: dict[str, DocAnnotations] = {}
        self.ungrounded: dict[str, Ungrounded] = {}
        self.seen: dict[str, Located] = {}
        self.presence = LayerPresence("prediction")

    def add(self, doc: DocAnnotations, lost: Ungrounded, where: Located) -> None:
        if doc.doc_id in self.seen:
            raise where.error(InputError(
                f"'id' must be unique in the predictions (got {quote(doc.doc_id)} again; first in "
                f"{self.seen[doc.doc_id].describe()})"
            ))  # fmt: skip
        self.presence.see(doc, where)
        self.seen[doc.doc_id] = where
        self.docs[doc.doc_id] = doc
        self.ungrounded[doc.doc_id] = lost

    def result(self) -> PredictionSet:
        return PredictionSet(self.docs, self.ungrounded, self.source)


def parse_records(
    records: Iterable[tuple[JSON, Located]], texts: Mapping[str, str], source: str
) -> PredictionSet:
    """Validate prediction records (parsed JSON), ground text-only spans, check ids and layers."""
    out = _Collector(source)
    for record, where in records:
        try:
            doc, lost = parse_prediction(record, texts)
        except InputError as err:
            raise where.error(err) from None
        out.add(doc, lost, where)
    return out.result()


def read_predictions(path: Path | str, texts: Mapping[str, str]) -> PredictionSet:
    """A predictions file validated against ``texts`` (document id -> text of the scored set)."""
    out = _Collector(str(path))
    with LineFile(path) as f:
        for number, _, raw in f.lines():
            where = Located(f.name, number)
            try:
                doc, lost = decode_prediction(raw, texts)
            except InputError as err:
                raise where.error(err) from None
            out.add(doc, lost, where)
    return out.result()
