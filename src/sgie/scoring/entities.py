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

What it does not do
    No matching logic of its own (``sgie.scoring.semeval``), no rendering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sgie import schema
from sgie.records import JSON, Entity, JSONObject
from sgie.scoring.counts import NO_TYPES, SemEvalCounts, add_maps, frozen_map, macro_f1
from sgie.scoring.semeval import SCHEMES, Scheme, entity_candidates, match_entities

_ZERO = SemEvalCounts()


@dataclass(frozen=True)
class SchemeCounts:
    """Counts of one scheme: micro, and per entity type (every type of ``sgie.schema``)."""

    micro: SemEvalCounts
    per_type: Mapping[str, SemEvalCounts]

    def __add__(self, other: SchemeCounts) -> SchemeCounts:
        return SchemeCounts(self.micro + other.micro, add_maps(self.per_type, other.per_type))

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(c.f1 for c in self.per_type.values())

    def to_json(self) -> JSONObject:
        out: JSONObject = dict(self.micro.to_json())
        out["macro_f1"] = self.macro_f1
        if self.macro_f1 is None:
            reason: dict[str, JSON] = dict(self.micro.reasons)
            reason["macro_f1"] = NO_TYPES
            out["reason"] = reason
        out["per_type"] = {label: c.to_json() for label, c in self.per_type.items()}
        return out


@dataclass(frozen=True)
class EntityCounts:
    """Counts of every scheme (keyed by scheme name, in ``SCHEMES`` order)."""

    schemes: Mapping[str, SchemeCounts]

    def __add__(self, other: EntityCounts) -> EntityCounts:
        return EntityCounts(add_maps(self.schemes, other.schemes))

    def __getitem__(self, scheme: str) -> SchemeCounts:
        return self.schemes[scheme]

    def to_json(self) -> JSONObject:
        return {name: c.to_json() for name, c in self.schemes.items()}


def _by_label(
    gold: Sequence[Entity], pred: Sequence[Entity], candidates: Sequence[tuple[int, int]]
) -> dict[str, tuple[list[Entity], list[Entity], list[tuple[int, int]]]]:
    """Per label: its gold and predicted entities (in their order: what
    ``[e for e in items if e.label == label]`` gives) and the overlapping pairs among them."""
    out = {label: ([], [], []) for label in schema.ENTITY_LABELS}
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
    return out  # type: ignore[return-value]


def _scheme_counts(
    scheme: Scheme,
    gold: Sequence[Entity],
    pred: Sequence[Entity],
    ungrounded: Sequence[Entity],
    candidates: Sequence[tuple[int, int]],
    by_label: dict[str, tuple[list[Entity], list[Entity], list[tuple[int, int]]]],
    lost_by_label: dict[str, int],
) -> SchemeCounts:
    _, micro = match_entities(gold, pred, scheme, candidates)
    micro = micro + SemEvalCounts(spurious=len(ungrounded))
    per_type = []
    for label in schema.ENTITY_LABELS:
        g, p, pairs = by_label[label]
        extra = lost_by_label.get(label, 0)
        if g or p:
            _, counts = match_entities(g, p, scheme, pairs)
        else:
            counts = _ZERO
        per_type.append((label, counts + SemEvalCounts(spurious=extra) if extra else counts))
    return SchemeCounts(micro, frozen_map(per_type))


_NONE = {"correct": 0, "incorrect": 0, "partial": 0}


def _outcome(scheme: Scheme, same_boundaries: bool, same_type: bool) -> str:
    """``scheme.outcome`` of an overlapping pair, from whether boundaries and types agree."""
    ok = (same_boundaries or not scheme.same_boundaries) and (same_type or not scheme.same_type)
    return "correct" if ok else scheme.otherwise.value


