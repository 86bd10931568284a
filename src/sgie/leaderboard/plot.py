"""``eval/leaderboard.png``: every system's headline F1 with its interval, one panel per metric.

What it does
    ``render_png(lb)`` draws four panels (overall, entities, proposals, attributions); systems
    top to bottom in the overall table's order; a dot (ranked systems) or diamond (rows not
    ranked, e.g. annotators) at the F1 with whiskers to the interval bounds; "not attempted"
    or "n/a" written where there is no value. Deterministic: the Agg canvas without pyplot,
    matplotlib's default style (not the user's matplotlibrc), fixed size and dpi, no
    timestamp or software name in the metadata. The PNG carries, as a ``tEXt`` chunk
    ``sgie-data-sha256``, the hash of exactly the data it plots (and of ``PLOT_VERSION``);
    ``png_data_hash`` reads it back, so a check can tell stale plots from fresh ones even where
    a different matplotlib/FreeType build would rasterise the same data into different bytes.

What it does not do
    No statistics, no file writing.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct

from sgie.leaderboard.headline import HEADLINE, LAYERS, OVERALL, attempted
from sgie.leaderboard.model import Leaderboard

DATA_KEY = "sgie-data-sha256"
PLOT_VERSION = 2  # part of the hash: bump when the drawing changes
PANELS = (OVERALL, *LAYERS)
DPI = 100


def plot_data(lb: Leaderboard) -> list[dict]:
    """What is plotted: per system (display order) and panel, (point, low, high) or a note."""
    rows = []
    for e in lb.order(OVERALL):
        cells = {}
        for m in PANELS:
            i = e.intervals.get(m)
            if not attempted(e.submission.attempts, m):
                cells[m] = "not attempted"
            elif i is None or i.point is None:
                cells[m] = "n/a"
            else:
                cells[m] = [round(i.point, 6), *(None if x is None else round(x, 6) for x in (i.low, i.high))]
        info = e.submission.info
        label = info.name
        if not info.ranked:
            mark = "ceiling" if info.type == "annotator" else "unranked"
            label += "" if mark in label.lower() else f" ({mark})"
        rows.append({"id": e.id, "label": label, "ranked": info.ranked, "values": cells})
    return rows


def data_hash(lb: Leaderboard) -> str:
    head = {"settings": [lb.settings.resamples, lb.settings.seed, lb.settings.confidence],
            "unit": lb.clusters.unit, "gold": lb.dataset.gold_sha256, "plot": PLOT_VERSION}  # fmt: skip
    text = json.dumps([head, plot_data(lb)], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_png(lb: Leaderboard) -> bytes:
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = plot_data(lb)
    n = max(len(rows), 1)
    with matplotlib.style.context("default"):
        fig = Figure(figsize=(13, 1.4 + 0.42 * n), dpi=DPI)
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, len(PANELS), sharey=True)
        ys = list(range(n))[::-1]
        for ax, m in zip(axes, PANELS):
            ax.set_title(f"{m}\n{HEADLINE[m]}", fontsize=9)
            ax.set_xlim(-3, 103)
            ax.set_ylim(-0.7, n - 0.3)
            ax.grid(axis="x", color="0.88", linewidth=0.6)
            ax.set_axisbelow(True)
            for y, row in zip(ys, rows):
                v = row["values"][m]
                if isinstance(v, str):
                    ax.text(0, y, v, va="center", fontsize=8, color="0.45")
                    continue
                point, low, high = (100 * x if x is not None else None for x in v)
                color, marker = ("C0", "o") if row["ranked"] else ("C3", "D")
                if low is not None and high is not None:
                    ax.errorbar([point], [y], xerr=[[point - low], [high - point]], fmt=marker,
                                color=color, ecolor=color, capsize=3, markersize=5, linewidth=1.2)
                else:
                    ax.plot([point], [y], marker=marker, color=color, markersize=5)
            ax.set_xlabel("F1 (%)", fontsize=8)
            ax.tick_params(labelsize=8)
        axes[0].set_yticks(ys)
        axes[0].set_yticklabels([r["label"] for r in rows])
        fig.suptitle(f"SGIE leaderboard: headline F1 with {round(100 * lb.settings.confidence)}% "
                     f"bootstrap intervals (test documents {', '.join(lb.dataset.documents)})",
                     fontsize=10)  # fmt: skip
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI,
                    metadata={"Software": None, DATA_KEY: data_hash(lb)})  # fmt: skip
    return buf.getvalue()


def png_data_hash(png: bytes) -> str | None:
    """The ``sgie-data-sha256`` text chunk of a PNG made by ``render_png`` (else ``None``)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos = 8
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\x00")
            if key == DATA_KEY.encode("latin-1"):
                return value.decode("latin-1")
        pos += 12 + length
    return None
