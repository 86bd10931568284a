"""``sgie evaluate --html PATH``: one self-contained HTML page showing a system's errors.

What it does
    ``render_html(page)`` returns one HTML document (inline CSS, no script, no network, no
    external file; open it with any browser, e.g. ``xdg-open PATH`` or ``open PATH``) with:

    * the score table (each layer's headline P/R/F1 and number of errors; the full text report
      folded below it) and a table of documents: per document and layer the number of errors,
      each linking to that document's layer;
    * the entity confusion matrix: gold type (rows) against predicted type (columns) over the
      entity pairs of the ``partial`` scheme (one-to-one, overlapping), with a ``missed``
      column and a ``spurious`` row;
    * per document and layer, the text twice, side by side: gold annotations on the left,
      predictions on the right, each span coloured by its outcome under the layer's error
      scheme (``sgie.scoring.views.errors.ERROR_SCHEMES``): correct, boundary (paired with other
      offsets), type or attribute (paired, other label or value), missed (gold side), spurious
      (predicted side). A small tag at each span's start names it (entity type; proposal type;
      argument role and its proposal; attribution role and its attribution, so nesting is
      visible), and hovering shows every span covering the spot. Under the two texts, the
      layer's error lines (``--errors``) list what differs.
    * text-only spans of the predictions (``sgie.scoring.views.errors.PlacementLine``): on the
      predicted side a span placed by its text is underlined with dots (red dots: placed after
      normalising quotes, dashes or spaces) and its hover title says ``placed by text (exact) at
      320–324``; under the document's layers, a list of every placement and every ungrounded
      span (the ``--errors`` lines).

    Texts keep their line breaks and wrap (``white-space: pre-wrap``) in two columns that scroll
    independently, so a 7,000-character document fits on one screen per layer.

What it does not do
    No scoring; no writing (the command writes the page atomically).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sgie import schema
from sgie.scoring.layers import LAYERS
from sgie.scoring.outcomes import DocumentOutcomes, ItemOutcome, ItemRef
from sgie.scoring.result import Result
from sgie.scoring.views.errors import ERROR_SCHEMES, ErrorLine, PlacementLine, error_lines, placement_summary

LAYER_TITLES = {"entities": "Entities", "proposals": "Proposals", "attributions": "Attributions"}
ROLES = ("cue", "source", "content")
#: outcome class -> (background colour, legend text)
CLASSES: dict[str, tuple[str, str]] = {
    "correct": ("#c9ecc9", "correct"),
    "boundary": ("#fbe7a1", "boundary differs"),
    "label": ("#fcc98f", "type or attribute differs"),
    "missed": ("#f6b1b1", "missed (gold only)"),
    "spurious": ("#d9c3f2", "spurious (predicted only)"),
}
CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1500px;padding:0 1em 3em;color:#222}
h1{margin:.6em 0 .2em}h2{border-bottom:2px solid #ccc;margin-top:2em}h3{margin:1.2em 0 .4em}
pre.table{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:13px}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#eee}td.zero{color:#bbb}td.diag{background:#e3f3e3}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.side h4{margin:.2em 0}.text{white-space:pre-wrap;font:14px/1.7 Georgia,serif;border:1px solid #ddd;
padding:.5em .8em;max-height:34em;overflow-y:auto;background:#fff}
.m{border-radius:3px;padding:1px 0}.tag{font:bold 10px/1 system-ui,sans-serif;vertical-align:super;
margin-right:1px;padding:0 2px;border-radius:2px;background:#555;color:#fff}
ol.errors{font:13px/1.5 ui-monospace,monospace;padding-left:2.5em}
.legend span{padding:1px 6px;margin-right:.6em;border-radius:3px}
nav a{margin-right:.8em}
.placed{text-decoration:underline dotted 2px;text-underline-offset:3px}
.placed.norm{text-decoration-color:#c00}
"""
CSS += "".join(f".{k}{{background:{colour}}}" for k, (colour, _) in CLASSES.items())


@dataclass(frozen=True)
class DocumentPage:
    """One document: its id, text and outcomes."""

    doc_id: str
    text: str
    outcomes: DocumentOutcomes
    placements: Sequence[PlacementLine] = ()  # its text-only predicted spans


