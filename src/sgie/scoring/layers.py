"""The three scored layers, each declared once: its scorer, headline metric, result path, label.

What it does
    One ``Layer`` per annotation layer (the model: MTEB's task metadata), in ``LAYERS``:

    ============== ============== ====================================== ==========================
    name           title          headline (``Layer.headline``)          ``Layer.result_path``
    ============== ============== ====================================== ==========================
    entities       Entities       strict micro-F1                        ``entities.strict.f1``
    proposals      Proposals      span overlap F1                        ``proposals.spans.overlap.f1``
    attributions   Attributions   whole-attribution overlap F1           ``attributions.whole.overlap.f1``
    ============== ============== ====================================== ==========================

    and ``OVERALL``, the mean of the three layer headlines, defined only for a system that
    attempts all three (``Overall.attempted``). Everything that names a layer, its headline or
    "is overall attempted" reads it from here: the scoring loop (``Layer.score``,
    ``Layer.outcomes``), the result object and text report (``sgie.scoring.report``: the
    headline rows are starred), the leaderboard (``sgie.leaderboard.headline``: count vectors,
    results files, tables, plot).

    ``Layer.headline_counts(counts)`` is the count object (``PRF`` or ``SemEvalCounts``) whose
    F1 is the headline; ``Layer.vector(counts)`` reduces it to ``(2 * credit, predicted, gold)``
    (integers that add up over documents: the leaderboard's bootstrap sums them).

    Why these headlines: entity boundaries are crisp and typed, so the strictest scheme is the
    one a user of the entities needs; proposal and attribution spans are clause-length and their
    exact extent is where annotators differ most, so overlap matching credits finding the right
    proposal or quotation without rewarding boundary luck.

What it does not do
    No scoring of its own (the layer modules ``sgie.scoring.entities``, ``.proposals``,
    ``.attributions``), no decision whether a layer is attempted (``sgie.scoring.official``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from sgie.records import LAYER_NAMES, Argument, Attribution, DocAnnotations, Entity, LayerName, Proposal
from sgie.scoring.attributions import AttributionCounts, attribution_outcomes, score_attributions
from sgie.scoring.counts import PRF, SemEvalCounts
from sgie.scoring.entities import EntityCounts, entity_outcomes, score_entities
from sgie.scoring.grounding import Ungrounded
from sgie.scoring.outcomes import ItemOutcome
from sgie.scoring.proposals import ProposalCounts, proposal_outcomes, score_proposals

C = TypeVar("C", EntityCounts, ProposalCounts, AttributionCounts)
LayerCounts = EntityCounts | ProposalCounts | AttributionCounts


@dataclass(frozen=True)
class Layer(Generic[C]):
    """The declaration of one layer (see the module docstring)."""

    name: LayerName
    title: str  # label in tables and plots
    headline: str  # name of the headline metric
    headline_note: str  # what it means, one clause
    result_path: tuple[str, ...]  # path of the headline F1 in the result object
    #: ``score(gold, predicted, text, ungrounded)``: the counts of one document's layer
    score: Callable[[DocAnnotations, DocAnnotations, str, Ungrounded], C]
    #: ``outcomes(gold, predicted, text, ungrounded)``: each item's outcome per scheme
    outcomes: Callable[[DocAnnotations, DocAnnotations, str, Ungrounded], tuple[ItemOutcome, ...]]
    #: the counts object whose F1 is the headline
    headline_counts: Callable[[C], PRF | SemEvalCounts]
    counts_type: type[C]  # what ``score`` returns

    @property
    def path(self) -> str:
        """``result_path`` dotted, e.g. ``entities.strict.f1``."""
        return ".".join(self.result_path)

    @property
    def row(self) -> tuple[str, ...]:
        """The path of the headline block inside the layer's section (``("strict",)``)."""
        return self.result_path[1:-1]

    def headline_block(self, counts: LayerCounts) -> PRF | SemEvalCounts:
        """``headline_counts`` of counts of this layer (``TypeError`` for another layer's)."""
        if not isinstance(counts, self.counts_type):
            raise TypeError(f"{self.name} counts must be {self.counts_type.__name__} "
                            f"(got {type(counts).__name__})")  # fmt: skip
        return self.headline_counts(counts)

    def headline_f1(self, counts: LayerCounts) -> float | None:
        """The scorer's value of the headline metric."""
        return self.headline_block(counts).f1

    def vector(self, counts: LayerCounts) -> tuple[int, int, int]:
        """``(2 * credit, predicted, gold)`` of the headline (credit = correct + partial/2 for
        entities, true positives otherwise); adds up over documents."""
        c = self.headline_block(counts)
        if isinstance(c, SemEvalCounts):
            return 2 * c.correct + c.partial, c.actual, c.possible
        return 2 * c.tp, c.predicted, c.gold


