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

    ``placement_lines(placed, ungrounded)`` lists where each *text-only span* of the predictions
    (text without offsets, placed by ``sgie.scoring.grounding``) landed -- offsets and how:
    ``exact`` or ``normalised`` (quotes, dashes, white space made uniform) -- and the
    ``ungrounded`` ones (not found; counted as false positives), sorted by document and position
    (ungrounded first, then record order); ``format_placements`` prints them after the errors.
    Predictions without text-only spans have no such lines and no such section.

What it does not do
    No matching (the scorers decide outcomes), no HTML (``sgie.scoring.views.html``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sgie.scoring.grounding import PlacedText, UngroundedText
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


@dataclass(frozen=True, order=True)
class PlacementLine:
    """One text-only span of a prediction: where it was placed and how, or that it was not."""

    doc_id: str
    position: int  # start offset; -1 if ungrounded (sorted first, as errors without a position)
    order: int  # record order within the document (ties)
    how: str  # "exact", "normalised" or "ungrounded"
    field: str  # e.g. "entities[3].text"
    item: str  # id of its entity, proposal or attribution ("" if ungrounded)
    text: str  # as given
    end: int = -1

    @property
    def layer(self) -> str:
        return self.field.split("[", 1)[0]

    @property
    def title(self) -> str:
        """How the HTML page names a placed span: ``placed by text (exact) at 320–324``."""
        return f"placed by text ({self.how}) at {self.position}\u2013{self.end}"

    def render(self) -> str:
        if self.how == "ungrounded":
            return f"{self.how:<10} {self.field} {shorten(self.text)} (not found in the text)"
        name = "" if self.field.startswith(self.item + ".") else self.item + " "  # an item without id
        return f"{self.how:<10} {name}{self.field} [{self.position}:{self.end}) {shorten(self.text)}"


def placement_lines(placed: Iterable[PlacedText],
                    ungrounded: Iterable[UngroundedText]) -> list[PlacementLine]:  # fmt: skip
    """Every text-only span, placed or ungrounded, sorted (see the module docstring)."""
    out = [PlacementLine(p.doc_id, p.start, i, p.how, p.field, p.item, p.text, p.end)
           for i, p in enumerate(placed)]  # fmt: skip
    out += [PlacementLine(u.doc_id, -1, i, "ungrounded", u.field, "", u.text)
            for i, u in enumerate(ungrounded)]  # fmt: skip
    return sorted(out)


def placement_summary(lines: Iterable[PlacementLine]) -> str:
    """``8: 6 exact, 1 normalised, 1 ungrounded`` (kinds that occur, in that order)."""
    lines = list(lines)
    kinds = [(k, sum(1 for x in lines if x.how == k)) for k in ("exact", "normalised", "ungrounded")]
    return f"{len(lines)}: " + ", ".join(f"{n} {k}" for k, n in kinds if n)


def format_placements(lines: Iterable[PlacementLine]) -> str:
    """The placements section of ``--errors``: per document, one line per text-only span."""
    lines = list(lines)
    out = [f"Text-only spans ({placement_summary(lines)}): per document, by position; "
           "where each was placed and how (exact, or normalised quotes, dashes, spaces)"]  # fmt: skip
    doc = None
    for line in lines:
        if line.doc_id != doc:
            doc = line.doc_id
            out.append(f"\ndocument {doc}")
        out.append("  " + line.render())
    return "\n".join(out)
