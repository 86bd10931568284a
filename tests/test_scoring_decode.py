"""The fast decoder accepts only what the reference parser accepts, and returns the same
records; the batch offset rule equals the single one."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import broken_lines, doc_annotations, perturbed, texts

from sgie.errors import InputError
from sgie.scoring.decode import decode_gold, decode_id, decode_prediction
from sgie.scoring.gold import parse_gold_line
from sgie.scoring.grounding import parse_prediction
from sgie.scoring.jsonl import parse_line
from sgie.spans import all_hold, holds

SETTINGS = settings(max_examples=300, deadline=None)


def reference_gold(line: str) -> tuple | None:
    try:
        return parse_gold_line(parse_line(line.encode(), "G", 1), {})
    except InputError:
        return None


def reference_prediction(line: str, text: str, doc_id: str = "d") -> tuple | None:
    try:
        return parse_prediction(parse_line(line.encode(), "P", 1), {doc_id: text})
    except InputError:
        return None


@st.composite
def gold_lines(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(texts())
    doc = draw(doc_annotations("d", text))
    return draw(broken_lines({"id": "d", "text": text, **doc.to_json()})), text


@st.composite
def prediction_lines(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(texts())
    doc = draw(perturbed(draw(doc_annotations("d", text)), text))
    return draw(broken_lines(doc.to_json())), text


@SETTINGS
@given(gold_lines())
def test_fast_gold_accepts_only_what_the_reference_accepts_and_agrees(case: tuple[str, str]) -> None:
    """decode_gold(line) is None, or equals the reference parser's result."""
    line, _ = case
    fast = decode_gold(line.encode())
    if fast is not None:
        assert reference_gold(line) == fast


@SETTINGS
@given(prediction_lines())
def test_fast_prediction_accepts_only_what_the_reference_accepts_and_agrees(case: tuple[str, str]) -> None:
    """decode_prediction(line) is None, or equals the reference parser's record (nothing
    ungrounded; the id is the caller's to look up)."""
    line, text = case
    fast = decode_prediction(line.encode(), text)
    if fast is not None:
        ref = reference_prediction(line, text, fast.doc_id)
        assert ref is not None and ref[0] == fast and not ref[1].spans


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_valid_lines_take_the_fast_path(data: st.DataObject) -> None:
    """A record written by to_json is accepted by the fast path (it is the common case)."""
    text = data.draw(texts())
    doc = data.draw(doc_annotations("d", text))
    line = json.dumps({"id": "d", "text": text, **doc.to_json()}, ensure_ascii=False)
    assert decode_gold(line.encode()) == (doc, text)
    assert decode_prediction(json.dumps(doc.to_json()).encode(), text) == doc


def test_a_repeated_key_is_left_to_the_reference_parser() -> None:
    """msgspec keeps the last of a repeated key; the key count sends the line on instead."""
    line = (b'{"id": "d", "entities": [{"id": "e", "start": 0, "end": 2, "start": 0, "text": "US", '
            b'"label": "GPE"}]}')
    assert decode_prediction(line, "US") is None
    with pytest.raises(InputError, match="repeat a key"):
        parse_line(line, "P", 1)


def test_white_space_before_a_colon_is_accepted_by_the_reference_parser() -> None:
    """A valid line the fast path does not take is still accepted (by the reference parser)."""
    line = '{"id" : "d", "entities": [{"id": "e", "start": 0, "end": 2, "text": "US", "label": "GPE"}]}'
    assert decode_prediction(line.encode(), "US") is None
    assert reference_prediction(line, "US") is not None


def test_quotes_and_colons_inside_strings_do_not_upset_the_key_count() -> None:
    """An escaped quote followed by a colon inside a value is not a key."""
    text = 'he said "no": fine'
    line = json.dumps({"id": "d", "text": text, "entities": [
        {"id": 'x": "y', "start": 8, "end": 13, "text": '"no":', "label": "EVENT"}]})
    doc, _ = decode_gold(line.encode())
    assert doc.entities[0].text == '"no":'


def test_decode_id_checks_the_top_level_only() -> None:
    """decode_id reads the id of a record whose top-level fields are right, else None."""
    assert decode_id(b'{"id": "d", "text": "x", "entities": [1]}', gold=True) == "d"
    assert decode_id(b'{"id": "d", "entities": []}', gold=True) is None  # no text
    assert decode_id(b'{"id": "d", "text": "x"}', gold=False) is None  # text in a prediction
    assert decode_id(b'{"id": "d"', gold=False) is None
    assert decode_id(b'{"id": "d\xff"}', gold=False) is None


@settings(max_examples=300, deadline=None)
@given(texts(), st.lists(st.tuples(st.integers(-2, 40), st.integers(-2, 40), st.text(max_size=4))))
def test_all_hold_is_holds_for_every_span(text: str, triples: list) -> None:
    """The batch rule equals the single rule applied to each span."""
    items = [SimpleNamespace(start=a, end=b, text=s) for a, b, s in triples]  # any offsets
    assert all_hold(text, items) == all(holds(text, *t) for t in triples)
