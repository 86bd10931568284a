"""The types an evaluation produces: layer status, per-document counts, the ``Result`` object.

What it does
    * ``LayerStatus`` -- whether a layer is attempted (by the predictions) and annotated (in
      the gold); scored when both; ``reason`` says why not.
    * ``DocumentCounts`` -- the counts of one document's layers (``None``: layer not scored),
      closed under ``+`` (``total`` sums many: the corpus, a bootstrap resample); ``Sink``,
      what receives them one document at a time.
    * ``Result`` -- what ``sgie.scoring.official.evaluate`` returns: the total, the
      per-document counts (if kept), the layer statuses, the document numbers, ungrounded
      spans, the per-item outcomes (if asked for); ``to_json()`` is the published result object
      (shape: the header of ``sgie.scoring.official``).

    These types sit below the scoring loop (``sgie.scoring.official``) and the renderers
    (``sgie.scoring.report``, the leaderboard), which all import them and not each other.

What it does not do
    No scoring, no rendering of text, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import msgspec

import sgie
from sgie import schema
from sgie.records import JSON, JSONObject
from sgie.scoring.attributions import AttributionCounts
from sgie.scoring.counts import PRF
from sgie.scoring.entities import EntityCounts
from sgie.scoring.grounding import RULE, PlacedText, UngroundedText
from sgie.scoring.layers import LAYER_NAMES, LAYERS, LayerCounts
from sgie.scoring.outcomes import DocumentOutcomes
from sgie.scoring.proposals import ProposalCounts

#: Keys of derived values in a metric block (dropped from ``per_document`` entries).
DERIVED = frozenset({"precision", "recall", "f1", "accuracy", "macro_f1", "reason", "possible",
                     "actual"})  # fmt: skip


def counts_only(value: JSON) -> JSON:
    """A metric block without its derived values (raw counts only)."""
    if isinstance(value, dict):
        return {k: counts_only(v) for k, v in value.items() if k not in DERIVED}
    return value


class LayerStatus(msgspec.Struct, frozen=True):
    """Whether a layer is scored: attempted by the predictions and annotated in the gold."""

    attempted: bool
    annotated: bool

    @property
    def scored(self) -> bool:
        return self.attempted and self.annotated

    @property
    def reason(self) -> str | None:
        if not self.attempted:
            return "not attempted: the predictions do not have this layer"
        if not self.annotated:
            return "not annotated: the gold does not have this layer"
        return None

    def to_json(self) -> JSONObject:
        return {"attempted": self.attempted, "annotated": self.annotated,
                "scored": self.scored, "reason": self.reason}  # fmt: skip


def _sum(a: LayerCounts | None, b: LayerCounts | None) -> LayerCounts | None:
    if a is None or b is None:
        if a is not b:
            raise ValueError("cannot add counts of a scored layer to an unscored one")
        return None
    if isinstance(a, EntityCounts) and isinstance(b, EntityCounts):
        return a + b
    if isinstance(a, ProposalCounts) and isinstance(b, ProposalCounts):
        return a + b
    if isinstance(a, AttributionCounts) and isinstance(b, AttributionCounts):
        return a + b
    raise TypeError(f"cannot add {type(a).__name__} to {type(b).__name__}")


class DocumentCounts(msgspec.Struct, frozen=True):
    """The counts of one document (or, summed, of several); ``None`` = layer not scored."""

    entities: EntityCounts | None
    proposals: ProposalCounts | None
    attributions: AttributionCounts | None

    def layer(self, name: str) -> LayerCounts | None:
        """The counts of the layer called ``name``."""
        value: LayerCounts | None = getattr(self, name)
        return value

    def __add__(self, other: DocumentCounts) -> DocumentCounts:
        e, p, a = (_sum(self.layer(k), other.layer(k)) for k in LAYER_NAMES)
        assert e is None or isinstance(e, EntityCounts)
        assert p is None or isinstance(p, ProposalCounts)
        assert a is None or isinstance(a, AttributionCounts)
        return DocumentCounts(e, p, a)

    def to_json(self) -> JSONObject:
        """Every metric block of the scored layers (the layer sections of the result)."""
        return {k: (None if (c := self.layer(k)) is None else c.to_json()) for k in LAYER_NAMES}

    def counts_json(self) -> JSONObject:
        """The raw counts of the scored layers, without derived metrics (a ``per_document``
        entry): ``counts_only(self.to_json())``, entities built directly (they are most)."""
        e = self.entities
        return {
            "entities": None if e is None else e.counts_json(),
            "proposals": None if self.proposals is None else counts_only(self.proposals.to_json()),
            "attributions": None if self.attributions is None else counts_only(self.attributions.to_json()),
        }


#: Receives each document's counts as they are computed, ``sink(doc_id, counts)`` (e.g. to
#: spool them to a file).
Sink = Callable[[str, DocumentCounts], None]


def total(counts: Iterable[DocumentCounts]) -> DocumentCounts:
    """The sum of one or more ``DocumentCounts`` (e.g. a bootstrap resample of documents)."""
    items = list(counts)
    if not items:
        raise ValueError("total() needs at least one DocumentCounts")
    out = items[0]
    for c in items[1:]:
        out = out + c
    return out


class Result(msgspec.Struct, frozen=True):
    """The outcome of an evaluation; ``to_json()`` is the published result object."""

    total: DocumentCounts
    per_document: Mapping[str, DocumentCounts]  # empty when not kept (a streamed file)
    layers: Mapping[str, LayerStatus]
    gold_documents: int
    missing_documents: tuple[str, ...]
    predicted_documents: int
    ungrounded: tuple[UngroundedText, ...]
    ungrounded_items: Mapping[str, int]  # per layer
    gold_source: str = "gold"
    predictions_source: str = "predictions"
    #: per-item outcomes by document id (empty unless asked for: ``evaluate(outcomes=True)``)
    outcomes: Mapping[str, DocumentOutcomes] = msgspec.field(default_factory=dict)
    #: where every grounded text-only span was placed, and how (``sgie.scoring.grounding``)
    placed: tuple[PlacedText, ...] = ()
    #: ``entities.surface`` (``sgie.scoring.surface``), ``None`` if entities are not scored; kept
    #: apart from the counts: its per-document sets do not split over parts of a document
    surface: PRF | None = None

    def head_json(self) -> JSONObject:
        """The result object without ``per_document``."""
        layers: JSONObject = {}
        for layer in LAYERS:
            block: JSONObject = self.layers[layer.name].to_json()
            counts = self.total.layer(layer.name)
            if counts is not None:
                block.update(counts.to_json())
            if layer.name == "entities" and self.surface is not None:
                block["surface"] = self.surface.to_json()
            layers[layer.name] = block
        return {
            "sgie_version": sgie.__version__,
            "schema_version": schema.SCHEMA_VERSION,
            "gold": self.gold_source,
            "predictions": self.predictions_source,
            "documents": {"gold": self.gold_documents, "predicted": self.predicted_documents,
                          "missing": len(self.missing_documents)},  # fmt: skip
            "missing_documents": list(self.missing_documents),
            "ungrounded": {
                **{k: v for k, v in self.ungrounded_items.items()},
                "spans": [s.to_json() for s in self.ungrounded],
            },
            "grounding": {"rule": RULE, "placed": [p.to_json() for p in self.placed]},
            **layers,
        }

    def to_json(self) -> JSONObject:
        """The published result object (``per_document`` from the kept counts)."""
        out = self.head_json()
        out["per_document"] = {d: c.counts_json() for d, c in self.per_document.items()}
        return out
