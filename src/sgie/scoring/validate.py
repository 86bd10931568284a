"""The one validator of annotation records: types first, then one checking pass.

What it does
    Every annotation record that reaches the scorer -- a line of a predictions file or of a
    documents-format gold file, an extractor's output, a record passed to the Python API
    (``sgie.scoring.official.evaluate``), an annotation pass file -- goes through here, so all
    of them are accepted and rejected alike:

    1. **Types** (``sgie.scoring.wire``): msgspec decodes the line into typed records; a line
       msgspec rejects is parsed by ``sgie.scoring.jsonl.parse_line`` (malformed JSON,
       ``NaN``, repeated keys, non-UTF-8 bytes) and converted again, and msgspec's error
       becomes the attrs-style message (``sgie.scoring.messages``: ``'entities[0].label' must be one of
       [...] (got 'COUNTRY')``, ``'entities[0].start' must be an integer (got string '0')``).
       Records with offsets everywhere decode straight into the frozen records of
       ``sgie.records`` (the fast path); others into the wire types, whose text-only spans
       ``sgie.scoring.grounding`` places.
    2. **Checks** (``check``) -- what types cannot say: both offsets or neither (and both in
       gold), every span ``0 <= start < end <= len(text)`` with ``text == text[start:end]``
       (the rule of ``sgie.spans``), ids unique within a layer, an argument's ``entity_id``
       naming an entity of the document whose span it has, a ``parent_id`` naming another
       attribution, no nesting cycle (``a -> b -> a``), at least one cue and one content span.

    **Repeated keys.** msgspec keeps the last value of a repeated key, so a line decoded by
    msgspec is accepted only if it has as many ``:`` bytes as its records re-encoded: outside
    strings a ``:`` only ever follows a key, and strings keep their ``:`` bytes on re-encoding
    (unless escaped as ``\\u003a``: such a line takes the JSON parser). A repeated key adds at
    least one ``:``, whatever the white space, and sends the line to
    ``sgie.scoring.jsonl.parse_line``, which names it.

    Entry points: ``decode_document(raw)`` (a gold line -> records and text),
    ``decode_prediction(raw, texts)`` (a prediction line -> records and ``Ungrounded``),
    ``decode_id(raw, gold)`` (the id, for indexing a file; ``None`` if the top level is not
    right), ``parse_document`` / ``parse_prediction`` (the same from a parsed JSON value),
    ``document_line`` / ``prediction_line`` (records in memory as the line a file would hold:
    how the Python API validates exactly like the command). Errors are ``InputError`` without
    a location; callers add file and line.

What it does not do
    No file reading (``sgie.scoring.jsonl``, ``sgie.scoring.sources``), no checks across
    records (repeated document ids, layers present in some records only:
    ``sgie.scoring.sources``), no grounding rule of its own (``sgie.scoring.grounding``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TypeVar

import msgspec
from msgspec import UNSET

from sgie.errors import InputError, quote
from sgie.nesting import nesting_cycle
from sgie.records import (
    JSON,
    Argument,
    Attribution,
    DocAnnotations,
    Entity,
    JSONObject,
    Proposal,
)
from sgie.scoring import wire
from sgie.scoring.grounding import (
    NOTHING_UNGROUNDED,
    Ungrounded,
    ground,
    spans_of,
    split,
)
from sgie.scoring.jsonl import parse_line
from sgie.scoring.messages import explain
from sgie.spans import Span, all_hold

W = TypeVar("W", wire.Prediction, wire.Document)
R = TypeVar("R", bound=msgspec.Struct)


# --------------------------------------------------------------------------------------------
# Types: the fast path (records with offsets) and the wire types
# --------------------------------------------------------------------------------------------
class _FastPrediction(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    entities: tuple[Entity, ...] | msgspec.UnsetType = UNSET
    proposals: tuple[Proposal, ...] | msgspec.UnsetType = UNSET
    attributions: tuple[Attribution, ...] | msgspec.UnsetType = UNSET


class _FastDocument(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    text: str
    entities: tuple[Entity, ...] | msgspec.UnsetType = UNSET
    proposals: tuple[Proposal, ...] | msgspec.UnsetType = UNSET
    attributions: tuple[Attribution, ...] | msgspec.UnsetType = UNSET


class _PredictionHead(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    text: msgspec.Raw = msgspec.Raw()
    entities: msgspec.Raw = msgspec.Raw()
    proposals: msgspec.Raw = msgspec.Raw()
    attributions: msgspec.Raw = msgspec.Raw()


class _DocumentHead(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    text: str
    entities: msgspec.Raw = msgspec.Raw()
    proposals: msgspec.Raw = msgspec.Raw()
    attributions: msgspec.Raw = msgspec.Raw()


@cache
def _decoder(kind: type[R]) -> msgspec.json.Decoder[R]:
    """The decoder of ``kind``, built on first use: building one resolves the annotations of
    every record type it reaches (about 80 of them for the wire types), which a run that
    never takes this path (``sgie.scoring.onepass``) should not pay for at start-up."""
    return msgspec.json.Decoder(kind)


_ERRORS = (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError)
_ENCODE = msgspec.json.Encoder().encode


def _keys_repeat(raw: bytes, decoded: msgspec.Struct) -> bool:
    """Whether ``raw`` may repeat a key that msgspec silently dropped (module docstring)."""
    if b"\\u003" in raw:
        return True
    return raw.count(b":") != _ENCODE(decoded).count(b":")


def decode_id(raw: bytes, gold: bool) -> str | None:
    """The ``id`` of a well-formed JSON record whose top level is right (gold: ``id`` and
    ``text`` strings; predictions: an ``id`` string; either: layers, not looked into, and no
    other field), else ``None``."""
    try:
        return _decoder(_DocumentHead if gold else _PredictionHead).decode(raw).id
    except _ERRORS:
        return None


def _typed(raw: bytes, decoder: msgspec.json.Decoder[W], kind: type[W]) -> W:
    """``raw`` as a wire record, or the one-line ``InputError`` of what is wrong with it."""
    try:
        record = decoder.decode(raw)
    except _ERRORS:
        pass
    else:
        if not _keys_repeat(raw, record):
            return record
    try:
        value = parse_line(raw, "", 0)
    except InputError as err:
        raise InputError(err.message) from None
    return convert(value, kind)


def convert(value: JSON, kind: type[W]) -> W:
    """A parsed JSON value as a wire record (``InputError`` naming field, expected, got)."""
    try:
        return msgspec.convert(value, kind, strict=True)
    except msgspec.ValidationError as err:
        raise explain(str(err), value, kind) from None


# --------------------------------------------------------------------------------------------
# The checking pass
# --------------------------------------------------------------------------------------------
def _offsets(record: wire.Record, gold: bool) -> None:
    """Per span, both offsets or neither, and offsets or text (a gold record: all three); a
    gold record's items have ids."""
    for path, s in spans_of(record):
        if not gold and s.start is UNSET and s.end is UNSET:
            if s.text is UNSET:
                raise InputError(f"'{path}' must have start and end, or text (got neither)")
            continue
        for name in ("start", "end", *(("text",) if gold else ())):
            if getattr(s, name) is UNSET:
                raise InputError(f"'{path}.{name}' is required (got nothing)")
    if gold:
        for layer in ("entities", "proposals", "attributions"):
            for i, item in enumerate(getattr(record, layer) or ()):
                if item.id is UNSET:
                    raise InputError(f"'{layer}[{i}].id' is required (got nothing)")


