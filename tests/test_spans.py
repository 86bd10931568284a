"""The Span type owns the offset rule: half-open code-point ranges whose text matches."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgie.errors import InputError
from sgie.spans import Span


def test_span_checks_text_against_document():
    """A span whose text matches the slice passes."""
    assert Span(4, 9, "quick").check("the quick fox") == Span(4, 9, "quick")


def test_end_beyond_text_message():
    """The error names the bound, the length and what was found, attrs-style."""
    with pytest.raises(InputError, match=r"'end' must be <= len\(text\)=13 \(got 15\)"):
        Span(10, 15, "fox!!").check("the quick fox")


def test_reversed_offsets_rejected():
    """end <= start is an error."""
    with pytest.raises(InputError, match=r"'end' must be > start=5 \(got 3\)"):
        Span(5, 3, "")


def test_bool_is_not_an_int():
    """True is not accepted as an offset."""
    with pytest.raises(InputError, match="'start' must be an integer"):
        Span(True, 2, "ab")  # type: ignore[arg-type]


def test_code_points_not_utf16():
    """Offsets count code points: an emoji is one position."""
    text = "a\U0001F600b"
    assert Span.of(text, 2, 3).text == "b"


@given(st.text(min_size=1), st.data())
def test_of_always_roundtrips(text, data):
    """Span.of(text, s, e) always satisfies its own check."""
    s = data.draw(st.integers(0, len(text) - 1))
    e = data.draw(st.integers(s + 1, len(text)))
    assert Span.of(text, s, e).check(text).text == text[s:e]


def test_prediction_end_beyond_text_names_the_bound():
    """An out-of-range end in a record is reported as the bound, not as a text-length mismatch."""
    from sgie.scoring.validate import parse_prediction

    obj = {"id": "d", "entities": [{"id": "e1", "start": 5, "end": 99, "label": "GPE", "text": "x"}]}
    with pytest.raises(InputError, match=r"'entities\[0\].end' must be <= len\(text\)=13 \(got 99\)"):
        parse_prediction(obj, {"d": "the quick fox"})
