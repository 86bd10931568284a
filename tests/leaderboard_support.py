"""Helpers for the leaderboard tests: the committed sample files, and synthetic submission folders
written into temp dirs (the real submissions live in eval/submissions/)."""

from __future__ import annotations

import json
from pathlib import Path

from msgspec.structs import replace

from sgie.records import DocAnnotations
from sgie.scoring import read_gold

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_GOLD = ROOT / "eval" / "sample_gold.jsonl"
SAMPLE_PREDICTIONS = ROOT / "eval" / "sample_predictions.jsonl"
LAYERS = ("entities", "proposals", "attributions")


def system_json(**overrides: object) -> dict:
    base = {"name": "A system", "description": "What it does.", "type": "rules",
            "url": "https://example.org/system", "date": "2026-01-15", "layers": list(LAYERS),
            "ranked": True, "provenance": "synthetic test submission"}  # fmt: skip
    base.update(overrides)
    return base


def write_submission(root: Path, system_id: str, docs: dict[str, DocAnnotations] | list[dict],
                     **info: object) -> Path:  # fmt: skip
    """A submission folder ``root/system_id`` with ``system.json`` and ``predictions.jsonl``
    holding the layers named in ``info['layers']`` (default: all three)."""
    folder = root / system_id
    folder.mkdir(parents=True, exist_ok=True)
    meta = system_json(name=system_id, **info)
    records = docs if isinstance(docs, list) else [docs[k].to_json() for k in sorted(docs)]
    lines = [json.dumps({k: v for k, v in r.items() if k == "id" or k in meta["layers"]}) for r in records]
    (folder / "predictions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "system.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return folder


def thinned(docs: dict[str, DocAnnotations], keep_every: int) -> dict[str, DocAnnotations]:
    """Each document with only every ``keep_every``-th item of each layer (no nesting, no links)."""
    out = {}
    for k, d in docs.items():
        out[k] = replace(
            d,
            entities=tuple(d.entities or ())[::keep_every],
            proposals=tuple(replace(p, arguments=tuple(replace(a, entity_id=None) for a in p.arguments))
                            for p in tuple(d.proposals or ())[::keep_every]),
            attributions=tuple(replace(a, parent_id=None) for a in tuple(d.attributions or ())[::keep_every]),
        )  # fmt: skip
    return out


def sample_submissions(root: Path) -> Path:
    """Five synthetic submissions against ``eval/sample_gold.jsonl`` under ``root/submissions``:
    an annotator (the gold itself, unranked), the sample predictions, a thinned gold, an
    entities-only system and an empty one."""
    subs = root / "submissions"
    gold = read_gold(SAMPLE_GOLD)
    sample = [json.loads(line) for line in SAMPLE_PREDICTIONS.read_text(encoding="utf-8").splitlines()]
    write_submission(subs, "annotator-x", gold.docs, type="annotator", ranked=False, url=None)
    write_submission(subs, "sample", sample, type="llm")
    write_submission(subs, "half", thinned(gold.docs, 2))
    write_submission(subs, "ents-only", thinned(gold.docs, 3), type="off-the-shelf model",
                     layers=["entities"])  # fmt: skip
    empty = {k: DocAnnotations(k, (), (), ()) for k in gold.docs}
    write_submission(subs, "empty", empty, type="trivial")
    return subs
