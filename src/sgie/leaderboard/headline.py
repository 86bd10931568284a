"""The leaderboard's headline metric of each layer, as count vectors that add up.

What it does
    One headline F1 per layer, as declared in ``sgie.scoring.layers`` (``Layer.headline``,
    ``Layer.result_path``; read there: entities strict micro-F1, proposals span overlap F1,
    attributions whole-attribution overlap F1, and ``overall``, the mean of the three for
    systems that attempt all three). The proposal's type, status and arguments and the
    attribution's roles are reported in full in each system's results file (``evaluation``),
    not ranked.

    ``vector(counts, layer)`` reduces a ``DocumentCounts`` to three integers
    ``(2 * credit, predicted, gold)`` (``Layer.vector``); vectors add up, and ``f1(vectors)``
    computes F1 from summed vectors with exactly the operations of ``sgie.scoring.counts``
    (``P = credit/predicted``, ``R = credit/gold``, ``2PR/(P+R)``, 0 when credit or
    predictions are 0, undefined -- NaN -- without gold items), vectorised with numpy so that
    a bootstrap of 10,000 resamples is a matrix product. On the full test set it equals the
    scorer's F1 bit for bit (tested).

What it does not do
    No resampling (``sgie.leaderboard.bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sgie.scoring.layers import LAYER_NAMES, METRIC_NAMES, headline_of, layer, title_of
from sgie.scoring.layers import OVERALL as OVERALL_METRIC
from sgie.scoring.result import DocumentCounts

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
