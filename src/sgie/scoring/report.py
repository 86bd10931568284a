"""Rendering of an evaluation ``Result``: the JSON result object and the human-readable table.

What it does
    The published result object is ``Result.to_json()`` (``sgie.scoring.result``; shape: the
    ``sgie.scoring.official`` header). ``write_result_json(out, result, per_document)`` writes
    the same object as indented JSON bytes with the ``per_document`` section taken from a file
    of entries written by ``PerDocumentWriter`` (so a streamed evaluation never holds it);
    ``result_json(result)`` gives those bytes for an in-memory ``Result``. msgspec encodes
    (floats in shortest round-trip form, non-ASCII as UTF-8). ``format_table(result)`` the
    default text table (per
    layer: its metrics, the headline row of each layer starred, as declared in
    ``sgie.scoring.layers``; per type for entities). Numbers in the table are percentages with
    one decimal; an undefined value prints as ``n/a``; the JSON has the exact floats and
    ``null`` with a ``reason``.

What it does not do
    No scoring, no file handling (callers pass open binary files).
"""

from __future__ import annotations

import io
import shutil
from typing import BinaryIO

import msgspec

from sgie.records import JSON, JSONObject
from sgie.scoring.attributions import AttributionCounts
from sgie.scoring.counts import PRF, Accuracy, SemEvalCounts
from sgie.scoring.entities import EntityCounts
from sgie.scoring.layers import BY_NAME, LAYERS
from sgie.scoring.proposals import ProposalCounts
from sgie.scoring.result import DocumentCounts, Result


def _pretty(value: JSON) -> bytes:
    return msgspec.json.format(msgspec.json.encode(value), indent=2)


