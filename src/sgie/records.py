"""Immutable annotation records of the three layers, and their strict JSON form.

What it does
    Immutable records for one document's annotations -- ``Entity``, ``Proposal`` (with
    ``Argument``), ``Attribution`` -- gathered in ``DocAnnotations``, plus ``parse_doc`` /
    ``DocAnnotations.to_json`` for the JSON shape shared by the dataset's ``documents`` config,
    prediction files and gold files:

    .. code-block:: text

        {"id": "000",
         "entities":     [{"id", "start", "end", "label", "text"}],
         "proposals":    [{"id", "start", "end", "text", "type", "status", "polarity",
                           "arguments": [{"role", "start", "end", "text", "entity_id"}]}],
         "attributions": [{"id", "cue": [span], "source": [span], "content": [span],
                           "quote_type", "source_type", "parent_id"}]}

    where ``span`` is ``{"start", "end", "text"}``. A layer that is absent (``None`` in Python)
    was not attempted; an empty list means "attempted, found nothing".

    Parsing is strict: unknown fields are rejected, types are checked (a bool is not an int),
    labels and attribute values must be in ``sgie.schema``, every span must satisfy
    ``text[start:end] == span text`` (``sgie.spans.Span``), ids are unique within a layer, and
    references (``entity_id``, ``parent_id``) must resolve.

    The records are frozen ``msgspec.Struct`` types (immutable, typed, compared and hashed by
    value, like frozen dataclasses). An item's fields are its JSON keys in order, so a span's
    ``start``/``end``/``text`` sit flat on an ``Entity``, ``Argument`` or ``Proposal`` (its
    ``span`` property gives the ``Span``), and closed value sets are ``Literal`` types built
    from ``sgie.schema``. This lets ``sgie.scoring.decode`` decode large files straight into
    records; ``parse_doc`` remains the reference parser, with the error messages.

What it does not do
    No file reading (callers pass parsed JSON objects and add file/line to errors); no
    grounding of text-only spans (``sgie.scoring.grounding``); no scoring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Literal, Self

import msgspec

from sgie import schema
from sgie.errors import InputError, quote
from sgie.spans import Span

# JSON values as produced by json.loads.
JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
JSONObject = dict[str, JSON]

LAYER_NAMES: tuple[str, ...] = ("entities", "proposals", "attributions")

# The closed value sets of sgie.schema as types: a decoder (sgie.scoring.decode) rejects any
# other value. Built from the schema, never spelled out here.
EntityLabel = Literal[schema.ENTITY_LABELS]  # type: ignore[valid-type]
Role = Literal[schema.ROLE_NAMES]  # type: ignore[valid-type]
ProposalType = Literal[schema.PROPOSAL_TYPE.value_names]  # type: ignore[valid-type]
ProposalStatus = Literal[schema.PROPOSAL_STATUS.value_names]  # type: ignore[valid-type]
ProposalPolarity = Literal[schema.PROPOSAL_POLARITY.value_names]  # type: ignore[valid-type]
QuoteType = Literal[schema.QUOTE_TYPE.value_names]  # type: ignore[valid-type]
SourceType = Literal[schema.SOURCE_TYPE.value_names]  # type: ignore[valid-type]


class _Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Immutable record: a frozen ``msgspec.Struct`` whose fields are its JSON keys, in order."""


class _Spanned(_Record):
    """A record with one span, held flat as ``start``, ``end``, ``text`` (fields that each
    subclass declares, so that they keep their place in the JSON shape)."""

    if TYPE_CHECKING:
        start: int
        end: int
        text: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)

    def with_span(self, span: Span) -> Self:
        """The same record on another span."""
        return msgspec.structs.replace(self, start=span.start, end=span.end, text=span.text)


class Entity(_Spanned, gc=False):
    """An entity mention: the span ``[start, end)`` with its ``text``, and its label."""

    id: str
    start: int
    end: int
    text: str
    label: EntityLabel

    @classmethod
    def at(cls, id: str, span: Span, label: str) -> Entity:
        return cls(id, span.start, span.end, span.text, label)

    def to_json(self) -> JSONObject:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text,
                "label": self.label}  # fmt: skip


