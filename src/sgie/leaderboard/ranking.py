"""Ranks and statistical ties of the ranked systems on one metric.

What it does
    ``rank(points)``: systems with a defined headline value, best first; equal values share a
    rank (competition ranking: 1, 2, 2, 4); equal values are listed by system id.
    ``ties(order, p_value, alpha)``: for each system, its *adjacent* neighbours in that order
    (the one ranked just above and the one just below) whose paired bootstrap p-value is
    >= ``alpha`` -- the difference between them is not statistically significant. Only
    systems with ``ranked: true`` are ranked; the others (annotators: the ceiling) are shown
    apart and take no rank.

What it does not do
    No statistics (``sgie.leaderboard.bootstrap``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence


def rank(points: Mapping[str, float | None]) -> list[tuple[str, int]]:
    """``(system id, rank)`` best first, over the systems with a defined value."""
    defined = sorted(((-v, k) for k, v in points.items() if v is not None))
    out: list[tuple[str, int]] = []
    for i, (v, k) in enumerate(defined):
        same = i > 0 and v == defined[i - 1][0]
        out.append((k, out[-1][1] if same else i + 1))
    return out


def ties(
    order: Sequence[str], p_value: Callable[[str, str], float | None], alpha: float
) -> dict[str, list[tuple[str, float]]]:
    """Each system's adjacent neighbours it is statistically tied with, with the p-value."""
    out: dict[str, list[tuple[str, float]]] = {k: [] for k in order}
    for upper, lower in zip(order, order[1:]):
        p = p_value(upper, lower)
        if p is not None and p >= alpha:
            out[upper].append((lower, p))
            out[lower].insert(0, (upper, p))
    return out
