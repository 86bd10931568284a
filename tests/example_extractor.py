"""A tiny example extractor for ``sgie evaluate --extractor example_extractor:extract``.

What it does
    A gazetteer: finds a few place and outlet names and returns them as *text-only* entities
    (one per occurrence, in order, so the grounding rule places each on its own occurrence),
    attempts proposals (finds none) and does not attempt attributions. It shows the shape an
    LLM-based extractor returns: ``(doc_id, text) -> prediction record`` without offsets.

What it does not do
    Anything clever; it exists for tests and as a template.
"""

from __future__ import annotations

import re

#: Matched as whole words, as the grounding rule matches text-only spans (whole tokens).
GAZETTEER = {"Ukraine": "GPE", "Kyiv": "GPE", "Paris": "GPE", "AFP": "MEDIA", "NATO": "ORG",
             "Putin": "PERSON"}  # fmt: skip
PATTERN = re.compile(r"\b(" + "|".join(GAZETTEER) + r")\b")


def extract(doc_id: str, text: str) -> dict:
    """Text-only entities for every gazetteer match (no offsets), proposals attempted, empty."""
    entities = [{"id": f"g{i}", "text": m.group(0), "label": GAZETTEER[m.group(0)]}
                for i, m in enumerate(PATTERN.finditer(text))]  # fmt: skip
    return {"entities": entities, "proposals": []}


def broken(doc_id: str, text: str) -> dict:
    """An extractor that returns an unknown label (for the bad-input tests)."""
    return {"entities": [{"id": "x", "text": text[:3], "label": "COUNTRY"}]}
