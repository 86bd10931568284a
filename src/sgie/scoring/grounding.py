"""Text-only spans in predictions: grounded records, and what happens to spans that cannot be
placed.

What it does
    LLM extractors often return strings rather than offsets. In a prediction record any span
    (an entity, a proposal, an argument, or one span of an attribution's cue/source/content)
    may give ``text`` without ``start`` and ``end``. Such spans are placed on the document text
    by the documented, deterministic rule of ``sgie.scoring.placement`` (version
    ``sgie-grounding-2``: whole tokens, typographic quotes/dashes/white space tolerated, every
    layer placed by its own logic, attributions and proposals as units; gold given as text-only
    spans in document order is placed exactly where it was). Each placed span is the
    document's own text (``text[start:end]``) and records how it was found (``exact`` or
    ``normalised``).

    A span that cannot be placed is **ungrounded**. Ungrounded spans never vanish: the item
    containing one (an entity, a proposal with all its arguments, an argument, an attribution)
    is taken out of the matched predictions, reported (``Ungrounded.spans``: document, field,
    string) and counted by the scorers as a false positive / spurious prediction in its layer
    (``sgie.scoring.entities``, ``.proposals``, ``.attributions`` say exactly where). Every
    placed span is reported too (``Ungrounded.placed``: document, field, string, start, end,
    how; the result object's ``grounding.placed``).

    Mechanics: ``ground(record, text)`` takes a record as decoded (``sgie.scoring.wire``,
    offsets optional) and builds the annotation records (``sgie.records``). The placement rule
    is one unit, ``sgie.scoring.placement.place_record``, used through ``TextGrounder``; an
    ungrounded span gets a placeholder ``Span`` *after the end of the
    text* and its path is returned, so that the validator (``sgie.scoring.validate``) checks
    every other span and every id and reference with the item still in place (messages name
    the item's index in the record as written); then ``split`` moves every item holding a
    placeholder into ``Ungrounded``. Placeholder offsets never leave this module's output
    except inside ``Ungrounded`` items, whose offsets are not used.

What it does not do
    No placement rule of its own (``sgie.scoring.placement``), no file reading
    (``sgie.scoring.predictions``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import msgspec
from msgspec import UNSET, UnsetType
from msgspec.structs import replace

from sgie.errors import InputError
from sgie.records import (
    JSON,
    Argument,
    Attribution,
    DocAnnotations,
    Entity,
    Proposal,
)
from sgie.scoring import wire
from sgie.scoring.placement import RULE, Placement, place_record
from sgie.spans import Span

__all__ = ["RULE", "NOTHING_UNGROUNDED", "PlacedText", "TextGrounder", "Ungrounded", "UngroundedText",
           "ground", "is_text_only", "spans_of", "split"]

T = TypeVar("T")


def spans_of(record: wire.Record) -> Iterator[tuple[str, wire.Spanned]]:
    """``(path, span)`` of every span of a record, in record order."""
    for i, e in enumerate(record.entities or ()):
        yield f"entities[{i}]", e
    for i, p in enumerate(record.proposals or ()):
        yield f"proposals[{i}]", p
        for j, a in enumerate(p.arguments):
            yield f"proposals[{i}].arguments[{j}]", a
    for i, t in enumerate(record.attributions or ()):
        for role, spans in (("cue", t.cue), ("source", t.source), ("content", t.content)):
            for k, s in enumerate(spans):
                yield f"attributions[{i}].{role}[{k}]", s


def is_text_only(span: wire.Spanned) -> bool:
    """Whether a span gives its text alone (neither ``start`` nor ``end``)."""
    return span.start is UNSET and span.end is UNSET


class TextGrounder:
    """The placements of the text-only spans of one prediction record
    (``sgie.scoring.placement.place_record``): ``placements`` by path."""

    def __init__(self, text: str, record: wire.Prediction):
        self.text = text
        self.record = record
        self.placements: dict[str, Placement] = place_record(text, record)
        self._next_placeholder = len(text) + 1

    def place(self, path: str, string: str) -> Span:
        """The placement of the text-only span at ``path``, or for an ungrounded one a
        placeholder beyond the end of the text (see the module docstring)."""
        placement = self.placements.get(path)
        if placement is not None and placement.span is not None:
            return placement.span
        start = self._next_placeholder
        self._next_placeholder += len(string) + 1
        return Span(start, start + len(string), string)

    @property
    def ungrounded(self) -> list[tuple[str, str]]:
        """``(path, string)`` of the spans that could not be placed, in record order."""
        return [(p, x.text) for p, x in self.placements.items() if x.span is None]

    def placed(self, doc_id: str) -> tuple[PlacedText, ...]:
        """Where the other text-only spans were placed, and how, in record order."""
        return tuple(PlacedText(doc_id, f"{p}.text", self._item(p), x.text, x.span.start, x.span.end,
                                x.how or "")
                     for p, x in self.placements.items() if x.span is not None)  # fmt: skip

    def _item(self, path: str) -> str:
        """The id of the entity, proposal or attribution a span path belongs to (its path, e.g.
        ``entities[3]``, if it has no id)."""
        layer, rest = path.split("[", 1)
        index = rest.split("]", 1)[0]
        ident = (getattr(self.record, layer) or ())[int(index)].id
        return ident if isinstance(ident, str) else f"{layer}[{index}]"


class PlacedText(msgspec.Struct, frozen=True):
    """One text-only span and where it was placed."""

    doc_id: str
    field: str  # e.g. "entities[3].text"
    item: str  # the id of its entity, proposal (also for an argument) or attribution
    text: str  # as given
    start: int
    end: int
    how: str  # "exact" or "normalised"

    def to_json(self) -> dict[str, JSON]:
        return {"document": self.doc_id, "field": self.field, "item": self.item, "text": self.text,
                "start": self.start, "end": self.end, "how": self.how}  # fmt: skip


class UngroundedText(msgspec.Struct, frozen=True):
    """One text-only span that could not be placed."""

    doc_id: str
    field: str  # e.g. "attributions[2].content[0].text"
    text: str

    def to_json(self) -> dict[str, JSON]:
        return {"document": self.doc_id, "field": self.field, "text": self.text}


class Ungrounded(msgspec.Struct, frozen=True):
    """The predicted items of one document that hold an ungrounded span (offsets not usable),
    the ungrounded spans, and where every other text-only span was placed (``placed``)."""

    entities: tuple[Entity, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    arguments: tuple[Argument, ...] = ()  # of proposals that were themselves grounded
    attributions: tuple[Attribution, ...] = ()
    spans: tuple[UngroundedText, ...] = ()
    #: for each of ``arguments``: its proposal's id and its index among that proposal's arguments
    argument_of: tuple[tuple[str, int], ...] = ()
    placed: tuple[PlacedText, ...] = ()

    def items(self, layer: str) -> int:
        """Number of ungrounded items of a layer: entities, proposals (with arguments),
        attributions."""
        if layer == "proposals":
            return len(self.proposals) + len(self.arguments)
        return len(getattr(self, layer))


NOTHING_UNGROUNDED = Ungrounded()


def _span(path: str, s: wire.Spanned, grounder: TextGrounder | None, text: str) -> Span:
    if grounder is not None and is_text_only(s):
        assert isinstance(s.text, str)  # the validator checked: offsets or text
        return grounder.place(path, s.text)
    start, end = s.start, s.end
    assert isinstance(start, int) and isinstance(end, int)  # the validator checked
    given = text[start:end] if s.text is UNSET else s.text  # text is optional with offsets
    assert isinstance(given, str)
    try:
        return Span(start, end, given)
    except InputError:
        raise Span.violation(text, start, end, given, path) from None


def item_id(given: str | UnsetType, path: str) -> str:
    """An item's id, or for an item given without one (a prediction), its path, e.g.
    ``entities[3]``: the name reports use; nothing can refer to it."""
    return given if isinstance(given, str) else path


def ground(record: wire.Record, text: str) -> tuple[DocAnnotations, dict[str, str], tuple[PlacedText, ...]]:
    """The records of a decoded record whose offsets are checked to be both given or both
    absent, text-only spans placed by the rule (predictions only; a gold record has none);
    the ungrounded spans (``path -> string``), which hold placeholders (module docstring); and
    where the others were placed."""
    grounder = TextGrounder(text, record) if isinstance(record, wire.Prediction) else None
    if grounder is not None and not grounder.placements:
        grounder = None

    def entity(i: int, e: wire.Entity) -> Entity:
        return Entity.at(item_id(e.id, f"entities[{i}]"), _span(f"entities[{i}]", e, grounder, text), e.label)

    def proposal(i: int, p: wire.Proposal) -> Proposal:
        path = f"proposals[{i}]"
        arguments = tuple(
            Argument.at(a.role, _span(f"{path}.arguments[{j}]", a, grounder, text), a.entity_id)
            for j, a in enumerate(p.arguments)
        )
        return Proposal.at(item_id(p.id, path), _span(path, p, grounder, text), p.type, p.status,
                           p.polarity, arguments)  # fmt: skip

    def attribution(i: int, a: wire.Attribution) -> Attribution:
        path = f"attributions[{i}]"

        def spans(role: str, items: tuple[wire.Span, ...]) -> tuple[Span, ...]:
            return tuple(_span(f"{path}.{role}[{k}]", s, grounder, text) for k, s in enumerate(items))

        return Attribution(item_id(a.id, path), spans("cue", a.cue), spans("source", a.source),
                           spans("content", a.content), a.quote_type, a.source_type,
                           a.parent_id)  # fmt: skip

    doc = DocAnnotations(
        record.id,
        None if record.entities is UNSET else tuple(entity(i, e) for i, e in enumerate(record.entities)),
        None if record.proposals is UNSET else tuple(proposal(i, p) for i, p in enumerate(record.proposals)),
        None if record.attributions is UNSET
        else tuple(attribution(i, a) for i, a in enumerate(record.attributions)),
    )  # fmt: skip
    if grounder is None:
        return doc, {}, ()
    return doc, dict(grounder.ungrounded), grounder.placed(record.id)


def split(doc: DocAnnotations, text: str, ungrounded: dict[str, str],
          placed: tuple[PlacedText, ...] = ()) -> tuple[DocAnnotations, Ungrounded]:  # fmt: skip
    """``doc`` without the items holding a placeholder (after ``ground`` and the validator, the
    only spans beyond the text), and those items apart, with the ``placed`` spans."""
    if not ungrounded:
        return doc, Ungrounded(placed=placed) if placed else NOTHING_UNGROUNDED
    limit = len(text)

    def off(span: Span) -> bool:
        return span.start > limit

    entities, lost_entities = _split(doc.entities, lambda e: off(e.span))
    kept_proposals: list[Proposal] = []
    lost_proposals: list[Proposal] = []
    lost_arguments: list[Argument] = []
    argument_of: list[tuple[str, int]] = []
    for p in doc.proposals or ():
        if off(p.span):
            lost_proposals.append(p)
            continue
        args, lost = _split(p.arguments, lambda a: off(a.span))
        lost_arguments += lost
        argument_of += [(p.id, j) for j, a in enumerate(p.arguments) if off(a.span)]
        kept_proposals.append(replace(p, arguments=tuple(args or ())) if lost else p)
    attributions, lost_attributions = _split(
        doc.attributions, lambda a: any(off(s) for s in (*a.cue, *a.source, *a.content))
    )
    grounded = DocAnnotations(
        doc.doc_id,
        entities,
        None if doc.proposals is None else tuple(kept_proposals),
        attributions,
    )
    spans = tuple(UngroundedText(doc.doc_id, f"{p}.text", s) for p, s in ungrounded.items())
    return grounded, Ungrounded(tuple(lost_entities), tuple(lost_proposals), tuple(lost_arguments),
                                tuple(lost_attributions), spans, tuple(argument_of), placed)  # fmt: skip


def _split(
    items: tuple[T, ...] | None, is_lost: Callable[[T], bool]
) -> tuple[tuple[T, ...] | None, list[T]]:
    """(kept items as a tuple, or None if ``items`` is None; lost items as a list)."""
    if items is None:
        return None, []
    return tuple(x for x in items if not is_lost(x)), [x for x in items if is_lost(x)]
