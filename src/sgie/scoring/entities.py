"""Entity-layer scoring: SemEval-2013 counts per scheme, micro, per type, and macro-F1.

What it does
    ``score_entities(gold, pred, ungrounded)`` scores one document's entities under each scheme
    of ``sgie.scoring.semeval`` (``strict``, ``exact``, ``partial``, ``type``) and returns an
    ``EntityCounts`` that adds up over documents.

    * **micro**: one matching over all entities of the document, whatever their type;
    * **per type** (as nervaluate computes it): the same scheme applied to the gold and
      predicted entities *of that type only*, so per-type counts do not sum to the micro counts
      (a gold PERSON predicted as ORG on the same span is one ``incorrect`` in micro ``strict``,
      one ``missed`` PERSON and one ``spurious`` ORG per type);
    * **macro-F1**: the unweighted mean of the per-type F1 values that are defined, i.e. over the
      types that have gold entities (a type with no gold entity has F1 ``null``); ``null`` if no
      type has any;
    * **ungrounded** predictions (text-only entities whose text could not be placed,
      ``sgie.scoring.grounding``) are spurious in every scheme, micro and for their type.

    When no overlaps compete (each entity overlaps at most one entity of the other side, the
    usual case) every overlapping pair is matched in every scheme, so the counts are tallied
    from the pairs, found on plain ``(start, end, side, label)`` tuples (``_uncontested``): by
    one sweep in start order when nothing overlaps within a side either, else by
    ``sgie.scoring.matching.overlapping_pairs``. When overlaps compete, each scheme is solved
    by ``sgie.scoring.semeval.match_entities``, micro and per type. All give the same counts
    (tested in ``tests/test_scoring_sparse_matching.py``).

    ``EntityCounts`` keeps a running total in two parts that add up element by element: the
    *tally* of the documents counted without a matching (``TALLY`` ints: per type, the gold
    and predicted entities and the same-type pairs with the same and with other boundaries;
    then the other-type pairs with the same and with other boundaries), from which every count
    follows linearly (``expand``), and the flat counts of the documents scored by matching
    (scheme x group x the five ``SemEvalCounts`` fields). ``values`` is their sum, expanded
    once when asked for; the ``SchemeCounts`` / ``SemEvalCounts`` objects (``counts.schemes``,
    ``counts["strict"]``) are views built on demand. ``counts_json()`` is the raw-counts block
    (the result's ``per_document`` entry) without computing any metric. The tally is also
    what ``sgie.scoring.bulk`` computes for many documents at once.

What it does not do
    No matching logic of its own beyond the uncontested case (``sgie.scoring.semeval``), no
    rendering.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from operator import add, itemgetter, sub
from types import MappingProxyType

import msgspec

from sgie import schema
from sgie.records import JSON, Entity, JSONObject
from sgie.scoring.counts import (
    NO_TYPES,
    SEMEVAL_FIELDS,
    SemEvalCounts,
    add_maps,
    frozen_map,
    macro_f1,
    semeval_json,
)
from sgie.scoring.matching import overlapping_pairs
from sgie.scoring.outcomes import ItemOutcome, ItemRef, Mismatch, OutcomeKind
from sgie.scoring.semeval import SCHEMES, Outcome, Scheme, entity_candidates, match_entities

_ZERO = SemEvalCounts()
_LABELS = schema.ENTITY_LABELS
_NAMES = tuple(s.name for s in SCHEMES)
_INDEX = {name: i for i, name in enumerate(_NAMES)}
_FIELDS = len(SEMEVAL_FIELDS)
#: Ints per scheme in ``EntityCounts.values``: micro, then one block per label.
_STRIDE = _FIELDS * (1 + len(_LABELS))
_SIZE = _STRIDE * len(SCHEMES)


def _fives(values: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """The counts of each group (``SEMEVAL_FIELDS``), in storage order."""
    it = iter(values)
    return zip(*[it] * _FIELDS, strict=False)


def _f1(block: JSON) -> float | None:
    value = block.get("f1") if isinstance(block, dict) else None
    return value if isinstance(value, float) else None


def _scheme_json(micro: JSONObject, per_type: dict[str, JSON]) -> JSONObject:
    """A scheme's JSON block from its micro block and its per-type blocks (both fresh)."""
    macro = macro_f1(map(_f1, per_type.values()))
    micro["macro_f1"] = macro
    if macro is None:
        given = micro["reason"]
        assert isinstance(given, dict)
        reason: dict[str, JSON] = dict(given)
        reason["macro_f1"] = NO_TYPES
        micro["reason"] = reason
    micro["per_type"] = per_type
    return micro


