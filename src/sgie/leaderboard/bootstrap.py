r"""Cluster bootstrap confidence intervals and paired significance tests over count vectors.

What it does
    Input: for every system and scored layer, an integer matrix ``(clusters, 3)`` of headline
    count vectors (``sgie.leaderboard.headline``), clusters from ``sgie.leaderboard.clusters``.
    All systems share the clusters and the random draws, which are made once from
    ``numpy.random.default_rng(seed)``:

    1. **Resample weights** ``W`` (``resamples x clusters``): row ``b`` says how often each
       cluster is drawn in resample ``b``. Clusters are drawn with replacement *within each
       stratum* (document), as many as the stratum has, so every resample keeps the test set's
       design (with the ``document`` unit there is one stratum: the documents themselves).
       A resample's counts are ``W @ V`` (exact integer sums) and its F1 follows from them, so
       10,000 resamples cost one matrix product per system and layer.
    2. **Confidence interval**: the percentile interval -- the 2.5th and 97.5th percentiles
       (``numpy.percentile``, linear interpolation) of the resampled F1 values -- around the
       point estimate, which is the scorer's F1 on the whole test set. Resamples without a
       gold item of the layer have no F1 and are left out (counted in ``undefined``; they
       depend on the gold only, so they are the same resamples for every system). The overall
       score is the mean of the three layer F1s within each resample.
    3. **Paired bootstrap test** (Berg-Kirkpatrick, Burkett and Klein, 2012, "An Empirical
       Investigation of Statistical Significance in NLP", sec. 2-3; Koehn, 2004): with
       ``delta`` the observed difference of two systems and ``delta_b`` the difference in
       resample ``b`` (the same resample for both systems), the distribution of
       ``delta_b - delta`` approximates that of the difference under the null hypothesis of
       no difference. Berg-Kirkpatrick et al. count ``delta_b > 2 * delta`` (one-sided: is
       the observed winner better?). We use its two-sided form and count resamples with
       ``|delta_b - delta| >= |delta|``, with ``>=`` so that identical systems get p = 1, and
       report ``p = (1 + count) / (1 + resamples)`` (Davison and Hinkley, 1997), never 0.
    4. **Approximate randomization** (Noreen, 1989; Riezler and Maxwell, 2005), reported
       alongside: in each of ``resamples`` shuffles, every cluster's counts of the two systems
       are swapped with probability 1/2 (the same swaps for every pair and layer);
       ``p = (1 + #{|delta_shuffled| >= |delta|}) / (1 + shuffles)``.

    Two systems are *statistically tied* on a metric when the paired bootstrap p >= 0.05.
    No correction for multiple comparisons is made (each adjacent pair is one question).

What it does not do
    No ranking or rendering (``sgie.leaderboard.ranking``, ``.render``), no scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from sgie.leaderboard.headline import LAYERS, OVERALL, f1
from sgie.scoring.layers import OVERALL as OVERALL_METRIC

RESAMPLES = 10_000
SEED = 2012
CONFIDENCE = 0.95
ALPHA = 0.05


@dataclass(frozen=True)
class Settings:
    """Bootstrap settings; the defaults are the leaderboard's."""

    resamples: int = RESAMPLES
    seed: int = SEED
    confidence: float = CONFIDENCE
    alpha: float = ALPHA

    def __post_init__(self) -> None:
        if self.resamples < 1:
            raise ValueError(f"resamples must be >= 1 (got {self.resamples})")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1) (got {self.confidence})")


@dataclass(frozen=True)
class Interval:
    """A point estimate and its percentile interval (``None`` if undefined)."""

    point: float | None
    low: float | None
    high: float | None
    undefined: int  # resamples without a defined value
    samples: np.ndarray = field(repr=False, compare=False)


@dataclass(frozen=True)
class Comparison:
    """Two systems on one metric: observed difference (first minus second) and p-values."""

    delta: float
    p_bootstrap: float
    p_randomization: float


@dataclass(frozen=True)
class Draws:
    """The random draws every system shares."""

    weights: np.ndarray  # (resamples, clusters) int64
    swaps: np.ndarray  # (resamples, clusters) bool