class Argument(_Spanned, gc=False):
    """A proposal argument: its role and span; ``entity_id`` if the span is an entity's."""

    role: Role
    start: int
    end: int
    text: str
    entity_id: str | None

    @classmethod
    def at(cls, role: str, span: Span, entity_id: str | None) -> Argument:
        return cls(role, span.start, span.end, span.text, entity_id)

    def to_json(self) -> JSONObject:
        return {"role": self.role, "start": self.start, "end": self.end, "text": self.text,
                "entity_id": self.entity_id}  # fmt: skip


class Proposal(_Spanned):
    """A proposal span with its type, status, polarity and arguments."""

    id: str
    start: int
    end: int
    text: str
    type: ProposalType
    status: ProposalStatus
    polarity: ProposalPolarity
    arguments: tuple[Argument, ...]

    @classmethod
    def at(cls, id: str, span: Span, type: str, status: str, polarity: str,
           arguments: tuple[Argument, ...]) -> Proposal:  # fmt: skip
        return cls(id, span.start, span.end, span.text, type, status, polarity, arguments)

    def to_json(self) -> JSONObject:
        return {
            "id": self.id,
            **self.span.to_json(),
            "type": self.type,
            "status": self.status,
            "polarity": self.polarity,
            "arguments": [a.to_json() for a in self.arguments],
        }


class Attribution(_Record):
    """An attribution: cue, source and content spans, quote and source type, parent."""

    id: str
    cue: tuple[Span, ...]
    source: tuple[Span, ...]
    content: tuple[Span, ...]
    quote_type: QuoteType
    source_type: SourceType
    parent_id: str | None

    def to_json(self) -> JSONObject:
        return {
            "id": self.id,
            "cue": [s.to_json() for s in self.cue],
            "source": [s.to_json() for s in self.source],
            "content": [s.to_json() for s in self.content],
            "quote_type": self.quote_type,
            "source_type": self.source_type,
            "parent_id": self.parent_id,
        }


class DocAnnotations(msgspec.Struct, frozen=True):
    """All annotations of one document; a layer of ``None`` was not attempted."""

    doc_id: str
    entities: tuple[Entity, ...] | None
    proposals: tuple[Proposal, ...] | None
    attributions: tuple[Attribution, ...] | None

    def to_json(self) -> JSONObject:
        out: JSONObject = {"id": self.doc_id}
        if self.entities is not None:
            out["entities"] = [e.to_json() for e in self.entities]
        if self.proposals is not None:
            out["proposals"] = [p.to_json() for p in self.proposals]
        if self.attributions is not None:
            out["attributions"] = [a.to_json() for a in self.attributions]
        return out


# --------------------------------------------------------------------------------------------
# Strict parsing
# --------------------------------------------------------------------------------------------
#: Turns a span object that has ``text`` but no offsets into a Span, or None if it cannot.
Grounder = Callable[[str, str], Span | None]


def _type_name(value: JSON) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}[type(value)]  # fmt: skip


def expect_object(
    value: JSON, path: str, required: Iterable[str], optional: Iterable[str] = ()
) -> JSONObject:
    """``value`` as an object with exactly the ``required`` keys plus any of ``optional``."""
    if not isinstance(value, dict):
        raise InputError(f"'{path or 'record'}' must be an object (got {_type_name(value)})")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            where = f"'{path}'" if path else "record"
            raise InputError(
                f"{where} has unknown field {quote(key)} (expected only {sorted(allowed)})"
            )
    for key in required:
        if key not in value:
            raise InputError(f"'{_join(path, key)}' is required (got nothing)")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def expect_str(value: JSON, path: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"'{path}' must be a string (got {_type_name(value)} {quote(value)})")
    return value


def expect_list(value: JSON, path: str) -> list[JSON]:
    if not isinstance(value, list):
        raise InputError(f"'{path}' must be an array (got {_type_name(value)})")
    return value


def expect_int(value: JSON, path: str) -> int:
    if type(value) is not int:
        raise InputError(f"'{path}' must be an integer (got {_type_name(value)} {quote(value)})")
    return value


def expect_choice(value: JSON, path: str, allowed: tuple[str, ...]) -> str:
    text = expect_str(value, path)
    if text not in allowed:
        raise InputError(f"'{path}' must be one of {list(allowed)} (got {quote(text)})")
    return text


