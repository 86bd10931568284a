"""Where the time of ``sgie evaluate --gold G --predictions P --json`` goes, phase by phase.

Runs, in one process, the steps of ``sgie.commands.evaluate.cmd_evaluate`` and times each with
``time.perf_counter``: start-up (``sgie.cli.build_parser``, which imports every command
module, and the scoring modules), indexing the gold and the predictions file
(``sgie.scoring.sources.GoldFile`` / ``PredictionFile``), then, summed over the documents in the
order ``sgie.scoring.official.evaluate_sources`` takes them, reading and validating each gold
record, reading and
validating its prediction, scoring it (``score_document`` and adding to the total) and writing
its ``per_document`` entry to the spool, and finally writing the result object. The loop
repeats ``evaluate_sources``'s steps without its layer-presence bookkeeping (a few
microseconds per document). Peak RSS after each phase is read from ``resource.getrusage``.

Usage: ``python benchmarks/phases.py GOLD.jsonl PREDICTIONS.jsonl``
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time


def main(gold_path: str, pred_path: str) -> None:
    rows = []
    t = time.perf_counter()

    def rss() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        rows.append((name, now - t, rss()))
        t = now

    import sgie.cli

    sgie.cli.build_parser()
    from sgie.scoring.official import evaluate_sources, layer_status, score_document
    from sgie.scoring.report import PerDocumentWriter, write_result_json
    from sgie.scoring.sources import GoldFile, PredictionFile

    mark("start-up: import sgie and build the parser")
    gold = GoldFile(gold_path)
    mark("index the gold file (top level of every line)")
    predictions = PredictionFile(pred_path, gold)
    mark("index the predictions file (top level of every line)")
    ids = sorted(gold.ids())
    first, _, _ = gold.get(ids[0])
    pred, lost, _ = predictions.get(ids[0], gold.text(ids[0]))
    layers = layer_status(first, pred, lost)
    steps = dict.fromkeys(("gold", "pred", "score", "entry"), 0.0)
    running = None
    with tempfile.TemporaryFile() as spool:
        writer = PerDocumentWriter(spool)
        for doc_id in ids:
            a = time.perf_counter()
            g, text, _ = gold.get(doc_id)
            b = time.perf_counter()
            p, lost, _ = predictions.get(doc_id, text)
            c = time.perf_counter()
            counts = score_document(g, p, text, layers, lost)
            running = counts if running is None else running + counts
            d = time.perf_counter()
            writer.add(doc_id, counts)
            e = time.perf_counter()
            for key, seconds in zip(steps, (b - a, c - b, d - c, e - d)):
                steps[key] += seconds
        names = {"gold": "read and validate each gold record", "pred": "read and validate each "
                 "prediction", "score": "score each document and add to the total",
                 "entry": "write each document's per_document entry to the spool"}  # fmt: skip
        now = time.perf_counter()
        for key, seconds in steps.items():
            rows.append((names[key], seconds, rss()))
        rows.append(("(loop overhead)", now - t - sum(steps.values()), rss()))
        t = now
        # the result object itself (the command writes it to stdout)
        result = evaluate_sources(gold, predictions, keep_per_document=False)
        t = time.perf_counter()
        with tempfile.TemporaryFile() as out:
            write_result_json(out, result, spool)
            size = out.tell()
        mark(f"write the result object ({size / 2**20:.0f} MiB of JSON)")
    total = sum(r[1] for r in rows)
    print("| phase | seconds | share | peak RSS MiB after |")
    print("|---|---|---|---|")
    for name, seconds, peak in rows:
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% | {peak:.0f} |")
    print(f"| total (in process) | {total:.2f} | | |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
