"""The leaderboard's generated files: rendered from a ``Leaderboard``, written or checked.

What it does
    ``render_outputs(lb)`` turns the ``Leaderboard`` into the generated files of ``eval/``
    (relative path -> bytes): ``LEADERBOARD.md``, ``results/<system>.json``,
    ``leaderboard.png``, and the two published JSON Schemas, ``predictions.schema.json``
    (generated from the record types, ``sgie.scoring.wire``) and ``system.schema.json``
    (``sgie.leaderboard.submissions``). ``write_outputs`` publishes them only after all are
    computed, as one unit (``sgie.atomic.replace_together``; result files of removed
    submissions are deleted in the same unit);
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

from sgie.atomic import replace_together
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
    """Replace every changed output and delete stale result files, all together
    (``sgie.atomic.replace_together``: a failure leaves the previous set intact); the paths of
    the outputs. Files already holding the content are left alone, and so is a valid plot of
    the same data (its bytes may differ under another matplotlib/FreeType build; see
    ``check_outputs``)."""
    changed = {}
    for rel, data in outputs.items():
        path = out_dir / rel
        old = path.read_bytes() if path.is_file() else None
        if old != data and not (rel == PLOT_FILE and old is not None and _same_plot(old, data)):
            changed[path] = data
    replace_together(changed, _stale(out_dir, outputs))
    return [out_dir / rel for rel in outputs]


def _valid_png(png: bytes) -> bool:
    """Whether ``png`` decodes completely (a file truncated after its header chunks -- which
    still hold the data hash -- does not)."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as image:
            image.load()
    except (OSError, ValueError, SyntaxError):
        return False
    return True


def _same_plot(old: bytes, new: bytes) -> bool:
    """``old`` is a complete plot of the same data as ``new``."""
    return png_data_hash(old) == png_data_hash(new) and _valid_png(old)


def check_outputs(out_dir: Path, outputs: Mapping[str, bytes]) -> list[str]:
    """What regenerating would change in ``out_dir`` (empty: the committed files are current).
    With no outputs at all (no submissions), every generated file present is stale."""
    problems = []
    for rel, data in outputs.items():
        path = out_dir / rel
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif rel == PLOT_FILE:
            if not _same_plot(path.read_bytes(), data):
                problems.append(f"{path}: plots different data or is not a complete PNG")
        elif path.read_bytes() != data:
            problems.append(f"{path}: differs from a regeneration")
    problems += [f"{p}: stale (no such submission)" for p in _stale(out_dir, outputs)]
    if not outputs:
        problems += [f"{out_dir / rel}: stale (no submissions)" for rel in (LEADERBOARD_FILE, PLOT_FILE)
                     if (out_dir / rel).exists()]  # fmt: skip
    return problems
