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

What it does not do
    No resampling (``sgie.leaderboard.bootstrap``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sgie.scoring.evaluate import LAYERS, DocumentCounts

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


def official_f1(counts: DocumentCounts, layer: str) -> float | None:
    """The scorer's own value of the headline metric (for checks and the point estimate)."""
    if layer == "entities":
        e = counts.entities
        assert e is not None
        return e["strict"].micro.f1
    if layer == "proposals":
        p = counts.proposals
        assert p is not None
        return p.spans["overlap"].f1
    a = counts.attributions
    assert a is not None
    return a.whole["overlap"].f1


Counts = npt.NDArray[np.int64]  # (..., 3): 2*credit, predicted, gold
Floats = npt.NDArray[np.float64]


def f1(v: Counts) -> Floats:
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
