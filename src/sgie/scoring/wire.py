"""The file format of annotation records as msgspec types, and the JSON Schema generated from them.

What it does
    Types of one JSON Lines record as it is written -- ``Prediction`` (a line of a predictions
    file: ``{"id", <layers>}``) and ``Document`` (a line of a documents-format gold file:
    ``{"id", "text", <layers>}``) -- with their items ``Entity``, ``Argument``, ``Proposal``,
    ``Attribution`` and ``Span``. They say everything a type can: the fields and their order,
    unknown fields rejected, a bool is not an integer, labels and values from the ``Literal``
    sets of ``sgie.records`` (which equal ``sgie.schema``'s), offsets >= 0, non-empty span
    text, at least one cue and one content span. Offsets are optional (``UNSET``): a span may
    give its text alone (a *text-only span*, placed by ``sgie.scoring.grounding``); a gold
    record must have them (``sgie.scoring.validate`` says so).

    ``predictions_schema()`` is the JSON Schema (draft 2020-12) published as
    ``eval/predictions.schema.json``, generated from ``Prediction`` by ``msgspec.json.schema``
    plus what msgspec cannot express (``start`` and ``end`` come together: ``dependentRequired``)
    and the title and description, enums in ``sgie.schema``'s order. ``sgie leaderboard``
    writes it with the other generated files of ``eval/`` (``--check`` compares it); a test
    checks the committed file equals the generated one.

What it does not do
    No checks beyond the types (offsets against the text, span text, unique ids, references,
    nesting: ``sgie.scoring.validate``); no resolved records (``sgie.records``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from sgie import schema
from sgie.atomic import write_text_atomic
from sgie.records import (
    VALUE_SETS,
    EntityLabel,
    JSONObject,
    ProposalPolarity,
    ProposalStatus,
    ProposalType,
    QuoteType,
    Role,
    SourceType,
)

SCHEMA_FILE = "eval/predictions.schema.json"

Offset = Annotated[int, Meta(ge=0, description="Half-open code-point offset into the text.")]
Text = Annotated[str, Meta(min_length=1)]


class _Wire(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A record as written: fields are the JSON keys, in order."""


class Span(_Wire, frozen=True, kw_only=True):
    """A span: offsets and text, or text alone."""

    start: Offset | UnsetType = UNSET
    end: Offset | UnsetType = UNSET
    text: Text


class Entity(_Wire, frozen=True, kw_only=True):
    """An entity mention."""

    id: str
    start: Offset | UnsetType = UNSET
    end: Offset | UnsetType = UNSET
    text: Text
    label: EntityLabel


class Argument(_Wire, frozen=True, kw_only=True):
    """A proposal argument; with entity_id it must have that entity's span."""

    role: Role
    start: Offset | UnsetType = UNSET
    end: Offset | UnsetType = UNSET
    text: Text
    entity_id: str | None


class Proposal(_Wire, frozen=True, kw_only=True):
    """A proposal with its attributes and arguments."""

    id: str
    start: Offset | UnsetType = UNSET
    end: Offset | UnsetType = UNSET
    text: Text
    type: ProposalType
    status: ProposalStatus
    polarity: ProposalPolarity
    arguments: tuple[Argument, ...]


class Attribution(_Wire, frozen=True, kw_only=True):
    """An attribution: cue, source (empty if none) and content spans; parent_id names the
    attribution it is nested in."""

    id: str
    cue: Annotated[tuple[Span, ...], Meta(min_length=1)]
    source: tuple[Span, ...]
    content: Annotated[tuple[Span, ...], Meta(min_length=1)]
    quote_type: QuoteType
    source_type: SourceType
    parent_id: str | None


class Prediction(_Wire, frozen=True, kw_only=True):
    """One line of a predictions file."""

    id: str
    entities: tuple[Entity, ...] | UnsetType = UNSET
    proposals: tuple[Proposal, ...] | UnsetType = UNSET
    attributions: tuple[Attribution, ...] | UnsetType = UNSET


class Document(_Wire, frozen=True, kw_only=True):
    """One line of a documents-format (gold) file."""

    id: str
    text: str
    entities: tuple[Entity, ...] | UnsetType = UNSET
    proposals: tuple[Proposal, ...] | UnsetType = UNSET
    attributions: tuple[Attribution, ...] | UnsetType = UNSET


Record = Prediction | Document
Spanned = Span | Entity | Argument | Proposal

DESCRIPTION = (
    "The dataset's documents record without text. An omitted layer was not attempted; an "
    "empty list means attempted, found nothing; a layer must be in every record or in "
    "none. Offsets are half-open code-point offsets into the document text and text must "
    "equal text[start:end] (checked by sgie evaluate). A span may give text alone: it is "
    "grounded by the rule of sgie.scoring.grounding. Labels and values: sgie.schema "
    "version {version}. Generated from the types of sgie.scoring.wire (sgie build)."
)


def predictions_schema() -> JSONObject:
    """The JSON Schema of one prediction record (see the module docstring)."""
    generated: JSONObject = msgspec.json.schema(Prediction)
    defs = generated["$defs"]
    assert isinstance(defs, dict)
    for item in defs.values():
        assert isinstance(item, dict)
        properties = item.get("properties")
        if not isinstance(properties, dict):
            continue
        if "start" in properties and "end" in properties:
            item["dependentRequired"] = {"start": ["end"], "end": ["start"]}
        for name, prop in properties.items():  # msgspec sorts enums; keep sgie.schema's order
            if isinstance(prop, dict) and "enum" in prop and name in VALUE_SETS:
                values = VALUE_SETS[name][1]
                assert prop["enum"] == sorted(values), name
                prop["enum"] = list(values)
    top = defs.pop("Prediction")
    assert isinstance(top, dict)
    top.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:sgie:eval:predictions.schema.json",
        "title": "SGIE prediction record (one line of a predictions JSON Lines file)",
        **top,
        "description": DESCRIPTION.format(version=schema.SCHEMA_VERSION),
        "$defs": defs,
    }


def dumps_schema() -> str:
    """The schema file's exact text (two-space indent, final newline)."""
    return json.dumps(predictions_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(root: Path) -> Path:
    """Write ``eval/predictions.schema.json`` under the repository ``root``."""
    path = root / SCHEMA_FILE
    write_text_atomic(path, dumps_schema())
    return path
