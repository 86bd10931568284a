"""`sgie evaluate` end to end: the committed sample, the JSON result shape, the table, the
extractor mode, gold from a split, and layers not attempted."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from sgie.annotations.gold import load_gold
from sgie.cli import main
from sgie.errors import InputError
from sgie.records import DocAnnotations, Entity
from sgie.scoring import evaluate, read_gold, read_predictions, total
from sgie.spans import Span

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "sample_gold.jsonl"
PREDICTIONS = ROOT / "eval" / "sample_predictions.jsonl"
TOP_LEVEL = {"sgie_version", "schema_version", "gold", "predictions", "documents",
             "missing_documents", "ungrounded", "grounding", "entities", "proposals", "attributions",
             "per_document"}  # fmt: skip


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_sample_scores_and_result_shape(capsys):
    """The committed sample scores; the JSON has the documented keys and nested metrics."""
    result = run_json(capsys, "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--per-document")
    assert set(result) == TOP_LEVEL
    assert result["documents"] == {"gold": 2, "predicted": 2, "missing": 0}
    strict = result["entities"]["strict"]
    assert strict["precision"] == strict["correct"] / strict["actual"]
    assert set(strict["per_type"]) >= {"PERSON", "GPE", "QUANTITY"}
    assert strict["per_type"]["QUANTITY"]["f1"] is None
    assert strict["per_type"]["QUANTITY"]["reason"]["f1"] == "no gold items"
    assert 0 < strict["macro_f1"] < 1
    assert result["ungrounded"]["entities"] == 1
    assert [s["text"] for s in result["ungrounded"]["spans"]] == ["Ankara"]
    assert result["attributions"]["whole"]["overlap"]["f1"] is not None
    assert result["attributions"]["scored"] is True
    assert result["proposals"]["arguments"]["exact"]["per_role"]["beneficiary"]["f1"] is None
    assert set(result["per_document"]) == {"000", "004"}


def test_table_is_the_default(capsys):
    """Without --json a human-readable table is printed."""
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(PREDICTIONS)]) == 0
    out = capsys.readouterr().out
    for heading in ("Entities", "Proposals", "Attributions", "source + content *",
                    "per type (strict)", "'Ankara'"):  # fmt: skip
        assert heading in out


def test_table_counts_documents_and_stars_every_headline(capsys):
    """The text report gives the number of gold documents (not 0) and stars the headline row
    of each of the three layers, as declared in sgie.scoring.layers."""
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(PREDICTIONS)]) == 0
    out = capsys.readouterr().out
    assert "documents: 2 gold, 2 predicted, 0 missing" in out
    rows = [line for line in out.splitlines() if line.startswith("  ")]
    starred = [line.split(" * ")[0].strip() for line in rows if " * " in line]
    assert starred == ["strict", "type + status", "source + content"]


def test_library_evaluate_matches_the_command(capsys):
    """`evaluate()` on parsed files gives the command's result object."""
    gold = read_gold(GOLD)
    preds = read_predictions(PREDICTIONS, gold.texts)
    result = evaluate(gold.docs, preds.docs, gold.texts, ungrounded=preds.ungrounded,
                      gold_source=str(GOLD), predictions_source=str(PREDICTIONS))  # fmt: skip
    cli = run_json(capsys, "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--per-document")
    assert json.loads(json.dumps(result.to_json())) == cli


def test_per_document_counts_are_opt_in(capsys):
    """`--json` leaves per_document out unless `--per-document` is given; the rest is the same;
    `--per-document` without `--json` is an error."""
    plain = run_json(capsys, "--gold", str(GOLD), "--predictions", str(PREDICTIONS))
    full = run_json(capsys, "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--per-document")
    assert "per_document" not in plain
    assert set(full.pop("per_document")) == {"000", "004"}
    assert plain == full
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--per-document"]) == 2
    assert "'--per-document' is only used with --json" in capsys.readouterr().err


def test_per_document_counts_sum_to_the_total():
    """The corpus counts are the sum of the per-document counts (what the leaderboard uses)."""
    gold = read_gold(GOLD)
    preds = read_predictions(PREDICTIONS, gold.texts)
    result = evaluate(gold.docs, preds.docs, gold.texts, ungrounded=preds.ungrounded)
    per_doc = result.per_document
    assert total(per_doc.values()) == result.total
    assert per_doc["000"] + per_doc["004"] == result.total


