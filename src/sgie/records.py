"""Immutable annotation records of the three layers, and their strict JSON form.

What it does
    Immutable records for one document's annotations -- ``Entity``, ``Proposal`` (with
    ``Argument``), ``Attribution`` -- gathered in ``DocAnnotations``, and
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

    The records are frozen ``msgspec.Struct`` types (immutable, typed, compared and hashed by
    value, like frozen dataclasses). An item's fields are its JSON keys in order, so a span's
    ``start``/``end``/``text`` sit flat on an ``Entity``, ``Argument`` or ``Proposal`` (its
    ``span`` property gives the ``Span``), and closed value sets are ``Literal`` types spelled
    out here (a test checks they equal ``sgie.schema``'s values). A record holds resolved
    offsets; the file format, where a span may give its text alone, is described by the types
    of ``sgie.scoring.wire``, and every record from outside is checked by the one validator,
    ``sgie.scoring.validate``.

    ``expect_object``, ``expect_str``, ... are small checks of parsed JSON values with
    attrs-style messages, for the other file formats of the project (the manifest, the Label
    Studio export).

What it does not do
    No validation of records (``sgie.scoring.validate``), no file reading, no grounding of
    text-only spans (``sgie.scoring.grounding``), no scoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeVar

import msgspec

from sgie import schema
from sgie.errors import InputError
from sgie.spans import HasSpan, Span

# JSON values as produced by json.loads.
JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
JSONObject = dict[str, JSON]

LayerName = Literal["entities", "proposals", "attributions"]
#: The annotation layers, in the order of the record shape.
LAYER_NAMES: tuple[LayerName, ...] = ("entities", "proposals", "attributions")

# The closed value sets of sgie.schema as types a checker can resolve: a decoder rejects any
# other value. tests/test_eval_schema.py checks that each equals sgie.schema's values, in order.
EntityLabel = Literal["PERSON", "ORG", "MEDIA", "MILITARY", "GPE", "LOC", "NORP", "LAW", "EVENT",
                      "EQUIPMENT", "QUANTITY"]  # fmt: skip
Role = Literal["proposer", "executor", "beneficiary", "condition"]
ProposalType = Literal["plan", "offer", "pledge", "commitment", "demand", "option", "refusal"]
ProposalStatus = Literal["draft", "under_discussion", "offered", "agreed", "rejected",
                         "withdrawable", "superseded"]  # fmt: skip
ProposalPolarity = Literal["positive", "negative"]
QuoteType = Literal["direct", "indirect", "mixed"]
SourceType = Literal["named_person", "named_organisation", "anonymous", "group", "document",
                     "media_outlet", "pronoun", "none"]  # fmt: skip
#: Each closed value set with the ``sgie.schema`` values it must equal (tested).
VALUE_SETS: dict[str, tuple[object, tuple[str, ...]]] = {
    "label": (EntityLabel, schema.ENTITY_LABELS),
    "role": (Role, schema.ROLE_NAMES),
    "type": (ProposalType, schema.PROPOSAL_TYPE.value_names),
    "status": (ProposalStatus, schema.PROPOSAL_STATUS.value_names),
    "polarity": (ProposalPolarity, schema.PROPOSAL_POLARITY.value_names),
    "quote_type": (QuoteType, schema.QUOTE_TYPE.value_names),
    "source_type": (SourceType, schema.SOURCE_TYPE.value_names),
}


class _Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Immutable record: a frozen ``msgspec.Struct`` whose fields are its JSON keys, in order."""


def span_json(span: Span) -> JSONObject:
    """``span.to_json()`` typed as a JSON object."""
    return {"start": span.start, "end": span.end, "text": span.text}


S = TypeVar("S", bound="_Spanned")


class _Spanned(_Record, frozen=True):
    """A record with one span, held flat as ``start``, ``end``, ``text`` (fields that each
    subclass declares, so that they keep their place in the JSON shape)."""

    @property
    def span(self: HasSpan) -> Span:
        return Span(self.start, self.end, self.text)

    def with_span(self: S, span: Span) -> S:
        """The same record on another span."""
        return msgspec.structs.replace(self, start=span.start, end=span.end, text=span.text)


class Entity(_Spanned, frozen=True, gc=False):
    """An entity mention: the span ``[start, end)`` with its ``text``, and its label."""

    id: str
    start: int
    end: int
    text: str
    label: EntityLabel

    @classmethod
    def at(cls, id: str, span: Span, label: EntityLabel) -> Entity:
        return cls(id, span.start, span.end, span.text, label)

    def to_json(self) -> JSONObject:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text,
                "label": self.label}  # fmt: skip


class Argument(_Spanned, frozen=True, gc=False):
    """A proposal argument: its role and span; ``entity_id`` if the span is an entity's."""

    role: Role
    start: int
    end: int
    text: str
    entity_id: str | None

    @classmethod
    def at(cls, role: Role, span: Span, entity_id: str | None) -> Argument:
        return cls(role, span.start, span.end, span.text, entity_id)

    def to_json(self) -> JSONObject:
        return {"role": self.role, "start": self.start, "end": self.end, "text": self.text,
                "entity_id": self.entity_id}  # fmt: skip


class Proposal(_Spanned, frozen=True):
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
    def at(cls, id: str, span: Span, type: ProposalType, status: ProposalStatus,
           polarity: ProposalPolarity, arguments: tuple[Argument, ...]) -> Proposal:  # fmt: skip
        return cls(id, span.start, span.end, span.text, type, status, polarity, arguments)

    def to_json(self) -> JSONObject:
        return {
            "id": self.id,
            **span_json(self.span),
            "type": self.type,
            "status": self.status,
            "polarity": self.polarity,
            "arguments": [a.to_json() for a in self.arguments],
        }


class Attribution(_Record, frozen=True):
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
            "cue": [span_json(s) for s in self.cue],
            "source": [span_json(s) for s in self.source],
            "content": [span_json(s) for s in self.content],
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
# Checks of parsed JSON values, for the project's other formats
# --------------------------------------------------------------------------------------------
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
                f"{where} has unknown field {key!r} (expected only {sorted(allowed)})"
            )
    for key in required:
        if key not in value:
            raise InputError(f"'{_join(path, key)}' is required (got nothing)")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def expect_str(value: JSON, path: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"'{path}' must be a string (got {_type_name(value)} {value!r})")
    return value


def expect_list(value: JSON, path: str) -> list[JSON]:
    if not isinstance(value, list):
        raise InputError(f"'{path}' must be an array (got {_type_name(value)})")
    return value


def expect_int(value: JSON, path: str) -> int:
    if type(value) is not int:
        raise InputError(f"'{path}' must be an integer (got {_type_name(value)} {value!r})")
    return value


def expect_choice(value: JSON, path: str, allowed: tuple[str, ...]) -> str:
    text = expect_str(value, path)
    if text not in allowed:
        raise InputError(f"'{path}' must be one of {list(allowed)} (got {text!r})")
    return text


def expect_optional_str(value: JSON, path: str) -> str | None:
    return None if value is None else expect_str(value, path)