def draw(strata: Sequence[int], settings: Settings) -> Draws:
    """Resample weights (within strata of the given sizes, in cluster order) and swap masks."""
    rng = np.random.default_rng(settings.seed)
    b = settings.resamples
    blocks = []
    for n in strata:
        idx = rng.integers(0, n, size=(b, n))
        flat = (idx + n * np.arange(b)[:, None]).ravel()
        blocks.append(np.bincount(flat, minlength=b * n).reshape(b, n))
    n_total = sum(strata)
    weights = np.concatenate(blocks, axis=1).astype(np.int64) if blocks else np.zeros((b, 0), np.int64)
    swaps = rng.random((b, n_total)) < 0.5
    return Draws(weights, swaps)


def _point(v: np.ndarray) -> float | None:
    value = float(f1(v.sum(axis=0)))
    return None if np.isnan(value) else value


def interval(samples: np.ndarray, point: float | None, settings: Settings) -> Interval:
    defined = samples[~np.isnan(samples)]
    if point is None or defined.size == 0:
        return Interval(point, None, None, int(samples.size - defined.size), samples)
    tail = (1 - settings.confidence) / 2 * 100
    low, high = np.percentile(defined, [tail, 100 - tail])
    return Interval(point, float(low), float(high), int(samples.size - defined.size), samples)


def system_intervals(
    vectors: Mapping[str, np.ndarray | None], draws: Draws, settings: Settings
) -> dict[str, Interval | None]:
    """Intervals of each layer (``None``: not scored) and of the overall mean (``None`` unless
    all three layers are scored)."""
    out: dict[str, Interval | None] = {}
    for layer in LAYERS:
        v = vectors.get(layer)
        out[layer] = None if v is None else interval(f1(draws.weights @ v), _point(v), settings)
    layers = [out[k] for k in LAYERS]
    if OVERALL_METRIC.attempted(lambda k: out[k] is not None):
        points = [i.point for i in layers]  # type: ignore[union-attr]
        samples = sum(i.samples for i in layers) / 3  # type: ignore[union-attr]
        point = None if None in points else sum(points) / 3  # type: ignore[operator]
        out[OVERALL] = interval(np.asarray(samples), point, settings)
    else:
        out[OVERALL] = None
    return out


def _p(count: int, n: int) -> float:
    return (1 + count) / (1 + n)


def paired_bootstrap_p(a: np.ndarray, b: np.ndarray, delta: float) -> float:
    """Two-sided paired bootstrap p-value from per-resample values of two systems."""
    d = a - b
    d = d[~np.isnan(d)]
    return _p(int(np.count_nonzero(np.abs(d - delta) >= abs(delta))), d.size)


def _shuffled_f1(va: np.ndarray, vb: np.ndarray, swaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    moved = swaps.astype(np.int64) @ (vb - va)
    return f1(va.sum(axis=0) + moved), f1(vb.sum(axis=0) - moved)


def compare(
    a: Mapping[str, np.ndarray | None],
    b: Mapping[str, np.ndarray | None],
    ia: Mapping[str, Interval | None],
    ib: Mapping[str, Interval | None],
    draws: Draws,
) -> dict[str, Comparison | None]:
    """Paired tests of system ``a`` against ``b`` on every metric both have (else ``None``)."""
    out: dict[str, Comparison | None] = {}
    shuffled: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for layer in LAYERS:
        va, vb = a.get(layer), b.get(layer)
        if va is not None and vb is not None:
            shuffled[layer] = _shuffled_f1(va, vb, draws.swaps)
    for metric in (*LAYERS, OVERALL):
        x, y = ia.get(metric), ib.get(metric)
        if x is None or y is None or x.point is None or y.point is None:
            out[metric] = None
            continue
        delta = x.point - y.point
        if metric == OVERALL:
            sa = sum(shuffled[k][0] for k in LAYERS) / 3
            sb = sum(shuffled[k][1] for k in LAYERS) / 3
        else:
            sa, sb = shuffled[metric]
        d = np.asarray(sa - sb)
        d = d[~np.isnan(d)]
        p_ar = _p(int(np.count_nonzero(np.abs(d) >= abs(delta))), d.size)
        out[metric] = Comparison(delta, paired_bootstrap_p(x.samples, y.samples, delta), p_ar)
    return out
