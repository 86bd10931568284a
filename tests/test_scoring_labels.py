"""--label-map and --label-space: foreign labels mapped with the published mappings, labels
without a counterpart dropped and counted, and scoring in the coarser OntoNotes / CoNLL space."""

from __future__ import annotations

import json

import pytest

from sgie import schema
from sgie.annotations.gold import load_gold
from sgie.errors import InputError
from sgie.records import DocAnnotations, Entity
from sgie.scoring import evaluate
from sgie.scoring.formats.labels import builtin_map, label_map, label_space
from sgie.scoring.predictions import read_predictions


def _record(*labels: str) -> dict:
    return {"id": "000", "entities": [
        {"id": f"e{k}", "start": 0, "end": 1, "text": "x", "label": label} for k, label in enumerate(labels)
    ]}  # fmt: skip


def test_ontonotes_map_drops_and_counts_labels_without_counterpart():
    """PRODUCT -> EQUIPMENT, FAC -> LOC; DATE and MONEY are dropped and counted."""
    record, dropped = builtin_map("ontonotes").apply(_record("PRODUCT", "DATE", "FAC", "DATE", "MONEY"))
    assert [e["label"] for e in record["entities"]] == ["EQUIPMENT", "LOC"]
    assert dropped == {"DATE": 2, "MONEY": 1}


def test_every_foreign_type_is_known_to_its_map():
    """Every OntoNotes and CoNLL type is either mapped or dropped, never an error."""
    for name, types in (("ontonotes", schema.ONTONOTES_TYPES), ("conll", schema.CONLL_TYPES)):
        record, dropped = builtin_map(name).apply(_record(*types))
        assert len(record["entities"]) + sum(dropped.values()) == len(types)
    assert builtin_map("conll").apply(_record("MISC", "LOC"))[0]["entities"][1]["label"] == "GPE"


def test_unknown_label_names_the_map():
    """A label the map does not know is an error naming --label-map and its labels."""
    with pytest.raises(InputError, match=r"'entities\[0\].label' must be a label of the --label-map conll "
                                         r"\(PER, ORG, LOC, MISC\) \(got 'PERSON'\)"):  # fmt: skip
        builtin_map("conll").apply(_record("PERSON"))


def test_arguments_lose_links_to_dropped_entities():
    """An argument linked to a dropped entity keeps its span and loses its entity_id."""
    record = _record("DATE", "GPE")
    argument = {"role": "proposer", "start": 0, "end": 1, "text": "x"}
    record["proposals"] = [{"arguments": [{**argument, "entity_id": "e0"}, {**argument, "entity_id": "e1"}]}]
    mapped, _ = builtin_map("ontonotes").apply(record)
    assert mapped["proposals"][0]["arguments"] == [argument, {**argument, "entity_id": "e1"}]


def test_file_map(tmp_path):
    """A JSON file maps labels (null: dropped); bad files are one-line errors."""
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"PER": "PERSON", "DATE": None}), encoding="utf-8")
    record, dropped = label_map(str(path)).apply(_record("PER", "DATE"))
    assert [e["label"] for e in record["entities"]] == ["PERSON"] and dropped == {"DATE": 1}
    path.write_text(json.dumps({"PER": "HUMAN"}), encoding="utf-8")
    with pytest.raises(InputError, match="'PER' must map to one of"):
        label_map(str(path))
    expected = r"'--label-map' must be one of \['ontonotes', 'conll'\] or a JSON file"
    with pytest.raises(InputError, match=expected):
        label_map(str(tmp_path / "nope.json"))


def test_conll_space_merges_classes_and_drops_quantity():
    """In the CoNLL space MEDIA is scored as ORG, GPE as LOC, QUANTITY gold is dropped and counted."""
    space = label_space("conll")
    assert space is not None and label_space("sgie") is None
    doc = DocAnnotations("000", (Entity("a", 0, 1, "x", "MEDIA"), Entity("b", 2, 3, "y", "GPE"),
                                 Entity("c", 4, 5, "z", "QUANTITY")), None, None)  # fmt: skip
    relabelled, dropped = space.relabel(doc)
    assert [e.label for e in relabelled.entities or ()] == ["ORG", "LOC"] and dropped == {"QUANTITY": 1}
    assert {space.names[r] for r in space.representative.values() if r} == set(schema.CONLL_TYPES)


def test_ontonotes_space_scores_the_spacy_baseline_higher(root):
    """The committed spaCy baseline scores at least as well in the OntoNotes space as in SGIE's,
    and strictly better: its ORG for a news agency is right there."""
    gold = load_gold("test")
    preds = read_predictions(root / "eval/submissions/spacy-en-core-web-sm/predictions.jsonl", gold.texts)
    space = label_space("ontonotes")
    assert space is not None

    def f1(docs_gold, docs_pred) -> float:
        return evaluate(docs_gold, docs_pred, gold.texts).to_json()["entities"]["strict"]["f1"]

    coarse_gold = {k: space.relabel(d)[0] for k, d in gold.docs.items()}
    coarse_pred = {k: space.relabel(d)[0] for k, d in preds.docs.items()}
    assert f1(coarse_gold, coarse_pred) > f1(dict(gold.docs), dict(preds.docs))
