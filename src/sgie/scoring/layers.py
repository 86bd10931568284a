"""The three scored layers, each declared once: its scorer, headline metric, result path, label.

What it does
    One ``Layer`` per annotation layer (the model: MTEB's task metadata), in ``LAYERS``:

    ============== ============== ============================ ====================================
    name           title          headline (``Layer.headline``) ``Layer.result_path``
    ============== ============== ============================ ====================================
    entities       Entities       strict micro-F1              ``entities.strict.f1``
    proposals      Proposals      classification F1            ``proposals.classification.f1``
    attributions   Attributions   source-and-content F1        ``attributions.source_content.f1``
    ============== ============== ============================ ====================================

    and ``OVERALL``, the mean of the three layer headlines, defined only for a system that
    attempts all three (``Overall.attempted``). Everything that names a layer, its headline or
    "is overall attempted" reads it from here: the scoring loop (``Layer.score``,
    ``Layer.outcomes``), the result object and text report (``sgie.scoring.report``: the
    headline rows are starred), the leaderboard (``sgie.leaderboard.headline``: count vectors,
    results files, tables, plot).

    ``Layer.headline_counts(counts)`` is the count object (``PRF`` or ``SemEvalCounts``) whose
    F1 is the headline; ``Layer.vector(counts)`` reduces it to ``(2 * credit, predicted, gold)``
    (integers that add up over documents: the leaderboard's bootstrap sums them).

    ``Layer.secondary`` names the lenient and diagnostic scores shown beside the headline
    (entities: type F1; proposals: argument F1 and span overlap F1; attributions: whole
    overlap F1), never ranked.

    Why these headlines: each requires what makes the layer useful, not only finding a span.

    * **Entities -- strict micro-F1** (SemEval-2013 Task 9.1 strict; Segura-Bedmar et al. 2013):
      same boundaries and same type. Entity boundaries are short and crisp, and a user needs
      both the mention and its type.
    * **Proposals -- classification F1**: a predicted proposal counts only if it overlaps a gold
      proposal *and* has the same ``type`` and ``status`` (one-to-one). This is ACE 2005 event
      *trigger classification* (a trigger is correct if its offsets and event subtype match;
      Ji and Grishman 2008, Li, Ji and Huang 2013), with two changes: proposal spans are
      clauses whose exact extent is where annotators differ most, so the span must overlap
      rather than match; and the class is type *and* status, because a proposal's status
      (offered, rejected, under discussion, superseded ...) is what a reader of a security-
      guarantee tracker needs. Argument F1 (ACE *argument classification*: same role, span
      overlapping, attached to the paired proposal) is shown beside it; span overlap F1 (the
      lenient identification score) too. Polarity is reported, not required: in the schema it
      is largely implied by the type (``refusal``).
    * **Attributions -- source-and-content F1** (who said what): a predicted attribution counts
      if its source overlaps the gold source (or both have none) and its content *covers* the
      gold content, i.e. their token Dice coefficient ``2|G & P| / (|G| + |P|)`` is at least
      ``0.5`` (``sgie.scoring.attributions.CONTENT_DICE``; tokens as in the token-overlap role
      scores), one-to-one. PARC 3.0 (Pareti 2016) and PolNeAR (Newell, Margolin and Ruths 2018)
      define an attribution by its source, cue and content spans and score the spans both
      strictly and by token overlap, because content spans are long and their boundaries
      vary. Requiring the source and a content that shares at least half its tokens with the
      gold (in the Dice sense, so a content twice too long or half too short still counts,
      a paragraph-sized catch-all does not) measures the attribution, where the former
      headline (any overlap of cue, source and content) measured finding it. The cue is not
      required: it is a means to the relation, and its F1 stays in the results.
      Whole-attribution overlap F1 is shown beside it as the lenient score.

What it does not do
    No scoring of its own (the layer modules ``sgie.scoring.entities``, ``.proposals``,
    ``.attributions``), no decision whether a layer is attempted (``sgie.scoring.official``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

import msgspec

from sgie.records import LAYER_NAMES, Argument, Attribution, DocAnnotations, Entity, LayerName, Proposal
from sgie.scoring.attributions import AttributionCounts, attribution_outcomes, score_attributions
from sgie.scoring.counts import PRF, SemEvalCounts
from sgie.scoring.entities import EntityCounts, entity_outcomes, score_entities
from sgie.scoring.grounding import Ungrounded
from sgie.scoring.outcomes import ItemOutcome
from sgie.scoring.proposals import ProposalCounts, proposal_outcomes, score_proposals

C = TypeVar("C", EntityCounts, ProposalCounts, AttributionCounts)
LayerCounts = EntityCounts | ProposalCounts | AttributionCounts


class Metric(msgspec.Struct, frozen=True):
    """A metric of a layer reported besides its headline (in the result object and the table)."""

    name: str
    result_path: tuple[str, ...]  # path of its F1 in the result object
    note: str  # what it measures and when to use it, one clause


class Layer(msgspec.Struct, Generic[C], frozen=True):
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
    #: lenient and diagnostic scores shown beside the headline, not ranked: (label, result path)
    secondary: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: further metrics worth naming (not ranked)
    metrics: tuple[Metric, ...] = ()

    @property
    def path(self) -> str:
        """``result_path`` dotted, e.g. ``entities.strict.f1``."""
        return ".".join(self.result_path)

    @property
    def row(self) -> tuple[str, ...]:
        """The path of the headline block inside the layer's section (``("strict",)``)."""
        return self.result_path[1:-1]

    def secondary_values(self, counts: LayerCounts) -> tuple[float | None, ...]:
        """The values of ``secondary``, in order, from the layer's counts."""
        data = counts.to_json()
        out = []
        for _, path in self.secondary:
            node: object = data
            for key in path[1:]:
                node = node[key] if isinstance(node, dict) else None
            out.append(node if isinstance(node, float | int) and not isinstance(node, bool) else None)
        return tuple(float(x) if x is not None else None for x in out)

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
    secondary=(("type F1", ("entities", "type", "f1")),),
    metrics=(Metric("surface", ("entities", "surface", "f1"),
                    "P/R/F1 over per-document sets of (normalised surface, label): for extractors "
                    "that list each entity once (sgie.scoring.surface)"),),  # fmt: skip
)
PROPOSALS: Layer[ProposalCounts] = Layer(
    name="proposals",
    title="Proposals",
    headline="classification F1",
    headline_note="ACE-style classification: a prediction counts if it overlaps a gold proposal "
    "with the same type and the same status; one-to-one",
    result_path=("proposals", "classification", "f1"),
    score=lambda g, p, text, u: score_proposals(_proposals(g), _proposals(p), u.proposals,
                                                _lost_arguments(u)),  # fmt: skip
    outcomes=lambda g, p, text, u: proposal_outcomes(_proposals(g), _proposals(p), u.proposals,
                                                     _lost_arguments(u), u.argument_of),  # fmt: skip
    headline_counts=lambda c: c.classification,
    counts_type=ProposalCounts,
    secondary=(("argument F1", ("proposals", "arguments", "overlap", "micro", "f1")),
               ("span overlap F1", ("proposals", "spans", "overlap", "f1"))),
)
ATTRIBUTIONS: Layer[AttributionCounts] = Layer(
    name="attributions",
    title="Attributions",
    headline="source-and-content F1",
    headline_note="who said what: a prediction counts if its source overlaps the gold source, or "
    "both have none, and its content covers the gold content with token Dice >= 0.5; one-to-one",
    result_path=("attributions", "source_content", "f1"),
    score=lambda g, p, text, u: score_attributions(_attributions(g), _attributions(p), text,
                                                   u.attributions),  # fmt: skip
    outcomes=lambda g, p, text, u: attribution_outcomes(_attributions(g), _attributions(p), text,
                                                        u.attributions),  # fmt: skip
    headline_counts=lambda c: c.source_content,
    counts_type=AttributionCounts,
    secondary=(("whole overlap F1", ("attributions", "whole", "overlap", "f1")),),
)

AnyLayer = Layer[EntityCounts] | Layer[ProposalCounts] | Layer[AttributionCounts]
#: The layers, in the order of the record shape, the result object and every table.
LAYERS: tuple[AnyLayer, ...] = (ENTITIES, PROPOSALS, ATTRIBUTIONS)
BY_NAME: Mapping[str, AnyLayer] = {layer.name: layer for layer in LAYERS}


def layer(name: str) -> AnyLayer:
    """The declaration of the layer called ``name`` (``KeyError`` if there is none)."""
    return BY_NAME[name]


class Overall(msgspec.Struct, frozen=True):
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

