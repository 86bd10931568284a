"""Gold annotations to score against: a split of the committed gold, or any documents file.

What it does
    * ``GoldSet`` -- gold records and the texts of the scored documents (the committed gold of
      a split is loaded by ``sgie.annotations.gold.load_gold``, above this package);
    * ``read_gold(path)`` -- a JSON Lines file in the dataset's ``documents`` format (each line
      ``{"id", "text", "entities", "proposals", "attributions"}``), e.g. synthetic data, another
      annotator's file (agreement) or a benchmark. Texts come from the file; offsets are
      checked against them; no text-only spans. Each line goes through the one validator
      (``sgie.scoring.validate.decode_document``); errors as for predictions
      (``sgie.scoring.predictions``): file, line, field, expected, found.

What it does not do
    No Label Studio parsing (``sgie.annotations``), no scoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import msgspec

from sgie.errors import InputError, quote
from sgie.records import DocAnnotations
from sgie.scoring.jsonl import LineFile
from sgie.scoring.predictions import LayerPresence, Located
from sgie.scoring.validate import decode_document


class GoldSet(msgspec.Struct, frozen=True):
    """Gold annotations and the texts of the scored documents (same ids)."""

    docs: Mapping[str, DocAnnotations]
    texts: Mapping[str, str]
    source: str


def read_gold(path: Path | str) -> GoldSet:
    """A documents-format JSON Lines file (see the module docstring)."""
    docs: dict[str, DocAnnotations] = {}
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    presence = LayerPresence("gold")
    with LineFile(path) as f:
        for number, _, raw in f.lines():
            where = Located(f.name, number)
            try:
                doc, text = decode_document(raw)
            except InputError as err:
                raise where.error(err) from None
            if doc.doc_id in lines:
                raise where.error(InputError(
                    f"'id' must be unique in the gold (got {quote(doc.doc_id)} again; first on line "
                    f"{lines[doc.doc_id]})"))  # fmt: skip
            presence.see(doc, where)
            docs[doc.doc_id], texts[doc.doc_id], lines[doc.doc_id] = doc, text, number
    return GoldSet(docs, texts, str(path))
