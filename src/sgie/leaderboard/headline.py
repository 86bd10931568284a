"""The leaderboard's headline metric of each layer, as count vectors that add up.

What it does
    One headline F1 per layer, as declared in ``sgie.scoring.layers`` (``Layer.headline``,
    ``Layer.result_path``; read there, with the reasons: entities strict micro-F1, proposals
    classification F1, attributions source-and-content F1, and ``overall``, the mean of the
    three for systems that attempt all three). Lenient scores (``Layer.secondary``) and
    everything else are reported in each system's results file, not ranked.

    ``vector(counts, layer)`` reduces a ``DocumentCounts`` to three integers
    ``(2 * credit, predicted, gold)`` (``Layer.vector``); vectors add up, and ``f1(vectors)``
    computes F1 from summed vectors with exactly the operations of ``sgie.scoring.counts``
    (``P = credit/predicted``, ``R = credit/gold``, ``2PR/(P+R)``, 0 when credit or
    predictions are 0, undefined -- NaN -- without gold items), vectorised with numpy so that
    a bootstrap of 10,000 resamples is a matrix product. On the full test set it equals the
    scorer's F1 bit for bit (tested).

    ``ledger_of(outcomes, headline_scheme(layer))`` turns one document's per-item outcomes (the
    scorer's, ``Result.outcomes``: the one scoring pass) into its headline ``Ledger`` -- each
    gold and predicted item with its position, each matched pair with its credit -- for the
    cluster counts of ``sgie.leaderboard.clusters``.

What it does not do
    No resampling (``sgie.leaderboard.bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from sgie.leaderboard.clusters import Ledger
from sgie.scoring.layers import LAYER_NAMES, METRIC_NAMES, headline_of, layer, title_of
from sgie.scoring.layers import OVERALL as OVERALL_METRIC
from sgie.scoring.outcomes import ItemOutcome
from sgie.scoring.result import DocumentCounts
from sgie.spans import Span

LAYERS: tuple[str, ...] = LAYER_NAMES
OVERALL: str = OVERALL_METRIC.name
METRICS: tuple[str, ...] = METRIC_NAMES
HEADLINE: dict[str, str] = {m: headline_of(m) for m in METRICS}
RESULT_PATH: dict[str, str] = {k: layer(k).path for k in LAYERS}
TITLES: dict[str, str] = {m: title_of(m) for m in METRICS}
__all__ = ["HEADLINE", "LAYERS", "METRICS", "OVERALL", "RESULT_PATH", "TITLES", "attempted", "f1",
           "official_f1", "vector"]


def attempted(attempts: Callable[[str], bool], metric: str) -> bool:
    """Whether a system that ``attempts(layer)`` has ``metric`` (a layer, or overall: all)."""
    return OVERALL_METRIC.attempted(attempts) if metric == OVERALL else attempts(metric)


CREDIT2: dict[str, int] = {"correct": 2, "partial": 1, "incorrect": 0}  # twice a pair's credit


def _first(spans: Sequence[Span]) -> int | None:
    return min((s.start for s in spans), default=None)


def ledger_of(outcomes: Iterable[ItemOutcome], scheme: str) -> Ledger:
    """The positioned outcomes of one scheme (a headline's) in one document: each gold and
    predicted item with the start of its earliest span (``None``: an ungrounded prediction),
    and each pair with twice its credit."""
    gold: list[int | None] = []
    pred: list[int | None] = []
    pairs = []
    for o in outcomes:
        if o.scheme != scheme:
            continue
        if o.gold is not None:
            gold.append(_first(o.gold.spans))
        if o.predicted is not None:
            pred.append(_first(o.predicted.spans))
        if o.gold is not None and o.predicted is not None:
            pairs.append((len(gold) - 1, len(pred) - 1, CREDIT2[o.outcome]))
    return Ledger(tuple(gold), tuple(pred), tuple(pairs))


def headline_scheme(name: str) -> str:
    """The outcome scheme of a layer's headline: its result path inside the layer, dotted."""
    return ".".join(layer(name).row)


def vector(counts: DocumentCounts, name: str) -> tuple[int, int, int]:
    """``(2 * credit, predicted, gold)`` of ``name``'s headline metric (layer must be scored)."""
    c = counts.layer(name)
    if c is None:
        raise ValueError(f"layer {name!r} is not scored")
    return layer(name).vector(c)


def official_f1(counts: DocumentCounts, name: str) -> float | None:
    """The scorer's own value of the headline metric (for checks and the point estimate)."""
    c = counts.layer(name)
    if c is None:
        raise ValueError(f"layer {name!r} is not scored")
    return layer(name).headline_f1(c)


Counts = npt.NDArray[np.int64]  # (..., 3): 2*credit, predicted, gold
Floats = npt.NDArray[np.float64]


def headline_f1(counts: DocumentCounts, metric: str) -> float | None:
    """The headline of a layer, or the overall mean of the three (``None`` if a layer is not
    scored or undefined), from summed counts."""
    layers = LAYERS if metric == OVERALL else (metric,)
    values = [official_f1(counts, k) if getattr(counts, k) is not None else None for k in layers]
    if any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None) / len(values)


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
