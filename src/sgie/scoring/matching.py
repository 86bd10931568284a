"""One-to-one matching of annotated regions: named span-match strategies and optimal assignment.

What it does
    A *region* is the tuple of spans an item covers (an entity or proposal: one span; an
    attribution role: one or more spans, possibly discontinuous; an absent source: ``()``).
    Two named strategies say when a predicted region matches a gold region:

    ``EXACT``
        the same set of ``[start, end)`` ranges (span order and duplicates do not matter);
    ``OVERLAP``
        at least one code point in common.

    Under both, two empty regions match ("both absent") and an empty region matches no
    non-empty one.

    Matching is **one-to-one**: a gold item is matched by at most one prediction and a
    prediction matches at most one gold item, so a duplicated prediction can never be counted
    twice against the same gold item. Where candidate pairs compete (overlaps), the pairing is
    an *optimal assignment* (Hungarian algorithm: ``solve``, in pure Python for the usual small
    problems, ``scipy.optimize.linear_sum_assignment`` for large ones), never a greedy
    first-come choice, so it does not depend on list order. ``align`` maximises,
    in this order of priority (lexicographically, with integer weights):

    1. the number of matched pairs;
    2. the total number of code points the paired regions share;
    3. an optional caller-supplied preference (e.g. agreement on attributes), so that among
       equally good span alignments the one agreeing on more attributes is chosen.

    Remaining ties only arise between interchangeable candidates; callers pass items sorted by
    content so that the result does not depend on the order of the input either.

    ``assign`` is the general primitive (any integer weights, 0 = may not pair); the SemEval
    entity schemes (``sgie.scoring.semeval``) build on it. ``sgie agreement`` reuses both:
    annotator A plays gold, annotator B plays prediction.

What it does not do
    No counting beyond tp/fp/fn of an alignment, no I/O.

Inputs / outputs
    ``align(gold_regions, pred_regions, EXACT | OVERLAP, compatible=..., prefer=...)`` ->
    ``Alignment`` (pairs of indices into the two sequences, plus ``.prf`` counts);
    ``align_tuples`` does the same for items of several regions that must all match.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence

import msgspec

from sgie.scoring.counts import PRF
from sgie.spans import Span

Region = tuple[Span, ...]
Pair = tuple[int, int]


def ranges(region: Region) -> tuple[tuple[int, int], ...]:
    """The region's distinct ``(start, end)`` ranges, sorted."""
    return tuple(sorted({(s.start, s.end) for s in region}))