class SchemeCounts(msgspec.Struct, frozen=True):
    """Counts of one scheme: micro, and per entity type (every type of ``sgie.schema``)."""

    micro: SemEvalCounts
    per_type: Mapping[str, SemEvalCounts]

    def __add__(self, other: SchemeCounts) -> SchemeCounts:
        return SchemeCounts(self.micro + other.micro, add_maps(self.per_type, other.per_type))

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(c.f1 for c in self.per_type.values())

    def to_json(self) -> JSONObject:
        return _scheme_json(self.micro.to_json(), {label: c.to_json() for label, c in self.per_type.items()})


#: The layout of a tally (``EntityCounts.tally``): gold entities per type, predicted entities
#: (ungrounded included) per type, same-type overlapping pairs with the same boundaries per
#: type, same-type pairs with other boundaries per type, then the other-type pairs with the same
#: boundaries and with other boundaries.
T_GOLD, T_PRED, T_SAME, T_OTHER = (k * len(_LABELS) for k in range(4))
T_BOUNDS_ONLY, T_NEITHER = 4 * len(_LABELS), 4 * len(_LABELS) + 1
TALLY = 4 * len(_LABELS) + 2
_NO_TALLY = (0,) * TALLY


def _sum(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> tuple[int, ...] | None:
    if a is None or b is None:
        return b if a is None else a
    return tuple(map(add, a, b))


class EntityCounts(msgspec.Struct, frozen=True, eq=False):
    """Counts of every scheme: ``solved`` (flat, ``None`` for zeros) plus what the ``tally``
    expands to (see the module docstring). ``values[s * _STRIDE + g * 5 + k]`` is field ``k``
    (``SEMEVAL_FIELDS`` order) of group ``g`` (0 = micro, then ``schema.ENTITY_LABELS``) under
    scheme ``s`` (``SCHEMES`` order). ``schemes`` / ``[name]`` give ``SchemeCounts`` views.
    Two counts are equal when their ``values`` are."""

    solved: tuple[int, ...] | None = None
    tally: tuple[int, ...] = _NO_TALLY

    def __post_init__(self) -> None:
        if self.solved is not None and len(self.solved) != _SIZE:
            raise ValueError(f"EntityCounts needs {_SIZE} counts (got {len(self.solved)})")
        if len(self.tally) != TALLY:
            raise ValueError(f"an EntityCounts tally needs {TALLY} counts (got {len(self.tally)})")

    @property
    def values(self) -> tuple[int, ...]:
        """Every count, flat (the layout above)."""
        expanded = expand(self.tally)
        return expanded if self.solved is None else tuple(map(add, expanded, self.solved))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntityCounts):
            return NotImplemented
        return self.values == other.values

    def __hash__(self) -> int:
        return hash(self.values)

    @classmethod
    def from_schemes(cls, schemes: Mapping[str, SchemeCounts]) -> EntityCounts:
        """The counts of ``SchemeCounts`` keyed by scheme name (every scheme, every type)."""
        if schemes.keys() != set(_NAMES):
            raise ValueError(f"schemes must be {list(_NAMES)} (got {list(schemes)})")
        values: list[int] = []
        for name in _NAMES:
            c = schemes[name]
            if c.per_type.keys() != set(_LABELS):
                raise ValueError(f"per_type must have the types {list(_LABELS)} (got {list(c.per_type)})")
            for group in (c.micro, *(c.per_type[label] for label in _LABELS)):
                values += (getattr(group, field) for field in SEMEVAL_FIELDS)
        return cls(tuple(values))

    def __add__(self, other: EntityCounts) -> EntityCounts:
        return EntityCounts(_sum(self.solved, other.solved), tuple(map(add, self.tally, other.tally)))

    def __getitem__(self, scheme: str) -> SchemeCounts:
        base = _INDEX[scheme] * _STRIDE
        groups = _fives(self.values[base : base + _STRIDE])
        micro = SemEvalCounts(*next(groups))
        return SchemeCounts(micro, frozen_map((t, SemEvalCounts(*c)) for t, c in zip(_LABELS, groups)))

    @property
    def schemes(self) -> Mapping[str, SchemeCounts]:
        """The ``SchemeCounts`` of every scheme, keyed by name in ``SCHEMES`` order."""
        return MappingProxyType({name: self[name] for name in _NAMES})

    def to_json(self) -> JSONObject:
        groups = _fives(self.values)
        out: JSONObject = {}
        for name in _NAMES:
            micro = semeval_json(*next(groups))
            # zip takes a label before a group, so it stops at the scheme's last type
            per_type: dict[str, JSON] = {label: semeval_json(*c) for label, c in zip(_LABELS, groups)}
            out[name] = _scheme_json(micro, per_type)
        return out

    def counts_json(self) -> JSONObject:
        """The raw counts of ``to_json()`` without the derived values: exactly
        ``sgie.scoring.result.counts_only(self.to_json())`` (a result's ``per_document`` entry)."""
        groups = _fives(self.values)
        out: JSONObject = {}
        for name in _NAMES:
            c, i, p, m, s = next(groups)
            block: JSONObject = {"correct": c, "incorrect": i, "partial": p, "missed": m, "spurious": s}
            block["per_type"] = {
                label: {"correct": c, "incorrect": i, "partial": p, "missed": m, "spurious": s}
                for label, (c, i, p, m, s) in zip(_LABELS, groups)
            }
            out[name] = block
        return out


