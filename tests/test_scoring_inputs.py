"""Bad input to `sgie evaluate`: one clear line naming file, line, field, expected and found;
exit status 2; no traceback; nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sgie import schema
from sgie.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "sample_gold.jsonl"
GOOD = {"id": "000", "entities": [{"id": "e", "start": 0, "end": 2, "text": "US", "label": "GPE"}],
        "proposals": [], "attributions": []}  # fmt: skip


def entity(**fields: object) -> dict:
    return {"id": "000", "entities": [{"id": "e", "start": 0, "end": 2, "text": "US",
                                       "label": "GPE", **fields}]}  # fmt: skip


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, *extra: str) -> str:
    """Run on a predictions file holding ``data``; return the one error line."""
    path = tmp_path / "P.jsonl"
    path.write_bytes(data)
    before = sorted(tmp_path.iterdir())
    status = main(["evaluate", "--gold", str(GOLD), "--predictions", str(path), *extra])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("sgie: error: ")
    assert sorted(tmp_path.iterdir()) == before  # nothing written
    return err.strip()


def lines(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


CASES = [
    ("malformed JSON", b'{"id": "000",\n',
     "line must be one JSON object (Expecting property name enclosed in double quotes at column "
     "14) in {P} line 1"),
    ("unknown document id", lines(GOOD, {"id": "999"}),
     "'id' must be a known document id ['000', '004'] (got '999') in {P} line 2"),
    ("duplicate document id", lines(GOOD, {"id": "004"}, GOOD),
     "'id' must be unique in the predictions (got '000' again; first in line 1) in {P} line 3"),
    ("offset out of range", lines(entity(start=2970, end=2990, text="x" * 20)),
     "'entities[0].end' must be <= len(text)=2980 (got 2990) in {P} line 1"),
    ("reversed offsets", lines(entity(start=5, end=2)),
     "'entities[0].end' must be > start=5 (got 2) in {P} line 1"),
    ("text not the slice", lines(entity(text="UK")),
     "'entities[0].text' must equal text[0:2]='US' (got 'UK') in {P} line 1"),
    ("unknown label", lines(entity(label="COUNTRY")),
     f"'entities[0].label' must be one of {list(schema.ENTITY_LABELS)} or mapped with --label-map "
     "(got 'COUNTRY') in {P} line 1"),
    ("unknown value", lines({"id": "000", "proposals": [{"id": "p", "start": 0, "end": 2,
                             "text": "US", "type": "plan", "status": "done", "polarity": "positive",
                             "arguments": []}]}),
     f"'proposals[0].status' must be one of {list(schema.PROPOSAL_STATUS.value_names)} "
     "(got 'done') in {P} line 1"),
    ("wrong type", lines(entity(start="0")),
     "'entities[0].start' must be an integer (got string '0') in {P} line 1"),
    ("boolean is not an integer", lines(entity(start=False)),
     "'entities[0].start' must be an integer (got boolean False) in {P} line 1"),
    ("unknown field", lines({"id": "000", "score": 1}),
     "record has unknown field 'score' (expected only ['attributions', 'entities', 'id', "
     "'proposals', 'text']) in {P} line 1"),
    ("layer not an array", lines({"id": "000", "entities": {}}),
     "'entities' must be an array (got object) in {P} line 1"),
    ("repeated key", b'{"id": "000", "id": "004"}\n',
     "object must not repeat a key (got 'id' twice) in {P} line 1"),
    ("NaN", b'{"id": "000", "entities": [{"id": "e", "start": NaN}]}\n',
     "line must be standard JSON (got NaN) in {P} line 1"),
    ("empty file", b"", "file must hold one JSON object per line (got an empty file) in {P}"),
    ("blank line", lines(GOOD) + b"\n" + lines({"id": "004"}),
     "line must be one JSON object (got a blank line) in {P} line 2"),
    ("non-UTF-8 bytes", lines(GOOD) + b'{"id": "00\xff"}\n',
     "line must be UTF-8 (got byte 0xff at byte 11) in {P} line 2"),
    ("layer in some records only", lines(GOOD, {"id": "004", "entities": []}),
     "'proposals' must be present in every prediction record or in none (present in line 1, "
     "absent in line 2) in {P} line 2"),
    ("dangling reference", lines({"id": "000", "attributions": [{"id": "a", "cue": [{"text": "said"}],
                                  "source": [], "content": [{"text": "Kyiv"}], "quote_type": "direct",
                                  "source_type": "none", "parent_id": "zz"}]}),
     "'attributions[0].parent_id' must name another attribution of the document (got 'zz') "
     "in {P} line 1"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_predictions(tmp_path, capsys, data, message):
    """Each kind of bad input gives its one-line message with file and line, and status 2."""
    err = run(tmp_path, capsys, data)
    assert err == "sgie: error: " + message.format(P=tmp_path / "P.jsonl")


def test_missing_documents_error_only_with_strict(tmp_path, capsys):
    """Missing documents are reported, and an error with --strict."""
    err = run(tmp_path, capsys, lines(GOOD), "--strict")
    assert "predictions must cover every gold document with --strict (missing: ['004'])" in err
    path = tmp_path / "P.jsonl"
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["missing_documents"] == ["004"]


def test_missing_predictions_file(tmp_path, capsys):
    """A predictions path that does not exist is one clear line."""
    status = main(["evaluate", "--gold", str(GOLD), "--predictions", str(tmp_path / "no.jsonl")])
    assert status == 2
    assert capsys.readouterr().err.strip().endswith("file must exist (got no such file) in "
                                                    f"{tmp_path / 'no.jsonl'}")  # fmt: skip


def test_bad_gold_file(tmp_path, capsys):
    """A gold line without its text is rejected with file and line."""
    gold = tmp_path / "G.jsonl"
    gold.write_text(json.dumps({"id": "d", "entities": []}) + "\n", encoding="utf-8")
    status = main(["evaluate", "--gold", str(gold), "--predictions", str(GOLD)])
    assert status == 2
    err = capsys.readouterr().err.strip()
    assert err == f"sgie: error: 'text' is required (got nothing) in {gold} line 1"


def test_broken_extractor_writes_nothing(tmp_path, capsys, monkeypatch):
    """An extractor returning bad records fails before anything is written."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    out = tmp_path / "out.jsonl"
    status = main(["evaluate", "--gold", str(GOLD), "--extractor", "example_extractor:broken",
                   "--output", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and not out.exists()
    assert "'entities[0].label' must be one of" in err
    assert "in output of example_extractor:broken for document '000'" in err


@pytest.mark.parametrize(("spec", "message"), [
    ("no_colon", "'--extractor' must be 'package.module:callable' (got 'no_colon')"),
    ("no_such_module_xyz:f", "'--extractor' module must be importable from the working directory or "
                           "PYTHONPATH (got 'no_such_module_xyz'"),
    ("example_extractor:nothing", "'--extractor' must name an attribute of 'example_extractor'"),
    ("example_extractor:GAZETTEER", "'--extractor' must name a callable (got dict)"),
])  # fmt: skip
def test_bad_extractor_spec(tmp_path, capsys, monkeypatch, spec, message):
    """An extractor that cannot be imported or called is bad input (status 2)."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", "--gold", str(GOLD), "--extractor", spec]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