def _same_text(record: wire.Record, text: str) -> None:
    """A prediction record that carries the document text carries the gold text."""
    given = getattr(record, "text", UNSET)
    if isinstance(record, wire.Prediction) and given is not UNSET and given != text:
        assert isinstance(given, str)
        at = next((i for i, (a, b) in enumerate(zip(given, text)) if a != b), min(len(given), len(text)))
        raise InputError(f"'text' must equal the gold text of document {quote(record.id)} "
                         f"({len(text)} characters) (got {len(given)} characters, first "
                         f"difference at character {at})")  # fmt: skip


def _flat(doc: DocAnnotations) -> Iterator[Span | Entity | Argument | Proposal]:
    """Every span of the records, without paths (the common case: all hold)."""
    yield from doc.entities or ()
    for p in doc.proposals or ():
        yield p
        yield from p.arguments
    for t in doc.attributions or ():
        yield from t.cue
        yield from t.source
        yield from t.content


def _check_spans(doc: DocAnnotations, text: str, placeholders: Mapping[str, str]) -> None:
    """The offset rule for every span (``sgie.spans.all_hold``); on a failure, the first span
    that breaks it (placeholders excepted) is named."""
    if not placeholders and all_hold(text, _flat(doc)):
        return
    n = len(text)
    for path, x in _spans(doc):
        start, end = x.start, x.end
        if not 0 <= start < end <= n or text[start:end] != x.text:
            if path in placeholders:
                continue
            raise Span.violation(text, start, end, x.text, path)


