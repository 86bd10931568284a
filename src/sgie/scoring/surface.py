"""The string-level entity metric ``entities.surface``: P/R/F1 over (surface, label) sets.

What it does
    ``surface_set(entities)`` is the set of ``(normalise(text), label)`` of a document's
    entities (``sgie.scoring.textnorm.normalise``: typographic quotes, dashes and white space
    made uniform, ends stripped; case kept). ``score_surface(gold, predicted, ungrounded)``
    compares the two sets of one document: ``tp`` = pairs in both, ``fp`` = predicted pairs
    not in the gold, ``fn`` = gold pairs not predicted (a ``PRF``; summed over documents, so
    the corpus figure is micro-averaged over per-document sets). Ungrounded predicted
    entities (``sgie.scoring.grounding``) count with the string they gave: this metric needs
    no offsets, so an entity whose string does not occur in the text is simply a wrong pair.

When to use which entity metric
    * ``entities.strict`` (the headline) and the other SemEval schemes judge **mentions**: every
      occurrence with its exact boundaries. Use them for a tagger, or an LLM that lists every
      mention (with offsets, or as text-only spans in document order, which the grounding rule
      places on the right occurrences).
    * ``entities.surface`` judges **which entities a document names**, once each: listing
      "Kyiv" once when the text names it five times is fully correct, listing it five times
      counts once. It is the measure of LLM NER that answers with a list of unique entities
      (as in UniversalNER-style evaluation), for which the mention schemes report low recall.
      It says nothing about where a mention is, so it cannot feed the proposal and attribution
      layers; and it treats two spellings of one entity ("U.S." / "United States") as
      different pairs, as the gold lists both.

What it does not do
    No matching of spans, no case folding, no aliasing.
"""

from __future__ import annotations

from collections.abc import Iterable

from sgie.records import Entity
from sgie.scoring.counts import PRF
from sgie.scoring.textnorm import normalise


def surface_set(entities: Iterable[Entity]) -> frozenset[tuple[str, str]]:
    """The ``(normalised surface, label)`` pairs of ``entities``."""
    return frozenset((normalise(e.text), e.label) for e in entities)


def score_surface(gold: Iterable[Entity], predicted: Iterable[Entity],
                  ungrounded: Iterable[Entity] = ()) -> PRF:  # fmt: skip
    """One document's surface counts (see the module docstring)."""
    g = surface_set(gold)
    p = surface_set((*predicted, *ungrounded))
    tp = len(g & p)
    return PRF(tp, len(p) - tp, len(g) - tp)
