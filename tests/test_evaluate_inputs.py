"""`sgie evaluate` ways in: --format bio, --label-map, --label-space, and corpus documents of
other splits skipped (an error with --strict)."""

from __future__ import annotations

import json

import pytest

from sgie.cli import main
from sgie.dataset.ner import BIO_NAMES
from sgie.dataset.parquet import read
from sgie.scoring import load_gold


def _write(path, records: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _bio_rows(root, *splits: str) -> list[dict]:
    return [{"id": r["id"], "ner_tags": [BIO_NAMES[t] for t in r["ner_tags"]]}
            for s in splits for r in read(root / "data" / "ner" / f"{s}.parquet").to_pylist()]  # fmt: skip


def test_bio_of_the_whole_corpus_scores_the_split_and_reports_the_rest(root, tmp_path, capsys):
    """The ner config's gold tags of every split, with --split test: strict F1 100, the other
    documents skipped and named; with --strict that is an error (one line, exit 2)."""
    path = _write(tmp_path / "bio.jsonl", _bio_rows(root, "train", "validation", "test"))
    assert main(["evaluate", "--predictions", path, "--format", "bio"]) == 0
    out = capsys.readouterr().out
    assert "strict *                          100.0  100.0  100.0" in out
    assert "skipped 3 document(s) of the corpus outside the scored set: 001, 002, 003" in out
    assert main(["evaluate", "--predictions", path, "--format", "bio", "--strict"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "with --strict" in err and "'001'" in err


def test_jsonl_records_of_other_splits_are_skipped(root, tmp_path, capsys):
    """A full-corpus predictions file scores against the test split; ids outside the corpus stay errors."""
    gold = load_gold("train")
    records = [{"id": k, "entities": [e.to_json() for e in d.entities or ()]} for k, d in gold.docs.items()]
    test = load_gold("test")
    records += [{"id": k, "entities": [e.to_json() for e in d.entities or ()]} for k, d in test.docs.items()]
    path = _write(tmp_path / "p.jsonl", records)
    assert main(["evaluate", "--predictions", path]) == 0
    out = capsys.readouterr().out
    assert "strict *                          100.0  100.0  100.0" in out
    assert "skipped 2 document(s) of the corpus outside the scored set: 001, 002" in out
    path = _write(tmp_path / "q.jsonl", records + [{"id": "999", "entities": []}])
    assert main(["evaluate", "--predictions", path]) == 2
    assert "'999'" in capsys.readouterr().err
    assert main(["evaluate", "--predictions", path, "--label-map", "ontonotes"]) == 2  # MEDIA: not OntoNotes
    assert "--label-map ontonotes" in capsys.readouterr().err


def test_label_map_drops_and_counts(root, tmp_path, capsys):
    """OntoNotes labels are mapped; DATE (no counterpart) is dropped and counted in the report."""
    test = load_gold("test")
    doc_id, doc = next(iter(test.docs.items()))
    text = test.texts[doc_id]
    onto = {"MEDIA": "ORG", "MILITARY": "ORG", "EQUIPMENT": "PRODUCT", "QUANTITY": "CARDINAL"}
    entities = [{**e.to_json(), "label": onto.get(e.label, e.label)} for e in doc.entities or ()]
    k = text.index("2026") if "2026" in text else 0
    entities.append({"id": "d1", "start": k, "end": k + 4, "text": text[k:k + 4], "label": "DATE"})
    path = _write(tmp_path / "p.jsonl", [{"id": doc_id, "entities": entities}])
    assert main(["evaluate", "--predictions", path, "--label-map", "ontonotes", "--json"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--predictions", path, "--label-map", "ontonotes"]) == 0
    out = capsys.readouterr().out
    assert "label map ontonotes: 1 predicted entities dropped (no SGIE counterpart): DATE 1" in out


@pytest.mark.parametrize("space", ["ontonotes", "conll"])
def test_label_space_scores_gold_as_a_perfect_prediction(root, space, capsys):
    """Gold scored against itself in a coarse space is perfect; the report names the space."""
    path = str(root / "eval" / "submissions" / "annotator-a" / "predictions.jsonl")
    assert main(["evaluate", "--predictions", path, "--label-space", space]) == 0
    out = capsys.readouterr().out
    assert f"label space {space}:" in out
    if space == "conll":
        assert "QUANTITY" in out.split("label space")[1]  # gold QUANTITY has no CoNLL class
