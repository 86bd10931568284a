"""``eval/LEADERBOARD.md`` and the terminal table, from a computed ``Leaderboard``.

What it does
    ``render_markdown(lb)``: a generated Markdown page -- settings and caveats, the plot, an
    overall table and one table per layer (rank, system, type, P, R, headline F1 with its 95%
    interval, statistically tied neighbours), and the method. ``format_overall(lb)``: the
    overall table as plain text for the terminal. Conventions (same as ``sgie evaluate``):
    percentages with one decimal; ``—`` = layer not attempted (never 0); ``n/a`` = undefined
    (e.g. no gold items); rows with ``ranked: false`` are shown first and marked ``reference``
    (annotators; their names say which is the adjudication base and which the independent
    ceiling) or ``unranked``, without a rank; ``validation`` columns hold the headline on the
    validation split (``none``: no validation predictions). System names are escaped
    (``md_text``): a name cannot break a table, start a heading or inject HTML.

What it does not do
    No statistics (``sgie.leaderboard.build``); no file writing.
"""

from __future__ import annotations

import html
import re

from sgie.leaderboard.headline import HEADLINE, LAYERS, OVERALL, TITLES, attempted
from sgie.leaderboard.model import PLOT_FILE, RESULTS_DIR, Entry, Leaderboard
from sgie.scoring.layers import LAYERS as LAYER_DECLARATIONS
from sgie.scoring.layers import OVERALL as OVERALL_METRIC
from sgie.scoring.layers import layer as declared

NOT_ATTEMPTED = "—"
UNDEFINED = "n/a"
NO_VALIDATION = "none"
REFERENCE = "reference"


def pct(x: float | None) -> str:
    return UNDEFINED if x is None else f"{100 * x:.1f}"


def f1_cell(e: Entry, metric: str, ci: bool = True) -> str:
    if not attempted(e.submission.attempts, metric):
        return NOT_ATTEMPTED
    i = e.intervals.get(metric)
    if i is None or i.point is None:
        return UNDEFINED
    if not ci or i.low is None or i.high is None:
        return pct(i.point)
    return f"{pct(i.point)} [{pct(i.low)}, {pct(i.high)}]"


def validation_cell(e: Entry, metric: str) -> str:
    """The headline on the validation split: ``none`` without validation predictions."""
    if not attempted(e.submission.attempts, metric):
        return NOT_ATTEMPTED
    if e.validation is None:
        return NO_VALIDATION
    return pct(e.validation_f1(metric))


def rank_cell(e: Entry, metric: str) -> str:
    info = e.submission.info
    if not info.ranked:
        return REFERENCE if info.type == "annotator" else "unranked"
    r = e.ranks.get(metric)
    return NOT_ATTEMPTED if r is None else str(r)


def tied_cell(lb: Leaderboard, e: Entry, metric: str) -> str:
    return ", ".join(f"{md_text(lb.entry(k).submission.info.name)} (p={p:.2f})"
                     for k, p in e.ties.get(metric, ()))  # fmt: skip


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MARKDOWN = re.compile(r"([\\`*_\[\]|#!~])")


def md_text(text: str) -> str:
    """``text`` (a system name from system.json) as literal inline Markdown: line breaks and
    other control characters become one space (no new rows, headings or paragraphs), Markdown
    punctuation is backslash-escaped (``|`` cannot end a table cell) and ``&<>`` become HTML
    entities (no raw HTML)."""
    text = _CONTROL.sub(" ", text)
    return html.escape(_MARKDOWN.sub(r"\\\1", text), quote=False)


def _system_cell(e: Entry) -> str:
    return f"[{md_text(e.submission.info.name)}](submissions/{e.id}/system.json)"


def _prf_cells(e: Entry, layer: str) -> list[str]:
    counts = e.result.total.layer(layer)
    if not e.submission.attempts(layer):
        return [NOT_ATTEMPTED, NOT_ATTEMPTED]
    if counts is None:
        return [UNDEFINED, UNDEFINED]
    c = declared(layer).headline_block(counts)
    return [pct(c.precision), pct(c.recall)]


def _secondary_cells(e: Entry, layer: str) -> list[str]:
    decl = declared(layer)
    if not e.submission.attempts(layer):
        return [NOT_ATTEMPTED] * len(decl.secondary)
    counts = e.result.total.layer(layer)
    if counts is None:
        return [UNDEFINED] * len(decl.secondary)
    return [pct(v) for v in decl.secondary_values(counts)]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def _overall_rows(lb: Leaderboard) -> list[list[str]]:
    return [[rank_cell(e, OVERALL), _system_cell(e), e.submission.info.type, f1_cell(e, OVERALL),
             validation_cell(e, OVERALL), *(f1_cell(e, k, ci=False) for k in LAYERS),
             tied_cell(lb, e, OVERALL)]
            for e in lb.order(OVERALL)]  # fmt: skip


def _layer_rows(lb: Leaderboard, layer: str) -> list[list[str]]:
    return [[rank_cell(e, layer), _system_cell(e), e.submission.info.type, *_prf_cells(e, layer),
             f1_cell(e, layer), validation_cell(e, layer), *_secondary_cells(e, layer),
             tied_cell(lb, e, layer)] for e in lb.order(layer)]  # fmt: skip


