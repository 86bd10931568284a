"""Submissions: eval/system.schema.json is generated and valid, system.json is validated strictly
(in code and by the published schema alike), and submission folders are checked."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from leaderboard_support import ROOT, SAMPLE_GOLD, system_json, thinned, write_submission

from sgie.errors import InputError
from sgie.leaderboard.submissions import (
    SYSTEM_TYPES,
    dumps_schema,
    load_submission,
    load_submissions,
    parse_system,
)
from sgie.scoring import read_gold

SCHEMA_PATH = ROOT / "eval" / "system.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_committed_schema_is_generated_and_valid():
    """eval/system.schema.json equals the generated schema and is valid draft 2020-12."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == dumps_schema()
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["type"]["enum"] == list(SYSTEM_TYPES)
    assert SCHEMA["additionalProperties"] is False


def test_a_valid_system_json_parses():
    """All fields present and well formed: accepted by the code and by the schema."""
    info = parse_system(system_json(layers=["attributions", "entities"], url=None))
    assert info.layers == ("entities", "attributions") and info.url is None
    assert VALIDATOR.is_valid(system_json())


BAD = [
    ({"extra": 1}, "extra"),
    ({"type": "neural"}, "type"),
    ({"date": "2026-1-5"}, "date"),
    ({"date": "2026-02-30"}, "date"),
    ({"layers": []}, "layers"),
    ({"layers": ["entities", "entities"]}, "layers"),
    ({"layers": ["relations"]}, "layers/0"),
    ({"ranked": "yes"}, "ranked"),
    ({"type": "annotator", "ranked": True}, "ranked"),
    ({"url": "example.org"}, "url"),
    ({"name": ""}, "name"),
    ({"provenance": 3}, "provenance"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_invalid_system_json_is_rejected_by_code_and_schema(change, field):
    """Each violation is an InputError naming the field, and the published schema rejects it."""
    value = system_json(**change)
    with pytest.raises(InputError, match=f"'{field}'"):
        parse_system(value)
    assert not VALIDATOR.is_valid(value)


@pytest.mark.parametrize("missing", ["name", "description", "type", "url", "date", "layers", "ranked",
                                     "provenance"])  # fmt: skip
def test_every_field_is_required(missing):
    """Dropping any field is rejected."""
    value = system_json()
    del value[missing]
    with pytest.raises(InputError, match=missing):
        parse_system(value)
    assert not VALIDATOR.is_valid(value)


def test_committed_submissions_have_valid_system_json():
    """Every committed eval/submissions/*/system.json passes the schema and the code."""
    for path in sorted((ROOT / "eval" / "submissions").glob("*/system.json")):
        value = json.loads(path.read_text(encoding="utf-8"))
        assert VALIDATOR.is_valid(value), path
        parse_system(value, str(path))


@pytest.fixture()
def gold():
    return read_gold(SAMPLE_GOLD)


def test_predictions_must_have_exactly_the_declared_layers(tmp_path, gold):
    """Declaring a layer the predictions lack (or the reverse) is an error."""
    folder = write_submission(tmp_path, "sys", gold.docs)
    meta = json.loads((folder / "system.json").read_text())
    meta["layers"] = ["entities", "proposals"]
    (folder / "system.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match="exactly the layers"):
        load_submission(folder, gold)


def test_predictions_must_cover_every_test_document(tmp_path, gold):
    """A submission missing a test document is rejected (no silent zero)."""
    folder = write_submission(tmp_path, "sys", {"000": gold.docs["000"]})
    with pytest.raises(InputError, match=r"missing: \['004'\]"):
        load_submission(folder, gold)


def test_folder_names_and_file_names_are_checked(tmp_path, gold):
    """Folder names must be ids; test predictions go in predictions.jsonl only."""
    with pytest.raises(InputError, match="folder name"):
        load_submission(write_submission(tmp_path, "Bad Name", gold.docs), gold)
    folder = write_submission(tmp_path, "ok", gold.docs)
    (folder / "predictions.test.jsonl").write_text("{}\n")
    with pytest.raises(InputError, match="predictions.test.jsonl"):
        load_submission(folder, gold)


def test_bad_predictions_are_reported_with_file_and_line(tmp_path, gold):
    """A malformed prediction line fails with the scorer's message, naming the file."""
    folder = write_submission(tmp_path, "sys", thinned(gold.docs, 2))
    lines = (folder / "predictions.jsonl").read_text().splitlines()
    bad = json.loads(lines[1])
    bad["entities"] = [{"id": "e1", "start": 0, "end": 3, "text": "zzz", "label": "GPE"}]
    (folder / "predictions.jsonl").write_text(lines[0] + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(InputError) as err:
        load_submission(folder, gold)
    assert "predictions.jsonl line 2" in str(err.value)


def test_missing_folder_means_no_submissions(tmp_path, gold):
    """No submissions folder, or only files and hidden folders in it: no submissions."""
    assert load_submissions(tmp_path / "nope", gold) == ()
    (tmp_path / "README.md").write_text("x")
    (tmp_path / ".cache").mkdir()
    assert load_submissions(tmp_path, gold) == ()
