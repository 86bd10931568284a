"""Where the time of ``sgie evaluate --gold G --predictions P --json`` goes, phase by phase.

Runs, in one process, exactly the steps of ``sgie.commands.evaluate.cmd_evaluate`` and times
each with ``time.perf_counter``: importing the command line (``sgie.cli.build_parser``, which
imports every command module), reading and validating the gold, the predictions, scoring
(``sgie.scoring.evaluate``), building the result object, and serialising it as the command
does (``json.dumps(..., indent=2, ensure_ascii=False)``). Peak RSS after each phase is read
from ``resource.getrusage``.

Usage: ``python benchmarks/phases.py GOLD.jsonl PREDICTIONS.jsonl``
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main(gold_path: str, pred_path: str) -> None:
    rows = []
    t = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        rows.append((name, now - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        t = now

    import sgie.cli

    sgie.cli.build_parser()
    from sgie.scoring import evaluate, read_gold, read_predictions

    mark("start-up: import sgie and build the parser")
    gold = read_gold(gold_path)
    mark("read and validate the gold")
    predictions = read_predictions(pred_path, gold.texts)
    mark("read and validate the predictions")
    result = evaluate(gold.docs, predictions.docs, gold.texts, ungrounded=predictions.ungrounded)
    mark("score (per-document counts and total)")
    obj = result.to_json()
    mark("build the result object (to_json)")
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    mark(f"serialise ({len(text) / 2**20:.0f} MiB of JSON)")
    total = sum(r[1] for r in rows)
    print("| phase | seconds | share | peak RSS MiB after |")
    print("|---|---|---|---|")
    for name, seconds, rss in rows:
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% | {rss:.0f} |")
    print(f"| total (in process) | {total:.2f} | | |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
