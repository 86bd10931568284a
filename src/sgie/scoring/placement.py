"""The placement rule for text-only spans (grounding rule version 2, ``RULE``).

What it does
    ``place_record(text, record)`` places every text-only span of a decoded prediction record
    (``sgie.scoring.wire.Prediction``: a span giving ``text`` without ``start`` and ``end``) on
    the document ``text`` and returns one ``Placement`` per such span, by path
    (``entities[0]``, ``proposals[1].arguments[0]``, ``attributions[2].cue[0]``), in record
    order. It is a pure, deterministic function; this is the rule (its version, ``RULE``, is
    recorded in the result object as ``grounding.rule``):

    **Occurrences.** A string occurs where its normalised form (``sgie.scoring.textnorm``:
    typographic and straight quotes and apostrophes alike, dashes alike, any run of white space
    including line breaks as one space) matches the normalised document text *as whole
    tokens*: the match neither starts nor ends inside a run of letters and digits ("Russia"
    does not occur in "Russian", "Europe" not in "European-led"). Matching is case-sensitive.
    A placed span covers the original code points of its occurrence, so ``text[start:end]`` is
    always the document's own text; it records **how** it was found: ``exact`` (the document
    text equals the given string) or ``normalised``.

    **Entities** are placed in list order. Each takes the first *free* occurrence of its
    string at or after the start of the entity before it in the list (if there is none, the
    first free one from the start of the text); free means not taken by another entity (with
    offsets, or placed before) and not inside a longer entity already there. So in a list in
    document order the k-th "Kyiv" lands on the k-th "Kyiv" the list names (a mention the list
    leaves out does not shift the later ones), "Russia" is not placed inside a placed
    «Russia-Ukraine war», and a list in any other order still gets each item an occurrence of
    its own.

    **Proposals** are placed in list order, each as a unit with its arguments: of the free
    occurrences of its string (free as for entities, among proposals), the one whose unit
    comes out best -- fewest arguments unplaced, fewest line breaks in the gaps between the
    unit's spans, smallest extent (first start to last end) -- then one at or after the start
    of the proposal before it, then the earliest.

    **Arguments.** A text-only argument that names an entity (``entity_id``) with the same
    normalised string sits on that entity's span (ungrounded if the entity is). The other
    arguments, longest string first, each take the occurrence of their string nearest to their
    proposal's span (0 if inside it); ties go to the occurrence nearest to the proposal's
    other arguments already placed, then to the earlier one.

    **Attributions** are placed one at a time, each as a unit (their spans nest legitimately:
    an attribution inside another's content, two sources of one statement; so occurrences are
    not used up between attributions). The anchors are the attribution's spans with offsets;
    if it has none, its longest text-only span (ties: cue, source, content, list order) is the
    anchor. The other text-only spans take the combination of occurrences -- none overlapping
    another or an anchor, each among its *w* occurrences nearest to the anchors, *w* the
    largest of 4, 3, 2, 1 that keeps the combinations (with "unplaced") within
    ``COMBINATIONS`` = 512 -- that leaves
    fewest spans unplaced, then has fewest line breaks in the gaps between the unit's spans,
    then the smallest extent (first start to last end), then starts earliest. The anchor's
    occurrence is the one whose unit comes out best by the same measures, then one that no
    earlier attribution's anchor of the same role and string took, then one at or after the
    previous attribution's anchor, then the earliest. An anchor that does not occur is
    ungrounded and the next longest span becomes the anchor.

    So gold annotations given as text-only spans, in document order, are placed exactly where
    they were (tested on every committed document), and an extractor that lists every mention
    of "Kyiv" in order gets each on its own occurrence. A span that cannot be placed gets
    ``span=None`` (*ungrounded*).

What it does not do
    No records, no checks, no placeholders (``sgie.scoring.grounding`` turns placements into
    records and keeps ungrounded items apart); no fuzzy or case-insensitive matching.
"""

from __future__ import annotations

from itertools import product
from math import prod

import msgspec
from msgspec import UNSET

from sgie.scoring import wire
from sgie.scoring.textnorm import NormalisedText, normalise
from sgie.spans import Span

RULE = "sgie-grounding-2"
"""The version of the placement rule, recorded in the result object (``grounding.rule``)."""

Range = tuple[int, int]


class Placement(msgspec.Struct, frozen=True):
    """Where one text-only span was placed: ``span`` is ``None`` if it is ungrounded."""

    path: str  # e.g. "attributions[2].content[0]"
    text: str  # the string the prediction gave
    span: Span | None

    @property
    def how(self) -> str | None:
        """``"exact"`` (the document text equals the given string), ``"normalised"``, or
        ``None`` (ungrounded)."""
        if self.span is None:
            return None
        return "exact" if self.span.text == self.text else "normalised"


def _fixed(span: wire.Spanned, text: str) -> Range | None:
    """The range of a span given with offsets, if they hold (else the validator reports it)."""
    start, end = span.start, span.end
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return (start, end) if 0 <= start < end <= len(text) and text[start:end] == span.text else None


