"""DATASHEET.md answers Gebru et al.'s seven sections, truthfully and consistently with the data."""

from __future__ import annotations

import re

import pytest

HEADINGS = ["Motivation", "Composition", "Collection process", "Preprocessing, cleaning, labeling",
            "Uses", "Distribution", "Maintenance"]


@pytest.fixture(scope="module")
def datasheet(root) -> str:
    return (root / "DATASHEET.md").read_text(encoding="utf-8")


def test_seven_sections_in_order(datasheet):
    """The seven Datasheets-for-Datasets headings appear as sections, in order."""
    found = re.findall(r"^## (.+)$", datasheet, re.M)
    assert found == HEADINGS


def test_provenance_is_stated_truthfully(datasheet):
    """The datasheet says the passes and the gold came from AI model sessions and no human annotated."""
    assert "No human annotated, adjudicated or checked the annotations." in datasheet
    assert "Pass `a` and pass `b` were produced by AI language-model sessions" in datasheet
    assert "The gold was produced by a fifth AI model session" in datasheet
    assert "must not be read as human\ninter-annotator agreement" in datasheet


def test_copyright_lines_quoted_as_printed(datasheet, corpus):
    """Every copyright line the manifest records as printed is quoted verbatim."""
    flat = re.sub(r"\s+", " ", datasheet)
    for doc in corpus.documents:
        for line in doc.record.copyright_as_printed:
            assert line in flat, line


def test_headlines_and_splits_match_the_manifest(datasheet, corpus):
    """The documents table gives each document's printed headline and its split."""
    rows = {r.split("|")[1].strip(): r for r in datasheet.splitlines() if re.match(r"^\| 00\d ", r)}
    for doc in corpus.documents:
        row = rows[doc.id]
        assert row.rstrip(" |").endswith(doc.record.split)
        assert (doc.record.headline or "(no headline printed)") in row


def test_known_defects_documented(datasheet, corpus):
    """The page-date conflict, the machine-translation noise and the 001/002 overlap are named."""
    assert "2024-11-01" in datasheet and "Jan 6, 2026" in datasheet
    for phrase in ("airline power", "Maria Zaharova spokesman Maria Zaharova", "001 and\n002"):
        assert phrase in datasheet or phrase.replace("\n", " ") in datasheet


def test_contamination_section_names_every_file(datasheet):
    """The datasheet's contamination section states the fair-evaluation rule and names every
    file with test-split text or annotations, as sgie.dataset.provenance does for the card."""
    from sgie.dataset import provenance

    flat = re.sub(r"\s+", " ", datasheet.replace("`", ""))
    assert "### Test-split contamination" in datasheet
    assert provenance.FAIR_EVALUATION in flat
    for entry in provenance.CONTAMINATED_FILES:
        assert entry.replace("this card", "the dataset card").split(" (")[0] in flat, entry
