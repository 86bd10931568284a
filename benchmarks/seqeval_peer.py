"""The second peer of ``sgie evaluate`` in the benchmark: strict counts from seqeval.

Loads the gold (documents format) and predictions files, pairs the documents by id (a
document without predictions predicts nothing), cuts each document's text into tokens at every
entity boundary of either side (so that every gold and predicted entity is a run of whole
tokens), tags the tokens in IOB2 (``B-TYPE``, ``I-TYPE``, ``O``), and counts with seqeval's
strict mode (``seqeval.scheme.Entities`` with ``IOB2``, what ``classification_report(...,
mode="strict", scheme=IOB2)`` counts): per type, the gold entities (``possible``), the
predicted ones (``actual``) and those predicted with the same boundaries and type
(``correct``), and their sums. Those are sgie's ``strict`` correct / possible / actual when no
entities overlap within the gold or within the predictions (the benchmark data). Prints them
as JSON.

Usage: ``python benchmarks/seqeval_peer.py GOLD.jsonl PREDICTIONS.jsonl``
"""

from __future__ import annotations

import json
import sys

from seqeval.scheme import IOB2, Entities


def _load(path: str) -> dict[str, list[tuple[int, int, str]]]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            out[record["id"]] = [(e["start"], e["end"], e["label"]) for e in record.get("entities", [])]
    return out


def _tags(cuts: list[int], spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags of the tokens between consecutive ``cuts`` (entities must not overlap)."""
    token_of = {c: i for i, c in enumerate(cuts)}
    tags = ["O"] * (len(cuts) - 1)
    for start, end, label in spans:
        first, last = token_of[start], token_of[end]
        tags[first] = f"B-{label}"
        for i in range(first + 1, last):
            tags[i] = f"I-{label}"
    return tags


def main(gold_path: str, pred_path: str) -> None:
    gold = _load(gold_path)
    pred = _load(pred_path)
    y_true, y_pred = [], []
    for doc_id, spans in gold.items():
        predicted = pred.get(doc_id, [])
        cuts = sorted({x for s in (spans, predicted) for start, end, _ in s for x in (start, end)})
        y_true.append(_tags(cuts, spans))
        y_pred.append(_tags(cuts, predicted))
    true, found = Entities(y_true, IOB2), Entities(y_pred, IOB2)
    per_type = {}
    for tag in sorted(true.unique_tags | found.unique_tags):
        t, p = true.filter(tag), found.filter(tag)
        per_type[tag] = {"correct": len(t & p), "possible": len(t), "actual": len(p)}
    overall = {k: sum(c[k] for c in per_type.values()) for k in ("correct", "possible", "actual")}
    json.dump({"overall": overall, "per_type": per_type}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
