"""The committed Label Studio export: complete, valid, and consistent with the corpus."""

from __future__ import annotations

import json

import pytest

from sgie import schema
from sgie.annotations.store import ANNOTATORS, load_store


@pytest.fixture(scope="module")
def export(root):
    return json.loads((root / "annotations" / "export.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def store(root, corpus):
    return load_store(root / "annotations", corpus)


def test_every_document_has_a_b_and_gold(store, corpus):
    """Each corpus document has annotations from a, b and the gold."""
    for name in ANNOTATORS:
        assert sorted(store.annotations[name]) == [d.id for d in corpus.documents]


def test_only_gold_is_ground_truth(export):
    """ground_truth is true exactly for the gold annotation."""
    for task in export:
        for ann in task["annotations"]:
            assert ann["ground_truth"] == (ann["completed_by"] == "gold")


def test_every_span_equals_its_slice(export, corpus):
    """Every region's text is text[start:end] of its document (code points, half-open)."""
    texts = corpus.texts()
    n = 0
    for task in export:
        text = texts[task["data"]["doc_id"]]
        assert task["data"]["text"] == text
        for ann in task["annotations"]:
            for item in ann["result"]:
                if item["type"] in ("labels", "choices"):
                    v = item["value"]
                    assert text[v["start"]:v["end"]] == v["text"]
                    n += 1
    assert n > 1000


def test_labels_values_and_relations_are_in_the_schema(export):
    """Span labels, attribute values and relation labels all come from sgie.schema."""
    for task in export:
        for ann in task["annotations"]:
            regions = {i["id"]: i for i in ann["result"] if i["type"] == "labels"}
            for item in ann["result"]:
                if item["type"] == "labels":
                    (label,) = item["value"]["labels"]
                    assert schema.LABEL_LAYER[label] == item["from_name"]
                elif item["type"] == "choices":
                    (value,) = item["value"]["choices"]
                    assert value in schema.ATTRIBUTE_VALUES[item["from_name"]]
                    assert item["id"] in regions
                else:
                    for label in item["labels"]:
                        rel = schema.relation(label)
                        src = regions[item["from_id"]]["value"]["labels"][0]
                        dst = regions[item["to_id"]]["value"]["labels"][0]
                        assert src in rel.from_labels and dst in rel.to_labels


def test_no_exact_duplicate_regions(export):
    """No two regions of one annotation share label, start and end."""
    for task in export:
        for ann in task["annotations"]:
            keys = [(i["value"]["labels"][0], i["value"]["start"], i["value"]["end"])
                    for i in ann["result"] if i["type"] == "labels"]
            assert len(keys) == len(set(keys))


def test_every_story_body_is_annotated(store, corpus):
    """Every story body (incl. inset stories) has entities and attributions or proposals in every pass."""
    for doc in corpus.documents:
        for story in doc.record.stories:
            body = next(z for z in story.zones if z.zone == "body")
            lo, hi = body.start - doc.raw_start, body.end - doc.raw_start
            for name in ANNOTATORS:
                d = store.annotations[name][doc.id]
                assert any(lo <= e.span.start < hi for e in d.entities), (doc.id, story.id, name)
                assert any(lo <= x.span.start < hi for x in d.proposals) or any(
                    lo <= a.cue[0].start < hi for a in d.attributions), (doc.id, story.id, name)


def test_export_is_normalized(root, export):
    """The committed file is exactly the normalized serialisation of its own content."""
    from sgie.annotations.store import dumps_export, normalize_task

    text = (root / "annotations" / "export.json").read_text(encoding="utf-8")
    assert dumps_export([normalize_task(t) for t in export]) == text