@dataclass(frozen=True)
class Headline:
    """One row of the score table: a layer's headline metric (``None``: not scored)."""

    layer: str
    metric: str
    precision: float | None
    recall: float | None
    f1: float | None
    scored: bool


@dataclass(frozen=True)
class Page:
    """What the page shows: sources, headline scores, the full text report, the documents."""

    title: str
    headlines: Sequence[Headline]
    table: str  # the text report of ``sgie evaluate``
    documents: Sequence[DocumentPage]


def headlines(result: Result) -> list[Headline]:
    """The headline row of each layer (``sgie.scoring.layers``) of a result."""
    out = []
    for layer in LAYERS:
        counts = result.total.layer(layer.name)
        if counts is None:
            out.append(Headline(layer.name, layer.headline, None, None, None, False))
            continue
        c = layer.headline_counts(counts)  # type: ignore[arg-type]  # the layer's own counts
        out.append(Headline(layer.name, layer.headline, c.precision, c.recall, c.f1, True))
    return out


@dataclass(frozen=True, order=True)
class Mark:
    """A coloured span of one side of a layer's view."""

    start: int
    end: int
    css: str
    tag: str
    title: str
    placed: str = ""  # "exact" or "normalised": a text-only span placed by its text


def _css(o: ItemOutcome) -> str:
    if o.outcome in ("missed", "spurious"):
        return o.outcome
    if any(e != "boundary" for e in o.errors):
        return "label"
    if "boundary" in o.errors or o.outcome in ("partial", "incorrect"):
        return "boundary"
    return "correct"


def _name(ref: ItemRef) -> str:
    return ref.id if ref.argument is None else f"{ref.label} of {ref.id}"


def _title(o: ItemOutcome, ref: ItemRef) -> str:
    what = f"{_name(ref)} {ref.label}: {o.outcome}"
    return what + (f" ({', '.join(o.errors)})" if o.errors else "")


def marks(layer: str, outcomes: Sequence[ItemOutcome], side: str,
          placements: Sequence[PlacementLine] = ()) -> list[Mark]:  # fmt: skip
    """The marks of one side (``gold`` or ``predicted``) of one layer; a span of an item that
    ``placements`` placed by its text says so (how, where)."""
    placed = {(p.item, p.position, p.end): p for p in placements
              if p.layer == layer and p.how != "ungrounded"}  # fmt: skip
    schemes = ERROR_SCHEMES[layer]
    out: list[Mark] = []
    roles: dict[tuple[str, str], list[tuple[int, int]]] = {}
    if layer == "attributions":  # which span of an attribution has which role
        for o in outcomes:
            item: ItemRef | None = getattr(o, side)
            if item is not None and o.scheme.startswith("roles."):
                role = o.scheme.split(".")[1]
                roles.setdefault((item.id, role), []).extend((s.start, s.end) for s in item.spans)
    for o in outcomes:
        ref: ItemRef | None = getattr(o, side)
        if o.scheme not in schemes or ref is None:
            continue
        css, title = _css(o), _title(o, ref)
        for s in ref.spans:
            tag = ref.label if layer == "entities" else _name(ref) if ref.argument is not None else (
                f"{ref.id} {ref.label}")  # fmt: skip
            if layer == "attributions":
                role = next((r for r in ROLES if (s.start, s.end) in roles.get((ref.id, r), ())), "span")
                tag = f"{role} {ref.id}"
            where = placed.get((ref.id, s.start, s.end))
            if where is None:
                out.append(Mark(s.start, s.end, css, tag, title))
            else:
                out.append(Mark(s.start, s.end, css, tag, f"{title}, {where.title}", where.how))
    return sorted(out)


