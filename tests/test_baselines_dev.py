"""Development scores of the baselines: generated files up to date, tables rendered from them."""

from __future__ import annotations

import json

import pytest

from sgie.baselines.dev import BEGIN, END, JSON_FILE, METRICS, render_tables, replace_block
from sgie.errors import InputError


def _results():
    row = dict.fromkeys(METRICS, 0.5) | {next(iter(METRICS)): None}
    return {"splits": {"validation": {"documents": ["003"], "systems": {"rules": row}}}}


def test_committed_dev_files_are_up_to_date(root):
    """docs/baselines-dev.json and the generated block of docs/baselines.md equal a regeneration."""
    from sgie.baselines.dev import dev_files
    from sgie.baselines.submissions import stale

    try:
        files = dev_files(root)
    except InputError as err:
        pytest.skip(f"no gold yet: {err}")
    assert stale(files) == []


def test_docs_numbers_come_from_the_json(root):
    """Every table row of docs/baselines.md is rendered from docs/baselines-dev.json."""
    results = json.loads((root / JSON_FILE).read_text(encoding="utf-8"))
    markdown = (root / "docs" / "baselines.md").read_text(encoding="utf-8")
    assert f"{BEGIN}\n{render_tables(results)}{END}" in markdown
    assert set(results["splits"]) == {"train", "validation"}


def test_render_marks_unattempted_and_formats():
    """None renders as a dash, numbers with three decimals, one document named singular."""
    table = render_tables(_results())
    assert "**validation** (document 003)" in table
    assert "| rules | – | 0.500 |" in table


def test_replace_block_needs_markers():
    """A file without the markers is an error; with them only the block changes."""
    with pytest.raises(InputError, match="markers"):
        replace_block("no markers", "x\n")
    assert replace_block(f"a\n{BEGIN}\nold\n{END}\nb", "new\n") == f"a\n{BEGIN}\nnew\n{END}\nb"
