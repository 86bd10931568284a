"""One source of truth: the schema, the Label Studio config and the guidelines agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from label_studio_sdk.label_interface import LabelInterface

from sgie import schema
from sgie.annotations.config import labeling_config
from sgie.annotations.guidelines import EXAMPLE, HEADING
from sgie.annotations.guidelines import sections as guideline_sections

ROOT = Path(__file__).resolve().parents[1]
GUIDELINES = ROOT / "annotations" / "GUIDELINES.md"
GUILLEMETS = re.compile(r"«([^»]+)»")


def _all_names() -> list[str]:
    names = list(schema.ENTITY_LABELS)
    names += [v.name for v in (*schema.PROPOSAL_LABELS, *schema.ATTRIBUTION_LABELS)]
    names += [a.name for a in schema.ATTRIBUTES]
    names += [v for a in schema.ATTRIBUTES for v in a.value_names]
    names += list(schema.RELATION_LABELS)
    return names


@pytest.fixture(scope="module")
def guidelines() -> str:
    return GUIDELINES.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", _all_names())
def test_every_schema_name_has_a_guideline_section_with_examples(guidelines, name):
    """Each label, attribute, value and relation has a section with positive and negative examples."""
    sections = guideline_sections(guidelines)
    assert name in sections, f"no '### `{name}`' section in GUIDELINES.md"
    kinds = {m.group(1) for m in EXAMPLE.finditer(sections[name])}
    assert kinds == {"Positive", "Negative"}, f"{name}: examples found {kinds}"


def test_guidelines_name_nothing_outside_the_schema(guidelines):
    """Every backticked section heading in the layer chapters is a schema name (no stale labels)."""
    known = set(_all_names())
    headings = {m.group(2) for m in HEADING.finditer(guidelines)}
    assert headings - known == set()


def test_guideline_spans_occur_in_their_documents(guidelines, corpus):
    """Every «span» of an example citing a document occurs verbatim in it; no test document
    is cited."""
    texts = corpus.texts()
    test_ids = {d.id for d in corpus.split("test")}
    bullets = re.split(r"\n(?=- )", guidelines)
    checked = 0
    for bullet in bullets:
        bullet = bullet.split("\n\n")[0]  # a bullet ends at a blank line
        m = EXAMPLE.match(bullet)
        if not m or m.group(2) is None:
            continue
        assert m.group(2) not in test_ids, f"example cites test document {m.group(2)}"
        text = texts[m.group(2)]
        flat = re.sub(r"\s+", " ", text)
        for span in GUILLEMETS.findall(bullet):
            span = re.sub(r"\s+", " ", span)
            if span in ("…", "span"):
                continue
            assert span in flat, f"doc {m.group(2)}: «{span}» not in the document"
            checked += 1
    assert checked > 80


def test_entity_mapping_targets_exist():
    """Every SGIE type maps to a real OntoNotes / CoNLL type, and the reverse map to SGIE types."""
    for t in schema.ENTITY_TYPES:
        assert t.ontonotes is None or t.ontonotes in schema.ONTONOTES_TYPES
        assert t.conll is None or t.conll in schema.CONLL_TYPES
    assert set(schema.ONTONOTES_TO_SGIE) <= set(schema.ONTONOTES_TYPES)
    assert set(schema.ONTONOTES_TO_SGIE.values()) <= set(schema.ENTITY_LABELS)


def test_mapping_table_in_guidelines_matches_schema(guidelines):
    """The guidelines' mapping table gives each SGIE type its schema OntoNotes and CoNLL types."""
    for t in schema.ENTITY_TYPES:
        row = next((line for line in guidelines.splitlines()
                    if line.startswith("|") and f"`{t.name}`" in line.split("|")[1]), None)
        assert row is not None, f"no mapping row for {t.name}"
        cells = [c.strip().strip("`") for c in row.split("|")[1:-1]]
        assert (t.ontonotes or "—") in " ".join(cells)
        assert (t.conll or "—") in " ".join(cells[2:])


def test_label_studio_config_parses_and_matches_schema():
    """The SDK parses the generated config; its labels, choices and relations equal the schema's."""
    li = LabelInterface(labeling_config())
    controls = {c.name: c for c in li.controls}
    for layer in schema.LAYERS:
        assert controls[layer.name].tag == "Labels"
        assert list(controls[layer.name].labels) == list(layer.labels)
    for attr in schema.ATTRIBUTES:
        assert controls[attr.name].tag == "Choices"
        assert list(controls[attr.name].labels) == list(attr.value_names)
    xml = labeling_config()
    relations = re.findall(r'<Relation value="([^"]+)"/>', xml)
    assert relations == list(schema.RELATION_LABELS)
    assert '<Relations choice="multiple">' in xml


def test_committed_config_is_generated():
    """annotations/labeling_config.xml equals the generator's output (`sgie studio config`)."""
    path = ROOT / "annotations" / "labeling_config.xml"
    assert path.read_text(encoding="utf-8") == labeling_config()
