"""Numbers in README/DATASHEET prose are copies of generated values, kept in sync by `sgie prose`."""

from __future__ import annotations

import json

import pytest

from sgie.errors import InputError
from sgie.prose import stale_files, sync_text


def test_no_prose_number_is_stale(root):
    """Every referenced number in README.md, DATASHEET.md and docs/ equals its generated value."""
    assert {str(p) for p in stale_files(root)} == set()


def test_sync_rewrites_a_stale_number(tmp_path):
    """A changed value in the JSON file is copied into the bold number."""
    (tmp_path / "r.json").write_text(json.dumps({"a": {"f1": 0.51234, "n": 7}}), encoding="utf-8")
    text = "F1 **0.999**<!-- from r.json: a.f1 --> on **3**<!-- from r.json: a.n --> items"
    assert sync_text(text, tmp_path) == ("F1 **0.512**<!-- from r.json: a.f1 --> on "
                                         "**7**<!-- from r.json: a.n --> items")


def test_broken_reference_is_an_error(tmp_path):
    """A reference to a missing key fails with the file and line."""
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"'a.f1' must exist in r.json .* in X.md line 2"):
        sync_text("x\n**1**<!-- from r.json: a.f1 -->", tmp_path, "X.md")


def test_null_renders_as_not_available(tmp_path):
    """An undefined (null) value is written n/a, never 0."""
    (tmp_path / "r.json").write_text('{"k": null}', encoding="utf-8")
    assert sync_text("**0**<!-- from r.json: k -->", tmp_path) == "**n/a**<!-- from r.json: k -->"