def _string(span: wire.Spanned) -> str | None:
    """The string of a text-only span (neither ``start`` nor ``end``), else ``None``."""
    text = span.text
    return text if span.start is UNSET and span.end is UNSET and isinstance(text, str) else None


def _inside(r: Range, placed: list[Range]) -> bool:
    """Whether ``r`` is taken, or lies inside a longer range of ``placed``."""
    return any(a <= r[0] and r[1] <= b for a, b in placed)


def _gap(r: Range, anchors: list[Range]) -> int:
    return min((max(0, r[0] - y, x - r[1]) for x, y in anchors), default=0)


def _overlap(r: Range, others: list[Range]) -> bool:
    return any(r[0] < y and x < r[1] for x, y in others)


#: The most combinations ``_Placer.around`` tries for the spans of one attribution.
COMBINATIONS = 512

Todo = list[tuple[str, str]]  # (path, string) of text-only spans still to place


class _Placer:
    """The rule of the module docstring, applied to one record (see ``place_record``)."""

    def __init__(self, text: str, record: wire.Prediction):
        self.text = text
        self.norm = NormalisedText(text)
        self.out: dict[str, Placement] = {}
        self.record = record

    def put(self, path: str, s: str, r: Range | None) -> Range | None:
        self.out[path] = Placement(path, s, None if r is None else Span(r[0], r[1], self.text[r[0]:r[1]]))
        return r

    def put_all(self, todo: Todo, ranges: dict[str, Range | None]) -> None:
        for path, s in todo:
            self.put(path, s, ranges[path])

    def fixed(self, obj: wire.Spanned) -> Range | None:
        return _fixed(obj, self.text)

    def cost(self, ranges: list[Range]) -> tuple[int, int]:
        """How spread out a unit is: (line breaks in the gaps between its ranges, extent from
        the first start to the last end)."""
        rs = sorted(ranges)
        if not rs:
            return 0, 0
        breaks, reach = 0, rs[0][1]
        for a, b in rs[1:]:
            if a > reach:
                breaks += self.text.count("\n", reach, a)
            reach = max(reach, b)
        return breaks, max(b for _, b in rs) - rs[0][0]

    def around(self, anchors: list[Range], todo: Todo, joint: bool) -> dict[str, Range | None]:
        """The other spans of a unit placed around its ``anchors``. Not ``joint`` (arguments;
        the first anchor is the proposal): longest first, each at its occurrence nearest to the
        proposal, then nearest to the other arguments already there, then the earlier.
        ``joint`` (attribution spans): the combination of occurrences, none overlapping another
        or an anchor, that leaves fewest spans unplaced and is least spread out (``cost``),
        then starts earliest; each span chooses among its few occurrences nearest to the
        anchors."""
        if not joint:  # anchors: the proposal, then its other arguments
            out: dict[str, Range | None] = {}
            placed = list(anchors[1:])
            for p, s in sorted(todo, key=lambda x: -len(normalise(x[1]))):
                out[p] = r = min(self.norm.find(s), default=None,
                                 key=lambda c: (_gap(c, anchors[:1]), _gap(c, placed), c[0]))  # fmt: skip
                if r is not None:
                    placed.append(r)
            return {p: out[p] for p, _ in todo}
        options: list[list[Range]] = []
        for _, s in todo:
            found = [r for r in self.norm.find(s) if not _overlap(r, anchors)]
            options.append(sorted(found, key=lambda r: (_gap(r, anchors), r[0])))
        width = 4
        while width > 1 and prod(min(len(o), width) + 1 for o in options) > COMBINATIONS:
            width -= 1
        best: tuple[tuple[int, int, int, tuple[int, ...]], tuple[Range | None, ...]] | None = None
        for combo in product(*([*o[:width], None] for o in options)):
            chosen = [r for r in combo if r is not None]
            if any(_overlap(r, chosen[k + 1:]) for k, r in enumerate(chosen)):
                continue
            key = (len(combo) - len(chosen), *self.cost([*anchors, *chosen]), tuple(r[0] for r in chosen))
            if best is None or key < best[0]:
                best = (key, combo)
        assert best is not None  # the all-None combination is always valid
        return {p: r for (p, _), r in zip(todo, best[1])}

    def choose(self, candidates: list[Range], fixed: list[Range], todo: Todo, joint: bool,
               cursor: int, used: set[Range]) -> tuple[Range, dict[str, Range | None]] | None:  # fmt: skip
        """The occurrence of a unit's anchor (and the placement of its other spans) that leaves
        fewest spans unplaced, is least spread out, was not used before, is at or after
        ``cursor``, and comes first -- in that order of preference."""
        best: tuple[tuple[int, int, int, bool, bool, int], Range, dict[str, Range | None]] | None = None
        for r in candidates:
            rest = self.around([r, *fixed], todo, joint)
            placed = [x for x in rest.values() if x is not None]
            key = (len(rest) - len(placed), *self.cost([r, *fixed, *placed]), r in used, r[0] < cursor, r[0])
            if best is None or key < best[0]:
                best = (key, r, rest)
        return None if best is None else (best[1], best[2])

    def entities(self) -> dict[str, Range | None]:
        """Entities in list order, each at the first free occurrence at or after the previous
        entity's start (else the first free one). Every entity's range by path."""
        ranges: dict[str, Range | None] = {}
        items = self.record.entities or ()
        placed = [r for obj in items if (r := self.fixed(obj)) is not None]
        cursor = 0
        for i, obj in enumerate(items):
            path = f"entities[{i}]"
            if (s := _string(obj)) is None:
                ranges[path] = r = self.fixed(obj)
            else:
                free = [r for r in self.norm.find(s) if not _inside(r, placed)]
                r = min(free, key=lambda x: (x[0] < cursor, x[0]), default=None)
                ranges[path] = self.put(path, s, r)
                if r is not None:
                    placed.append(r)
            cursor = r[0] if r is not None else cursor
        return ranges

    def proposals(self, entities: dict[str, Range | None]) -> None:
        """Proposals in list order, each as a unit with its arguments."""
        linked: dict[str, tuple[str, str]] = {}  # entity id -> (path, text)
        for i, e in enumerate(self.record.entities or ()):
            if isinstance(e.id, str) and isinstance(e.text, str):  # linked by id, compared by text
                linked.setdefault(e.id, (f"entities[{i}]", e.text))
        items = self.record.proposals or ()
        placed = [r for obj in items if (r := self.fixed(obj)) is not None]
        cursor = 0
        for i, p in enumerate(items):
            fixed: list[Range] = []
            todo: Todo = []
            for j, a in enumerate(p.arguments):
                path = f"proposals[{i}].arguments[{j}]"
                if (s := _string(a)) is None:
                    if (r := self.fixed(a)) is not None:
                        fixed.append(r)
                    continue
                entity = linked.get(a.entity_id) if a.entity_id is not None else None
                if entity is not None and normalise(entity[1]) == normalise(s):
                    if (r := self.put(path, s, entities.get(entity[0]))) is not None:
                        fixed.append(r)
                else:
                    todo.append((path, s))
            path = f"proposals[{i}]"
            if (s := _string(p)) is None:
                r = self.fixed(p)
                self.put_all(todo, self.around([r, *fixed] if r else fixed, todo, joint=False))
            else:
                free = [r for r in self.norm.find(s) if not _inside(r, placed)]
                best = self.choose(free, fixed, todo, False, cursor, set())
                r = self.put(path, s, best[0] if best else None)
                self.put_all(todo, best[1] if best else self.around(fixed, todo, joint=False))
                if r is not None:
                    placed.append(r)
            cursor = r[0] if r is not None else cursor

    def attributions(self) -> None:
        """Attributions in list order, each as a unit anchored on its longest text-only span."""
        used: dict[tuple[str, str], set[Range]] = {}  # (role, string) -> anchors' occurrences
        cursor = 0
        for i, a in enumerate(self.record.attributions or ()):
            fixed: list[Range] = []
            todo: list[tuple[str, str, str]] = []  # (path, role, string)
            for role, spans in (("cue", a.cue), ("source", a.source), ("content", a.content)):
                for k, obj in enumerate(spans):
                    path = f"attributions[{i}].{role}[{k}]"
                    if (s := _string(obj)) is not None:
                        todo.append((path, role, s))
                    elif (r := self.fixed(obj)) is not None:
                        fixed.append(r)
            todo.sort(key=lambda x: -len(normalise(x[2])))
            while todo and not fixed:  # find an anchor
                path, role, s = todo.pop(0)
                seen = used.setdefault((role, normalise(s)), set())
                rest = [(p, x) for p, _, x in todo]
                best = self.choose(self.norm.find(s), [], rest, True, cursor, seen)
                if best is None:
                    self.put(path, s, None)
                    continue
                fixed.append(best[0])
                seen.add(best[0])
                cursor = best[0][0]
                self.put(path, s, best[0])
                self.put_all(rest, best[1])
                todo = []
            rest = [(p, x) for p, _, x in todo]
            self.put_all(rest, self.around(fixed, rest, joint=True))


def place_record(text: str, record: wire.Prediction) -> dict[str, Placement]:
    """The placement of every text-only span of a decoded prediction record on its document
    ``text``, by path, in record order (the rule: the module docstring)."""
    placer = _Placer(text, record)
    placer.proposals(placer.entities())
    placer.attributions()
    return {p: placer.out[p] for p in _record_order(record) if p in placer.out}


def _record_order(record: wire.Prediction) -> list[str]:
    """The paths of every span of a record, in record order."""
    out = [f"entities[{i}]" for i in range(len(record.entities or ()))]
    for i, p in enumerate(record.proposals or ()):
        out.append(f"proposals[{i}]")
        out += [f"proposals[{i}].arguments[{j}]" for j in range(len(p.arguments))]
    for i, a in enumerate(record.attributions or ()):
        for role, spans in (("cue", a.cue), ("source", a.source), ("content", a.content)):
            out += [f"attributions[{i}].{role}[{k}]" for k in range(len(spans))]
    return out