def _uncontested(
    gold: Sequence[Entity], pred: Sequence[Entity], candidates: Sequence[tuple[int, int]],
    lost: Mapping[str, int],
) -> EntityCounts | None:
    """The counts when no overlaps compete (each entity overlaps at most one of the other side),
    the usual case, in one pass; ``None`` otherwise.

    Every overlapping pair has a positive weight, so when no two pairs share an entity the
    optimal matching of every scheme is all of them, micro and, restricted to same-type pairs,
    per type: exactly what ``match_entities`` finds, without solving an assignment.
    """
    seen_gold, seen_pred = set(), set()
    for g, p in candidates:
        if g in seen_gold or p in seen_pred:
            return None
        seen_gold.add(g)
        seen_pred.add(p)
    # outcomes depend only on (same boundaries, same type): count pairs by those, then map
    kinds: dict[tuple[bool, bool], int] = {}
    typed_kinds: dict[tuple[str, bool], int] = {}  # same-type pairs by (label, same boundaries)
    matched_of: dict[str, int] = {}
    for g, p in candidates:
        gs, ps = gold[g].span, pred[p].span
        label = gold[g].label
        key = (gs.start == ps.start and gs.end == ps.end, label == pred[p].label)
        kinds[key] = kinds.get(key, 0) + 1
        if key[1]:
            matched_of[label] = matched_of.get(label, 0) + 1
            typed_kinds[(label, key[0])] = typed_kinds.get((label, key[0]), 0) + 1
    names = [s.name for s in SCHEMES]
    tally = {n: {o: 0 for o in ("correct", "incorrect", "partial")} for n in names}
    typed = {label: {n: {o: 0 for o in ("correct", "incorrect", "partial")} for n in names}
             for label in matched_of}  # fmt: skip
    for scheme in SCHEMES:
        for (bounds, types), n in kinds.items():
            tally[scheme.name][_outcome(scheme, bounds, types)] += n
        for (label, bounds), n in typed_kinds.items():
            typed[label][scheme.name][_outcome(scheme, bounds, True)] += n
    n_gold: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    for e in gold:
        n_gold[e.label] = n_gold.get(e.label, 0) + 1
    for e in pred:
        n_pred[e.label] = n_pred.get(e.label, 0) + 1
    n_lost = sum(lost.values())
    out = []
    for name in names:
        t = tally[name]
        micro = SemEvalCounts(t["correct"], t["incorrect"], t["partial"], len(gold) - len(candidates),
                              len(pred) - len(candidates) + n_lost)  # fmt: skip
        per_type = []
        for label in schema.ENTITY_LABELS:
            c, m = typed[label][name] if label in typed else _NONE, matched_of.get(label, 0)
            missed, spurious = n_gold.get(label, 0) - m, n_pred.get(label, 0) - m + lost.get(label, 0)
            per_type.append((label, SemEvalCounts(c["correct"], c["incorrect"], c["partial"], missed,
                                                  spurious)))  # fmt: skip
        out.append((name, SchemeCounts(micro, frozen_map(per_type))))
    return EntityCounts(frozen_map(out))


def score_entities(
    gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity] = ()
) -> EntityCounts:
    """SemEval counts of one document's predicted entities against its gold entities.

    ``ungrounded`` are predicted entities whose text could not be placed in the document (their
    spans are placeholders and are not looked at); each is spurious.
    """
    candidates = entity_candidates(gold, pred)  # overlapping pairs: found once for all schemes
    lost: dict[str, int] = {}
    for e in ungrounded:
        lost[e.label] = lost.get(e.label, 0) + 1
    fast = _uncontested(gold, pred, candidates, lost)
    if fast is not None:
        return fast
    by_label = _by_label(gold, pred, candidates)
    return EntityCounts(frozen_map(
        (s.name, _scheme_counts(s, gold, pred, ungrounded, candidates, by_label, lost)) for s in SCHEMES
    ))  # fmt: skip


def empty_entity_counts() -> EntityCounts:
    """The zero of ``EntityCounts`` (for summing)."""
    return score_entities((), ())