def _intro(lb: Leaderboard) -> list[str]:
    s, d, c = lb.settings, lb.dataset, lb.clusters
    sizes = c.sizes()
    per_doc = ", ".join(f"{n} in {k}" for k, n in sizes.items())
    unit = (f"paragraphs (non-blank lines, merged where a gold annotation spans several; {per_doc}; "
            "made from the gold alone, so no submission changes another's clusters), "
            "resampled within each document" if c.unit == "paragraph" else "documents")  # fmt: skip
    conf = f"{round(100 * s.confidence)}%"
    out = [
        "# SGIE leaderboard",
        "",
        "<!-- Generated by `sgie leaderboard` from eval/submissions/; do not edit by hand. -->",
        "",
        f"Test split: documents {', '.join(d.documents)} (dataset version {d.version}; gold sha256 "
        f"`{d.gold_sha256[:16]}…`). {len(lb.entries)} systems. Scores are F1 in %, with a {conf} "
        f"confidence interval `[low, high]` from a cluster bootstrap over {unit}: {s.resamples:,} "
        f"resamples, seed {s.seed}.",
        "",
        f"**Read with care: the test set has {len(d.documents)} documents.** The intervals are wide, "
        "and they only describe variation over the paragraphs of these documents, not over other "
        "documents, outlets, topics or periods, so they are lower bounds on the real uncertainty. "
        f"*Tied with* names the neighbours in the ranking whose difference from the row is not "
        f"statistically significant (paired bootstrap, p ≥ {s.alpha}); treat tied systems as "
        "indistinguishable on this test set.",
        "",
        f"Conventions: `{NOT_ATTEMPTED}` = layer not attempted (not scored as 0); `{UNDEFINED}` = "
        "undefined; the overall score is ranked only for systems attempting all three layers. "
        f"*{REFERENCE}* rows are the annotators' independent passes, shown and not ranked. The gold "
        "was adjudicated *starting from* one of them (named *adjudication base*), so that row scores "
        "100 or nearly by construction and is **not** a ceiling; the other pass (*independent "
        "ceiling*) is the ceiling to read the systems against (both passes were made by AI model "
        "sessions, not by humans). *Validation* columns give the "
        "same headline on the validation split, which systems may have been developed on: a "
        "validation score far above the test score shows a system fitted to the development "
        f"documents (`{NO_VALIDATION}` = no validation predictions; not ranked). Full numbers, every "
        f"pairwise p-value and the complete evaluation of each system: `{RESULTS_DIR}/<system>.json`.",
        "",
        f"![headline F1 with {conf} intervals per layer]({PLOT_FILE})",
        "",
    ]  # fmt: skip
    return out


def _method(lb: Leaderboard) -> list[str]:
    s = lb.settings
    return [
        "## Method",
        "",
        "Headline metrics (the official scorer, `sgie evaluate`; definitions in `sgie.scoring.official`):",
        "",
        *(f"* {x.name}: **{x.headline}** ({x.headline_note});" for x in LAYER_DECLARATIONS),
        f"* {OVERALL}: **{HEADLINE[OVERALL]}**, {OVERALL_METRIC.headline_note}.",
        "",
        "They follow SemEval-2013 Task 9.1 (entities, strict), ACE 2005 event extraction "
        "(trigger and argument classification) and PARC 3.0 / PolNeAR attribution practice; the "
        "definitions and the reasons are in [eval/README.md](README.md#headline-metrics). Lenient "
        "scores (entity type F1, proposal span overlap F1, whole-attribution overlap F1) and "
        "proposal argument F1 are shown beside the headline, not ranked.",
        "",
        "Statistics (`sgie.leaderboard.bootstrap`): each resample draws clusters with replacement and "
        "sums their counts, so every metric is recomputed exactly as the scorer computes it; the "
        f"interval is the {round(100 * s.confidence)}% percentile interval. Two systems are compared on the "
        "same resamples (paired bootstrap, Berg-Kirkpatrick et al. 2012, two-sided: p = (1 + #{|δᵦ − δ| ≥ "
        "|δ|}) / (1 + B)); approximate randomization p-values (swapping the two systems' counts per "
        "cluster) are in the results files too. No correction for multiple comparisons.",
        "",
        "To add a system, see [eval/README.md](README.md#adding-a-system-to-the-leaderboard).",
        "",
    ]  # fmt: skip


def render_markdown(lb: Leaderboard) -> str:
    lines = _intro(lb)
    lines += [f"## Overall — {HEADLINE[OVERALL]}", ""]
    header = ["rank", "system", "type", "overall F1 [95% CI]", "validation",
              *(TITLES[k].lower() for k in LAYERS), "tied with"]  # fmt: skip
    lines += _table(header, _overall_rows(lb)) + [""]
    for layer in LAYERS:
        lines += [f"## {TITLES[layer]} — {HEADLINE[layer]}", ""]
        secondary = [label for label, _ in declared(layer).secondary]
        header = ["rank", "system", "type", "P", "R", "F1 [95% CI]", "validation F1", *secondary, "tied with"]
        lines += _table(header, _layer_rows(lb, layer)) + [""]
    lines += _method(lb)
    return "\n".join(lines).rstrip("\n") + "\n"


def format_overall(lb: Leaderboard) -> str:
    """The overall table for the terminal."""
    header = ["rank", "system", "overall F1 [95% CI]", "validation", *LAYERS, "tied with"]
    rows = [[rank_cell(e, OVERALL), e.id, f1_cell(e, OVERALL), validation_cell(e, OVERALL),
             *(f1_cell(e, k) for k in LAYERS),
             ", ".join(f"{k} (p={p:.2f})" for k, p in e.ties.get(OVERALL, ()))]
            for e in lb.order(OVERALL)]  # fmt: skip
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
