"""CITATION.cff and the README's BibTeX entry agree with the dataset version."""

from __future__ import annotations

import re

from sgie.dataset.version import DATASET_VERSION, RELEASE_DATE


def test_citation_cff_version_and_date(root):
    """CITATION.cff names the current dataset version and release date."""
    cff = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{DATASET_VERSION}"' in cff
    assert f'date-released: "{RELEASE_DATE}"' in cff
    assert cff.startswith("cff-version: 1.2.0")


def test_readme_bibtex_matches(root):
    """The README's BibTeX entry has the dataset's title and version."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    entry = re.search(r"```bibtex\n(@\w+\{sgie,.*?)\n```", readme, re.S)
    assert entry, "no BibTeX block for sgie in README.md"
    assert "SGIE: Security Guarantees Information Extraction" in entry.group(1)
    assert f"version   = {{{DATASET_VERSION}}}" in entry.group(1)
