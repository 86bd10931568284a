"""The sparse matching path (overlap sweep + one assignment per connected component) gives the
dense assignment's total weight and exactly its SemEval counts; the entity fast path (no
competing overlaps: one sweep, no assignment) gives exactly the general path's counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import Mention, entities, texts, unambiguous_mentions

from sgie import schema
from sgie.records import Entity
from sgie.scoring.entities import _general, _sweep, _uncontested, score_entities
from sgie.scoring.matching import assign, overlapping_pairs
from sgie.scoring.semeval import _CREDIT2, SCHEMES, match_entities

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


def uncontested(gold: list[Entity], pred: list[Entity]) -> bool:
    """No entity overlaps two of the other side (brute force)."""
    pairs = [(g, p) for g, a in enumerate(gold) for p, b in enumerate(pred)
             if a.start < b.end and b.start < a.end]  # fmt: skip
    return len({g for g, _ in pairs}) == len({p for _, p in pairs}) == len(pairs)


def check_fast_path(gold: list[Entity], pred: list[Entity], lost: list[Entity]) -> None:
    """The fast path declines exactly when overlaps compete, and otherwise equals the general
    path (per-scheme, per-type assignments), micro, per type, JSON and raw counts."""
    fast = _uncontested(gold, pred, lost)
    general = _general(gold, pred, lost)
    if uncontested(gold, pred):
        assert fast == general
        assert fast is not None and fast.to_json() == general.to_json()
        assert score_entities(gold, pred, lost) == general
    else:
        assert fast is None
        assert score_entities(gold, pred, lost) == general


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_uncontested_fast_path_equals_the_general_path(data):
    """Random entities (often nested or overlapping within a side, often competing), with
    ungrounded predictions too."""
    text = data.draw(texts(min_words=3))
    gold = list(data.draw(entities(text, 8)))
    pred = list(data.draw(entities(text, 8, "q")))
    lost = list(data.draw(entities(text, 2, "u")))
    check_fast_path(gold, pred, lost)


def mentioned(mentions: list[Mention], prefix: str) -> list[Entity]:
    return [Entity(f"{prefix}{i}", s, e, "x" * (e - s), label) for i, (s, e, label) in enumerate(mentions)]


extra_mentions = st.lists(
    st.tuples(st.integers(0, 120), st.integers(1, 15), st.sampled_from(schema.ENTITY_LABELS)).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=2,
)


@settings(max_examples=500, deadline=None)
@given(unambiguous_mentions(12), extra_mentions, extra_mentions, st.booleans())
def test_sweep_equals_the_general_path_on_mostly_disjoint_entities(mentions, more_gold, more_pred, sort):
    """Entities as documents have them (disjoint within a side, each gold one predicted at most
    once, in text order or shuffled), sometimes with a few extra ones that nest or compete:
    the one-pass sweep, the candidate-pair check behind it, and the general path agree."""
    gold_m, pred_m, _ = mentions
    if sort:
        gold_m, pred_m = sorted(gold_m), sorted(pred_m)
    gold = mentioned(gold_m + more_gold, "g")
    pred = mentioned(pred_m + more_pred, "p")
    lost = mentioned(more_pred[:1], "u")
    check_fast_path(gold, pred, lost)
    if not more_gold and not more_pred:  # no extra entity: the sweep alone decides
        items = [(e.start, e.end, 0, e.label) for e in gold] + [(e.start, e.end, 1, e.label) for e in pred]
        assert _sweep(items) is not None


def test_overlaps_within_a_side_without_competition_take_the_fast_path():
    """Overlaps within a side (nested gold, overlapping predictions) stop the one-pass sweep,
    not the fast path: the candidate pairs decide, and the counts are the general path's."""
    gold = mentioned([(0, 20, "ORG"), (10, 16, "GPE"), (30, 35, "PERSON")], "g")
    pred = mentioned([(30, 35, "PERSON"), (40, 45, "LOC"), (50, 60, "ORG"), (55, 65, "ORG")], "p")
    items = [(e.start, e.end, 0, e.label) for e in gold] + [(e.start, e.end, 1, e.label) for e in pred]
    assert _sweep(items) is None
    fast = _uncontested(gold, pred, [])
    assert fast is not None and fast == _general(gold, pred, [])
    micro = fast["strict"].micro
    assert (micro.correct, micro.missed, micro.spurious) == (1, 2, 3)


def test_competing_overlaps_take_the_general_path():
    """A prediction overlapping two gold entities (or two predictions one) is contested."""
    gold = mentioned([(0, 5, "ORG"), (6, 10, "GPE")], "g")
    for pred in (mentioned([(3, 8, "ORG")], "p"), mentioned([(0, 2, "ORG"), (1, 5, "ORG")], "p")):
        assert _uncontested(gold, pred, []) is None
        assert score_entities(gold, pred) == _general(gold, pred, [])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_entity_counts_do_not_depend_on_list_order(data):
    text = data.draw(texts(min_words=3))
    gold = list(data.draw(entities(text, 8)))
    pred = list(data.draw(entities(text, 8, "q")))
    counts = score_entities(gold, pred)
    assert score_entities(data.draw(st.permutations(gold)), data.draw(st.permutations(pred))) == counts
