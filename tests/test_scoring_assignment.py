"""The assignment solver (``sgie.scoring.matching.solve``): the pure-Python Hungarian algorithm
for small problems reaches the same optimum as brute force and as scipy."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from sgie.scoring import matching
from sgie.scoring.matching import SMALL, solve


def matrices(max_side: int, max_weight: int) -> st.SearchStrategy[list[list[int]]]:
    return st.integers(1, max_side).flatmap(
        lambda rows: st.lists(
            st.lists(st.integers(0, max_weight), min_size=1, max_size=max_side).map(tuple),
            min_size=rows, max_size=rows,
        ).filter(lambda m: len({len(r) for r in m}) == 1).map(lambda m: [list(r) for r in m])
    )  # fmt: skip


def total(weights: list[list[int]], pairs: list[tuple[int, int]]) -> int:
    return sum(weights[g][p] for g, p in pairs)


def brute_force(weights: list[list[int]]) -> int:
    rows, cols = len(weights), len(weights[0])
    if rows > cols:
        weights = [list(c) for c in zip(*weights)]
        rows, cols = cols, rows
    return max(sum(max(0, weights[r][c]) for r, c in enumerate(perm))
               for perm in itertools.permutations(range(cols), rows))  # fmt: skip


def is_matching(pairs: list[tuple[int, int]], weights: list[list[int]]) -> bool:
    return (len({g for g, _ in pairs}) == len(pairs) == len({p for _, p in pairs})
            and all(weights[g][p] > 0 for g, p in pairs))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(matrices(6, 20))
def test_small_problems_reach_the_brute_force_optimum(weights):
    """Up to 6 x 6: the same total weight as trying every assignment; a valid matching."""
    pairs = solve(weights)
    assert is_matching(pairs, weights)
    assert total(weights, pairs) == brute_force(weights)


@settings(max_examples=200, deadline=None)
@given(matrices(10, 2**40))
def test_small_problems_reach_scipys_optimum(weights):
    """Up to 10 x 10 with large integer weights: the same total weight as scipy's solver."""
    pairs = solve(weights)
    assert is_matching(pairs, weights)
    rows, cols = linear_sum_assignment(np.array(weights, dtype=np.float64), maximize=True)
    assert total(weights, pairs) == sum(max(0, weights[r][c]) for r, c in zip(rows, cols))


def test_large_problems_go_to_scipy(monkeypatch):
    """Beyond SMALL cells the pure-Python solver is not used, and the answer is still optimal."""
    weights = [[(r * 7 + c * 13) % 11 for c in range(12)] for r in range(11)]
    assert len(weights) * len(weights[0]) > SMALL

    def refuse(_weights):  # pragma: no cover - failing here is the test failing
        raise AssertionError("the pure-Python solver was used for a large problem")

    monkeypatch.setattr(matching, "_hungarian", refuse)
    pairs = solve(weights)
    rows, cols = linear_sum_assignment(np.array(weights, dtype=np.float64), maximize=True)
    assert total(weights, pairs) == sum(weights[r][c] for r, c in zip(rows, cols))


def test_nothing_to_pair():
    """All-zero weights pair nothing; an empty matrix pairs nothing."""
    assert solve([[0, 0], [0, 0]]) == []
    assert solve([]) == []