def expect_optional_str(value: JSON, path: str) -> str | None:
    return None if value is None else expect_str(value, path)


def parse_span(
    obj: JSON,
    path: str,
    doc_text: str,
    extra: Iterable[str] = (),
    grounder: Grounder | None = None,
) -> Span:
    """A span from ``{start, end, text}`` (plus the caller's ``extra`` keys), checked on the text.

    With a ``grounder``, ``start`` and ``end`` may both be omitted and the grounder places
    ``text``; if it cannot, ``InputError`` names the span (callers that count ungrounded spans
    catch ``UngroundedSpan``).
    """
    extra = tuple(extra)
    if grounder is not None and isinstance(obj, dict) and "start" not in obj and "end" not in obj:
        o = expect_object(obj, path, ("text", *extra))
        text = expect_str(o["text"], _join(path, "text"))
        span = grounder(text, path)
        if span is None:
            raise UngroundedSpan(f"'{_join(path, 'text')}' {quote(text)} does not occur in the text")
        return span
    o = expect_object(obj, path, ("start", "end", "text", *extra))
    start = expect_int(o["start"], _join(path, "start"))
    end = expect_int(o["end"], _join(path, "end"))
    text = expect_str(o["text"], _join(path, "text"))
    if end > len(doc_text):
        raise InputError(f"'{_join(path, 'end')}' must be <= len(text)={len(doc_text)} (got {quote(end)})")
    try:
        return Span(start, end, text).check(doc_text)
    except InputError as err:
        raise InputError(_prefix_field(err.message, path)) from None


class UngroundedSpan(InputError):
    """A text-only span whose text could not be placed in the document."""


def _prefix_field(message: str, path: str) -> str:
    """Rewrite ``'end' must ...`` as ``'entities[2].end' must ...``."""
    if path and message.startswith("'"):
        return f"'{path}." + message[1:]
    return message


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise InputError(f"'{path}[{i}].id' must be unique in the layer (got {quote(ident)} again)")
        seen.add(ident)


def parse_entity(obj: JSON, path: str, doc_text: str, grounder: Grounder | None) -> Entity:
    span = parse_span(obj, path, doc_text, extra=("id", "label"), grounder=grounder)
    assert isinstance(obj, dict)
    return Entity.at(
        expect_str(obj["id"], _join(path, "id")),
        span,
        expect_choice(obj["label"], _join(path, "label"), schema.ENTITY_LABELS),
    )


def parse_argument(obj: JSON, path: str, doc_text: str, grounder: Grounder | None) -> Argument:
    span = parse_span(obj, path, doc_text, extra=("role", "entity_id"), grounder=grounder)
    assert isinstance(obj, dict)
    return Argument.at(
        expect_choice(obj["role"], _join(path, "role"), schema.ROLE_NAMES),
        span,
        expect_optional_str(obj["entity_id"], _join(path, "entity_id")),
    )


def parse_proposal(obj: JSON, path: str, doc_text: str, grounder: Grounder | None) -> Proposal:
    keys = ("id", "type", "status", "polarity", "arguments")
    span = parse_span(obj, path, doc_text, extra=keys, grounder=grounder)
    assert isinstance(obj, dict)
    args_path = _join(path, "arguments")
    arguments = tuple(
        parse_argument(a, f"{args_path}[{i}]", doc_text, grounder)
        for i, a in enumerate(expect_list(obj["arguments"], args_path))
    )
    return Proposal.at(
        expect_str(obj["id"], _join(path, "id")),
        span,
        expect_choice(obj["type"], _join(path, "type"), schema.PROPOSAL_TYPE.value_names),
        expect_choice(obj["status"], _join(path, "status"), schema.PROPOSAL_STATUS.value_names),
        expect_choice(
            obj["polarity"], _join(path, "polarity"), schema.PROPOSAL_POLARITY.value_names
        ),
        arguments,
    )


def _span_list(
    obj: JSONObject, key: str, path: str, doc_text: str, grounder: Grounder | None
) -> tuple[Span, ...]:
    p = _join(path, key)
    return tuple(
        parse_span(s, f"{p}[{i}]", doc_text, grounder=grounder)
        for i, s in enumerate(expect_list(obj[key], p))
    )