def render_text(text: str, layer_marks: Sequence[Mark]) -> str:
    """``text`` as HTML with the marks: each piece between span boundaries takes the colour of
    the innermost span covering it and lists all covering spans on hover; the spans starting at
    one place get one tag each (several items on the same span share it: ``executor of p3,
    proposer of p4 +5``)."""
    cuts = sorted({0, len(text), *(m.start for m in layer_marks), *(m.end for m in layer_marks)})
    starts: dict[int, list[Mark]] = {}
    for m in layer_marks:
        starts.setdefault(m.start, []).append(m)
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        by_end: dict[int, list[Mark]] = {}
        for m in starts.get(a, ()):
            by_end.setdefault(m.end, []).append(m)
        for end in sorted(by_end, reverse=True):  # outer spans' tags first; one tag per span
            same = by_end[end]
            tags = list(dict.fromkeys(m.tag for m in same))
            shown = ", ".join(tags) if len(tags) <= 3 else ", ".join(tags[:2]) + f" +{len(tags) - 2}"
            title = html.escape("; ".join(m.title for m in same))
            parts.append(f'<span class="tag" title="{title}">{html.escape(shown)}</span>')
        piece = html.escape(text[a:b])
        covering = [m for m in layer_marks if m.start <= a and b <= m.end and m.start < m.end]
        if covering:
            inner = min(covering, key=lambda m: m.end - m.start)
            title = html.escape("; ".join(m.title for m in covering))
            hows = {m.placed for m in covering} - {""}
            css = inner.css + (" placed" if hows else "") + (" norm" if "normalised" in hows else "")
            parts.append(f'<span class="m {css}" title="{title}">{piece}</span>')
        else:
            parts.append(piece)
    return "".join(parts)


def confusion(documents: Sequence[DocumentPage]) -> Counter[tuple[str, str]]:
    """(gold type, predicted type) counts over the entity pairs of the ``partial`` scheme;
    ``missed`` / ``spurious`` stand for the missing side."""
    out: Counter[tuple[str, str]] = Counter()
    for d in documents:
        for o in d.outcomes.entities or ():
            if o.scheme == "partial":
                gold = o.gold.label if o.gold is not None else "spurious"
                predicted = o.predicted.label if o.predicted is not None else "missed"
                out[(gold, predicted)] += 1
    return out


def _confusion_table(counts: Counter[tuple[str, str]]) -> str:
    rows = [t for t in (*schema.ENTITY_LABELS, "spurious") if any(g == t for g, _ in counts)]
    cols = [t for t in (*schema.ENTITY_LABELS, "missed") if any(p == t for _, p in counts)]
    if not rows:
        return "<p>No entities were scored.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            n = counts.get((r, c), 0)
            css = "diag" if r == c and n else "zero" if not n else ""
            cells.append(f'<td class="{css}">{n}</td>')
        body.append(f"<tr><th>{html.escape(r)}</th>{''.join(cells)}</tr>")
    return (f'<table class="confusion"><tr><th>gold \\ predicted</th>{head}</tr>{"".join(body)}</table>')


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def _score_table(rows: Sequence[Headline], errors: Sequence[ErrorLine]) -> str:
    per = Counter(e.layer for e in errors)
    body = "".join(
        f"<tr><th>{LAYER_TITLES[h.layer]}</th><td>{html.escape(h.metric)}</td>"
        + (f"<td>{_pct(h.precision)}</td><td>{_pct(h.recall)}</td><td><b>{_pct(h.f1)}</b></td>"
           f"<td>{per[h.layer]}</td>" if h.scored else '<td colspan="4" class="zero">not scored</td>')
        + "</tr>"
        for h in rows
    )  # fmt: skip
    return ('<table class="scores"><tr><th>layer</th><th>headline</th><th>P</th><th>R</th><th>F1</th>'
            f"<th>errors</th></tr>{body}</table>")  # fmt: skip


def _documents_table(documents: Sequence[DocumentPage], errors: Sequence[ErrorLine]) -> str:
    per = Counter((e.doc_id, e.layer) for e in errors)
    head = "".join(f"<th>{t} errors</th>" for t in LAYER_TITLES.values())
    rows = []
    for d in documents:
        cells = []
        for layer in LAYER_TITLES:
            if d.outcomes.layer(layer) is None:
                cells.append('<td class="zero">not scored</td>')
            else:
                link = f"#doc-{html.escape(d.doc_id)}-{layer}"
                cells.append(f'<td><a href="{link}">{per[(d.doc_id, layer)]}</a></td>')
        name = html.escape(d.doc_id)
        rows.append(f'<tr><th><a href="#doc-{name}">{name}</a></th>{"".join(cells)}</tr>')
    return f'<table class="documents"><tr><th>document</th>{head}</tr>{"".join(rows)}</table>'