def _spans(doc: DocAnnotations) -> Iterable[tuple[str, Span | Entity | Argument | Proposal]]:
    """Every span of the records with its path (built lazily: only read on a failure)."""
    for i, e in enumerate(doc.entities or ()):
        yield f"entities[{i}]", e
    for i, p in enumerate(doc.proposals or ()):
        yield f"proposals[{i}]", p
        for j, a in enumerate(p.arguments):
            yield f"proposals[{i}].arguments[{j}]", a
    for i, t in enumerate(doc.attributions or ()):
        for role, spans in (("cue", t.cue), ("source", t.source), ("content", t.content)):
            for k, s in enumerate(spans):
                yield f"attributions[{i}].{role}[{k}]", s


def _unique(layer: str, ids: list[str]) -> None:
    """Name the first repeated id of a layer."""
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise InputError(f"'{layer}[{i}].id' must be unique in the layer (got {quote(ident)} again)")
        seen.add(ident)


def check(doc: DocAnnotations, text: str, placeholders: Mapping[str, str] | None = None) -> None:
    """The checks types cannot make (module docstring), on records of a document with ``text``.
    ``placeholders`` are the paths of ungrounded text-only spans (``sgie.scoring.grounding``),
    whose offsets are not checked."""
    _check_spans(doc, text, placeholders or {})
    entities, proposals, attributions = doc.entities or (), doc.proposals or (), doc.attributions or ()
    for layer, items in (("entities", entities), ("proposals", proposals), ("attributions", attributions)):
        if len(items) > 1 and len({x.id for x in items}) != len(items):
            _unique(layer, [x.id for x in items])
    if proposals:
        _check_arguments(entities, proposals, placeholders or {})
    if attributions:
        _check_nesting(attributions)


def _check_arguments(entities: tuple[Entity, ...], proposals: tuple[Proposal, ...],
                     placeholders: Mapping[str, str]) -> None:  # fmt: skip
    """An argument's ``entity_id`` names an entity of the document whose span it has."""
    by_id = {e.id: (i, e) for i, e in enumerate(entities)}
    for i, p in enumerate(proposals):
        for j, a in enumerate(p.arguments):
            if a.entity_id is None:
                continue
            path = f"proposals[{i}].arguments[{j}]"
            if a.entity_id not in by_id:
                raise InputError(f"'{path}.entity_id' must name an entity of the document (got "
                                 f"{quote(a.entity_id)})")  # fmt: skip
            k, e = by_id[a.entity_id]
            if (e.start, e.end) != (a.start, a.end) and not (
                f"entities[{k}]" in placeholders and path in placeholders
            ):
                raise InputError(f"'{path}' must have the span of entity {quote(a.entity_id)} "
                                 f"{e.start}..{e.end} (got {a.start}..{a.end})")  # fmt: skip


def _check_nesting(attributions: tuple[Attribution, ...]) -> None:
    """At least one cue and one content span; ``parent_id`` names another attribution; no
    attribution nested in itself through its parents."""
    parents = {t.id: t.parent_id for t in attributions}
    for i, t in enumerate(attributions):
        if not t.cue:
            raise InputError(f"'attributions[{i}].cue' must have at least one span (got [])")
        if not t.content:
            raise InputError(f"'attributions[{i}].content' must have at least one span (got [])")
        if t.parent_id is not None and (t.parent_id not in parents or t.parent_id == t.id):
            raise InputError(f"'attributions[{i}].parent_id' must name another attribution of the "
                             f"document (got {quote(t.parent_id)})")  # fmt: skip
    if any(t.parent_id is not None for t in attributions):
        _no_cycles(parents, [t.id for t in attributions])