_Groups = dict[str, tuple[list[Entity], list[Entity], list[tuple[int, int]]]]


def _by_label(
    gold: Sequence[Entity], pred: Sequence[Entity], candidates: Sequence[tuple[int, int]]
) -> _Groups:
    """Per label: its gold and predicted entities (in their order: what
    ``[e for e in items if e.label == label]`` gives) and the overlapping pairs among them."""
    out: _Groups = {label: ([], [], []) for label in _LABELS}
    local: dict[int, int] = {}
    local_pred: dict[int, int] = {}
    for i, e in enumerate(gold):
        group = out.setdefault(e.label, ([], [], []))[0]
        local[i] = len(group)
        group.append(e)
    for i, e in enumerate(pred):
        group = out.setdefault(e.label, ([], [], []))[1]
        local_pred[i] = len(group)
        group.append(e)
    for g, p in candidates:
        if gold[g].label == pred[p].label:
            out[gold[g].label][2].append((local[g], local_pred[p]))
    return out


def _scheme_counts(
    scheme: Scheme,
    gold: Sequence[Entity],
    pred: Sequence[Entity],
    ungrounded: Sequence[Entity],
    candidates: Sequence[tuple[int, int]],
    by_label: _Groups,
    lost_by_label: dict[str, int],
) -> SchemeCounts:
    _, micro = match_entities(gold, pred, scheme, candidates)
    micro = micro + SemEvalCounts(spurious=len(ungrounded))
    per_type = []
    for label in _LABELS:
        g, p, pairs = by_label[label]
        extra = lost_by_label.get(label, 0)
        if g or p:
            _, counts = match_entities(g, p, scheme, pairs)
        else:
            counts = _ZERO
        per_type.append((label, counts + SemEvalCounts(spurious=extra) if extra else counts))
    return SchemeCounts(micro, frozen_map(per_type))


def _general(gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity]) -> EntityCounts:
    """The counts by solving every scheme's matching, micro and per type (any input)."""
    candidates = entity_candidates(gold, pred)  # overlapping pairs: found once for all schemes
    lost: dict[str, int] = {}
    for e in ungrounded:
        lost[e.label] = lost.get(e.label, 0) + 1
    by_label = _by_label(gold, pred, candidates)
    return EntityCounts.from_schemes(frozen_map(
        (s.name, _scheme_counts(s, gold, pred, ungrounded, candidates, by_label, lost)) for s in SCHEMES
    ))  # fmt: skip


