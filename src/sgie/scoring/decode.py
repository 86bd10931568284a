"""Fast strict decoding of one JSON line into annotation records: accept fast, explain slowly.

What it does
    ``decode_gold(raw)`` and ``decode_prediction(raw, text)`` turn one raw line of a
    documents-format file (``{"id", "text", <layers>}``) or of a predictions file
    (``{"id", <layers>}``) into a ``DocAnnotations`` (``sgie.records``), or return ``None``.
    ``decode_id(raw, gold)`` checks only the top level and returns the record's ``id`` (or
    ``None``), for indexing a file.

    They are the fast path of ``sgie.scoring.stream``: msgspec decodes the line straight into
    the frozen records, whose types carry the shape (unknown fields rejected, a bool is not an
    int, labels and values restricted to ``sgie.schema``), then one pass checks what types
    cannot: every span satisfies the offset rule (``sgie.spans.all_hold``), ids are unique within a
    layer, ``entity_id`` and ``parent_id`` resolve, cues and contents are non-empty, and no
    object repeats a key.

    ``None`` means only "not accepted here". The caller then parses the line with the
    reference parser (``sgie.scoring.jsonl.parse_line`` and ``sgie.records.parse_doc``, with
    grounding for predictions), which either explains the problem with the one-line error of
    the file format (file, line, field, expected, found) or accepts what the fast path does not
    handle: text-only spans (no ``start``/``end``) and keys separated from their colon by white
    space. The fast path accepts nothing that the reference parser rejects, and what it accepts
    equals what the reference parser returns (``tests/test_scoring_decode.py``).

    Repeated keys: msgspec keeps the last value of a repeated key. A line is accepted only if
    its number of ``":`` sequences outside escapes equals the number of keys its records have;
    a repeated key (or a key followed by white space) makes them differ and sends the line to
    the reference parser.

What it does not do
    No file handling and no line numbers (``sgie.scoring.stream``), no error messages (the
    reference parser's), no grounding of text-only spans (``sgie.scoring.grounding``).
"""

from __future__ import annotations

import msgspec

from sgie.records import Argument, Attribution, DocAnnotations, Entity, Proposal
from sgie.spans import Span, all_hold

_UNSET = msgspec.UNSET


class _Prediction(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    entities: tuple[Entity, ...] | msgspec.UnsetType = _UNSET
    proposals: tuple[Proposal, ...] | msgspec.UnsetType = _UNSET
    attributions: tuple[Attribution, ...] | msgspec.UnsetType = _UNSET


class _Gold(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    text: str
    entities: tuple[Entity, ...] | msgspec.UnsetType = _UNSET
    proposals: tuple[Proposal, ...] | msgspec.UnsetType = _UNSET
    attributions: tuple[Attribution, ...] | msgspec.UnsetType = _UNSET


class _PredictionHead(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    entities: msgspec.Raw = msgspec.Raw()
    proposals: msgspec.Raw = msgspec.Raw()
    attributions: msgspec.Raw = msgspec.Raw()


class _GoldHead(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    text: str
    entities: msgspec.Raw = msgspec.Raw()
    proposals: msgspec.Raw = msgspec.Raw()
    attributions: msgspec.Raw = msgspec.Raw()


_PREDICTION = msgspec.json.Decoder(_Prediction)
_GOLD = msgspec.json.Decoder(_Gold)
_HEADS = {True: msgspec.json.Decoder(_GoldHead), False: msgspec.json.Decoder(_PredictionHead)}
_ERRORS = (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError)

# keys per item (its JSON fields), for the repeated-key check
_ENTITY_KEYS = len(Entity.__struct_fields__)
_PROPOSAL_KEYS = len(Proposal.__struct_fields__)
_ARGUMENT_KEYS = len(Argument.__struct_fields__)
_ATTRIBUTION_KEYS = len(Attribution.__struct_fields__)
_SPAN_KEYS = len(Span.__struct_fields__)


def decode_id(raw: bytes, gold: bool) -> str | None:
    """The ``id`` of a well-formed JSON record whose top level is right (gold: ``id`` and
    ``text`` strings; predictions: an ``id`` string; either: layers, not looked into, and no
    other field), else ``None``."""
    try:
        return _HEADS[gold].decode(raw).id
    except _ERRORS:
        return None


def decode_gold(raw: bytes) -> tuple[DocAnnotations, str] | None:
    """A documents-format line as ``(annotations, text)`` if it is valid, else ``None``."""
    try:
        line = _GOLD.decode(raw)
    except _ERRORS:
        return None
    doc = _checked(raw, line, line.text, 2)
    return None if doc is None else (doc, line.text)


def decode_prediction(raw: bytes, text: str) -> DocAnnotations | None:
    """A prediction line for a document with ``text`` if it is valid (all spans with
    offsets, ``id`` not checked against the gold: the caller looks it up), else ``None``."""
    try:
        line = _PREDICTION.decode(raw)
    except _ERRORS:
        return None
    return _checked(raw, line, text, 1)


def _checked(raw: bytes, line: _Gold | _Prediction, text: str, keys: int) -> DocAnnotations | None:
    entities = None if line.entities is _UNSET else line.entities
    proposals = None if line.proposals is _UNSET else line.proposals
    attributions = None if line.attributions is _UNSET else line.attributions
    if entities is not None:
        keys += 1 + _ENTITY_KEYS * len(entities)
        if not _entities_hold(entities, text):
            return None
    if proposals is not None:
        keys += 1 + _PROPOSAL_KEYS * len(proposals)
        if not _proposals_hold(proposals, entities or (), text):
            return None
        keys += _ARGUMENT_KEYS * sum(len(p.arguments) for p in proposals)
    if attributions is not None:
        keys += 1 + _ATTRIBUTION_KEYS * len(attributions)
        if not _attributions_hold(attributions, text):
            return None
        keys += _SPAN_KEYS * sum(len(a.cue) + len(a.source) + len(a.content) for a in attributions)
    if raw.count(b'":') - raw.count(b'\\":') != keys:
        return None
    return DocAnnotations(line.id, entities, proposals, attributions)  # type: ignore[arg-type]


def _entities_hold(entities: tuple[Entity, ...], text: str) -> bool:
    return all_hold(text, entities) and len({e.id for e in entities}) == len(entities)


def _proposals_hold(
    proposals: tuple[Proposal, ...], entities: tuple[Entity, ...], text: str
) -> bool:
    by_id = {e.id: e for e in entities}
    for p in proposals:
        if not all_hold(text, (p, *p.arguments)):
            return False
        for a in p.arguments:
            if a.entity_id is not None:
                e = by_id.get(a.entity_id)
                if e is None or (e.start, e.end, e.text) != (a.start, a.end, a.text):
                    return False
    return len({p.id for p in proposals}) == len(proposals)


def _attributions_hold(attributions: tuple[Attribution, ...], text: str) -> bool:
    ids = {a.id for a in attributions}
    if len(ids) != len(attributions):
        return False
    for a in attributions:
        if not a.cue or not a.content:
            return False
        if a.parent_id is not None and (a.parent_id == a.id or a.parent_id not in ids):
            return False
        if not all_hold(text, (*a.cue, *a.source, *a.content)):
            return False
    return True