def _layer_section(d: DocumentPage, layer: str, errors: Sequence[ErrorLine]) -> str:
    outcomes = d.outcomes.layer(layer)
    anchor = f"doc-{html.escape(d.doc_id)}-{layer}"
    if outcomes is None:
        return f'<section id="{anchor}"><h3>{LAYER_TITLES[layer]}</h3><p>Not scored.</p></section>'
    sides = "".join(
        f'<div class="side"><h4>{side}</h4><div class="text">'
        f"{render_text(d.text, marks(layer, outcomes, side, d.placements if side == 'predicted' else ()))}"
        "</div></div>"
        for side in ("gold", "predicted")
    )
    mine = [e for e in errors if e.doc_id == d.doc_id and e.layer == layer]
    items = "".join(f"<li>{html.escape(e.scheme)}: {html.escape(e.render())}</li>" for e in mine)
    listing = f'<ol class="errors">{items}</ol>' if mine else "<p>No errors.</p>"
    return (f'<section id="{anchor}"><h3>{LAYER_TITLES[layer]} ({len(mine)} errors)</h3>'
            f'<div class="pair">{sides}</div>{listing}</section>')  # fmt: skip


def _placements_section(d: DocumentPage) -> str:
    """The document's text-only spans: where each was placed and how, and the ungrounded ones."""
    if not d.placements:
        return ""
    items = "".join(f"<li>{html.escape(p.render())}</li>" for p in d.placements)
    return (f'<section id="doc-{html.escape(d.doc_id)}-placements"><h3>Text-only spans '
            f"({html.escape(placement_summary(d.placements))})</h3><p>Where each predicted span given "
            "without offsets was placed, and how (exact, or after normalising quotes, dashes and "
            "spaces); ungrounded ones count as false positives.</p>"
            f'<ol class="errors">{items}</ol></section>')  # fmt: skip


def render_html(page: Page) -> str:
    """The whole page (see the module docstring)."""
    errors = error_lines(d.outcomes for d in page.documents)
    legend = "".join(f'<span class="{k}">{html.escape(text)}</span>' for k, (_, text) in CLASSES.items())
    if any(d.placements for d in page.documents):
        legend += ('<span class="placed">placed by text (exact)</span>'
                   '<span class="placed norm">placed by text (normalised)</span>')  # fmt: skip
    ids = [html.escape(d.doc_id) for d in page.documents]
    nav = "".join(f'<a href="#doc-{name}">{name}</a>' for name in ids)
    docs = "".join(
        f'<section class="doc" id="doc-{html.escape(d.doc_id)}"><h2>Document {html.escape(d.doc_id)}</h2>'
        + "".join(_layer_section(d, layer, errors) for layer in LAYER_TITLES)
        + _placements_section(d)
        + "</section>"
        for d in page.documents
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(page.title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(page.title)}</h1>"
        f'<p class="legend">{legend}</p><nav>Documents: {nav}</nav>'
        f'<section id="scores"><h2>Scores</h2>{_score_table(page.headlines, errors)}'
        "<p>Errors per document and layer (each links to that part of the document):</p>"
        f"{_documents_table(page.documents, errors)}"
        f'<details><summary>Full score table (as printed by sgie evaluate)</summary>'
        f'<pre class="table">{html.escape(page.table)}</pre></details></section>'
        "<p>P/R/F1 in %. Errors are listed under each layer of each document "
        "(the schemes of <code>--errors</code>).</p>"
        f'<section id="confusion"><h2>Entity confusion matrix</h2>'
        "<p>Gold type (rows) against predicted type (columns) of the entity pairs of the partial "
        "scheme (one-to-one, overlapping).</p>"
        f"{_confusion_table(confusion(page.documents))}</section>"
        f"{docs}</body></html>\n"
    )

