"""The one validator (sgie.scoring.validate): the fast path and the typed path agree, repeated keys
are found whatever the white space, nesting cycles are rejected, and the Python API rejects
what the command rejects."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import broken_lines, doc_annotations, perturbed, texts

from sgie.cli import main
from sgie.errors import InputError
from sgie.records import DocAnnotations, Entity
from sgie.scoring import evaluate, read_gold
from sgie.scoring.jsonl import parse_line
from sgie.scoring.validate import (
    decode_document,
    decode_id,
    decode_prediction,
    parse_document,
    parse_prediction,
)
from sgie.spans import all_hold, holds

SETTINGS = settings(max_examples=150, deadline=None)
ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "sample_gold.jsonl"


def outcome(f, *args):  # noqa: ANN001, ANN201
    """What ``f(*args)`` returns, or the message of the ``InputError`` it raises."""
    try:
        return f(*args)
    except InputError as err:
        return err.message


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


def _via_json(f, raw: bytes, *args):  # noqa: ANN001, ANN202
    """``f`` on the line parsed by the strict JSON reader (the typed path only)."""
    try:
        value = parse_line(raw, "", 0)
    except InputError as err:
        return err.message
    return outcome(f, value, *args)


@SETTINGS
@given(gold_lines())
def test_gold_lines_bytes_and_json_paths_agree(case: tuple[str, str]) -> None:
    """A gold line decoded from bytes (fast path when it can) gives exactly what the typed path
    gives from the parsed JSON: the same records, or the same error message."""
    line, _ = case
    raw = line.encode()
    assert outcome(decode_document, raw) == _via_json(parse_document, raw)


@SETTINGS
@given(prediction_lines())
def test_prediction_lines_bytes_and_json_paths_agree(case: tuple[str, str]) -> None:
    """The same for prediction lines (text-only spans grounded on both paths)."""
    line, text = case
    raw = line.encode()
    assert outcome(decode_prediction, raw, {"d": text}) == _via_json(parse_prediction, raw, {"d": text})


def test_empty_span_text_is_worded_alike_from_bytes_and_from_json() -> None:
    """An empty span text is reported by its type on both paths (a hypothesis example once)."""
    entity = {"id": "sx0", "start": 0, "end": 1, "text": "", "label": "PERSON"}
    expected = "'entities[0].text' must be a non-empty string (got '')"
    prediction = json.dumps({"id": "d", "entities": [entity]}).encode()
    assert outcome(decode_prediction, prediction, {"d": "Kyiv,"}) == expected
    assert _via_json(parse_prediction, prediction, {"d": "Kyiv,"}) == expected
    document = json.dumps({"id": "d", "text": "Kyiv,", "entities": [entity]}).encode()
    assert outcome(decode_document, document) == expected
    assert _via_json(parse_document, document) == expected


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_valid_records_round_trip(data: st.DataObject) -> None:
    """A record written by to_json is read back as the same records."""
    text = data.draw(texts())
    doc = data.draw(doc_annotations("d", text))
    line = json.dumps({"id": "d", "text": text, **doc.to_json()}, ensure_ascii=False)
    assert decode_document(line.encode()) == (doc, text)
    assert decode_prediction(json.dumps(doc.to_json()).encode(), {"d": text})[0] == doc


US = b'{"id": "d", "entities": [{"id": "e", "start": 0, "end": 2, "text": "US", '


@pytest.mark.parametrize("line", [
    US + b'"label": "ORG", "label" :"GPE"}]}',
    US + b'"label": "ORG", "label"\n:\t"GPE"}]}',
    US + b'"start": 0, "label": "GPE"}]}',
    b'{"id" : "d", "id" : "d", "entities": []}',
    US.replace(b'"e"', b'"e:"') + b'"label": "ORG", "label":"GPE"}]}',
    b'{"id": "d\\u003a", "id": "d", "entities": []}',
])  # fmt: skip
def test_a_repeated_key_is_an_error_whatever_the_white_space(line: bytes) -> None:
    """msgspec keeps the last of a repeated key; the validator rejects the line instead, with
    white space or a colon anywhere."""
    with pytest.raises(InputError, match=r"object must not repeat a key \(got '(label|start|id)' twice\)"):
        decode_prediction(line, {"d": "US"})


def test_white_space_and_colons_in_strings_are_fine() -> None:
    """White space before a colon, escaped quotes and colons inside values are accepted."""
    line = b'{"id" : "d", "entities": [{"id": "e", "start": 0, "end": 2, "text": "US", "label": "GPE"}]}'
    assert decode_prediction(line, {"d": "US"})[0].entities[0].label == "GPE"
    text = 'he said "no": fine'
    line2 = json.dumps({"id": "d", "text": text, "entities": [
        {"id": 'x": "y', "start": 8, "end": 13, "text": '"no":', "label": "EVENT"}]})
    doc, _ = decode_document(line2.encode())
    assert doc.entities[0].text == '"no":'
    escaped = b'{"id": "d\\u003a", "entities": []}'
    assert decode_prediction(escaped, {"d:": "x"})[0].doc_id == "d:"


ATTRIBUTION = {"cue": [{"start": 0, "end": 2, "text": "US"}], "source": [],
               "content": [{"start": 0, "end": 2, "text": "US"}], "quote_type": "direct",
               "source_type": "none"}  # fmt: skip


@pytest.mark.parametrize(("parents", "message"), [
    ({"a": "a"}, r"'attributions\[0\].parent_id' must name another attribution of the document \(got 'a'\)"),
    ({"a": "b", "b": "a"}, r"'attributions\[0\].parent_id' must not form a cycle "
                           r"\(got the cycle \"'a' -> 'b' -> 'a'\"\)"),
    ({"a": None, "b": "c", "c": "d", "d": "b"}, r"'attributions\[1\].parent_id' must not form a cycle"),
])  # fmt: skip
def test_nesting_cycles_and_self_nesting_are_errors(parents: dict, message: str) -> None:
    """An attribution nested in itself, directly or through others, is rejected."""
    items = [{"id": k, **ATTRIBUTION, "parent_id": v} for k, v in parents.items()]
    record = {"id": "d", "attributions": items}
    with pytest.raises(InputError, match=message):
        decode_prediction(json.dumps(record).encode(), {"d": "US"})


def test_decode_id_checks_the_top_level_only() -> None:
    """decode_id reads the id of a record whose top-level fields are right, else None."""
    assert decode_id(b'{"id": "d", "text": "x", "entities": [1]}', gold=True) == "d"
    assert decode_id(b'{"id": "d", "entities": []}', gold=True) is None  # no text
    assert decode_id(b'{"id": "d", "text": "x"}', gold=False) == "d"  # a prediction may carry the text
    assert decode_id(b'{"id": "d", "note": "x"}', gold=False) is None  # no other field
    assert decode_id(b'{"id": "d"', gold=False) is None
    assert decode_id(b'{"id": "d\xff"}', gold=False) is None


def test_a_huge_integer_is_quoted_short() -> None:
    """An offset of hundreds of digits is quoted cut short (``sgie.errors.quote``), not printed."""
    line = (b'{"id": "d", "entities": [{"id": "e", "start": 0, "end": 1' + b"0" * 300
            + b', "text": "US", "label": "GPE"}]}')  # fmt: skip
    start = "'entities[0].end' must be <= len(text)=2 (got 1000"
    with pytest.raises(InputError, match=re.escape(start)) as err:
        decode_prediction(line, {"d": "US"})
    assert "..." in str(err.value) and len(str(err.value)) < 160


def test_a_huge_bad_value_is_quoted_short() -> None:
    """A message quotes at most about 80 characters of a bad value."""
    line = json.dumps({"id": "d", "entities": [{"id": "e", "start": 0, "end": 2, "text": "US",
                                                "label": "X" * 100_000}]}).encode()  # fmt: skip
    with pytest.raises(InputError) as err:
        decode_prediction(line, {"d": "US"})
    assert len(str(err.value)) < 300 and "100000 characters" in str(err.value)


@pytest.mark.parametrize(("start", "end", "label", "message"), [
    (2, 0, "GPE", "'entities[0].end' must be > start=2 (got 0)"),
    (0, 2, "COUNTRY", "'entities[0].label' must be one of"),
])  # fmt: skip
def test_python_api_rejects_what_the_command_rejects(tmp_path, capsys, start, end, label, message) -> None:
    """A reversed span or a label COUNTRY passed to evaluate() is rejected, with the message the
    command gives for the same record in a file."""
    gold = read_gold(GOLD)
    entity = Entity("e", start, end, gold.texts["000"][0:2], label)
    docs = {"000": DocAnnotations("000", (entity,), None, None)}
    with pytest.raises(InputError, match=re.escape(message)) as err:
        evaluate(gold.docs, docs, gold.texts)
    assert str(err.value).endswith("in predicted document '000'")
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(docs["000"].to_json()) + "\n")
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(path)]) == 2
    assert f"sgie: error: {err.value.message} in {path} line 1" in capsys.readouterr().err


def test_python_api_validates_the_gold_too() -> None:
    """Gold records passed to evaluate() are checked like a gold file's lines."""
    gold = read_gold(GOLD)
    bad = {"000": DocAnnotations("000", (Entity("e", 0, 3, "xyz", "GPE"),), None, None)}
    message = r"'entities\[0\].text' must equal text\[0:3\]=.* in gold document '000'"
    with pytest.raises(InputError, match=message):
        evaluate(bad, {}, gold.texts)


@settings(max_examples=300, deadline=None)
@given(texts(), st.lists(st.tuples(st.integers(-2, 40), st.integers(-2, 40), st.text(max_size=4))))
def test_all_hold_is_holds_for_every_span(text: str, triples: list) -> None:
    """The batch rule equals the single rule applied to each span."""
    items = [SimpleNamespace(start=a, end=b, text=s) for a, b, s in triples]  # any offsets
    assert all_hold(text, items) == all(holds(text, *t) for t in triples)
