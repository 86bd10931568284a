"""``sgie evaluate --errors``: every error of a system, per document and layer, as a diff.

What it does
    ``error_lines(outcomes)`` turns per-item outcomes (``sgie.scoring.outcomes``) into
    ``ErrorLine`` records, and ``format_errors`` prints them after the score table. Which
    outcomes are errors, per layer (the schemes of ``ERROR_SCHEMES``, the headline matching of
    each layer):

    * entities, ``strict``: ``missed`` (a gold entity paired with no prediction), ``spurious``
      (a prediction paired with no gold entity), ``boundary`` (paired, other offsets), ``type``
      (paired, other label), or both;
    * proposals, ``spans.overlap``: missed, spurious, and paired proposals that differ in
      ``boundary``, ``type``, ``status``, ``polarity`` or ``arguments``; then
      ``arguments.overlap``: each missed or spurious argument, with its role and proposal;
    * attributions, ``whole.overlap``: missed, spurious, and paired attributions that differ in
      a role's spans (``cue``, ``source``, ``content``), ``quote_type``, ``source_type`` or
      ``parent`` (nesting).

    A pair is shown as ``gold -> predicted``: label, offsets ``[start:end)`` and text (long
    texts are shortened in the middle). An ungrounded prediction (text-only span not found in
    the document) says so. Lines are sorted by document id, layer (entities, proposals,
    attributions), scheme (proposals before their arguments), then position (the first offset
    of the gold item, else of the prediction), so that a diff of two runs' error lists shows
    what changed.

What it does not do
    No matching (the scorers decide outcomes), no HTML (``sgie.scoring.views.html``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sgie.scoring.outcomes import DocumentOutcomes, ItemOutcome, ItemRef

#: The schemes whose outcomes are listed, per layer, in order.
ERROR_SCHEMES: dict[str, tuple[str, ...]] = {
    "entities": ("strict",),
    "proposals": ("spans.overlap", "arguments.overlap"),
    "attributions": ("whole.overlap",),
}
SHOWN = 60  # characters of an item's text shown before it is shortened


@dataclass(frozen=True, order=True)
class ErrorLine:
    """One error: where it sorts, what kind, and the gold and predicted items."""

    doc_id: str
    layer_index: int
    scheme_index: int
    position: int
    scheme: str
    kind: str  # "missed", "spurious" or the "+"-joined mismatches of a pair
    gold: str  # rendered item ("" if none)
    predicted: str

    @property
    def layer(self) -> str:
        return tuple(ERROR_SCHEMES)[self.layer_index]

    def render(self) -> str:
        if not self.predicted:
            return f"{self.kind:<10} {self.gold}"
        if not self.gold:
            return f"{self.kind:<10} {self.predicted}"
        return f"{self.kind:<10} {self.gold}  ->  {self.predicted}"


def shorten(text: str, width: int = SHOWN) -> str:
    """``text`` as a quoted one-liner of at most about ``width`` characters."""
    flat = " ".join(text.split())
    if len(flat) > width:
        half = (width - 5) // 2
        flat = flat[:half] + " ... " + flat[-half:]
    return '"' + flat.replace('"', '\\"') + '"'


def describe(ref: ItemRef) -> str:
    """An item as ``label [start:end) "text"`` (several spans joined by ``+``)."""
    name = ref.id if ref.argument is None else f"{ref.id}.arg{ref.argument}"
    if not ref.spans:
        return f"{name} {ref.label} (ungrounded)"
    where = "+".join(f"[{s.start}:{s.end})" for s in ref.spans)
    text = " | ".join(s.text for s in ref.spans)
    return f"{name} {ref.label} {where} {shorten(text)}"


def _position(o: ItemOutcome) -> int:
    for ref in (o.gold, o.predicted):
        if ref is not None and ref.spans:
            return min(s.start for s in ref.spans)
    return -1


def _kind(o: ItemOutcome) -> str | None:
    if o.outcome in ("missed", "spurious"):
        return o.outcome
    if o.errors:
        return "+".join(o.errors)
    if o.outcome != "correct":
        return o.outcome
    return None


def error_lines(outcomes: Iterable[DocumentOutcomes]) -> list[ErrorLine]:
    """Every error of every document, sorted (see the module docstring)."""
    out: list[ErrorLine] = []
    for doc in outcomes:
        for index, (layer, schemes) in enumerate(ERROR_SCHEMES.items()):
            for o in doc.layer(layer) or ():
                if o.scheme not in schemes:
                    continue
                kind = _kind(o)
                if kind is None:
                    continue
                out.append(ErrorLine(
                    doc.doc_id, index, schemes.index(o.scheme), _position(o), o.scheme, kind,
                    "" if o.gold is None else "gold " + describe(o.gold),
                    "" if o.predicted is None else "predicted " + describe(o.predicted),
                ))  # fmt: skip
    return sorted(out)


def format_errors(lines: Iterable[ErrorLine]) -> str:
    """The ``--errors`` section: per document, per layer and scheme, one line per error."""
    lines = list(lines)
    out = [f"Errors ({len(lines)}): per document and layer, by position; pairs as gold -> predicted"]
    if not lines:
        return out[0] + "\nnone"
    doc = layer = scheme = None
    for line in lines:
        if line.doc_id != doc:
            doc, layer, scheme = line.doc_id, None, None
            out.append(f"\ndocument {doc}")
        if (line.layer, line.scheme) != (layer, scheme):
            layer, scheme = line.layer, line.scheme
            out.append(f"  {layer} ({scheme})")
        out.append("    " + line.render())
    return "\n".join(out)
