"""The peer of ``sgie evaluate`` in the benchmark: the same files, evaluated by nervaluate.

Loads the gold (documents format) and predictions files, pairs the documents by id (in gold
order; a document without predictions predicts nothing), converts entities to nervaluate's
dict format (end offsets inclusive), runs ``nervaluate.Evaluator(..., loader="dict")`` over all
SGIE entity types, and prints the counts of every strategy, micro and per type, as JSON.

Usage: ``python benchmarks/nervaluate_peer.py GOLD.jsonl PREDICTIONS.jsonl``
"""

from __future__ import annotations

import json
import sys

from nervaluate import Evaluator

LABELS = ["PERSON", "ORG", "MEDIA", "MILITARY", "GPE", "LOC", "NORP", "LAW", "EVENT", "EQUIPMENT",
          "QUANTITY"]  # fmt: skip
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious")


def _load(path: str) -> dict[str, list[dict]]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            out[record["id"]] = [{"label": e["label"], "start": e["start"], "end": e["end"] - 1}
                                 for e in record.get("entities", [])]  # fmt: skip
    return out


def main(gold_path: str, pred_path: str) -> None:
    gold = _load(gold_path)
    pred = _load(pred_path)
    ids = list(gold)
    result = Evaluator([gold[i] for i in ids], [pred.get(i, []) for i in ids], tags=LABELS,
                       loader="dict").evaluate()  # fmt: skip

    def counts(r) -> dict:  # noqa: ANN001
        return {f: getattr(r, f) for f in FIELDS}

    out = {"overall": {k: counts(v) for k, v in result["overall"].items()},
           "per_type": {t: {k: counts(v) for k, v in s.items()}
                        for t, s in result["entities"].items()}}  # fmt: skip
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
