"""Text-only spans in predictions: the grounding rule, and what happens to spans it cannot place.

What it does
    LLM extractors often return strings rather than offsets. In a prediction record any span
    (an entity, a proposal, an argument, or one span of an attribution's cue/source/content)
    may give ``text`` without ``start`` and ``end``. ``parse_prediction`` places such spans by
    this documented, deterministic rule:

        The k-th text-only span with string ``s`` in a document is placed at the k-th
        occurrence of ``s`` in the document text. Occurrences are exact (case-sensitive, no
        normalisation) and counted left to right without overlapping (the search for the next
        occurrence resumes where the previous one ended). Text-only spans are counted in the
        order of the record shape, whatever the key order of the JSON text: entities in list
        order; then proposals in list order, each proposal's own span before its arguments;
        then attributions in list order, each with its cue spans, then its source spans, then
        its content spans. Spans given with offsets take no occurrence. A text-only argument
        that names an entity (``entity_id``) with the same string is placed on that entity's
        span and takes no occurrence (``sgie.records`` requires a linked argument to carry its
        entity's span); if the entity is ungrounded, so is the argument.

    So an extractor that lists every mention of "Kyiv" in order gets each placed on its own
    occurrence; one that repeats the same string for two different layers gets the second
    placed on the second occurrence. A span whose k-th occurrence does not exist is
    **ungrounded**. Ungrounded spans never vanish: the item containing one (an entity, a
    proposal with all its arguments, an argument, an attribution) is taken out of the matched
    predictions, reported (``Ungrounded.spans``: document, field, string) and counted by the
    scorers as a false positive / spurious prediction in its layer
    (``sgie.scoring.entities``, ``.proposals``, ``.attributions`` say exactly where).

    Mechanics: ``ground(record, text)`` takes a record as decoded (``sgie.scoring.wire``,
    offsets optional) and builds the annotation records (``sgie.records``). The placement rule
    is one unit, ``TextGrounder`` (``occurrences`` and the walk order of
    ``text_only_spans``); an ungrounded span gets a placeholder ``Span`` *after the end of the
    text* and its path is returned, so that the validator (``sgie.scoring.validate``) checks
    every other span and every id and reference with the item still in place (messages name
    the item's index in the record as written); then ``split`` moves every item holding a
    placeholder into ``Ungrounded``. Placeholder offsets never leave this module's output
    except inside ``Ungrounded`` items, whose offsets are not used.

What it does not do
    No fuzzy or case-insensitive matching, no file reading (``sgie.scoring.predictions``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from msgspec import UNSET
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
from sgie.spans import Span

T = TypeVar("T")


def occurrences(text: str, s: str) -> list[int]:
    """Start offsets of the non-overlapping occurrences of ``s`` in ``text``, left to right."""
    out: list[int] = []
    i = text.find(s) if s else -1
    while i != -1:
        out.append(i)
        i = text.find(s, i + len(s))
    return out


def spans_of(record: wire.Record) -> Iterator[tuple[str, wire.Spanned]]:
    """``(path, span)`` of every span of a record, in grounding order (module docstring)."""
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


def text_only_spans(record: wire.Prediction) -> Iterator[tuple[str, str, str | None]]:
    """``(path, string, linked entity path)`` of every text-only span of a prediction record, in
    grounding order. The third item names the entity an argument links to by ``entity_id``
    (when that entity has the same string), else ``None``."""
    entity_paths: dict[str, tuple[str, wire.Entity]] = {}
    for i, e in enumerate(record.entities or ()):
        entity_paths.setdefault(e.id, (f"entities[{i}]", e))
    for path, span in spans_of(record):
        if not is_text_only(span):
            continue
        linked = None
        if isinstance(span, wire.Argument) and span.entity_id is not None:
            entity = entity_paths.get(span.entity_id)
            if entity is not None and entity[1].text == span.text:
                linked = entity[0]
        yield path, span.text, linked


class TextGrounder:
    """Places the text-only spans of one prediction record on its document text.

    ``placements`` maps each text-only span's path to its ``Span``, or ``None`` if ungrounded.
    Called as a ``sgie.records.Grounder``, it returns the placement, or for an ungrounded span a
    placeholder beyond the end of the text (see the module docstring).
    """

    def __init__(self, text: str, record: wire.Prediction):
        self.text = text
        self.placements: dict[str, Span | None] = {}
        self.strings: dict[str, str] = {}
        used: dict[str, int] = {}
        found: dict[str, list[int]] = {}
        given = dict(spans_of(record))
        for path, s, linked in text_only_spans(record):
            self.strings[path] = s
            if linked is not None:  # an argument naming an entity sits on the entity's span
                if linked in self.placements:
                    self.placements[path] = self.placements[linked]
                else:
                    e = given[linked]
                    self.placements[path] = (
                        Span(e.start, e.end, e.text)
                        if isinstance(e.start, int) and isinstance(e.end, int)
                        and 0 <= e.start < e.end <= len(text) and text[e.start : e.end] == e.text
                        else None
                    )  # fmt: skip
                continue
            if s not in found:
                found[s] = occurrences(text, s)
            k = used.get(s, 0)
            used[s] = k + 1
            starts = found[s]
            self.placements[path] = Span(starts[k], starts[k] + len(s), s) if k < len(starts) else None
        self._next_placeholder = len(text) + 1

    def place(self, path: str, string: str) -> Span:
        """The placement of the text-only span at ``path``, or for an ungrounded one a
        placeholder beyond the end of the text (see the module docstring)."""
        span = self.placements.get(path)
        if span is not None:
            return span
        start = self._next_placeholder
        self._next_placeholder += len(string) + 1
        return Span(start, start + len(string), string)

    @property
    def ungrounded(self) -> list[tuple[str, str]]:
        """``(path, string)`` of the spans that could not be placed, in grounding order."""
        return [(p, self.strings[p]) for p, s in self.placements.items() if s is None]


@dataclass(frozen=True)
class UngroundedText:
    """One text-only span that could not be placed."""

    doc_id: str
    field: str  # e.g. "attributions[2].content[0].text"
    text: str

    def to_json(self) -> dict[str, JSON]:
        return {"document": self.doc_id, "field": self.field, "text": self.text}


@dataclass(frozen=True)
class Ungrounded:
    """The predicted items of one document that hold an ungrounded span (offsets not usable)."""

    entities: tuple[Entity, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    arguments: tuple[Argument, ...] = ()  # of proposals that were themselves grounded
    attributions: tuple[Attribution, ...] = ()
    spans: tuple[UngroundedText, ...] = ()
    #: for each of ``arguments``: its proposal's id and its index among that proposal's arguments
    argument_of: tuple[tuple[str, int], ...] = ()

    def items(self, layer: str) -> int:
        """Number of ungrounded items of a layer: entities, proposals (with arguments),
        attributions."""
        if layer == "proposals":
            return len(self.proposals) + len(self.arguments)
        return len(getattr(self, layer))


NOTHING_UNGROUNDED = Ungrounded()


def _span(path: str, s: wire.Spanned, grounder: TextGrounder | None, text: str) -> Span:
    if grounder is not None and is_text_only(s):
        return grounder.place(path, s.text)
    start, end = s.start, s.end
    assert isinstance(start, int) and isinstance(end, int)  # the validator checked
    try:
        return Span(start, end, s.text)
    except InputError:
        raise Span.violation(text, start, end, s.text, path) from None


def ground(record: wire.Record, text: str) -> tuple[DocAnnotations, dict[str, str]]:
    """The records of a decoded record whose offsets are checked to be both given or both
    absent, text-only spans placed by the rule (predictions only; a gold record has none);
    and the ungrounded spans (``path -> string``), which hold placeholders (module docstring)."""
    grounder = TextGrounder(text, record) if isinstance(record, wire.Prediction) else None
    if grounder is not None and not grounder.placements:
        grounder = None

    def entity(i: int, e: wire.Entity) -> Entity:
        return Entity.at(e.id, _span(f"entities[{i}]", e, grounder, text), e.label)

    def proposal(i: int, p: wire.Proposal) -> Proposal:
        path = f"proposals[{i}]"
        arguments = tuple(
            Argument.at(a.role, _span(f"{path}.arguments[{j}]", a, grounder, text), a.entity_id)
            for j, a in enumerate(p.arguments)
        )
        return Proposal.at(p.id, _span(path, p, grounder, text), p.type, p.status, p.polarity, arguments)

    def attribution(i: int, a: wire.Attribution) -> Attribution:
        path = f"attributions[{i}]"

        def spans(role: str, items: tuple[wire.Span, ...]) -> tuple[Span, ...]:
            return tuple(_span(f"{path}.{role}[{k}]", s, grounder, text) for k, s in enumerate(items))

        return Attribution(a.id, spans("cue", a.cue), spans("source", a.source),
                           spans("content", a.content), a.quote_type, a.source_type,
                           a.parent_id)  # fmt: skip

    doc = DocAnnotations(
        record.id,
        None if record.entities is UNSET else tuple(entity(i, e) for i, e in enumerate(record.entities)),
        None if record.proposals is UNSET else tuple(proposal(i, p) for i, p in enumerate(record.proposals)),
        None if record.attributions is UNSET
        else tuple(attribution(i, a) for i, a in enumerate(record.attributions)),
    )  # fmt: skip
    return doc, dict(grounder.ungrounded) if grounder is not None else {}


def split(doc: DocAnnotations, text: str, ungrounded: dict[str, str]) -> tuple[DocAnnotations, Ungrounded]:
    """``doc`` without the items holding a placeholder (after ``ground`` and the validator, the
    only spans beyond the text), and those items apart."""
    if not ungrounded:
        return doc, NOTHING_UNGROUNDED
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
                                tuple(lost_attributions), spans, tuple(argument_of))  # fmt: skip


def _split(
    items: tuple[T, ...] | None, is_lost: Callable[[T], bool]
) -> tuple[tuple[T, ...] | None, list[T]]:
    """(kept items as a tuple, or None if ``items`` is None; lost items as a list)."""
    if items is None:
        return None, []
    return tuple(x for x in items if not is_lost(x)), [x for x in items if is_lost(x)]