def _no_cycles(parents: Mapping[str, str | None], order: list[str]) -> None:
    """No attribution is nested, through its parents, in itself (the rule of ``sgie.nesting``)."""
    cycle = nesting_cycle(parents)
    if cycle is not None:
        loop = " -> ".join(map(quote, cycle))
        raise InputError(f"'attributions[{order.index(cycle[0])}].parent_id' must not form a cycle "
                         f"(got the cycle {quote(loop)})")  # fmt: skip


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------
def _records(line: _FastPrediction | _FastDocument) -> DocAnnotations:
    return DocAnnotations(
        line.id,
        None if line.entities is UNSET else line.entities,
        None if line.proposals is UNSET else line.proposals,
        None if line.attributions is UNSET else line.attributions,
    )


def _known(doc_id: str, texts: Mapping[str, str]) -> str:
    if doc_id not in texts:
        known = sorted(texts)
        shown = quote(known) if len(known) <= 10 else f"{quote(known[:10])}[:10] of {len(known)}"
        raise InputError(f"'id' must be a known document id {shown} (got {quote(doc_id)})")
    return texts[doc_id]


def _from_wire(record: W, text: str) -> tuple[DocAnnotations, Ungrounded]:
    _offsets(record, isinstance(record, wire.Document))
    _same_text(record, text)
    doc, ungrounded, placed = ground(record, text)
    check(doc, text, ungrounded)
    return split(doc, text, ungrounded, placed)


def _checked(line: _FastDocument | _FastPrediction, text: str) -> DocAnnotations | None:
    """The records of a line the fast types took, if they pass ``check``; ``None`` if not:
    the typed path then words the error, so that a value its types reject (an empty span
    ``text``) is reported as they say, as for a parsed JSON value."""
    doc = _records(line)
    try:
        check(doc, text)
    except InputError:
        return None
    return doc


def decode_document(raw: bytes) -> tuple[DocAnnotations, str]:
    """A documents-format (gold) line as ``(records, text)``; ``InputError`` if it is bad."""
    try:
        line = _decoder(_FastDocument).decode(raw)
    except _ERRORS:
        pass
    else:
        if not _keys_repeat(raw, line) and (doc := _checked(line, line.text)) is not None:
            return doc, line.text
    record = _typed(raw, _decoder(wire.Document), wire.Document)
    return _from_wire(record, record.text)[0], record.text


def decode_prediction(raw: bytes, texts: Mapping[str, str]) -> tuple[DocAnnotations, Ungrounded]:
    """A prediction line for one of the documents of ``texts`` (id -> text) as records, with
    the items whose text-only spans could not be placed apart; ``InputError`` if it is bad."""
    try:
        line = _decoder(_FastPrediction).decode(raw)
    except _ERRORS:
        pass
    else:
        if not _keys_repeat(raw, line) and (doc := _checked(line, _known(line.id, texts))) is not None:
            return doc, NOTHING_UNGROUNDED
    record = _typed(raw, _decoder(wire.Prediction), wire.Prediction)
    return _from_wire(record, _known(record.id, texts))


def parse_prediction(value: JSON, texts: Mapping[str, str]) -> tuple[DocAnnotations, Ungrounded]:
    """``decode_prediction`` of a parsed JSON value (an extractor's output)."""
    record = convert(value, wire.Prediction)
    return _from_wire(record, _known(record.id, texts))


def parse_document(value: JSON, texts: Mapping[str, str] | None = None) -> tuple[DocAnnotations, str]:
    """``decode_document`` of a parsed JSON value; with ``texts``, the id must be one of them
    and the record's ``text``, which may then be left out, equal to it (an annotation pass
    file)."""
    doc_id = value.get("id") if isinstance(value, dict) else None
    if texts is not None and isinstance(value, dict) and "text" not in value and isinstance(doc_id, str):
        value = {**value, "text": _known(doc_id, texts)}
    record = convert(value, wire.Document)
    if texts is not None and _known(record.id, texts) != record.text:
        raise InputError(f"'text' must be the text of document {quote(record.id)} (got another text)")
    return _from_wire(record, record.text)[0], record.text


def document_line(doc: DocAnnotations, text: str) -> bytes:
    """Records and text in memory as the line of a documents-format file."""
    out: JSONObject = {"id": doc.doc_id, "text": text}
    out.update({k: v for k, v in doc.to_json().items() if k != "id"})
    return _ENCODE(out)


def prediction_line(doc: DocAnnotations) -> bytes:
    """Records in memory as the line of a predictions file."""
    return _ENCODE(doc.to_json())
