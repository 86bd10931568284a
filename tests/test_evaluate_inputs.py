"""`sgie evaluate` ways in: --format bio, --label-map, --label-space, and corpus documents of
other splits skipped (an error with --strict)."""

from __future__ import annotations

import json

import pytest

from sgie.annotations.gold import load_gold
from sgie.cli import main
from sgie.dataset.ner import BIO_NAMES
from sgie.dataset.parquet import read


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


RULES = "eval/submissions/rules/predictions.jsonl"


def test_errors_follow_the_table(root, capsys, monkeypatch):
    """--errors prints the table, then every error (as many lines as the outcomes have errors)."""
    monkeypatch.chdir(root)
    assert main(["evaluate", "--predictions", RULES, "--errors"]) == 0
    out = capsys.readouterr().out
    table, errors = out.split("\nErrors (", 1)
    assert "Entities" in table and "document 000" in errors and "document 004" in errors
    count = int(errors.split(")", 1)[0])
    assert count == sum(line.startswith("    ") for line in errors.splitlines())
    assert "missed     gold e40 GPE [1915:1923) \"Istanbul\"" in errors


def test_json_outcomes_are_opt_in(root, capsys, monkeypatch):
    """--json has no outcomes unless --outcomes; then every document's outcomes per layer."""
    monkeypatch.chdir(root)
    assert main(["evaluate", "--predictions", RULES, "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert "outcomes" not in plain and "inputs" not in plain
    assert main(["evaluate", "--predictions", RULES, "--json", "--outcomes"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert set(full["outcomes"]) == {"000", "004"}
    strict = [o for o in full["outcomes"]["000"]["entities"] if o["scheme"] == "strict"]
    assert sum(o["outcome"] == "correct" for d in full["outcomes"].values()
               for o in d["entities"] if o["scheme"] == "strict") == full["entities"]["strict"]["correct"]
    assert {"scheme", "outcome", "gold", "predicted", "errors"} == set(strict[0])


@pytest.mark.parametrize(("argv", "message"), [
    (["--outcomes"], "'--outcomes' is only used with --json"),
    (["--errors", "--json"], "with --json use --outcomes"),
    (["--html", RULES], "'--html' must not be an input or output file"),
])  # fmt: skip
def test_view_options_misused(root, capsys, monkeypatch, argv, message):
    """Misused view options are one-line errors (exit 2) and write nothing."""
    monkeypatch.chdir(root)
    before = (root / RULES).read_bytes()
    assert main(["evaluate", "--predictions", RULES, *argv]) == 2
    assert message in capsys.readouterr().err
    assert (root / RULES).read_bytes() == before


def test_html_page_of_real_documents(root, tmp_path, capsys, monkeypatch):
    """--html writes one page holding every test document's text twice per layer."""
    from test_scoring_views import _Checker

    monkeypatch.chdir(root)
    page = tmp_path / "rules.html"
    assert main(["evaluate", "--predictions", RULES, "--html", str(page)]) == 0
    assert "wrote" in capsys.readouterr().err
    checker = _Checker()
    checker.feed(page.read_text(encoding="utf-8"))
    assert checker.stack == [] and checker.resources == []
    assert all(link[1:] in checker.ids for link in checker.links)
    test = load_gold("test")
    assert checker.texts == [test.texts[d] for d in sorted(test.texts) for _ in range(6)]