def _entities(doc: DocAnnotations) -> tuple[Entity, ...]:
    return doc.entities or ()


def _proposals(doc: DocAnnotations) -> tuple[Proposal, ...]:
    return doc.proposals or ()


def _attributions(doc: DocAnnotations) -> tuple[Attribution, ...]:
    return doc.attributions or ()


def _lost_arguments(u: Ungrounded) -> tuple[Argument, ...]:
    return u.arguments


ENTITIES: Layer[EntityCounts] = Layer(
    name="entities",
    title="Entities",
    headline="strict micro-F1",
    headline_note="SemEval-2013 strict: same boundaries and type",
    result_path=("entities", "strict", "f1"),
    score=lambda g, p, text, u: score_entities(_entities(g), _entities(p), u.entities),
    outcomes=lambda g, p, text, u: entity_outcomes(_entities(g), _entities(p), u.entities),
    headline_counts=lambda c: c["strict"].micro,
    counts_type=EntityCounts,
)
PROPOSALS: Layer[ProposalCounts] = Layer(
    name="proposals",
    title="Proposals",
    headline="span overlap F1",
    headline_note="one-to-one; a prediction overlapping a gold proposal",
    result_path=("proposals", "spans", "overlap", "f1"),
    score=lambda g, p, text, u: score_proposals(_proposals(g), _proposals(p), u.proposals,
                                                _lost_arguments(u)),  # fmt: skip
    outcomes=lambda g, p, text, u: proposal_outcomes(_proposals(g), _proposals(p), u.proposals,
                                                     _lost_arguments(u), u.argument_of),  # fmt: skip
    headline_counts=lambda c: c.spans["overlap"],
    counts_type=ProposalCounts,
)
ATTRIBUTIONS: Layer[AttributionCounts] = Layer(
    name="attributions",
    title="Attributions",
    headline="whole-attribution overlap F1",
    headline_note="cue, source and content spans all overlap",
    result_path=("attributions", "whole", "overlap", "f1"),
    score=lambda g, p, text, u: score_attributions(_attributions(g), _attributions(p), text,
                                                   u.attributions),  # fmt: skip
    outcomes=lambda g, p, text, u: attribution_outcomes(_attributions(g), _attributions(p), text,
                                                        u.attributions),  # fmt: skip
    headline_counts=lambda c: c.whole["overlap"],
    counts_type=AttributionCounts,
)

AnyLayer = Layer[EntityCounts] | Layer[ProposalCounts] | Layer[AttributionCounts]
#: The layers, in the order of the record shape, the result object and every table.
LAYERS: tuple[AnyLayer, ...] = (ENTITIES, PROPOSALS, ATTRIBUTIONS)
BY_NAME: Mapping[str, AnyLayer] = {layer.name: layer for layer in LAYERS}


def layer(name: str) -> AnyLayer:
    """The declaration of the layer called ``name`` (``KeyError`` if there is none)."""
    return BY_NAME[name]


@dataclass(frozen=True)
class Overall:
    """The overall headline: the mean of the layer headlines, for systems attempting all."""

    name: str = "overall"
    title: str = "Overall"
    headline: str = "mean of the three layer F1s"
    headline_note: str = "for systems attempting all three"

    def attempted(self, attempts: Callable[[str], bool]) -> bool:
        """Whether a system that ``attempts(layer)`` has an overall score: all layers."""
        return all(attempts(x.name) for x in LAYERS)


OVERALL = Overall()
#: Every ranked metric of the leaderboard: the layers, then overall.
METRIC_NAMES: tuple[str, ...] = (*LAYER_NAMES, OVERALL.name)


def headline_of(metric: str) -> str:
    """The headline name of a layer or of ``overall``."""
    return OVERALL.headline if metric == OVERALL.name else BY_NAME[metric].headline


def title_of(metric: str) -> str:
    """The display title of a layer or of ``overall``."""
    return OVERALL.title if metric == OVERALL.name else BY_NAME[metric].title

