"""The published prediction format: eval/predictions.schema.json is generated from the record
types (sgie.scoring.wire), is valid JSON Schema 2020-12, its enums and the records' Literal
types are sgie.schema's values, the samples validate, and it agrees with the validator."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from strategies import doc_annotations, texts

from sgie import schema
from sgie.errors import InputError
from sgie.records import VALUE_SETS
from sgie.scoring.validate import parse_prediction
from sgie.scoring.wire import dumps_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "eval" / "predictions.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
DEFS = SCHEMA["$defs"]


def test_schema_is_valid_draft_2020_12():
    """The schema itself is a valid draft 2020-12 JSON Schema."""
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_committed_schema_is_generated_from_the_record_types():
    """eval/predictions.schema.json equals what sgie.scoring.wire generates (msgspec)."""
    assert (ROOT / "eval" / "predictions.schema.json").read_text(encoding="utf-8") == dumps_schema()


def test_schema_enums_are_the_schema_module_values():
    """Every enum equals the values of sgie.schema (the single source of truth)."""
    assert DEFS["Entity"]["properties"]["label"]["enum"] == list(schema.ENTITY_LABELS)
    assert DEFS["Argument"]["properties"]["role"]["enum"] == list(schema.ROLE_NAMES)
    proposal = DEFS["Proposal"]["properties"]
    assert proposal["type"]["enum"] == list(schema.PROPOSAL_TYPE.value_names)
    assert proposal["status"]["enum"] == list(schema.PROPOSAL_STATUS.value_names)
    assert proposal["polarity"]["enum"] == list(schema.PROPOSAL_POLARITY.value_names)
    attribution = DEFS["Attribution"]["properties"]
    assert attribution["quote_type"]["enum"] == list(schema.QUOTE_TYPE.value_names)
    assert attribution["source_type"]["enum"] == list(schema.SOURCE_TYPE.value_names)
    assert schema.SCHEMA_VERSION in SCHEMA["description"]


def test_literal_types_are_the_schema_values():
    """The records' Literal value sets (what mypy and msgspec see) equal sgie.schema's values."""
    assert set(VALUE_SETS) == {"label", "role", "type", "status", "polarity", "quote_type", "source_type"}
    for name, (literal, values) in VALUE_SETS.items():
        assert typing.get_args(literal) == values, name


def test_sample_predictions_validate():
    """Every line of eval/sample_predictions.jsonl validates against the schema."""
    lines = (ROOT / "eval" / "sample_predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        VALIDATOR.validate(json.loads(line))


@pytest.mark.parametrize("record", [
    {"id": "000", "entities": [{"id": "e", "start": 0, "text": "US", "label": "GPE"}]},
    {"id": "000", "entities": [{"id": "e", "text": "US", "label": "COUNTRY"}]},
    {"id": "000", "entities": [{"id": "e", "text": "", "label": "GPE"}]},
    {"id": "000", "score": 1},
    {"id": "000", "attributions": [{"id": "a", "cue": [], "source": [], "content": [{"text": "x"}],
                                    "quote_type": "direct", "source_type": "none", "parent_id": None}]},
    {"id": "000", "proposals": [{"id": "p", "text": "x", "type": "plan", "status": "draft",
                                 "polarity": "positive", "arguments": [{"role": "proposer", "text": "x"}]}]},
])  # fmt: skip
def test_schema_and_parser_reject_the_same_bad_records(record):
    """Records the schema rejects are also rejected by the strict parser."""
    assert not VALIDATOR.is_valid(record)
    with pytest.raises(InputError):
        parse_prediction(record, {"000": "US x"})


@settings(max_examples=50, deadline=None)
@given(case=texts().flatmap(lambda t: st.tuples(st.just(t), doc_annotations("d", t))),
       text_only=st.booleans())  # fmt: skip
def test_parser_accepted_records_validate(case, text_only):
    """Any record the parser accepts (offsets, or text only) validates against the schema."""
    text, doc = case
    record = doc.to_json()
    if text_only:
        record = _drop_offsets(record)
    parse_prediction(record, {"d": text})
    VALIDATOR.validate(record)


def _drop_offsets(value):  # noqa: ANN001, ANN202
    """The record with ``start``/``end`` removed from every span (text-only form)."""
    if isinstance(value, dict):
        return {k: _drop_offsets(v) for k, v in value.items() if k not in ("start", "end")}
    if isinstance(value, list):
        return [_drop_offsets(v) for v in value]
    return value
