"""Text-only spans: the grounding rule, linked arguments, and ungrounded items kept apart."""

from __future__ import annotations

import pytest

from sgie.errors import InputError
from sgie.scoring import wire
from sgie.scoring.grounding import TextGrounder, occurrences
from sgie.scoring.validate import convert, parse_prediction

TEXT = "Kyiv said Kyiv would ask Kyiv's allies. Macron said yes."
TEXTS = {"d": TEXT}


def test_occurrences_are_non_overlapping_left_to_right():
    """Occurrences are found left to right without overlapping."""
    assert occurrences("aaaa", "aa") == [0, 2]
    assert occurrences(TEXT, "Kyiv") == [0, 10, 25]
    assert occurrences(TEXT, "kyiv") == []


def test_kth_text_only_span_goes_to_kth_occurrence():
    """The k-th text-only span with a string lands on its k-th occurrence, across layers."""
    record = {"id": "d",
              "entities": [{"id": "e1", "text": "Kyiv", "label": "GPE"},
                           {"id": "e2", "start": 10, "end": 14, "text": "Kyiv", "label": "GPE"},
                           {"id": "e3", "text": "Kyiv", "label": "GPE"}],
              "attributions": [{"id": "a", "cue": [{"text": "said"}], "source": [{"text": "Kyiv"}],
                                "content": [{"text": "would ask"}], "quote_type": "indirect",
                                "source_type": "named_organisation", "parent_id": None}]}  # fmt: skip
    doc, lost = parse_prediction(record, TEXTS)
    assert [e.span.start for e in doc.entities] == [0, 10, 10]  # offset spans take no occurrence
    assert doc.attributions[0].source[0].start == 25  # third text-only "Kyiv"
    assert doc.attributions[0].cue[0].start == 5
    assert lost.spans == ()


def test_grounding_order_is_the_record_shape_not_key_order():
    """Cue before source before content, whatever the JSON key order."""
    record = {"id": "d", "attributions": [{
        "content": [{"text": "said"}], "source": [{"text": "said"}], "cue": [{"text": "said"}],
        "id": "a", "quote_type": "indirect", "source_type": "none", "parent_id": None}]}  # fmt: skip
    placements = TextGrounder(TEXT, convert(record, wire.Prediction)).placements
    assert placements["attributions[0].cue[0]"].start == 5
    assert placements["attributions[0].source[0]"].start == 47
    assert placements["attributions[0].content[0]"] is None  # only two "said"
    doc, lost = parse_prediction(record, TEXTS)
    assert doc.attributions == () and len(lost.attributions) == 1


def test_ungrounded_items_are_kept_apart_and_reported():
    """An item whose text has no k-th occurrence is moved to `Ungrounded`, never dropped."""
    record = {"id": "d",
              "entities": [{"id": "e1", "text": "Paris", "label": "GPE"},
                           {"id": "e2", "text": "Macron", "label": "PERSON"}],
              "proposals": [{"id": "p", "text": "ask", "type": "demand", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "text": "Berlin", "entity_id": None},
                                           {"role": "executor", "text": "allies", "entity_id": None}]}]}  # fmt: skip  # noqa: E501
    doc, lost = parse_prediction(record, TEXTS)
    assert [e.id for e in doc.entities] == ["e2"]
    assert [e.id for e in lost.entities] == ["e1"]
    assert [a.role for a in doc.proposals[0].arguments] == ["executor"]
    assert [a.role for a in lost.arguments] == ["proposer"]
    assert [(s.field, s.text) for s in lost.spans] == [
        ("entities[0].text", "Paris"), ("proposals[0].arguments[0].text", "Berlin")]
    assert lost.items("entities") == 1 and lost.items("proposals") == 1


def test_linked_argument_sits_on_its_entity():
    """A text-only argument naming an entity takes the entity's span, not a new occurrence."""
    record = {"id": "d",
              "entities": [{"id": "e1", "text": "Macron", "label": "PERSON"}],
              "proposals": [{"id": "p", "text": "ask", "type": "demand", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "text": "Macron", "entity_id": "e1"}]}]}  # fmt: skip  # noqa: E501
    doc, lost = parse_prediction(record, TEXTS)
    assert doc.proposals[0].arguments[0].span == doc.entities[0].span
    assert lost.spans == ()


def test_empty_text_only_span_is_an_error():
    """A text-only span with an empty string is bad input, not an ungrounded span."""
    with pytest.raises(InputError, match=r"'entities\[0\].text' must be a non-empty string"):
        parse_prediction({"id": "d", "entities": [{"id": "e", "text": "", "label": "GPE"}]}, TEXTS)


def test_half_offsets_are_an_error():
    """A span with `start` but no `end` is not text-only: it is rejected."""
    record = {"id": "d", "entities": [{"id": "e", "start": 0, "text": "Kyiv", "label": "GPE"}]}
    with pytest.raises(InputError, match=r"'entities\[0\].end' is required"):
        parse_prediction(record, TEXTS)
