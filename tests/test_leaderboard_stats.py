"""Leaderboard statistics: exact per-cluster counts, headline F1 equal to the scorer's, bootstrap
intervals and paired tests (self never significant, CI holds the point, seed-deterministic)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from leaderboard_support import SAMPLE_GOLD, SAMPLE_PREDICTIONS
from strategies import system_corpora

from sgie.leaderboard.bootstrap import Settings, compare, draw, paired_bootstrap_p, system_intervals
from sgie.leaderboard.clusters import System, build_clusters
from sgie.leaderboard.headline import LAYERS, METRICS, f1, official_f1, vector
from sgie.leaderboard.ranking import rank, ties
from sgie.scoring import evaluate, read_gold, read_predictions, total

FEW = Settings(resamples=300, seed=7)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _vectors(clusters, system_id):
    return {k: np.array([vector(c, k) for c in clusters.counts[system_id]], dtype=np.int64).reshape(-1, 3)
            for k in LAYERS}  # fmt: skip


def _analyse(texts, gold, preds, unit="paragraph", s=FEW):
    systems = [System(f"s{i}", p, {}) for i, p in enumerate(preds)]
    clusters = build_clusters(gold, texts, systems, unit)
    draws = draw(list(clusters.sizes().values()), s)
    vectors = {x.id: _vectors(clusters, x.id) for x in systems}
    intervals = {k: system_intervals(v, draws, s) for k, v in vectors.items()}
    return clusters, draws, vectors, intervals


@PROPERTY
@given(system_corpora())
def test_paragraph_clusters_add_up_to_the_document_counts(corpus):
    """Per-paragraph-cluster counts sum exactly to the official per-document counts."""
    texts, gold, preds = corpus
    clusters, *_ = _analyse(texts, gold, preds)
    assert clusters.unsplit == ()
    for i, p in enumerate(preds):
        official = evaluate(gold, p, texts).per_document
        for d in gold:
            mine = [c for c, doc in zip(clusters.counts[f"s{i}"], clusters.documents) if doc == d]
            assert total(mine) == official[d]


@PROPERTY
@given(system_corpora())
def test_headline_point_is_the_scorers_f1_and_inside_its_interval(corpus):
    """The point estimate equals the scorer's F1 bit for bit and lies in its percentile CI."""
    texts, gold, preds = corpus
    clusters, _, _, intervals = _analyse(texts, gold, preds)
    whole = evaluate(gold, preds[0], texts).total
    for layer in LAYERS:
        i = intervals["s0"][layer]
        assert i.point == official_f1(whole, layer)
        if i.point is not None:
            assert i.low <= i.point <= i.high
    o = intervals["s0"]["overall"]
    if o.point is not None:
        assert o.low <= o.point <= o.high


@PROPERTY
@given(system_corpora(systems=1))
def test_a_system_compared_with_itself_is_never_significant(corpus):
    """Identical predictions: p = 1 under both tests, on every metric."""
    texts, gold, preds = corpus
    _, draws, vectors, intervals = _analyse(texts, gold, preds)
    out = compare(vectors["s0"], vectors["s0"], intervals["s0"], intervals["s0"], draws)
    for metric in METRICS:
        c = out[metric]
        if c is not None:
            assert (c.delta, c.p_bootstrap, c.p_randomization) == (0.0, 1.0, 1.0)


def _sample():
    gold = read_gold(SAMPLE_GOLD)
    return gold, read_predictions(SAMPLE_PREDICTIONS, gold.texts)


def test_results_are_deterministic_for_a_seed():
    """Same seed, same draws, intervals and p-values; another seed, other draws."""
    gold, p = _sample()
    runs = [_analyse(gold.texts, gold.docs, [p.docs, gold.docs], s=Settings(resamples=500, seed=seed))
            for seed in (1, 1, 2)]  # fmt: skip
    (c1, d1, v1, i1), (_, d2, v2, i2), (_, d3, _, _) = runs
    assert np.array_equal(d1.weights, d2.weights) and np.array_equal(d1.swaps, d2.swaps)
    assert not np.array_equal(d1.weights, d3.weights)
    for metric in METRICS:
        a, b = i1["s0"][metric], i2["s0"][metric]
        assert (a.point, a.low, a.high) == (b.point, b.low, b.high)
    assert compare(v1["s0"], v1["s1"], i1["s0"], i1["s1"], d1) == compare(v2["s0"], v2["s1"], i2["s0"],
                                                                           i2["s1"], d2)  # fmt: skip


