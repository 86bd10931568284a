"""Per-item outcomes: which gold item was paired with which prediction, and what came of it.

What it does
    Frozen typed records of what the scorers' matchings decided, item by item (the counts of
    ``sgie.scoring.counts`` are their tallies). Asked for with ``evaluate(..., outcomes=True)``
    (``sgie.scoring.official``); then ``result.outcomes[doc_id]`` is a ``DocumentOutcomes``.

    * ``ItemRef`` -- one gold or predicted item: its ``id`` (an argument: its proposal's id and
      ``argument``, its index among the proposal's arguments as given; where some arguments
      of a predicted proposal could not be placed, the others are numbered among themselves),
      ``label`` (entity
      label, proposal type, argument role, attribution quote type) and ``spans`` (an
      attribution: cue, source and content spans in that order; ``()`` for an ungrounded
      prediction, whose offsets are placeholders).
    * ``ItemOutcome`` -- one line of a matching under one ``scheme``: a pair (``gold`` and
      ``predicted``), a missed gold item (``predicted`` is ``None``) or a spurious prediction
      (``gold`` is ``None``), its ``outcome`` (``correct`` / ``incorrect`` / ``partial`` /
      ``missed`` / ``spurious``; the P/R/F1 schemes use correct, missed and spurious only) and
      ``errors``: what differs between the two items of a pair (``boundary``, ``type``, an
      attribute, ``arguments``, an attribution role, ``parent``), or ``ungrounded`` for a
      prediction whose text could not be placed. Under a lenient scheme a ``correct`` pair may
      still differ (``errors`` says how).
    * ``DocumentOutcomes`` -- every ``ItemOutcome`` of one document, per layer (``None``: layer
      not scored), in scheme order, then gold order, then prediction order.

    Schemes (``SCHEMES``): entities ``strict``, ``exact``, ``partial``, ``type`` (SemEval-2013;
    every gold and every predicted entity appears once in each); proposals ``spans.exact``,
    ``spans.overlap`` (proposals), ``arguments.exact``, ``arguments.overlap`` (arguments);
    attributions ``whole.exact``, ``whole.overlap`` (attributions), ``roles.<role>.exact`` for
    cue, source, content (one item per attribution having that role). Tallying an
    ``ItemOutcome`` list per scheme gives exactly the counts of the result
    (``DocumentOutcomes.tally``; tested).

    nervaluate's ``summary_report_indices`` gives, per scheme, the list indices of the items in
    each outcome; these records add the pairing itself, the item ids and spans, what differs,
    and they cover every layer.

What it does not do
    No matching (the layer modules fill these records from their own alignments), no rendering
    beyond ``to_json``.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

import msgspec

from sgie.records import JSON, JSONObject, span_json
from sgie.spans import Span

OutcomeKind = Literal["correct", "incorrect", "partial", "missed", "spurious"]
OUTCOME_KINDS: tuple[OutcomeKind, ...] = ("correct", "incorrect", "partial", "missed", "spurious")

Mismatch = Literal[
    "boundary", "type", "status", "polarity", "arguments", "cue", "source", "content",
    "quote_type", "source_type", "parent", "ungrounded",
]  # fmt: skip

#: The outcome schemes of each layer, in order.
SCHEMES: dict[str, tuple[str, ...]] = {
    "entities": ("strict", "exact", "partial", "type"),
    "proposals": ("spans.exact", "spans.overlap", "arguments.exact", "arguments.overlap"),
    "attributions": ("whole.exact", "whole.overlap", "roles.cue.exact", "roles.source.exact",
                     "roles.content.exact"),
}  # fmt: skip


class ItemRef(msgspec.Struct, frozen=True, gc=False):
    """One gold or predicted item (see the module docstring)."""

    id: str
    label: str
    spans: tuple[Span, ...]
    argument: int | None = None

    def to_json(self) -> JSONObject:
        out: JSONObject = {"id": self.id, "label": self.label,
                           "spans": [span_json(s) for s in self.spans]}  # fmt: skip
        if self.argument is not None:
            out["argument"] = self.argument
        return out


class ItemOutcome(msgspec.Struct, frozen=True, gc=False):
    """One pair, missed gold item or spurious prediction under one scheme."""

    scheme: str
    outcome: OutcomeKind
    gold: ItemRef | None
    predicted: ItemRef | None
    errors: tuple[Mismatch, ...] = ()

    def to_json(self) -> JSONObject:
        return {
            "scheme": self.scheme,
            "outcome": self.outcome,
            "gold": None if self.gold is None else self.gold.to_json(),
            "predicted": None if self.predicted is None else self.predicted.to_json(),
            "errors": list(self.errors),
        }


class DocumentOutcomes(msgspec.Struct, frozen=True):
    """The outcomes of one document, per layer (``None``: the layer was not scored)."""

    doc_id: str
    entities: tuple[ItemOutcome, ...] | None
    proposals: tuple[ItemOutcome, ...] | None
    attributions: tuple[ItemOutcome, ...] | None

    def layer(self, name: str) -> tuple[ItemOutcome, ...] | None:
        """The outcomes of the layer called ``name``."""
        value: tuple[ItemOutcome, ...] | None = getattr(self, name)
        return value

    def tally(self, layer: str, scheme: str) -> Counter[OutcomeKind]:
        """How many items of each outcome ``layer`` has under ``scheme``."""
        return Counter(o.outcome for o in self.layer(layer) or () if o.scheme == scheme)

    def to_json(self) -> JSONObject:
        out: dict[str, JSON] = {"id": self.doc_id}
        for name in SCHEMES:
            items = self.layer(name)
            out[name] = None if items is None else [o.to_json() for o in items]
        return out
