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

    Mechanics: ``sgie.records.parse_doc`` stays the one strict parser. Its ``grounder_for`` hook
    gets a ``TextGrounder`` that has placed every text-only span of the record beforehand (in
    the order above); for an ungrounded span it returns a placeholder ``Span`` *after the end of
    the text* (so ``parse_doc`` does not abort), and ``parse_prediction`` moves every item with
    such a placeholder into ``Ungrounded`` before anyone sees it. Placeholder offsets never
    leave this module's output except inside ``Ungrounded`` items, whose offsets are not used.

What it does not do
    No fuzzy or case-insensitive matching, no file reading (``sgie.scoring.predictions``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from msgspec.structs import replace

from sgie.errors import InputError
from sgie.records import (
    JSON,
    Argument,
    Attribution,
    DocAnnotations,
    Entity,
    Grounder,
    Proposal,
    parse_doc,
)
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


def _is_text_only(obj: JSON) -> bool:
    return isinstance(obj, dict) and "start" not in obj and "end" not in obj


def _offset_span(obj: JSON, text: str) -> Span | None:
    """The span an offset-bearing object gives, if it is well formed (else ``parse_doc`` will
    report it)."""
    if not isinstance(obj, dict):
        return None
    start, end, s = obj.get("start"), obj.get("end"), obj.get("text")
    if type(start) is not int or type(end) is not int or not isinstance(s, str):
        return None
    if not 0 <= start < end <= len(text) or text[start:end] != s:
        return None
    return Span(start, end, s)


def text_only_spans(record: JSON) -> Iterator[tuple[str, str, str | None]]:
    """``(path, string, linked entity path)`` of every text-only span of a prediction record, in
    grounding order. The third item names the entity an argument links to by ``entity_id``
    (when that entity has the same string), else ``None``.

    Malformed parts are skipped here; ``parse_doc`` reports them.
    """
    if not isinstance(record, dict):
        return

    def items(key: str) -> list[JSON]:
        value = record.get(key)
        return value if isinstance(value, list) else []

    def string(obj: JSON, path: str) -> str | None:
        if not _is_text_only(obj):
            return None
        assert isinstance(obj, dict)
        text = obj.get("text")
        if not isinstance(text, str):
            return None
        if not text:
            raise InputError(f"'{path}.text' must be a non-empty string (got '')")
        return text

    entity_paths: dict[str, tuple[str, JSON]] = {}
    for i, e in enumerate(items("entities")):
        if isinstance(e, dict) and isinstance(e.get("id"), str):
            entity_paths.setdefault(str(e["id"]), (f"entities[{i}]", e))
        if (s := string(e, f"entities[{i}]")) is not None:
            yield f"entities[{i}]", s, None
    for i, p in enumerate(items("proposals")):
        if (s := string(p, f"proposals[{i}]")) is not None:
            yield f"proposals[{i}]", s, None
        args = p.get("arguments") if isinstance(p, dict) else None
        for j, a in enumerate(args if isinstance(args, list) else []):
            path = f"proposals[{i}].arguments[{j}]"
            if (s := string(a, path)) is None:
                continue
            assert isinstance(a, dict)
            linked = entity_paths.get(a["entity_id"]) if isinstance(a.get("entity_id"), str) else None
            same = linked is not None and isinstance(linked[1], dict) and linked[1].get("text") == s
            yield path, s, linked[0] if same and linked is not None else None
    for i, a in enumerate(items("attributions")):
        for role in ("cue", "source", "content"):
            spans = a.get(role) if isinstance(a, dict) else None
            for k, obj in enumerate(spans if isinstance(spans, list) else []):
                path = f"attributions[{i}].{role}[{k}]"
                if (s := string(obj, path)) is not None:
                    yield path, s, None


class TextGrounder:
    """Places the text-only spans of one prediction record on its document text.

    ``placements`` maps each text-only span's path to its ``Span``, or ``None`` if ungrounded.
    Called as a ``sgie.records.Grounder``, it returns the placement, or for an ungrounded span a
    placeholder beyond the end of the text (see the module docstring).
    """

    def __init__(self, text: str, record: JSON):
        self.text = text
        self.placements: dict[str, Span | None] = {}
        self.strings: dict[str, str] = {}
        used: dict[str, int] = {}
        found: dict[str, list[int]] = {}
        entities = record.get("entities") if isinstance(record, dict) else None
        for path, s, linked in text_only_spans(record):
            self.strings[path] = s
            if linked is not None:  # an argument naming an entity sits on the entity's span
                if linked in self.placements:
                    self.placements[path] = self.placements[linked]
                else:
                    assert isinstance(entities, list)
                    self.placements[path] = _offset_span(entities[_index(linked)], text)
                continue
            if s not in found:
                found[s] = occurrences(text, s)
            k = used.get(s, 0)
            used[s] = k + 1
            starts = found[s]
            self.placements[path] = Span(starts[k], starts[k] + len(s), s) if k < len(starts) else None
        self._next_placeholder = len(text) + 1

    def __call__(self, text: str, path: str) -> Span | None:
        if path not in self.placements:  # parse_doc reached a span the walk did not see
            return None
        span = self.placements[path]
        if span is not None:
            return span
        start = self._next_placeholder
        self._next_placeholder += len(text) + 1
        return Span(start, start + len(text), text)

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

    def items(self, layer: str) -> int:
        """Number of ungrounded items of a layer: entities, proposals (with arguments),
        attributions."""
        if layer == "proposals":
            return len(self.proposals) + len(self.arguments)
        return len(getattr(self, layer))


NOTHING_UNGROUNDED = Ungrounded()


def parse_prediction(
    record: JSON, texts: Mapping[str, str]
) -> tuple[DocAnnotations, Ungrounded]:
    """Parse one prediction record strictly (``sgie.records.parse_doc``), grounding text-only
    spans; items holding an ungrounded span are returned apart. Raises ``InputError``."""
    grounders: list[TextGrounder] = []

    def grounder_for(doc_id: str, text: str) -> Grounder:
        grounders.append(TextGrounder(text, record))
        return grounders[-1]

    doc = parse_doc(record, texts, grounder_for=grounder_for)
    grounder = grounders[0]
    if not grounder.ungrounded:
        return doc, NOTHING_UNGROUNDED
    limit = len(grounder.text)

    def off(span: Span) -> bool:
        return span.start > limit

    entities, lost_entities = _split(doc.entities, lambda e: off(e.span))
    kept_proposals: list[Proposal] = []
    lost_proposals: list[Proposal] = []
    lost_arguments: list[Argument] = []
    for p in doc.proposals or ():
        if off(p.span):
            lost_proposals.append(p)
            continue
        args, lost = _split(p.arguments, lambda a: off(a.span))
        lost_arguments += lost
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
    spans = tuple(UngroundedText(doc.doc_id, f"{p}.text", s) for p, s in grounder.ungrounded)
    lost = Ungrounded(tuple(lost_entities), tuple(lost_proposals), tuple(lost_arguments),
                      tuple(lost_attributions), spans)  # fmt: skip
    return grounded, lost


def _index(path: str) -> int:
    """The list index in a path like ``entities[3]``."""
    return int(path[path.index("[") + 1 : path.index("]")])


def _split(
    items: tuple[T, ...] | None, is_lost: Callable[[T], bool]
) -> tuple[tuple[T, ...] | None, list[T]]:
    """(kept items as a tuple, or None if ``items`` is None; lost items as a list)."""
    if items is None:
        return None, []
    return tuple(x for x in items if not is_lost(x)), [x for x in items if is_lost(x)]
