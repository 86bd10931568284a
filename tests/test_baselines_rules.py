"""The rule baseline: valid, deterministic records; documented lexicons; behaviour on made-up text."""

from __future__ import annotations

import json

import pytest

from sgie.baselines.rules import extract, lexicons
from sgie.records import LAYER_NAMES
from sgie.scoring.validate import parse_prediction

TEXT = (
    "Poland to send peacekeepers to Ukraine\n"
    "Foreign Minister Jan Kowalski said on Monday that Poland would send up to 3,000 troops to "
    "Ukraine if a ceasefire is agreed.\n"
    '"We are ready to help Ukraine," Kowalski told reporters, according to Reuters.\n'
    "Germany has ruled out sending ground troops.\n"
)


def _record(text: str = TEXT) -> dict:
    return extract("x", text)


def test_every_corpus_document_gives_a_valid_record(corpus):
    """Each document's record parses strictly and has all three layers."""
    texts = corpus.texts()
    for doc in corpus.documents:
        record = extract(doc.id, doc.text)
        parsed, _ = parse_prediction(json.loads(json.dumps(record)), texts)
        assert all(getattr(parsed, layer) is not None for layer in LAYER_NAMES)


def test_extract_is_deterministic(corpus):
    """Two runs give byte-identical JSON."""
    doc = corpus.documents[0]
    assert json.dumps(extract(doc.id, doc.text)) == json.dumps(extract(doc.id, doc.text))


def test_entities_from_gazetteer_patterns_and_capitals():
    """Countries, a titled person, a recurring surname, a quantity and an outlet are found."""
    found = {(e["text"], e["label"]) for e in _record()["entities"]}
    assert {("Poland", "GPE"), ("Ukraine", "GPE"), ("Jan Kowalski", "PERSON"), ("Kowalski", "PERSON"),
            ("up to 3,000 troops", "QUANTITY"), ("Reuters", "MEDIA"), ("Germany", "GPE")} <= found
    assert not any(e["text"].startswith(("Foreign", "the ")) for e in _record()["entities"])


def test_attributions_frames():
    """A that-clause, a post-quotation frame and a nested 'according to' are attributed."""
    attrs = _record()["attributions"]
    said = next(a for a in attrs if a["cue"][0]["text"] == "said")
    assert said["source"][0]["text"] == "Foreign Minister Jan Kowalski"
    assert said["content"][0]["text"].startswith("Poland would send up to 3,000 troops")
    assert (said["quote_type"], said["source_type"]) == ("indirect", "named_person")
    told = next(a for a in attrs if a["cue"][0]["text"] == "told")
    assert told["content"][0]["text"] == '"We are ready to help Ukraine,"'
    assert told["quote_type"] == "direct"
    according = next(a for a in attrs if a["cue"][0]["text"] == "according to")
    assert according["source_type"] == "media_outlet"
    assert told["parent_id"] == according["id"]


def test_proposals_types_spans_and_conditions():
    """Headline plan, a modal plan with a condition, an offer and a refusal."""
    props = {p["text"]: p for p in _record()["proposals"]}
    assert props["to send peacekeepers to Ukraine"]["type"] == "plan"
    send = props["would send up to 3,000 troops to Ukraine"]
    assert (send["type"], send["polarity"]) == ("plan", "positive")
    assert ("condition", "if a ceasefire is agreed") in {(a["role"], a["text"]) for a in send["arguments"]}
    assert props["are ready to help Ukraine"]["type"] == "offer"
    refusal = props["has ruled out sending ground troops"]
    assert (refusal["type"], refusal["status"], refusal["polarity"]) == ("refusal", "rejected", "negative")
    assert ("proposer", "Germany") in {(a["role"], a["text"]) for a in refusal["arguments"]}


def test_arguments_linked_to_entities_carry_their_span():
    """An argument with an entity_id has exactly that entity's offsets (records.check_references)."""
    record = _record()
    spans = {e["id"]: (e["start"], e["end"]) for e in record["entities"]}
    linked = [a for p in record["proposals"] for a in p["arguments"] if a["entity_id"]]
    assert linked and all(spans[a["entity_id"]] == (a["start"], a["end"]) for a in linked)


def test_empty_and_odd_texts():
    """Text without sentences, quotes that never close, and a lone line do not fail."""
    for text in ("x", '"unclosed quote said he', "\n\n  \n", "– FT"):
        record = extract("x", text)
        assert set(record) == {"id", *LAYER_NAMES}


@pytest.mark.parametrize("name", lexicons.names())
def test_lexicons_state_their_development_splits(name, root):
    """Each lexicon file's header says it was developed on train/validation only."""
    path = root / "src" / "sgie" / "baselines" / "lexicons" / f"{name}.txt"
    header = " ".join(line for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("#"))  # fmt: skip
    assert "train" in header and "validation" in header and "only" in header
    assert lexicons.entries(name)


def test_lexicons_are_package_data(root):
    """pyproject ships the lexicon files as package data."""
    assert '"baselines/lexicons/*.txt"' in (root / "pyproject.toml").read_text(encoding="utf-8")