_Item = tuple[int, int, int, str]  # (start, end, side: 0 gold / 1 predicted, label)
_START = itemgetter(0)
#: The overlapping pairs of a document, by what their outcome depends on (same boundaries, same
#: type): the labels of same-type pairs with the same boundaries, the labels of same-type pairs
#: with other boundaries, the number of other-type pairs with the same boundaries, and with
#: other boundaries.
_Pairs = tuple[list[str], list[str], int, int]


def _sweep(items: list[_Item]) -> _Pairs | None:
    """The ``_Pairs`` of gold and predicted ``items`` in one pass over them sorted by start, when
    each overlaps at most one other item, of the other side (no overlaps compete and none within
    a side: the common case); else ``None``.

    In start order, an item overlaps an earlier one iff it starts before that one ends (spans
    are non-empty), so the largest end so far (``end``) reveals every overlap; after a pair, any
    later overlap with either of its items would be a second one (``limit``). Neither the result
    nor whether there is one depends on the order of items with the same start.
    """
    same: list[str] = []
    other: list[str] = []
    bounds_only = neither = 0
    if not items:
        return same, other, bounds_only, neither
    items.sort(key=_START)
    # the last item that overlapped nothing before it (unpacked: this loop is the hot path)
    p_start, p_end, p_side, p_label = items[0]
    end = limit = p_start
    for start, stop, side, label in items:
        if start < end:  # overlaps an earlier item, which can only be the last such one
            if start < limit or side == p_side:
                return None
            if label == p_label:
                (same if start == p_start and stop == p_end else other).append(label)
            elif start == p_start and stop == p_end:
                bounds_only += 1
            else:
                neither += 1
            if stop > end:
                end = stop
            limit = end
        else:
            end = p_end = stop
            p_start, p_side, p_label = start, side, label
    return same, other, bounds_only, neither


def _uncontested_pairs(gold: list[_Item], pred: list[_Item]) -> _Pairs | None:
    """The ``_Pairs`` of the overlapping pairs if no overlaps compete (no entity overlaps two of
    the other side), else ``None``."""
    tally = _sweep(gold + pred)
    if tally is not None:
        return tally
    # overlaps within a side (e.g. nested entities), or competing ones: find every pair
    found = overlapping_pairs([x[:2] for x in gold], [x[:2] for x in pred])
    if len({g for g, _ in found}) < len(found) or len({p for _, p in found}) < len(found):
        return None
    same: list[str] = []
    other: list[str] = []
    bounds_only = neither = 0
    for g, p in found:
        (g_start, g_end, _, g_label), (p_start, p_end, _, p_label) = gold[g], pred[p]
        if g_label == p_label:
            (same if g_start == p_start and g_end == p_end else other).append(g_label)
        elif g_start == p_start and g_end == p_end:
            bounds_only += 1
        else:
            neither += 1
    return same, other, bounds_only, neither


#: Per scheme, the field (index into ``SEMEVAL_FIELDS``: correct, incorrect or partial) a
#: matched pair counts in, by (same boundaries, same type).
_SLOTS = tuple({(bounds, types): SEMEVAL_FIELDS.index(s.outcome_of(bounds, types).value)
                for bounds in (True, False) for types in (True, False)} for s in SCHEMES)  # fmt: skip
_MISSED = SEMEVAL_FIELDS.index("missed")
_SPURIOUS = SEMEVAL_FIELDS.index("spurious")


def _uncontested(
    gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity]
) -> EntityCounts | None:
    """The counts when no overlaps compete, as a tally (``expand``), in one pass; ``None``
    otherwise."""
    tally = _uncontested_pairs([(e.start, e.end, 0, e.label) for e in gold],
                               [(e.start, e.end, 1, e.label) for e in pred])  # fmt: skip
    if tally is None:
        return None
    same_labels, other_labels, bounds_only, neither = tally
    n_gold: Counter[str] = Counter([e.label for e in gold])
    n_pred: Counter[str] = Counter([e.label for e in pred])
    if ungrounded:  # spurious, as unmatched predictions
        n_pred.update([e.label for e in ungrounded])
    same, other = Counter(same_labels), Counter(other_labels)
    return EntityCounts(tally=(*[n_gold.get(x, 0) for x in _LABELS], *[n_pred.get(x, 0) for x in _LABELS],
                               *[same.get(x, 0) for x in _LABELS], *[other.get(x, 0) for x in _LABELS],
                               bounds_only, neither))  # fmt: skip