def parse_attribution(
    obj: JSON, path: str, doc_text: str, grounder: Grounder | None
) -> Attribution:
    keys = ("id", "cue", "source", "content", "quote_type", "source_type", "parent_id")
    o = expect_object(obj, path, keys)
    cue = _span_list(o, "cue", path, doc_text, grounder)
    content = _span_list(o, "content", path, doc_text, grounder)
    if not cue:
        raise InputError(f"'{_join(path, 'cue')}' must have at least one span (got [])")
    if not content:
        raise InputError(f"'{_join(path, 'content')}' must have at least one span (got [])")
    return Attribution(
        expect_str(o["id"], _join(path, "id")),
        cue,
        _span_list(o, "source", path, doc_text, grounder),
        content,
        expect_choice(o["quote_type"], _join(path, "quote_type"), schema.QUOTE_TYPE.value_names),
        expect_choice(
            o["source_type"], _join(path, "source_type"), schema.SOURCE_TYPE.value_names
        ),
        expect_optional_str(o["parent_id"], _join(path, "parent_id")),
    )


def parse_doc(
    obj: JSON,
    doc_text_for: Mapping[str, str],
    *,
    extra_fields: Iterable[str] = (),
    grounder_for: Callable[[str, str], Grounder] | None = None,
) -> DocAnnotations:
    """Parse one document record; ``doc_text_for`` maps known document ids to their text.

    ``extra_fields`` are further top-level keys the caller allows (and reads itself).
    ``grounder_for(doc_id, text)`` supplies a grounder for text-only spans (predictions).
    """
    o = expect_object(obj, "", ("id",), (*LAYER_NAMES, *extra_fields))
    doc_id = expect_str(o["id"], "id")
    if doc_id not in doc_text_for:
        known = sorted(doc_text_for)
        shown = quote(known) if len(known) <= 10 else f"{quote(known[:10])}[:10] of {len(known)}"
        raise InputError(f"'id' must be a known document id {shown} (got {quote(doc_id)})")
    text = doc_text_for[doc_id]
    grounder = grounder_for(doc_id, text) if grounder_for else None

    def layer(key: str, parse: Callable[[JSON, str, str, Grounder | None], object]) -> tuple | None:
        if key not in o:
            return None
        items = tuple(parse(x, f"{key}[{i}]", text, grounder) for i, x in enumerate(
            expect_list(o[key], key)))  # fmt: skip
        _unique([x.id for x in items], key)  # type: ignore[attr-defined]
        return items

    entities = layer("entities", parse_entity)
    proposals = layer("proposals", parse_proposal)
    attributions = layer("attributions", parse_attribution)
    doc = DocAnnotations(doc_id, entities, proposals, attributions)  # type: ignore[arg-type]
    check_references(doc)
    return doc


def check_references(doc: DocAnnotations) -> None:
    """``entity_id`` must name an entity of the document (and the argument carry its span);
    ``parent_id`` must name another attribution of the document."""
    entity_spans = {e.id: e.span for e in doc.entities or ()}
    for i, p in enumerate(doc.proposals or ()):
        for j, a in enumerate(p.arguments):
            if a.entity_id is None:
                continue
            if a.entity_id not in entity_spans:
                raise InputError(
                    f"'proposals[{i}].arguments[{j}].entity_id' must name an entity of the "
                    f"document (got {quote(a.entity_id)})"
                )
            want = entity_spans[a.entity_id]
            if a.span != want:
                raise InputError(
                    f"'proposals[{i}].arguments[{j}]' must have the span of entity "
                    f"{quote(a.entity_id)} {want.start}..{want.end} (got {a.span.start}..{a.span.end})"
                )
    attribution_ids = {a.id for a in doc.attributions or ()}
    for i, a in enumerate(doc.attributions or ()):
        if a.parent_id is not None and (a.parent_id not in attribution_ids or a.parent_id == a.id):
            raise InputError(
                f"'attributions[{i}].parent_id' must name another attribution of the document "
                f"(got {quote(a.parent_id)})"
            )
