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
from sgie.scoring.semeval import SCHEMES, Scheme, match_entities


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


def _scheme_counts(
    scheme: Scheme, gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity]
) -> SchemeCounts:
    _, micro = match_entities(gold, pred, scheme)
    micro = micro + SemEvalCounts(spurious=len(ungrounded))
    per_type = []
    for label in schema.ENTITY_LABELS:
        _, counts = match_entities(
            [e for e in gold if e.label == label], [e for e in pred if e.label == label], scheme
        )
        extra = sum(1 for e in ungrounded if e.label == label)
        per_type.append((label, counts + SemEvalCounts(spurious=extra)))
    return SchemeCounts(micro, frozen_map(per_type))


def score_entities(
    gold: Sequence[Entity], pred: Sequence[Entity], ungrounded: Sequence[Entity] = ()
) -> EntityCounts:
    """SemEval counts of one document's predicted entities against its gold entities.

    ``ungrounded`` are predicted entities whose text could not be placed in the document (their
    spans are placeholders and are not looked at); each is spurious.
    """
    return EntityCounts(
        frozen_map((s.name, _scheme_counts(s, gold, pred, ungrounded)) for s in SCHEMES)
    )


def empty_entity_counts() -> EntityCounts:
    """The zero of ``EntityCounts`` (for summing)."""
    return score_entities((), ())
