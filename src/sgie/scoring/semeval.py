"""The four SemEval-2013 (Task 9.1) entity matching schemes, with one-to-one optimal matching.

What it does
    Defines the schemes of Segura-Bedmar et al. (2013), popularised for NER by Batista's
    "Named-Entity evaluation metrics based on entity-level" and the ``nervaluate`` package, as
    named ``Scheme`` objects. A gold and a predicted entity are *candidates* when their spans
    share at least one code point; each candidate pair, if matched, counts as:

    ========== ============================================ ===================
    scheme     correct when                                 otherwise
    ========== ============================================ ===================
    ``strict`` same boundaries and same type                incorrect (INC)
    ``exact``  same boundaries (type ignored)               incorrect (INC)
    ``partial`` same boundaries (type ignored)              partial (PAR)
    ``type``   same type (any overlap)                      incorrect (INC)
    ========== ============================================ ===================

    Unmatched predictions are spurious (SPU), unmatched gold entities missed (MIS). Counts and
    metrics: ``sgie.scoring.counts.SemEvalCounts``.

    Matching is one-to-one and *optimal* (``sgie.scoring.matching.assign``): it maximises the
    scheme's own credit (``COR + 0.5*PAR``, i.e. precision and recall, since ``ACT`` is the
    number of predictions and ``POS`` the number of gold entities), then the number of matched
    pairs (an overlapping wrong prediction is one INC, not one SPU plus one MIS). The resulting
    counts are unique, whatever the order of the input.

Differences from nervaluate 1.2.1 (tested in ``tests/test_scoring_entities.py``)
    nervaluate matches greedily in prediction order (the first prediction to reach a gold entity
    takes it, and ``type`` prefers the closest boundaries), so when overlaps compete its counts
    can depend on list order and fall short of the optimum (MantisAI/nervaluate issues #39 and
    #40; earlier versions also double counted a prediction overlapping two gold entities, see
    PR #85). It also requires the overlap to cover at least 1% of the gold entity, so a
    one-character overlap with a gold entity longer than 100 characters is no overlap there.

    Wherever no overlaps compete and gold entities are at most 100 characters long, the two
    agree exactly (counts, precision, recall, F1, micro and per type); so do ``strict``,
    ``exact`` and ``partial`` on any IOB-expressible input (no overlaps within gold, none
    within the predictions, lists in text order); hypothesis differential tests check both,
    and strict P/R/F1 against seqeval's strict IOB2 mode too.

What it does not do
    No per-type aggregation or ungrounded predictions (``sgie.scoring.entities``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

import msgspec

from sgie.records import Entity
from sgie.scoring.counts import SemEvalCounts
from sgie.scoring.matching import Alignment, assign, overlapping_pairs


class Outcome(Enum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    PARTIAL = "partial"


_NO_OUTCOMES = {o: 0 for o in Outcome}
#: Twice the credit of each outcome (integers keep the assignment exact).
_CREDIT2 = {Outcome.CORRECT: 2, Outcome.PARTIAL: 1, Outcome.INCORRECT: 0}


class Scheme(msgspec.Struct, frozen=True):
    """A SemEval-2013 scheme: what a matched pair needs to be correct, and what it is if not."""

    name: str
    same_boundaries: bool
    same_type: bool
    otherwise: Outcome
    definition: str

    def outcome(self, gold: Entity, pred: Entity) -> Outcome:
        """The outcome of matching ``pred`` to ``gold`` (they must overlap)."""
        return self.outcome_of(gold.start == pred.start and gold.end == pred.end, gold.label == pred.label)

    def outcome_of(self, same_boundaries: bool, same_type: bool) -> Outcome:
        """The outcome of matching an overlapping pair, from whether its boundaries and its
        types agree (all an outcome depends on)."""
        if (same_boundaries or not self.same_boundaries) and (same_type or not self.same_type):
            return Outcome.CORRECT
        return self.otherwise

    def __repr__(self) -> str:
        return f"Scheme({self.name})"


STRICT = Scheme("strict", True, True, Outcome.INCORRECT,
                "exact boundary match and the same entity type")  # fmt: skip
EXACT = Scheme("exact", True, False, Outcome.INCORRECT,
               "exact boundary match, whatever the entity type")  # fmt: skip
PARTIAL = Scheme("partial", True, False, Outcome.PARTIAL,
                 "exact boundary match; any other overlap earns half credit; type ignored")  # fmt: skip
TYPE = Scheme("type", False, True, Outcome.INCORRECT,
              "some overlap and the same entity type")  # fmt: skip

SCHEMES: tuple[Scheme, ...] = (STRICT, EXACT, PARTIAL, TYPE)


def _overlap(a: Entity, b: Entity) -> bool:
    """Whether the spans share a code point (``Span.overlaps``, on the flat fields)."""
    return a.start < b.end and b.start < a.end


def entity_candidates(gold: Sequence[Entity], pred: Sequence[Entity]) -> list[tuple[int, int]]:
    """The ``(gold, pred)`` index pairs that overlap: the only pairs any scheme can match."""
    return overlapping_pairs([(e.start, e.end) for e in gold], [(e.start, e.end) for e in pred])


def match_entities(
    gold: Sequence[Entity],
    pred: Sequence[Entity],
    scheme: Scheme,
    candidates: Sequence[tuple[int, int]] | None = None,
) -> tuple[Alignment, SemEvalCounts]:
    """The optimal one-to-one matching of ``pred`` to ``gold`` under ``scheme``, and its counts.

    ``candidates`` (``entity_candidates(gold, pred)``, if the caller already has it) are the
    overlapping pairs; only they are weighed (``sgie.scoring.matching.assign``).
    """
    bound = min(len(gold), len(pred)) + 1  # > any number of matched pairs

    def weight(g: int, p: int) -> int:
        if not _overlap(gold[g], pred[p]):
            return 0
        return _CREDIT2[scheme.outcome(gold[g], pred[p])] * bound + 1

    if candidates is None:
        candidates = entity_candidates(gold, pred)
    if not candidates:  # nothing overlaps: every gold entity missed, every prediction spurious
        return Alignment((), len(gold), len(pred)), SemEvalCounts(missed=len(gold), spurious=len(pred))
    alignment = assign(len(gold), len(pred), weight, candidates)
    tally = dict(_NO_OUTCOMES)
    for g, p in alignment.pairs:
        tally[scheme.outcome(gold[g], pred[p])] += 1
    matched = len(alignment.pairs)
    counts = SemEvalCounts(
        correct=tally[Outcome.CORRECT],
        incorrect=tally[Outcome.INCORRECT],
        partial=tally[Outcome.PARTIAL],
        missed=len(gold) - matched,
        spurious=len(pred) - matched,
    )
    return alignment, counts
