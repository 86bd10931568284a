"""Test support: the committed gold as text-only spans in document order (what a perfect LLM
answer following the prompts would be).

What it does
    ``text_only_gold(doc)`` is a prediction record of the gold ``doc``: items of each layer
    sorted by where they start (an attribution by its earliest span), every ``start`` and
    ``end`` removed (``sgie.llm.answers.without_offsets``).

What it does not do
    No I/O, no assertions.
"""

from __future__ import annotations

from sgie.llm.answers import without_offsets
from sgie.records import JSON, DocAnnotations


def _first(a: JSON) -> int:
    assert isinstance(a, dict)
    return min(int(s["start"]) for r in ("cue", "source", "content") for s in a[r])  # type: ignore[union-attr,index,call-overload]


def text_only_gold(doc: DocAnnotations) -> dict[str, JSON]:
    record = doc.to_json()
    for key in ("entities", "proposals", "attributions"):
        items = record.get(key)
        assert isinstance(items, list)
        items.sort(key=_first if key == "attributions" else lambda x: x["start"])  # type: ignore[index,call-overload,arg-type]
    out = without_offsets(record)
    assert isinstance(out, dict)
    return out
