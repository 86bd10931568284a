"""Scorer benchmark: the whole ``sgie evaluate --json`` process against nervaluate's.

For each size (number of gold entity spans; default 10^4, 10^5, 10^6) it

1. generates synthetic gold and predictions (``benchmarks/synthetic.py``; cached under
   ``benchmarks/out/n<size>/``, which is gitignored);
2. runs ``sgie evaluate --gold G --predictions P --json`` and ``python
   benchmarks/nervaluate_peer.py G P`` as separate processes (stdout to a file), timing each
   from start to exit and reading its peak resident memory (``ru_maxrss`` of that child, via
   ``os.wait4``);
3. checks that the counts (correct, incorrect, partial, missed, spurious) of the four schemes,
   micro and per type, are identical (``strict``/``exact``/``partial``/``type`` against
   nervaluate's ``strict``/``exact``/``partial``/``ent_type``);
4. also times ``sgie --version`` (interpreter start-up and imports: a fixed cost of every
   ``sgie`` process).

It prints one Markdown table row per size and writes everything, with the machine, date and
commit, to ``benchmarks/results.json`` (committed: the numbers in ``benchmarks/RESULTS.md`` and
the README are references into it, kept in sync by ``sgie prose``). A benchmark, not a test: it
is not collected by pytest.

Usage: ``python benchmarks/bench_scorer.py [--sizes 10000 100000 1000000] [--repeat 1]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synthetic import PER_DOC, generate  # noqa: E402

SCHEMES = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
PACKAGES = ("sgie", "nervaluate", "msgspec", "numpy", "scipy")
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious")


def run(cmd: list[str], stdout: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one process."""
    with open(stdout, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # Linux: KiB


def same_counts(sgie_json: Path, nerv_json: Path) -> list[str]:
    ours = json.loads(sgie_json.read_text())["entities"]
    theirs = json.loads(nerv_json.read_text())
    problems = []
    for scheme, name in SCHEMES.items():
        mine = {f: ours[scheme][f] for f in FIELDS}
        if mine != theirs["overall"][name]:
            problems.append(f"{scheme}: {mine} != {theirs['overall'][name]}")
        for label, c in ours[scheme]["per_type"].items():
            mine = {f: c[f] for f in FIELDS}
            other = theirs["per_type"].get(label, {}).get(name, dict.fromkeys(FIELDS, 0))
            if mine != other:
                problems.append(f"{scheme} {label}: {mine} != {other}")
    return problems


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal"))  # fmt: skip
    except OSError:
        mem = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem / 2**20, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "versions": {p: version(p) for p in PACKAGES}}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the fastest is kept)")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="data and raw outputs")
    parser.add_argument("--record", type=Path, default=HERE / "results.json",
                        help="where the results are written")  # fmt: skip
    args = parser.parse_args()
    sgie = str(Path(sys.executable).with_name("sgie"))
    args.out.mkdir(parents=True, exist_ok=True)
    startup = min(run([sgie, "--version"], args.out / "version.txt")[0] for _ in range(3))
    rows = []
    print(f"sgie start-up (sgie --version): {startup:.2f} s")
    print("| gold spans | documents | file MiB | sgie s | sgie peak MiB | nervaluate s | nervaluate peak MiB "
          "| speed-up | counts identical |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        folder = args.out / f"n{n}"
        gold, pred = folder / "gold.jsonl", folder / "predictions.jsonl"
        if not (gold.is_file() and pred.is_file()):
            generate(n, folder)
        size = (gold.stat().st_size + pred.stat().st_size) / 2**20
        s_runs = [run([sgie, "evaluate", "--gold", str(gold), "--predictions", str(pred), "--json"],
                      folder / "sgie.json") for _ in range(args.repeat)]  # fmt: skip
        n_runs = [run([sys.executable, str(HERE / "nervaluate_peer.py"), str(gold), str(pred)],
                      folder / "nervaluate.json") for _ in range(args.repeat)]  # fmt: skip
        (s_time, s_mem), (n_time, n_mem) = min(s_runs), min(n_runs)
        problems = same_counts(folder / "sgie.json", folder / "nervaluate.json")
        docs = -(-n // PER_DOC)
        row = {"gold_spans": n, "documents": docs, "input_mib": round(size, 1),
               "sgie_seconds": round(s_time, 2), "sgie_peak_mib": round(s_mem),
               "nervaluate_seconds": round(n_time, 2), "nervaluate_peak_mib": round(n_mem),
               "speedup": round(n_time / s_time, 2), "counts_identical": not problems,
               "problems": problems[:5]}  # fmt: skip
        rows.append(row)
        print(f"| {n:,} | {docs:,} | {size:.1f} | {s_time:.2f} | {s_mem:.0f} | {n_time:.2f} | {n_mem:.0f} "
              f"| {n_time / s_time:.2f}x | {'yes' if not problems else 'NO'} |", flush=True)
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or None  # fmt: skip
    result = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": commit,
              "machine": machine(), "startup_seconds": round(startup, 2), "per_doc": PER_DOC,
              "repeat": args.repeat, "rows": rows}  # fmt: skip
    args.record.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
