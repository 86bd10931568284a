"""The leaderboard's headline metric of each layer, as count vectors that add up.

What it does
    One headline F1 per layer, each one of the official metrics of ``sgie.scoring.evaluate``:

    ============== ======================================== ====================================
    layer          headline                                 result-object path
    ============== ======================================== ====================================
    entities       strict micro-F1 (SemEval-2013: same      ``entities.strict.f1``
                   boundaries and same type)
    proposals      span overlap F1 (a predicted proposal    ``proposals.spans.overlap.f1``
                   overlapping a gold one, one-to-one)
    attributions   whole-attribution overlap F1 (cue,       ``attributions.whole.overlap.f1``
                   source and content all overlap)
    overall        mean of the three layer F1s (only for    --
                   systems that attempt all three)
    ============== ======================================== ====================================

    Why these: entity boundaries are crisp and typed, so the strictest scheme is the one a
    user of the entities needs; proposal and attribution spans are clause-length and their
    exact extent is where annotators differ most, so overlap matching credits finding the
    right proposal or quotation without rewarding boundary luck; the proposal's type, status
    and arguments and the attribution's roles are reported in full in each system's results
    file (``evaluation``), not ranked.

    ``vector(counts, layer)`` reduces a ``DocumentCounts`` to three integers
    ``(2 * credit, predicted, gold)`` (credit = correct + partial/2 for entities, true positives
    otherwise); vectors add up, and ``f1(vectors)`` computes F1 from summed vectors with
    exactly the operations of ``sgie.scoring.counts`` (``P = credit/predicted``,
    ``R = credit/gold``, ``2PR/(P+R)``, 0 when credit or predictions are 0, undefined -- NaN --
    without gold items), vectorised with numpy so that a bootstrap of 10,000 resamples is a
    matrix product. On the full test set it equals the scorer's F1 bit for bit (tested).

    ``ledger(gold, pred, ungrounded, layer)`` gives one document's headline outcomes (each gold
    and predicted item with its position, and the matched pairs with their credit) for the
    cluster counts of ``sgie.leaderboard.clusters``.

What it does not do
    No resampling (``sgie.leaderboard.bootstrap``).
"""

from __future__ import annotations

import numpy as np

from sgie.leaderboard.clusters import Ledger
from sgie.records import Attribution, DocAnnotations
from sgie.scoring.attributions import align_attributions, canonical
from sgie.scoring.evaluate import LAYERS, DocumentCounts
from sgie.scoring.grounding import Ungrounded
from sgie.scoring.matching import OVERLAP
from sgie.scoring.proposals import align_proposals, proposal_key
from sgie.scoring.semeval import STRICT, Outcome, match_entities

OVERALL = "overall"
METRICS: tuple[str, ...] = (*LAYERS, OVERALL)
HEADLINE: dict[str, str] = {
    "entities": "strict micro-F1",
    "proposals": "span overlap F1",
    "attributions": "whole-attribution overlap F1",
    OVERALL: "mean of the three layer F1s",
}
RESULT_PATH: dict[str, str] = {
    "entities": "entities.strict.f1",
    "proposals": "proposals.spans.overlap.f1",
    "attributions": "attributions.whole.overlap.f1",
}


def vector(counts: DocumentCounts, layer: str) -> tuple[int, int, int]:
    """``(2 * credit, predicted, gold)`` of ``layer``'s headline metric (layer must be scored)."""
    if layer == "entities":
        e = counts.entities
        assert e is not None
        m = e["strict"].micro
        return 2 * m.correct + m.partial, m.actual, m.possible
    if layer == "proposals":
        p = counts.proposals
        assert p is not None
        c = p.spans["overlap"]
    else:
        a = counts.attributions
        assert a is not None
        c = a.whole["overlap"]
    return 2 * c.tp, c.predicted, c.gold


def _start(a: Attribution) -> int:
    return min(s.start for s in (*a.cue, *a.source, *a.content))


def ledger(gold: DocAnnotations, pred: DocAnnotations, ungrounded: Ungrounded, layer: str) -> Ledger:
    """One document's outcomes under ``layer``'s headline metric (the layer must be scored)."""
    credit2 = {Outcome.CORRECT: 2, Outcome.PARTIAL: 1, Outcome.INCORRECT: 0}
    lost: tuple[None, ...] = (None,) * len(getattr(ungrounded, layer))
    if layer == "entities":
        ge, pe = gold.entities or (), pred.entities or ()
        alignment, _ = match_entities(ge, pe, STRICT)
        pairs = tuple((g, p, credit2[STRICT.outcome(ge[g], pe[p])]) for g, p in alignment.pairs)
        return Ledger(tuple(e.start for e in ge), (*(e.start for e in pe), *lost), pairs)
    if layer == "proposals":
        gp = sorted(gold.proposals or (), key=proposal_key)
        pp = sorted(pred.proposals or (), key=proposal_key)
        pairs = tuple((g, p, 2) for g, p in align_proposals(gp, pp, OVERLAP).pairs)
        return Ledger(tuple(x.start for x in gp), (*(x.start for x in pp), *lost), pairs)
    ga, pa = canonical(gold.attributions or ()), canonical(pred.attributions or ())
    pairs = tuple((g, p, 2) for g, p in align_attributions(ga, pa, OVERLAP).pairs)
    return Ledger(tuple(map(_start, ga)), (*map(_start, pa), *lost), pairs)


def official_f1(counts: DocumentCounts, layer: str) -> float | None:
    """The scorer's own value of the headline metric (for checks and the point estimate)."""
    if layer == "entities":
        return counts.entities["strict"].micro.f1  # type: ignore[index]
    if layer == "proposals":
        return counts.proposals.spans["overlap"].f1  # type: ignore[union-attr]
    return counts.attributions.whole["overlap"].f1  # type: ignore[union-attr]


def headline_f1(counts: DocumentCounts, metric: str) -> float | None:
    """The headline of a layer, or the overall mean of the three (``None`` if a layer is not
    scored or undefined), from summed counts."""
    layers = LAYERS if metric == OVERALL else (metric,)
    values = [official_f1(counts, k) if getattr(counts, k) is not None else None for k in layers]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None) / len(values)


def f1(v: np.ndarray) -> np.ndarray:
    """F1 from summed vectors (last axis ``(2*credit, predicted, gold)``); NaN where undefined."""
    v = np.asarray(v)
    credit = v[..., 0] * 0.5
    predicted = v[..., 1].astype(np.float64)
    gold = v[..., 2].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = credit / predicted
        r = credit / gold
        out = 2 * (p * r) / (p + r)
    out = np.where((credit == 0) | (predicted == 0), 0.0, out)
    return np.where(gold == 0, np.nan, out)