def test_extractor_mode_writes_and_scores(tmp_path, capsys, monkeypatch):
    """--extractor runs the callable, saves its predictions in the cwd, and scores them."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    monkeypatch.chdir(tmp_path)
    result = run_json(capsys, "--gold", str(GOLD), "--extractor", "example_extractor:extract")
    saved = tmp_path / "predictions.sample_gold.jsonl"
    assert saved.is_file()
    assert result["predictions"] == "extractor example_extractor:extract"
    assert result["attributions"]["attempted"] is False
    assert result["attributions"]["reason"].startswith("not attempted")
    assert "whole" not in result["attributions"]
    assert result["proposals"]["spans"]["exact"]["precision"] is None  # predicted none
    assert result["proposals"]["spans"]["exact"]["recall"] == 0.0
    assert result["entities"]["strict"]["correct"] > 0
    rescored = run_json(capsys, "--gold", str(GOLD), "--predictions", str(saved))
    assert rescored["entities"] == result["entities"]


def test_output_only_with_extractor(tmp_path, capsys):
    """--output without --extractor is rejected."""
    args = ["evaluate", "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--output",
            str(tmp_path / "x.jsonl")]  # fmt: skip
    assert main(args) == 2
    assert "'--output' is only used with --extractor" in capsys.readouterr().err


def fake_store(monkeypatch: pytest.MonkeyPatch, docs: dict[str, DocAnnotations]) -> None:
    module = types.ModuleType("sgie.annotations.store")
    module.gold_documents = lambda **kwargs: docs  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sgie.annotations.store", module)


def test_split_without_gold_is_a_clear_error(capsys, monkeypatch):
    """With no committed gold, --split fails with a clear message and status 2."""
    fake_store(monkeypatch, {})
    assert main(["evaluate", "--predictions", str(PREDICTIONS)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sgie: error: no gold annotations committed yet")
    with pytest.raises(InputError, match="no gold annotations committed yet"):
        load_gold("test")


def test_split_scores_against_committed_gold(capsys, monkeypatch, corpus):
    """--split takes the gold of the split's documents with their corpus texts."""
    def doc(doc_id: str) -> DocAnnotations:
        return DocAnnotations(doc_id, (Entity.at("e", Span.of(corpus.by_id()[doc_id].text, 0, 2), "GPE"),),
                              None, None)  # fmt: skip

    fake_store(monkeypatch, {d.id: doc(d.id) for d in corpus.documents})
    result = run_json(capsys, "--predictions", str(PREDICTIONS), "--split", "test")
    assert result["gold"] == "gold test split"
    assert result["entities"]["strict"]["possible"] == 2
    assert result["proposals"]["annotated"] is False
    assert result["proposals"]["reason"].startswith("not annotated")


def test_unknown_prediction_document_in_library_call():
    """`evaluate()` refuses predictions for documents that are not in the gold."""
    gold = read_gold(GOLD)
    stray = {"zzz": DocAnnotations("zzz", (), (), ())}
    with pytest.raises(InputError, match=r"predictions must be for gold documents only"):
        evaluate(gold.docs, stray, gold.texts)


def test_entry_module_and_function_do_not_shadow_each_other():
    """`sgie.scoring.evaluate` is the function; the official header is the module
    `sgie.scoring.official`, which the command's help points to."""
    import importlib
    import pydoc

    import sgie.scoring

    assert callable(sgie.scoring.evaluate) and not isinstance(sgie.scoring.evaluate, types.ModuleType)
    official = importlib.import_module("sgie.scoring.official")
    assert official.__doc__.startswith("Official evaluation script for SGIE")
    assert "Official evaluation script" in pydoc.render_doc(official)


def test_command_help_points_to_the_official_header(capsys):
    """`sgie evaluate --help` names the module whose docstring defines formats and metrics."""
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    assert "sgie.scoring.official" in " ".join(capsys.readouterr().out.split())


def test_a_streamed_file_is_scored_without_reading_every_gold_text_first(tmp_path, capsys, monkeypatch):
    """Two files in id order are read once, in one pass: no gold text is read beforehand (a
    regression once read every gold text before scoring, doubling the time of a large file)."""
    text = "Kyiv said"
    entity = {"id": "e1", "start": 0, "end": 4, "text": "Kyiv", "label": "GPE"}
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold.write_text("".join(json.dumps({"id": f"d{i}", "text": text, "entities": [entity]}) + "\n"
                            for i in range(3)))  # fmt: skip
    pred.write_text("".join(json.dumps({"id": f"d{i}", "entities": [entity]}) + "\n" for i in range(3)))

    def unread(self: object, doc_id: str) -> str:
        raise AssertionError(f"gold text of {doc_id} read before the one pass")

    monkeypatch.setattr("sgie.scoring.sources.GoldFile.text", unread)
    result = run_json(capsys, "--gold", str(gold), "--predictions", str(pred))
    assert result["entities"]["strict"]["correct"] == 3
