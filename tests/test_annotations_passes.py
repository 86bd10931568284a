"""Reading annotation pass files: strict JSON Lines, complete layers, unique documents."""

from __future__ import annotations

import json

import pytest

from sgie.annotations.passes import read_pass
from sgie.errors import InputError

TEXTS = {"d1": "France and Britain said so.", "d2": "Nothing here."}
DOC = {"id": "d1", "entities": [{"id": "e1", "start": 0, "end": 6, "label": "GPE", "text": "France"}],
       "proposals": [], "attributions": []}


def _write(tmp_path, lines: list[str]):
    path = tmp_path / "pass.jsonl"
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


def test_reads_a_complete_pass(tmp_path):
    """A valid line gives the document's typed records."""
    docs = read_pass(_write(tmp_path, [json.dumps(DOC)]), TEXTS)
    assert [e.span.text for e in docs["d1"].entities] == ["France"]


def test_duplicate_document_names_the_first_line(tmp_path):
    """A document given twice is an error on the second line, pointing at the first."""
    with pytest.raises(InputError, match=r"first on line 1\).* line 2"):
        read_pass(_write(tmp_path, [json.dumps(DOC), json.dumps(DOC)]), TEXTS)


def test_missing_layer_is_an_error(tmp_path):
    """A pass must give all three layers (an annotator cannot skip one)."""
    doc = {k: v for k, v in DOC.items() if k != "attributions"}
    with pytest.raises(InputError, match="must all be present .* line 1"):
        read_pass(_write(tmp_path, [json.dumps(doc)]), TEXTS)


def test_blank_line_and_empty_file_are_errors(tmp_path):
    """The strict JSON Lines reader rejects blank lines and empty files."""
    with pytest.raises(InputError, match="blank line"):
        read_pass(_write(tmp_path, [json.dumps(DOC), "", json.dumps({**DOC, "id": "d2",
                                                                      "entities": []})]), TEXTS)
    (tmp_path / "empty.jsonl").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        read_pass(tmp_path / "empty.jsonl", TEXTS)