def covered(region: Region) -> tuple[tuple[int, int], ...]:
    """The code points a region covers, as sorted disjoint ranges (overlapping spans merged)."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges(region):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def size(region: Region) -> int:
    """Number of code points a region covers."""
    return sum(end - start for start, end in covered(region))


def shared_chars(a: Region, b: Region) -> int:
    """Number of code points covered by both regions."""
    total = 0
    for a_start, a_end in covered(a):
        for b_start, b_end in covered(b):
            total += max(0, min(a_end, b_end) - max(a_start, b_start))
    return total


class SpanMatch(ABC):
    """A rule saying whether a predicted region matches a gold region."""

    name: str

    @abstractmethod
    def __call__(self, gold: Region, pred: Region) -> bool: ...

    def __repr__(self) -> str:
        return self.name.upper()


class ExactMatch(SpanMatch):
    """Same set of ranges (two empty regions match)."""

    name = "exact"

    def __call__(self, gold: Region, pred: Region) -> bool:
        return ranges(gold) == ranges(pred)


class OverlapMatch(SpanMatch):
    """At least one shared code point (two empty regions match)."""

    name = "overlap"

    def __call__(self, gold: Region, pred: Region) -> bool:
        if not gold or not pred:
            return not gold and not pred
        return shared_chars(gold, pred) > 0


EXACT = ExactMatch()
OVERLAP = OverlapMatch()
SPAN_MATCHES: tuple[SpanMatch, ...] = (EXACT, OVERLAP)


class Alignment(msgspec.Struct, frozen=True):
    """A one-to-one pairing of gold items ``0..n_gold-1`` with predicted ``0..n_pred-1``."""

    pairs: tuple[Pair, ...]  # (gold index, predicted index), sorted by gold index
    n_gold: int
    n_pred: int

    @property
    def prf(self) -> PRF:
        """Matched pairs are true positives; unmatched predictions false positives; unmatched
        gold items false negatives."""
        tp = len(self.pairs)
        return PRF(tp, self.n_pred - tp, self.n_gold - tp)

    @property
    def pred_of(self) -> dict[int, int]:
        return dict(self.pairs)

    @property
    def gold_of(self) -> dict[int, int]:
        return {p: g for g, p in self.pairs}

    @property
    def unmatched_gold(self) -> tuple[int, ...]:
        matched = {g for g, _ in self.pairs}
        return tuple(i for i in range(self.n_gold) if i not in matched)

    @property
    def unmatched_pred(self) -> tuple[int, ...]:
        matched = {p for _, p in self.pairs}
        return tuple(i for i in range(self.n_pred) if i not in matched)


def overlapping_pairs(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> list[Pair]:
    """Every ``(g, p)`` whose half-open ranges ``(start, end)`` share a code point, found by a
    sweep over the starts (``O((n + m) log(n + m) + pairs)`` instead of all ``n * m`` pairs)."""
    events = sorted([(s, e, 0, i) for i, (s, e) in enumerate(gold)]
                    + [(s, e, 1, i) for i, (s, e) in enumerate(pred)])  # fmt: skip
    active: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])  # (end, index) per side
    out: list[Pair] = []
    for start, end, side, i in events:
        other = active[1 - side]
        if other:  # drop the ranges that ended; the rest overlap this one
            other[:] = [x for x in other if x[0] > start]
            out.extend([(i, j) for _, j in other] if side == 0 else [(j, i) for _, j in other])
        active[side].append((end, i))
    return out


def _sparse_assign(n_gold: int, n_pred: int, weight: Callable[[int, int], int],
                   candidates: Iterable[Pair]) -> Alignment:  # fmt: skip
    """``assign`` over the candidate pairs only, one connected component at a time."""
    edges = {}
    for g, p in candidates:
        w = weight(g, p)
        if w > 0:
            edges[(g, p)] = w
    if len({g for g, _ in edges}) == len(edges) == len({p for _, p in edges}):
        return Alignment(tuple(sorted(edges)), n_gold, n_pred)  # no two pairs compete
    parent = list(range(n_gold + n_pred))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g, p in edges:
        a, b = find(g), find(n_gold + p)
        if a != b:
            parent[b] = a
    components: dict[int, list[Pair]] = {}
    for pair in edges:
        components.setdefault(find(pair[0]), []).append(pair)
    pairs: list[Pair] = []
    for component in components.values():
        if len(component) == 1:
            pairs.append(component[0])
            continue
        rows = sorted({g for g, _ in component})
        cols = sorted({p for _, p in component})
        row_of = {g: i for i, g in enumerate(rows)}
        col_of = {p: j for j, p in enumerate(cols)}
        matrix = [[0] * len(cols) for _ in rows]
        for g, p in component:
            matrix[row_of[g]][col_of[p]] = edges[(g, p)]
        pairs.extend((rows[i], cols[j]) for i, j in solve(matrix))
    return Alignment(tuple(sorted(pairs)), n_gold, n_pred)


#: The largest problem (rows x columns) ``solve`` solves in pure Python; larger ones go to scipy.
SMALL = 100


def _hungarian(weights: Sequence[Sequence[int]]) -> list[Pair]:
    """A maximum-weight assignment of a rows x columns integer matrix with rows <= columns
    (every row assigned), by the Hungarian algorithm with potentials (shortest augmenting
    paths, ``O(rows^2 * columns)``; Kuhn 1955, Jonker and Volgenant 1987), minimising
    ``top - weight`` in exact integer arithmetic."""
    n, m = len(weights), len(weights[0])
    top = max(max(row) for row in weights)
    # rows and columns are 1-based; column 0 is a sentinel holding the row being added
    u, v, owner, way = [0] * (n + 1), [0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0], col0 = row, 0
        slack = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while owner[col0]:
            used[col0] = True
            r, delta, col1 = owner[col0], math.inf, 0
            costs = weights[r - 1]
            for col in range(1, m + 1):
                if not used[col]:
                    reduced = top - costs[col - 1] - u[r] - v[col]
                    if reduced < slack[col]:
                        slack[col], way[col] = reduced, col0
                    if slack[col] < delta:
                        delta, col1 = slack[col], col
            step = int(delta)  # finite: rows <= columns leaves a free column
            for col in range(m + 1):
                if used[col]:
                    u[owner[col]] += step
                    v[col] -= step
                else:
                    slack[col] -= step
            col0 = col1
        while col0:  # augment along the path
            col1 = way[col0]
            owner[col0] = owner[col1]
            col0 = col1
    return sorted((owner[col] - 1, col - 1) for col in range(1, m + 1) if owner[col])


def solve(weights: Sequence[Sequence[int]]) -> list[Pair]:
    """A maximum-weight assignment of an integer matrix (``weights[row][column]``, integers
    below 2**53): the ``(row, column)`` pairs, each row and column at most once, pairs of
    weight <= 0 left out. Problems of up to ``SMALL`` cells (the usual ones: a few competing
    overlaps) are solved in pure Python (``_hungarian``); larger ones by
    ``scipy.optimize.linear_sum_assignment``, imported only then (numpy and scipy cost about
    0.5 s of start-up). Both give an optimal total (``tests/test_scoring_assignment.py``)."""
    rows = len(weights)
    cols = len(weights[0]) if rows else 0
    if rows == 0 or cols == 0:
        return []
    if rows * cols <= SMALL:
        if rows <= cols:
            pairs = _hungarian(weights)
        else:
            pairs = sorted((g, p) for p, g in _hungarian([list(c) for c in zip(*weights, strict=True)]))
    else:
        import numpy as np
        from scipy.optimize import linear_sum_assignment  # no stubs

        r, c = linear_sum_assignment(np.array(weights, dtype=np.float64), maximize=True)
        pairs = [(int(g), int(p)) for g, p in zip(r, c, strict=True)]
    return [(g, p) for g, p in pairs if weights[g][p] > 0]


def assign(
    n_gold: int,
    n_pred: int,
    weight: Callable[[int, int], int],
    candidates: Iterable[Pair] | None = None,
) -> Alignment:
    """The one-to-one pairing with the largest total weight; pairs of weight <= 0 never pair.

    Weights must be integers below 2**53 (they are summed exactly in float64).
    ``candidates``, if given, must include every pair whose weight may be positive (e.g.
    ``overlapping_pairs``); then only those are weighed and each connected component of them is
    solved on its own (a lone pair directly), which gives the same total weight as the dense
    problem in near-linear time. (Among several optimal pairings the one chosen may differ;
    callers whose counts are fixed by the total weight, as ``sgie.scoring.semeval``'s are, get
    identical counts.)
    """
    if n_gold == 0 or n_pred == 0:
        return Alignment((), n_gold, n_pred)
    if candidates is not None:
        return _sparse_assign(n_gold, n_pred, weight, candidates)
    matrix = [[max(0, weight(g, p)) for p in range(n_pred)] for g in range(n_gold)]
    if not any(map(any, matrix)):
        return Alignment((), n_gold, n_pred)
    return Alignment(tuple(solve(matrix)), n_gold, n_pred)


def align(
    gold: Sequence[Region],
    pred: Sequence[Region],
    match: SpanMatch,
    *,
    compatible: Callable[[int, int], bool] | None = None,
    prefer: Callable[[int, int], int] | None = None,
    prefer_max: int = 0,
) -> Alignment:
    """Optimal one-to-one alignment of regions under ``match`` (see the module docstring).

    ``compatible(g, p)`` can forbid pairs (e.g. different roles); ``prefer(g, p)`` in
    ``0..prefer_max`` breaks ties between equally good span alignments.
    """
    return align_tuples([(r,) for r in gold], [(r,) for r in pred], match,
                        compatible=compatible, prefer=prefer, prefer_max=prefer_max)  # fmt: skip


def align_tuples(
    gold: Sequence[tuple[Region, ...]],
    pred: Sequence[tuple[Region, ...]],
    match: SpanMatch,
    *,
    compatible: Callable[[int, int], bool] | None = None,
    prefer: Callable[[int, int], int] | None = None,
    prefer_max: int = 0,
) -> Alignment:
    """Like ``align`` for items made of several regions (e.g. an attribution's cue, source and
    content): a pair matches if *every* region matches under ``match``, and the code points
    shared are summed over the regions."""
    n = min(len(gold), len(pred))
    shared_bound = sum(size(r) for item in pred for r in item) + 1  # > any total shared
    prefer_bound = n * prefer_max + 1  # > any total of preferences

    def weight(g: int, p: int) -> int:
        if len(gold[g]) != len(pred[p]):
            raise ValueError("items must have the same number of regions")
        if not all(match(a, b) for a, b in zip(gold[g], pred[p], strict=True)):
            return 0
        if compatible is not None and not compatible(g, p):
            return 0
        bonus = prefer(g, p) if prefer is not None else 0
        if not 0 <= bonus <= prefer_max:
            raise ValueError(f"prefer() must be in 0..{prefer_max} (got {bonus})")
        shared = sum(shared_chars(a, b) for a, b in zip(gold[g], pred[p], strict=True))
        return (shared_bound + shared) * prefer_bound + bonus

    return assign(len(gold), len(pred), weight)
