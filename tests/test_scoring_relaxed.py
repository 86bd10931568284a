"""The prediction format's relaxations: item ids optional unless referred to, span text optional
with offsets (checked when present), a record may carry the gold text; gold stays strict."""

from __future__ import annotations

import json

import pytest

from sgie.errors import InputError
from sgie.scoring import evaluate
from sgie.scoring.validate import decode_document, decode_prediction

TEXT = "US troops and Kyiv: Paris pledged aid."
TEXTS = {"000": TEXT}


def _pred(record: dict):
    return decode_prediction(json.dumps(record).encode(), TEXTS)


def _full(**extra) -> dict:
    return {"id": "000", "entities": [{"id": "e1", "start": 0, "end": 2, "text": "US", "label": "GPE"},
                                      {"id": "e2", "start": 14, "end": 18, "text": "Kyiv", "label": "GPE"}],
            **extra}  # fmt: skip


def test_offsets_alone_score_like_full_records():
    """{"start", "end", "label"} scores exactly like the record with ids and text."""
    bare = {"id": "000", "entities": [{"start": 0, "end": 2, "label": "GPE"},
                                      {"start": 14, "end": 18, "label": "GPE"}]}  # fmt: skip
    doc, _ = _pred(bare)
    full, _ = _pred(_full())
    assert [(e.start, e.end, e.text, e.label) for e in doc.entities or ()] == [
        (e.start, e.end, e.text, e.label) for e in full.entities or ()]
    assert [e.id for e in doc.entities or ()] == ["entities[0]", "entities[1]"]  # named by position
    gold = {"000": full}
    result = evaluate(gold, {"000": doc}, TEXTS, outcomes=True)
    assert result.to_json()["entities"]["strict"]["f1"] == 1.0
    assert {o.predicted.id for o in result.outcomes["000"].entities or () if o.predicted} == {
        "entities[0]", "entities[1]"}


def test_ids_are_optional_in_every_layer():
    """Proposals, arguments and attributions without ids (and without span text) are accepted."""
    record = {"id": "000",
              "proposals": [{"start": 20, "end": 37, "type": "pledge", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "start": 20, "end": 25, "entity_id": None}]}],
              "attributions": [{"cue": [{"start": 26, "end": 33}], "source": [{"text": "Paris"}],
                                "content": [{"start": 34, "end": 37}], "quote_type": "indirect",
                                "source_type": "document", "parent_id": None}]}  # fmt: skip
    doc, _ = _pred(record)
    assert doc.proposals and doc.proposals[0].id == "proposals[0]"
    assert doc.proposals[0].text == "Paris pledged aid"
    assert doc.attributions and doc.attributions[0].id == "attributions[0]"
    assert doc.attributions[0].cue[0].text == "pledged"


@pytest.mark.parametrize(("record", "message"), [
    ({"id": "000", "entities": [{"start": 0, "end": 2, "text": "UK", "label": "GPE"}]},
     "'entities[0].text' must equal text[0:2]='US' (got 'UK')"),
    ({"id": "000", "entities": [{"label": "GPE"}]},
     "'entities[0]' must have start and end, or text (got neither)"),
    ({"id": "000", "entities": [{"start": 0, "label": "GPE"}]},
     "'entities[0].end' is required (got nothing)"),
    ({"id": "000", "entities": [{"start": 0, "end": 99, "label": "GPE"}]},
     "'entities[0].end' must be <= len(text)"),
    ({**_full(), "text": TEXT + " "}, "'text' must equal the gold text of document '000' (38 characters) "
     "(got 39 characters, first difference at character 38)"),
    ({"id": "000", "entities": [{"start": 0, "end": 2, "label": "GPE"}],
      "proposals": [{"id": "p", "start": 0, "end": 2, "type": "plan", "status": "draft",
                     "polarity": "positive",
                     "arguments": [{"role": "proposer", "start": 0, "end": 2, "entity_id": "entities[9]"}]}]},
     "'proposals[0].arguments[0].entity_id' must name an entity of the document"),
    ({"id": "000", "entities": [{"id": "a", "start": 0, "end": 2, "label": "GPE"},
                                {"id": "a", "start": 14, "end": 18, "label": "GPE"}]},
     "'entities[1].id' must be unique in the layer (got 'a' again)"),
    ({"id": "000", "entities": [{"start": 0, "end": 2, "label": "DATE"}]},
     "or mapped with --label-map (got 'DATE')"),
])  # fmt: skip
def test_everything_else_stays_strict(record, message):
    """Wrong text, no offsets and no text, half offsets, another document text, dangling or
    repeated ids, unknown labels: one-line errors."""
    with pytest.raises(InputError) as err:
        _pred(record)
    assert message in str(err.value)


def test_a_record_may_carry_the_gold_text():
    """A documents record (with text) used as a prediction scores."""
    doc, _ = _pred(_full(text=TEXT))
    assert len(doc.entities or ()) == 2


@pytest.mark.parametrize(("entity", "message"), [
    ({"start": 0, "end": 2, "text": "US", "label": "GPE"}, "'entities[0].id' is required (got nothing)"),
    ({"id": "e", "start": 0, "end": 2, "label": "GPE"}, "'entities[0].text' is required (got nothing)"),
])  # fmt: skip
def test_gold_records_stay_strict(entity, message):
    """A gold (documents-format) record needs ids, offsets and text."""
    with pytest.raises(InputError) as err:
        decode_document(json.dumps({"id": "000", "text": TEXT, "entities": [entity]}).encode())
    assert message in str(err.value)
