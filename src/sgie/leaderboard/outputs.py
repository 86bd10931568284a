"""The leaderboard's generated files: rendered from a ``Leaderboard``, written or checked.

What it does
    ``render_outputs(lb)`` turns the ``Leaderboard`` into the generated files of ``eval/``
    (relative path -> bytes): ``LEADERBOARD.md``, ``results/<system>.json``,
    ``leaderboard.png``, and the two published JSON Schemas, ``predictions.schema.json``
    (generated from the record types, ``sgie.scoring.wire``) and ``system.schema.json``
    (``sgie.leaderboard.submissions``). ``write_outputs`` publishes them only after all are
    computed (each written atomically; result files of removed submissions are deleted);
    ``check_outputs`` lists what a regeneration would change (text files byte for byte; the
    PNG by the hash of the plotted data it embeds, since PNG bytes depend on the
    matplotlib/FreeType build).

What it does not do
    No computation (``sgie.leaderboard.build``), no argument parsing or printing
    (``sgie.commands.leaderboard``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sgie.atomic import write_bytes_atomic
from sgie.leaderboard import submissions
from sgie.leaderboard.model import LEADERBOARD_FILE, PLOT_FILE, RESULTS_DIR, Leaderboard
from sgie.leaderboard.plot import png_data_hash, render_png
from sgie.leaderboard.render import render_markdown
from sgie.leaderboard.results import dumps_results
from sgie.scoring import wire

PREDICTIONS_SCHEMA = "predictions.schema.json"
SYSTEM_SCHEMA = "system.schema.json"


def render_outputs(lb: Leaderboard) -> dict[str, bytes]:
    """Every generated file, relative path -> content."""
    out = {LEADERBOARD_FILE: render_markdown(lb).encode("utf-8")}
    for e in lb.entries:
        out[f"{RESULTS_DIR}/{e.id}.json"] = dumps_results(lb, e).encode("utf-8")
    out[PLOT_FILE] = render_png(lb)
    out[PREDICTIONS_SCHEMA] = wire.dumps_schema().encode("utf-8")
    out[SYSTEM_SCHEMA] = submissions.dumps_schema().encode("utf-8")
    return out


def _stale(out_dir: Path, outputs: Mapping[str, bytes]) -> list[Path]:
    folder = out_dir / RESULTS_DIR
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.glob("*.json")) if f"{RESULTS_DIR}/{p.name}" not in outputs]


def write_outputs(out_dir: Path, outputs: Mapping[str, bytes]) -> list[Path]:
    """Write every output (atomically each) and delete stale result files; the paths written.
    Files already holding the content are left alone, and so is a plot of the same data (its
    bytes may differ under another matplotlib/FreeType build; see ``check_outputs``)."""
    written = []
    for rel, data in outputs.items():
        path = out_dir / rel
        old = path.read_bytes() if path.is_file() else None
        same = old == data or (rel == PLOT_FILE and old is not None
                               and png_data_hash(old) == png_data_hash(data))  # fmt: skip
        if not same:
            write_bytes_atomic(path, data)
        written.append(path)
    for p in _stale(out_dir, outputs):
        p.unlink()
    return written


def check_outputs(out_dir: Path, outputs: Mapping[str, bytes]) -> list[str]:
    """What regenerating would change in ``out_dir`` (empty: the committed files are current)."""
    problems = []
    for rel, data in outputs.items():
        path = out_dir / rel
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif rel == PLOT_FILE:
            if png_data_hash(path.read_bytes()) != png_data_hash(data):
                problems.append(f"{path}: plots different data")
        elif path.read_bytes() != data:
            problems.append(f"{path}: differs from a regeneration")
    problems += [f"{p}: stale (no such submission)" for p in _stale(out_dir, outputs)]
    return problems