class PerDocumentWriter:
    """Writes the entries of ``per_document`` (indented for their place) to a binary file."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.count = 0

    def add(self, doc_id: str, counts: DocumentCounts) -> None:
        body = _pretty(counts.counts_json()).replace(b"\n", b"\n    ")
        self.out.write(b"%s    %s: %s" % (b",\n" if self.count else b"\n", msgspec.json.encode(doc_id), body))
        self.count += 1

    def restart(self) -> None:
        """Forget every entry written so far (the file is emptied)."""
        self.out.seek(0)
        self.out.truncate()
        self.count = 0


def write_result_json(
    out: BinaryIO, result: Result, per_document: BinaryIO | None, extra: JSONObject | None = None
) -> None:
    """The result object as indented JSON (plus a newline), ``per_document`` copied from a file
    written by ``PerDocumentWriter`` (read from its start); without that file, the result
    object has no ``per_document`` key. ``extra`` keys go before ``per_document``."""
    head = _pretty({**result.head_json(), **(extra or {})})
    if per_document is None:
        out.write(head + b"\n")
        return
    out.write(head[:-2] + b',\n  "per_document": {')
    per_document.seek(0)
    shutil.copyfileobj(per_document, out)
    out.write(b"\n  }\n}\n" if per_document.tell() else b"}\n}\n")


def result_json(result: Result) -> bytes:
    """``write_result_json`` of an in-memory result (its ``per_document`` counts)."""
    entries = io.BytesIO()
    writer = PerDocumentWriter(entries)
    for doc_id, counts in result.per_document.items():
        writer.add(doc_id, counts)
    out = io.BytesIO()
    write_result_json(out, result, entries)
    return out.getvalue()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def _prf_row(name: str, c: PRF) -> str:
    return (f"  {name:<32} {_pct(c.precision):>6} {_pct(c.recall):>6} {_pct(c.f1):>6}"
            f"   tp={c.tp} fp={c.fp} fn={c.fn}")  # fmt: skip


def _semeval_row(name: str, c: SemEvalCounts) -> str:
    return (f"  {name:<32} {_pct(c.precision):>6} {_pct(c.recall):>6} {_pct(c.f1):>6}"
            f"   cor={c.correct} inc={c.incorrect} par={c.partial} mis={c.missed} "
            f"spu={c.spurious}")  # fmt: skip


def _acc_row(name: str, c: Accuracy) -> str:
    return f"  {name:<32} {'':>6} {'':>6} {'':>6}   accuracy={_pct(c.accuracy)} ({c.correct}/{c.total})"  # noqa: E501


def _star(layer: str, row: tuple[str, ...], name: str) -> str:
    """``name`` with `` *`` if ``row`` is the headline row of ``layer`` (``sgie.scoring.layers``)."""
    return f"{name} *" if BY_NAME[layer].row == row else name


HEADER = f"  {'':<32} {'P':>6} {'R':>6} {'F1':>6}"


def _entity_rows(t: EntityCounts, surface: PRF | None) -> list[str]:
    lines = [_semeval_row(_star("entities", (scheme,), scheme), c.micro) for scheme, c in t.schemes.items()]
    strict = t["strict"]
    lines.append(f"  {'macro-F1 (strict)':<32} {'':>6} {'':>6} {_pct(strict.macro_f1):>6}")
    if surface is not None:
        lines.append(_prf_row("surface (unique string, label)", surface))
    lines.append("  per type (strict):")
    lines += [_semeval_row(f"  {label}", c) for label, c in strict.per_type.items() if c.possible or c.actual]
    return lines


def _proposal_rows(p: ProposalCounts) -> list[str]:
    lines = [_prf_row(_star("proposals", ("classification",), "type + status"), p.classification)]
    lines += [_prf_row(_star("proposals", ("spans", m), f"span {m}"), c) for m, c in p.spans.items()]
    for attr, a in p.attributes.items():
        lines.append(_prf_row(f"{attr} (overlap + same value)", a.f1))
        lines.append(_acc_row(f"{attr} on matched", a.accuracy))
    for m, roles in p.arguments.items():
        lines.append(_prf_row(f"arguments {m} (micro)", roles.micro))
        lines += [_prf_row(f"  {role}", c) for role, c in roles.per_role.items()]
    return lines


def _attribution_rows(a: AttributionCounts) -> list[str]:
    lines = [_prf_row(_star("attributions", ("source_content",), "source + content"), a.source_content)]
    lines += [_prf_row(_star("attributions", ("whole", m), f"whole attribution {m}"), a.whole[m])
              for m in ("overlap", "exact")]  # fmt: skip
    for role, r in a.roles.items():
        lines.append(_prf_row(f"{role} exact", r.exact))
        lines.append(_prf_row(f"{role} token overlap", r.token))
    lines += [_acc_row(f"{attr} on matched", acc) for attr, acc in a.attributes.items()]
    lines += [_prf_row(f"nesting links {m}", c) for m, c in a.nesting.items()]
    return lines


def format_table(result: Result, ungrounded_listed: str | None = None) -> str:
    """The human-readable report. ``ungrounded_listed`` names where the ungrounded spans are
    listed instead (the placements of ``--errors`` or ``--html``); else the first ten are."""
    elsewhere = f"; listed {ungrounded_listed}" if ungrounded_listed and result.ungrounded else ""
    lines = [
        f"SGIE evaluation: {result.predictions_source} against {result.gold_source}",
        f"documents: {result.gold_documents} gold, {result.predicted_documents} predicted, "
        f"{len(result.missing_documents)} missing"
        + (f" ({', '.join(result.missing_documents)}: scored as predicting nothing)"
           if result.missing_documents else ""),
        f"ungrounded text-only spans: {len(result.ungrounded)} (counted as false positives{elsewhere})",
    ]  # fmt: skip
    for s in [] if elsewhere else result.ungrounded[:10]:
        lines.append(f"  {s.doc_id} {s.field}: {s.text!r}")
    if len(result.ungrounded) > 10 and not elsewhere:
        lines.append(f"  ... and {len(result.ungrounded) - 10} more (see --json)")
    for layer in LAYERS:
        status = result.layers[layer.name]
        lines.append("")
        counts = result.total.layer(layer.name)
        if not status.scored or counts is None:
            lines.append(f"{layer.title}: {status.reason}")
            continue
        lines += [layer.title, HEADER]
        if isinstance(counts, EntityCounts):
            lines += _entity_rows(counts, result.surface)
        elif isinstance(counts, ProposalCounts):
            lines += _proposal_rows(counts)
        else:
            lines += _attribution_rows(counts)
    lines.append("")
    lines.append("P/R/F1 in %; n/a = undefined (see --json for the reason); "
                 "* = leaderboard headline")  # fmt: skip
    return "\n".join(lines)
