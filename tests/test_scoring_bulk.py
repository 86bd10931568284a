"""The bulk entity scorer (``sgie.scoring.bulk``) gives every document the counts of
``score_entities``, whether its overlaps compete or not, and their sum."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import entities, slotted_entities, texts

from sgie import schema
from sgie.records import Entity
from sgie.scoring.bulk import Flat, score_entity_batch, score_flat, total_flat
from sgie.scoring.entities import TALLY, empty_entity_counts, score_entities
from sgie.spans import Span


@st.composite
def documents(draw: st.DrawFn) -> tuple[tuple[Entity, ...], tuple[Entity, ...], tuple[Entity, ...]]:
    """One document's gold, predicted and ungrounded entities: mostly in disjoint slots,
    sometimes anywhere (overlaps within a side and competing ones)."""
    text = draw(texts(min_words=2))
    if draw(st.integers(0, 3)):
        gold, pred = draw(slotted_entities(text))
    else:
        gold, pred = draw(entities(text, 5)), draw(entities(text, 5, "q"))
    return gold, pred, draw(entities(text, 1, "u")) if not draw(st.integers(0, 4)) else ()


@settings(max_examples=300, deadline=None)
@given(st.lists(documents(), max_size=12))
def test_each_document_has_the_counts_of_score_entities(batch):
    """document(i) == score_entities(gold_i, pred_i, ungrounded_i); total is their sum."""
    gold, pred, lost = ([d[k] for d in batch] for k in range(3))
    result = score_entity_batch(gold, pred, lost)
    expected = [score_entities(*d) for d in batch]
    assert [result.document(i) for i in range(len(batch))] == expected
    assert result.total == sum(expected, empty_entity_counts())
    assert result.tallies.shape == (len(batch), TALLY)


@settings(max_examples=100, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=8))
def test_without_ungrounded(batch):
    """Leaving ``ungrounded`` out is the same as no ungrounded entities."""
    gold, pred = [d[0] for d in batch], [d[1] for d in batch]
    assert score_entity_batch(gold, pred).total == sum(map(score_entities, gold, pred), empty_entity_counts())


def test_uncontested_documents_are_counted_in_bulk():
    """Touching entities (end == next start) do not overlap; a prediction overlapping two gold
    entities sends that document, and only it, to the general path."""
    text = "Kyiv said the US would lead"
    label = schema.ENTITY_LABELS[0]

    def ent(i: str, s: int, e: int) -> Entity:
        return Entity.at(i, Span.of(text, s, e), label)

    plain = ((ent("g0", 0, 4), ent("g1", 4, 9)), (ent("p0", 0, 4), ent("p1", 4, 8)))
    competing = ((ent("g0", 0, 4), ent("g1", 5, 9)), (ent("p0", 2, 7),))
    result = score_entity_batch([plain[0], competing[0]], [plain[1], competing[1]])
    assert set(result.solved) == {1}
    assert np.all(result.tallies[1] == 0)
    assert result.document(0) == score_entities(*plain)
    assert result.document(1) == score_entities(*competing)


def test_empty_batch_and_empty_sides():
    """No documents, or documents without entities on a side, count as they should."""
    assert score_entity_batch([], []).total == empty_entity_counts()
    text = "Kyiv said"
    e = Entity.at("g0", Span.of(text, 0, 4), "GPE")
    result = score_entity_batch([(e,), ()], [(), (e,)])
    assert result.total == score_entities((e,), ()) + score_entities((), (e,))


@settings(max_examples=200, deadline=None)
@given(st.lists(documents(), max_size=10))
def test_total_flat_is_the_total_of_score_flat(batch):
    """``total_flat`` counts per type what ``score_flat`` sums over its per-document rows."""
    gold, pred = [d[0] for d in batch], [d[1] for d in batch]
    g, p = Flat.of(gold), Flat.of(pred)
    assert total_flat(gold, pred, g, p) == score_flat(gold, pred, g, p).total
