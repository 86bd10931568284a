"""Synthetic gold and predictions for the scorer benchmark (entities only).

Writes, for a target number of gold entity spans, a gold file in the dataset's documents
format (with ``text``) and a predictions file (documents format without ``text``). Every
document has ``per_doc`` gold entities, about 55 characters of text per entity: the *shapes*
of the benchmark (``SHAPES``) are 2 per document (a sentence, the usual NER shape), 20 (a
paragraph), 100 (a news article: the two test documents have 58 and 149 entities in 2,980 and
6,698 characters) and 1,000 (a long report). Predictions are derived from the
gold so that every scheme has work: most entities are kept, some get another type, some other
boundaries (overlapping only their own gold entity), some are dropped, and spurious ones are
added in the gaps. No overlaps compete and no entity is longer than 100 characters, the
conditions under which nervaluate's greedy matching and sgie's optimal matching must give the
same counts (``sgie.scoring.semeval``), so the benchmark can check that they do.

Document ids (``d0000000``...) are in sorted order in both files. Deterministic for a seed.
Usage: ``python benchmarks/synthetic.py N PER_DOC OUT_DIR``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

LABELS = ("PERSON", "ORG", "MEDIA", "MILITARY", "GPE", "LOC", "NORP", "LAW", "EVENT", "EQUIPMENT",
          "QUANTITY")  # fmt: skip
FILLER = ("the", "said", "on", "Tuesday", "would", "a", "of", "to", "in", "and", "security",
          "guarantees", "talks", "ceasefire", "officials", "force", "after", "with", "for")  # fmt: skip
NAMES = ("Kyiv", "Paris", "NATO", "Macron", "European", "Union", "Zelensky", "Washington", "Ankara",
         "Coalition", "of", "the", "Willing", "Black", "Sea", "Article", "42.7", "AFP", "Rutte")  # fmt: skip
PER_DOC = 100
#: Gold entities per document of each benchmark shape.
SHAPES = (2, 20, 100, 1000)


def _document(rng: random.Random, doc_id: str, n: int) -> tuple[dict, dict]:
    parts: list[str] = []
    pos = 0
    gold: list[dict] = []
    pred: list[dict] = []

    def add(text: str) -> tuple[int, int]:
        nonlocal pos
        start = pos
        parts.append(text)
        pos += len(text)
        return start, pos

    def filler(k: int) -> None:
        words = " ".join(rng.choice(FILLER) for _ in range(k))
        add(" " + words + " ")
        if rng.random() < 0.15:
            add("\n\n")

    for i in range(n):
        filler(rng.randint(4, 9))
        if rng.random() < 0.07:  # a spurious prediction in the gap
            s, e = add(rng.choice(NAMES))
            pred.append({"id": f"s{i}", "start": s, "end": e, "text": parts[-1], "label": rng.choice(LABELS)})
            filler(3)
        words = [rng.choice(NAMES) for _ in range(rng.randint(1, 4))]
        s, e = add(" ".join(words))
        label = rng.choice(LABELS)
        gold.append({"id": f"g{i}", "start": s, "end": e, "text": parts[-1], "label": label})
        r = rng.random()
        if r < 0.07:
            continue  # missed
        ps, pe, plabel = s, e, label
        if r < 0.15:
            plabel = rng.choice([x for x in LABELS if x != label])
        elif r < 0.23 and e - s > 3:  # other boundaries, still inside this entity's slot
            if rng.random() < 0.5:
                ps = s + rng.randint(1, min(3, e - s - 1))
            else:
                pe = e - rng.randint(1, min(3, e - s - 1))
        pred.append({"id": f"p{i}", "start": ps, "end": pe, "label": plabel})
    filler(5)
    text = "".join(parts)
    for p in pred:
        p["text"] = text[p["start"] : p["end"]]
    pred.sort(key=lambda p: (p["start"], p["end"]))
    return ({"id": doc_id, "text": text, "entities": gold},
            {"id": doc_id, "entities": [{k: p[k] for k in ("id", "start", "end", "text", "label")}
                                        for p in pred]})  # fmt: skip


def generate(n_spans: int, out_dir: Path, seed: int = 8, per_doc: int = PER_DOC) -> tuple[Path, Path]:
    """Write ``gold.jsonl`` and ``predictions.jsonl`` with ``n_spans`` gold entities."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    gold_path, pred_path = out_dir / "gold.jsonl", out_dir / "predictions.jsonl"
    with open(gold_path, "w", encoding="utf-8") as g, open(pred_path, "w", encoding="utf-8") as p:
        done = 0
        k = 0
        while done < n_spans:
            n = min(per_doc, n_spans - done)
            gold, pred = _document(rng, f"d{k:07d}", n)
            g.write(json.dumps(gold, ensure_ascii=False) + "\n")
            p.write(json.dumps(pred, ensure_ascii=False) + "\n")
            done += n
            k += 1
    return gold_path, pred_path


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[3]), per_doc=int(sys.argv[2]))
