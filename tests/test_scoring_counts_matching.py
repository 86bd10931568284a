"""Count types (derived metrics, null with a reason, addition) and the shared matching module."""

from __future__ import annotations

import pytest

from sgie.scoring.counts import PRF, Accuracy, SemEvalCounts, add_maps, frozen_map, macro_f1
from sgie.scoring.matching import EXACT, OVERLAP, align, align_tuples, assign, shared_chars
from sgie.spans import Span

TEXT = "abcdefghijklmnopqrstuvwxyz" * 4


def region(*ranges: tuple[int, int]) -> tuple[Span, ...]:
    return tuple(Span.of(TEXT, s, e) for s, e in ranges)


def test_prf_derived_metrics():
    """Precision, recall and F1 are derived from tp/fp/fn."""
    c = PRF(tp=2, fp=2, fn=0)
    assert (c.precision, c.recall) == (0.5, 1.0)
    assert c.f1 == pytest.approx(2 / 3)
    assert c.reasons == {}


def test_prf_undefined_is_null_with_reason_never_zero():
    """No gold: recall and F1 null; no predictions: precision null; both: all null."""
    assert PRF(fp=3).recall is None and PRF(fp=3).f1 is None and PRF(fp=3).precision == 0.0
    assert PRF(fn=3).precision is None and PRF(fn=3).recall == 0.0 and PRF(fn=3).f1 == 0.0
    empty = PRF()
    assert (empty.precision, empty.recall, empty.f1) == (None, None, None)
    assert empty.reasons == {"precision": "no predicted items", "recall": "no gold items",
                             "f1": "no gold items"}  # fmt: skip
    assert empty.to_json()["reason"] == empty.reasons


def test_counts_add_up():
    """Every count type adds component-wise."""
    assert PRF(1, 2, 3) + PRF(4, 5, 6) == PRF(5, 7, 9)
    assert SemEvalCounts(1, 0, 2, 0, 1) + SemEvalCounts(0, 1, 0, 3, 0) == SemEvalCounts(1, 1, 2, 3, 1)
    assert Accuracy(1, 2) + Accuracy(2, 2) == Accuracy(3, 4)
    assert add_maps(frozen_map([("a", PRF(1))]), frozen_map([("a", PRF(2))]))["a"] == PRF(3)
    with pytest.raises(ValueError):
        add_maps(frozen_map([("a", PRF())]), frozen_map([("b", PRF())]))


def test_semeval_formula_gives_half_credit_to_partial():
    """P = (COR + 0.5 PAR) / ACT and R = (COR + 0.5 PAR) / POS."""
    c = SemEvalCounts(correct=1, partial=2, missed=1, spurious=1)
    assert (c.actual, c.possible) == (4, 4)
    assert c.precision == c.recall == 0.5


def test_accuracy_undefined_without_matches():
    """Accuracy over zero matched pairs is null with a reason."""
    assert Accuracy().accuracy is None
    assert Accuracy().reasons == {"accuracy": "no matched pairs"}
    assert Accuracy(3, 4).accuracy == 0.75


def test_macro_f1_ignores_undefined():
    """Macro-F1 averages defined values only; null if there are none."""
    assert macro_f1([1.0, None, 0.0]) == 0.5
    assert macro_f1([None]) is None


def test_exact_and_overlap_strategies():
    """EXACT needs the same ranges (order-insensitive); OVERLAP one shared character."""
    assert EXACT(region((0, 3), (5, 8)), region((5, 8), (0, 3)))
    assert not EXACT(region((0, 3)), region((0, 4)))
    assert OVERLAP(region((0, 3)), region((2, 9)))
    assert not OVERLAP(region((0, 3)), region((3, 9)))
    assert EXACT((), ()) and OVERLAP((), ())
    assert not OVERLAP((), region((0, 3)))
    assert shared_chars(region((0, 5), (3, 8)), region((4, 10))) == 4


def test_alignment_is_one_to_one():
    """One prediction overlapping two gold regions matches only one of them."""
    a = align([region((0, 4)), region((4, 8))], [region((2, 6))], OVERLAP)
    assert len(a.pairs) == 1
    assert a.prf == PRF(1, 0, 1)


def test_alignment_is_optimal_not_greedy():
    """The pairing maximises matches: a greedy first choice would leave a gold region out."""
    gold = [region((0, 10)), region((10, 12))]
    pred = [region((8, 11)), region((0, 3))]  # pred 0 could take gold 0, stranding gold 1
    assert align(gold, pred, OVERLAP).pairs == ((0, 1), (1, 0))


def test_alignment_prefers_more_shared_characters():
    """Among maximal matchings, the one sharing more characters wins."""
    gold = [region((0, 10))]
    pred = [region((0, 2)), region((0, 9))]
    assert align(gold, pred, OVERLAP).pairs == ((0, 1),)


def test_compatible_and_prefer_hooks():
    """`compatible` forbids pairs; `prefer` breaks ties between equal span alignments."""
    gold = [region((0, 5))]
    pred = [region((0, 5)), region((0, 5))]
    assert align(gold, pred, EXACT, compatible=lambda g, p: p == 1).pairs == ((0, 1),)
    assert align(gold, pred, EXACT, prefer=lambda g, p: p, prefer_max=1).pairs == ((0, 1),)


def test_align_tuples_requires_every_region():
    """Multi-region items match only if each region matches (empty matches empty)."""
    gold = [(region((0, 3)), (), region((5, 9)))]
    assert align_tuples(gold, [(region((1, 2)), (), region((6, 7)))], OVERLAP).pairs == ((0, 0),)
    assert align_tuples(gold, [(region((1, 2)), region((4, 5)), region((6, 7)))], OVERLAP).pairs == ()


def test_assign_never_pairs_zero_weights():
    """Pairs of weight 0 are not matched even if the solver would pair them."""
    assert assign(2, 2, lambda g, p: 0).pairs == ()
    assert assign(0, 3, lambda g, p: 1).prf == PRF(0, 3, 0)


def test_duplicate_can_match_a_second_overlapping_gold_item():
    """Under OVERLAP a repeated prediction may legitimately take a second overlapping gold item."""
    # One-to-one matching stops double counting of one gold item, not a second legitimate
    # overlap; so the duplicate property (test_scoring_properties) is stated for exact matches.
    gold = [region((0, 4)), region((4, 8))]
    once = align(gold, [region((2, 6))], OVERLAP)
    twice = align(gold, [region((2, 6)), region((2, 6))], OVERLAP)
    assert (once.prf.tp, twice.prf.tp) == (1, 2)
    assert align(gold, [region((0, 4)), region((0, 4))], EXACT).prf == PRF(1, 1, 1)
