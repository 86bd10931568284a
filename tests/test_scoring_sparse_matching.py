"""The sparse matching path (overlap sweep + one assignment per connected component) gives the
dense assignment's total weight and exactly its SemEval counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import entities, texts

from sgie.scoring.counts import frozen_map
from sgie.scoring.entities import EntityCounts, _by_label, _scheme_counts, _uncontested
from sgie.scoring.matching import assign, overlapping_pairs
from sgie.scoring.semeval import _CREDIT2, SCHEMES, entity_candidates, match_entities

intervals = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1])),
                     max_size=12)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(intervals, intervals)
def test_overlapping_pairs_is_the_brute_force_set(gold, pred):
    """The sweep finds exactly the pairs sharing a code point, each once."""
    brute = {(g, p) for g, a in enumerate(gold) for p, b in enumerate(pred) if a[0] < b[1] and b[0] < a[1]}
    found = overlapping_pairs(gold, pred)
    assert len(found) == len(set(found)) and set(found) == brute


@settings(max_examples=300, deadline=None)
@given(intervals, intervals, st.lists(st.integers(1, 9), min_size=150, max_size=150))
def test_sparse_assignment_has_the_dense_total_weight(gold, pred, ws):
    """Same optimum (total weight) as the dense Hungarian solve, and one-to-one."""
    cand = overlapping_pairs(gold, pred)
    table = {pair: ws[i % len(ws)] for i, pair in enumerate(sorted(cand))}

    def weight(g: int, p: int) -> int:
        return table.get((g, p), 0)

    dense = assign(len(gold), len(pred), weight)
    sparse = assign(len(gold), len(pred), weight, cand)
    total = lambda a: sum(weight(g, p) for g, p in a.pairs)  # noqa: E731
    assert total(sparse) == total(dense)
    assert len({g for g, _ in sparse.pairs}) == len({p for _, p in sparse.pairs}) == len(sparse.pairs)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_entity_counts_equal_the_dense_solution(data):
    """match_entities (sparse) equals the dense assignment's counts under every scheme, even
    with overlaps competing."""
    text = data.draw(texts(min_words=3))
    gold = list(data.draw(entities(text, 8)))
    pred = list(data.draw(entities(text, 8, "q")))
    for scheme in SCHEMES:
        bound = min(len(gold), len(pred)) + 1

        def weight(g: int, p: int, scheme=scheme, bound=bound) -> int:
            if not gold[g].span.overlaps(pred[p].span):
                return 0
            return _CREDIT2[scheme.outcome(gold[g], pred[p])] * bound + 1

        dense = assign(len(gold), len(pred), weight)
        tally = [scheme.outcome(gold[g], pred[p]) for g, p in dense.pairs]
        _, counts = match_entities(gold, pred, scheme)
        expected = (sum(o.value == "correct" for o in tally), sum(o.value == "incorrect" for o in tally),
                    sum(o.value == "partial" for o in tally), len(gold) - len(tally),
                    len(pred) - len(tally))  # fmt: skip
        assert (counts.correct, counts.incorrect, counts.partial, counts.missed, counts.spurious) == expected


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_uncontested_fast_path_equals_the_general_path(data):
    """Where no overlaps compete, the one-pass counts equal the per-scheme, per-type matchings
    (with ungrounded predictions too); elsewhere the fast path declines."""
    text = data.draw(texts(min_words=3))
    gold = list(data.draw(entities(text, 8)))
    pred = list(data.draw(entities(text, 8, "q")))
    lost = list(data.draw(entities(text, 2, "u")))
    candidates = entity_candidates(gold, pred)
    counts: dict[str, int] = {}
    for e in lost:
        counts[e.label] = counts.get(e.label, 0) + 1
    fast = _uncontested(gold, pred, candidates, counts)
    by_label = _by_label(gold, pred, candidates)
    general = EntityCounts(frozen_map(
        (s.name, _scheme_counts(s, gold, pred, lost, candidates, by_label, counts)) for s in SCHEMES
    ))  # fmt: skip
    gs = [g for g, _ in candidates]
    ps = [p for _, p in candidates]
    if len(set(gs)) == len(gs) and len(set(ps)) == len(ps):
        assert fast == general
    else:
        assert fast is None