def expand(tally: Sequence[int]) -> tuple[int, ...]:
    """Every count (``EntityCounts.values``) of documents counted without a matching, from
    their ``tally``.

    Every overlapping pair has a positive weight, so when no two pairs share an entity the
    optimal matching of every scheme is all of them, micro and, restricted to same-type pairs,
    per type: exactly what ``match_entities`` finds, without solving an assignment.
    """
    n = len(_LABELS)
    n_gold, n_pred = tally[T_GOLD : T_GOLD + n], tally[T_PRED : T_PRED + n]
    same, other = list(tally[T_SAME : T_SAME + n]), list(tally[T_OTHER : T_OTHER + n])
    kinds = {(True, True): sum(same), (False, True): sum(other), (True, False): tally[T_BOUNDS_ONLY],
             (False, False): tally[T_NEITHER]}  # fmt: skip
    n_pairs = sum(kinds.values())
    matched = list(map(add, same, other))
    # per type, only same-type pairs match; missed and spurious do not depend on the scheme
    values = [0] * _SIZE
    missed = [sum(n_gold) - n_pairs, *map(sub, n_gold, matched)]
    spurious = [sum(n_pred) - n_pairs, *map(sub, n_pred, matched)]
    values[_MISSED::_FIELDS] = missed * len(SCHEMES)
    values[_SPURIOUS::_FIELDS] = spurious * len(SCHEMES)
    for base, slots in zip(range(0, _SIZE, _STRIDE), _SLOTS, strict=True):
        for kind, count in kinds.items():
            values[base + slots[kind]] += count
        exact, inexact = base + _FIELDS + slots[(True, True)], base + _FIELDS + slots[(False, True)]
        if exact == inexact:
            values[exact : base + _STRIDE : _FIELDS] = matched
        else:
            values[exact : base + _STRIDE : _FIELDS] = same
            values[inexact : base + _STRIDE : _FIELDS] = other
    return tuple(values)


def score_entities(
    gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity] = ()
) -> EntityCounts:
    """SemEval counts of one document's predicted entities against its gold entities.

    ``ungrounded`` are predicted entities whose text could not be placed in the document (their
    spans are placeholders and are not looked at); each is spurious.
    """
    fast = _uncontested(gold, pred, ungrounded)
    return fast if fast is not None else _general(gold, pred, ungrounded)


_EMPTY = EntityCounts()


def empty_entity_counts() -> EntityCounts:
    """The zero of ``EntityCounts`` (for summing)."""
    return _EMPTY


_KINDS: dict[Outcome, OutcomeKind] = {Outcome.CORRECT: "correct", Outcome.INCORRECT: "incorrect",
                                      Outcome.PARTIAL: "partial"}  # fmt: skip


def _ref(e: Entity) -> ItemRef:
    return ItemRef(e.id, e.label, (e.span,))


def entity_outcomes(
    gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity] = ()
) -> tuple[ItemOutcome, ...]:
    """Every gold and predicted entity's outcome under each scheme (``sgie.scoring.outcomes``),
    from the optimal matching of each scheme (``match_entities``; micro): the counts of
    ``score_entities`` are their tally."""
    candidates = entity_candidates(gold, pred)
    out: list[ItemOutcome] = []
    for scheme in SCHEMES:
        alignment, _ = match_entities(gold, pred, scheme, candidates)
        pred_of = alignment.pred_of
        for i, g in enumerate(gold):
            j = pred_of.get(i)
            if j is None:
                out.append(ItemOutcome(scheme.name, "missed", _ref(g), None))
                continue
            p = pred[j]
            errors: list[Mismatch] = []
            if (g.start, g.end) != (p.start, p.end):
                errors.append("boundary")
            if g.label != p.label:
                errors.append("type")
            kind = _KINDS[scheme.outcome(g, p)]
            out.append(ItemOutcome(scheme.name, kind, _ref(g), _ref(p), tuple(errors)))
        out += [ItemOutcome(scheme.name, "spurious", None, _ref(pred[j])) for j in alignment.unmatched_pred]
        out += [ItemOutcome(scheme.name, "spurious", None, ItemRef(e.id, e.label, ()), ("ungrounded",))
                for e in ungrounded]  # fmt: skip
    return tuple(out)