def test_resample_weights_keep_each_documents_number_of_clusters():
    """Each resample draws, within every document, as many clusters as the document has."""
    d = draw([3, 5, 1], Settings(resamples=1000, seed=3))
    assert d.weights.shape == (1000, 9)
    assert (d.weights[:, :3].sum(axis=1) == 3).all() and (d.weights[:, 3:8].sum(axis=1) == 5).all()
    assert (d.weights[:, 8] == 1).all()
    assert 0.45 < d.swaps.mean() < 0.55


def test_more_resamples_change_the_interval_little():
    """10,000 and 40,000 resamples give intervals within 1.5 points of each other (no pathology)."""
    gold, p = _sample()
    small = _analyse(gold.texts, gold.docs, [p.docs], s=Settings(resamples=10_000, seed=5))[3]["s0"]
    large = _analyse(gold.texts, gold.docs, [p.docs], s=Settings(resamples=40_000, seed=6))[3]["s0"]
    for metric in METRICS:
        a, b = small[metric], large[metric]
        if a is not None and a.low is not None:
            assert abs(a.low - b.low) < 0.015 and abs(a.high - b.high) < 0.015
            assert a.high - a.low > 0


def test_a_clear_difference_is_significant_and_the_test_is_symmetric():
    """The gold itself against the sample predictions: p < 0.05, the same either way round."""
    gold, p = _sample()
    _, draws, v, i = _analyse(gold.texts, gold.docs, [gold.docs, p.docs], s=Settings(resamples=2000))
    ab = compare(v["s0"], v["s1"], i["s0"], i["s1"], draws)
    ba = compare(v["s1"], v["s0"], i["s1"], i["s0"], draws)
    assert ab["entities"].delta > 0 and ab["entities"].p_bootstrap < 0.05
    assert ab["entities"].p_randomization < 0.05
    for m in METRICS:
        assert (ab[m].p_bootstrap, ab[m].p_randomization) == (ba[m].p_bootstrap, ba[m].p_randomization)


def test_document_unit_uses_the_official_document_counts():
    """With unit=document there is one cluster per document, holding its official counts."""
    gold, p = _sample()
    clusters, *_ = _analyse(gold.texts, gold.docs, [p.docs], unit="document")
    assert clusters.documents == ("000", "004")
    official = evaluate(gold.docs, p.docs, gold.texts, ungrounded={}).per_document
    assert list(clusters.counts["s0"]) == [official["000"], official["004"]]


def test_f1_vector_formula_edge_cases():
    """No gold: undefined (NaN); no predictions or no credit: 0; perfect: 1."""
    out = f1(np.array([[0, 3, 0], [0, 0, 4], [0, 5, 4], [8, 4, 4], [3, 4, 4]]))
    assert np.isnan(out[0]) and list(out[1:4]) == [0.0, 0.0, 1.0]
    assert out[4] == pytest.approx(0.375)


def test_paired_bootstrap_p_counts_the_shifted_tail():
    """p = (1 + #{|d_b - d| >= |d|}) / (1 + B) over the defined resamples."""
    a = np.array([0.5, 0.6, 0.7, np.nan])
    b = np.array([0.4, 0.4, 0.4, 0.1])
    # d_b = 0.1, 0.2, 0.3; delta 0.2: |d_b - 0.2| = 0.1, 0, 0.1 -> none >= 0.2
    assert paired_bootstrap_p(a, b, 0.2) == pytest.approx(1 / 4)
    assert paired_bootstrap_p(a, b, 0.05) == pytest.approx(3 / 4)


def test_competition_ranking_and_adjacent_ties():
    """Equal values share a rank; ties are marked between adjacent systems only."""
    assert rank({"a": 0.5, "b": 0.7, "c": 0.5, "d": None}) == [("b", 1), ("a", 2), ("c", 2)]
    p = {("b", "a"): 0.01, ("a", "c"): 0.3}
    marks = ties(["b", "a", "c"], lambda x, y: p[(x, y)], 0.05)
    assert marks == {"b": [], "a": [("c", 0.3)], "c": [("a", 0.3)]}
