"""EntityCounts stores its counts flat; its views, sums and JSON are those of the SchemeCounts /
SemEvalCounts objects it stands for, and ``counts_json()`` is ``counts_only(to_json())``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import entities, texts

from sgie import schema
from sgie.scoring.counts import NO_GOLD, NO_PREDICTIONS, SemEvalCounts, semeval_json
from sgie.scoring.entities import EntityCounts, SchemeCounts, empty_entity_counts, score_entities
from sgie.scoring.result import counts_only
from sgie.scoring.semeval import SCHEMES

NAMES = [s.name for s in SCHEMES]
small = st.integers(0, 6)
semeval_counts = st.builds(SemEvalCounts, small, small, small, small, small)


@st.composite
def entity_counts(draw: st.DrawFn) -> EntityCounts:
    """Arbitrary counts (not only those a document can produce)."""
    schemes = {}
    for name in NAMES:
        micro = draw(semeval_counts)
        schemes[name] = SchemeCounts(micro, {label: draw(semeval_counts) for label in schema.ENTITY_LABELS})
    return EntityCounts.from_schemes(schemes)


@st.composite
def scored(draw: st.DrawFn) -> EntityCounts:
    """The counts of a random document."""
    text = draw(texts(min_words=3))
    return score_entities(draw(entities(text, 6)), draw(entities(text, 6, "q")), draw(entities(text, 1, "u")))


any_counts = st.one_of(entity_counts(), scored())


def expected_semeval_json(c: SemEvalCounts) -> dict:
    """The block by the definitions (sgie.scoring.counts), written out independently."""
    credit = c.correct + 0.5 * c.partial
    pos = c.correct + c.incorrect + c.partial + c.missed
    act = c.correct + c.incorrect + c.partial + c.spurious
    p = credit / act if act else None
    r = credit / pos if pos else None
    f1 = None if r is None else 0.0 if credit == 0 or p is None else 2 * (p * r) / (p + r)
    reason = {**({"precision": NO_PREDICTIONS} if p is None else {}),
              **({"recall": NO_GOLD, "f1": NO_GOLD} if r is None else {})}  # fmt: skip
    return {"correct": c.correct, "incorrect": c.incorrect, "partial": c.partial, "missed": c.missed,
            "spurious": c.spurious, "possible": pos, "actual": act, "precision": p, "recall": r,
            "f1": f1, "reason": reason}  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(semeval_counts)
def test_semeval_json_is_the_definition(c):
    expected = expected_semeval_json(c)
    assert json.dumps(c.to_json()) == json.dumps(expected)
    assert semeval_json(c.correct, c.incorrect, c.partial, c.missed, c.spurious) == expected
    assert (c.precision, c.recall, c.f1, c.reasons) == (expected["precision"], expected["recall"],
                                                        expected["f1"], expected["reason"])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(any_counts)
def test_views_round_trip(counts):
    assert list(counts.schemes) == NAMES
    for name in NAMES:
        view = counts[name]
        assert view == counts.schemes[name]
        assert list(view.per_type) == list(schema.ENTITY_LABELS)
    assert EntityCounts.from_schemes(counts.schemes) == counts


@settings(max_examples=200, deadline=None)
@given(any_counts)
def test_json_is_the_views_json(counts):
    """to_json() is the SchemeCounts' own JSON (same keys, order and values), and counts_json()
    the raw counts of it."""
    via_views = {name: c.to_json() for name, c in counts.schemes.items()}
    assert json.dumps(counts.to_json()) == json.dumps(via_views)
    assert json.dumps(counts.counts_json()) == json.dumps(counts_only(counts.to_json()))


@settings(max_examples=200, deadline=None)
@given(any_counts, any_counts)
def test_sum_is_the_sum_of_the_views(a, b):
    total = a + b
    for name in NAMES:
        assert total[name] == a[name] + b[name]
    assert total == b + a
    assert a + empty_entity_counts() == a


def test_empty_counts_are_the_counts_of_nothing():
    assert empty_entity_counts() == score_entities((), ())
    assert all(v == 0 for v in empty_entity_counts().values)
    assert empty_entity_counts()["strict"].macro_f1 is None


def test_malformed_counts_are_rejected():
    with pytest.raises(ValueError):
        EntityCounts((0, 1, 2))
    with pytest.raises(ValueError):
        EntityCounts.from_schemes({"strict": empty_entity_counts()["strict"]})
    with pytest.raises(KeyError):
        empty_entity_counts()["overlap"]
