"""Scorer benchmark: the whole ``sgie evaluate --json`` process against nervaluate's, per shape.

For each *shape* (gold entities per document: 2, 20, 100, 1,000; ``synthetic.SHAPES``) and
each size (number of gold entity spans; default 10^5 and 10^6) it

1. generates synthetic gold and predictions (``benchmarks/synthetic.py``; cached under
   ``benchmarks/out/s<shape>/n<size>/``, which is gitignored);
2. runs, as separate processes, each timed from start to exit with its CPU time (user + system,
   of that child: ``os.wait4``), wall time and peak resident memory (``ru_maxrss``):

   * the **floor** (``benchmarks/floor.py``: read both files, decode every line with msgspec);
   * **sgie**: ``python -m sgie.cli evaluate --gold G --predictions P --json`` of this checkout
     (its output is read through a pipe; the result object is kept, a ``per_document`` section
     is counted and dropped), its modules compiled to bytecode first (``compile_bytecode``)
     and its C kernel built in place (``build_kernel``), as ``pip install`` does where a C
     compiler is found (the record says ``kernel``: whether the runs had it);
   * **nervaluate** (``benchmarks/nervaluate_peer.py``);
   * **seqeval** strict counts (``benchmarks/seqeval_peer.py``; timed too, but it counts one
     scheme only, so it is not a yardstick);

3. checks that the counts are identical: correct, incorrect, partial, missed, spurious of the
   four schemes, micro and per type, against nervaluate (``strict``/``exact``/``partial``/
   ``type`` against ``strict``/``exact``/``partial``/``ent_type``), and strict correct,
   possible and actual, micro and per type, against seqeval;
4. also times ``sgie --version`` (interpreter start-up and imports: a fixed cost of every
   ``sgie`` process).

The yardsticks are CPU times (the machine is shared, so wall time is noisy; both are
recorded): ``speedup`` = nervaluate CPU / sgie CPU, ``over_floor`` = sgie CPU / floor CPU, and
``speedup_by_floor`` = (nervaluate CPU / the floor of nervaluate's run) / ``over_floor``: the
speed-up with each side measured against the floor of its own run, which a change of the
machine's speed between the runs does not move (equal to ``speedup`` when the peers run in
the same run). The
floor and sgie run ``--repeat`` times each, alternately, and the median is kept (every run's
CPU time is recorded as ``cpu_runs``); nervaluate runs ``--peer-repeat`` times (default once:
minutes per run). It prints one Markdown row per run and writes
everything, with the machine, date and commit, to ``--record`` (default
``benchmarks/results.json``: the numbers in ``benchmarks/RESULTS.md`` and the README are
references into it, kept in sync by ``sgie prose``). ``--reuse-peers FILE`` takes the peers'
figures from an earlier record instead of running them again, for the same data (checked by
the sha256 of both files); the row then says so (``peers_from``). A benchmark, not a test: it
is not collected by pytest.

Usage: ``python benchmarks/bench_scorer.py [--shapes 2 20 100 1000] [--sizes 100000 1000000]
[--repeat 1] [--peer-repeat 1] [--record benchmarks/results.json]
[--reuse-peers benchmarks/baseline.json]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))
from synthetic import SHAPES, generate  # noqa: E402

SCHEMES = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
PACKAGES = ("sgie", "nervaluate", "seqeval", "msgspec", "numpy", "scipy")
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious")
ENV = {**os.environ, "PYTHONPATH": str(SRC)}


class Run:
    """One finished process: CPU (user + system) and wall seconds, peak RSS in MiB, and the
    bytes it wrote to stdout (``kept``: the part kept; ``size``: all of it)."""

    def __init__(self, cmd: list[str], keep_until: bytes | None = None):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        assert proc.stdout is not None and proc.stderr is not None
        kept = bytearray()
        self.size, keeping = 0, True
        while chunk := proc.stdout.read(1 << 20):
            self.size += len(chunk)
            if keeping:
                kept += chunk
                keeping = keep_until is None or keep_until not in kept[-len(chunk) - len(keep_until) :]
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        self.wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{cmd} failed: {err.decode()[-2000:]}")
        self.cpu = usage.ru_utime + usage.ru_stime
        self.peak = usage.ru_maxrss / 1024  # Linux: KiB
        self.kept = bytes(kept)


def summary(runs: list[Run]) -> dict:
    """The median CPU and wall time and peak memory of ``runs``, every CPU time, and the last
    run's output."""
    return {"cpu": round(statistics.median(r.cpu for r in runs), 2),
            "wall": round(statistics.median(r.wall for r in runs), 2),
            "peak_mib": round(statistics.median(r.peak for r in runs)),
            "cpu_runs": [round(r.cpu, 2) for r in runs],
            "output_mib": round(runs[-1].size / 2**20, 1), "_out": runs[-1].kept}  # fmt: skip


def measure(cmd: list[str], repeat: int, keep_until: bytes | None = None) -> dict:
    return summary([Run(cmd, keep_until) for _ in range(repeat)])


def measure_pair(first: list[str], second: list[str], repeat: int,
                 keep_until: bytes | None = None) -> tuple[dict, dict]:  # fmt: skip
    """Both commands ``repeat`` times, alternately (first, second, first, ...), so that a
    change of the machine's speed during the runs weighs on both alike."""
    a: list[Run] = []
    b: list[Run] = []
    for _ in range(repeat):
        a.append(Run(first))
        b.append(Run(second, keep_until))
    return summary(a), summary(b)


def result_object(out: bytes) -> dict:
    """The result object printed by ``sgie evaluate --json``, without a ``per_document``
    section (which is the last key when there is one, and may be gigabytes)."""
    cut = out.find(b'"per_document"')
    if cut < 0:
        return json.loads(out)
    return json.loads(out[:cut].rstrip().rstrip(b",") + b"}")


def nervaluate_problems(ours: dict, theirs: dict) -> list[str]:
    problems = []
    for scheme, name in SCHEMES.items():
        mine = {f: ours[scheme][f] for f in FIELDS}
        if mine != theirs["overall"][name]:
            problems.append(f"nervaluate {scheme}: {mine} != {theirs['overall'][name]}")
        for label, c in ours[scheme]["per_type"].items():
            mine = {f: c[f] for f in FIELDS}
            other = theirs["per_type"].get(label, {}).get(name, dict.fromkeys(FIELDS, 0))
            if mine != other:
                problems.append(f"nervaluate {scheme} {label}: {mine} != {other}")
    return problems


def seqeval_problems(ours: dict, theirs: dict) -> list[str]:
    def strict(c: dict) -> dict:
        return {"correct": c["correct"], "possible": c["possible"], "actual": c["actual"]}

    problems = []
    zero = {"correct": 0, "possible": 0, "actual": 0}
    if strict(ours["strict"]) != theirs["overall"]:
        problems.append(f"seqeval: {strict(ours['strict'])} != {theirs['overall']}")
    for label, c in ours["strict"]["per_type"].items():
        if strict(c) != theirs["per_type"].get(label, zero):
            problems.append(f"seqeval {label}: {strict(c)} != {theirs['per_type'].get(label, zero)}")
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


def stamp() -> dict:
    """When, at which commit and on what machine a record is made (its first keys)."""
    commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or None  # fmt: skip
    return {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": commit,
            "machine": machine()}  # fmt: skip


def compile_bytecode() -> None:
    """Compile sgie's modules to bytecode (``__pycache__``) before anything is timed, as
    ``pip install`` does: under ``PYTHONDONTWRITEBYTECODE=1`` an editable checkout would
    otherwise recompile every module edited since its bytecode was last written, in every
    timed run (about 0.1 G instructions of start-up when measured)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(SRC / "sgie")], check=True)


def build_kernel() -> bool:
    """Build sgie's optional C kernel (``sgie.scoring._kernel``) in this checkout, as ``pip
    install`` does where a C compiler is found; whether sgie, run from this checkout, has it
    (without it, sgie takes the Python path: same results, slower)."""
    subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "build_ext", "--inplace"],
                   cwd=HERE.parent, capture_output=True, check=False)  # fmt: skip
    probe = "from sgie.scoring.flatten import KERNEL; print(KERNEL is not None)"
    out = subprocess.run([sys.executable, "-c", probe], env=ENV, capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def data_files(out: Path, shape: int, n: int) -> tuple[Path, Path]:
    """The gold and predictions files of ``n`` gold spans at ``shape`` entities per document,
    generated under ``out`` (``s<shape>/n<n>/``) unless they are there."""
    folder = out / f"s{shape}" / f"n{n}"
    gold, pred = folder / "gold.jsonl", folder / "predictions.jsonl"
    if not (gold.is_file() and pred.is_file()):
        generate(n, folder, per_doc=shape)
    return gold, pred


def digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 24):
                h.update(chunk)
    return h.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", type=int, nargs="+", default=list(SHAPES),
                        help="gold entities per document")  # fmt: skip
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of the floor and of sgie, alternately (the median is kept)")
    parser.add_argument("--peer-repeat", type=int, default=1,
                        help="runs of nervaluate (the median is kept; it takes minutes per run)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE / "out", help="data and raw outputs")
    parser.add_argument("--record", type=Path, default=HERE / "results.json",
                        help="where the results are written")  # fmt: skip
    parser.add_argument("--reuse-peers", type=Path, default=None, metavar="RECORD",
                        help="take nervaluate's and seqeval's figures from this earlier record")  # fmt: skip
    args = parser.parse_args()
    earlier = {}
    if args.reuse_peers is not None:
        old = json.loads(args.reuse_peers.read_text())
        earlier = {r["data"]: (r, old["date"]) for r in old["rows"]}
    sgie = [sys.executable, "-m", "sgie.cli"]
    args.out.mkdir(parents=True, exist_ok=True)
    kernel = build_kernel()
    compile_bytecode()
    print(f"sgie's C kernel: {'built' if kernel else 'not built (the Python path)'}")
    startup = measure([*sgie, "--version"], 5)
    rows = []
    print(f"sgie start-up (sgie --version): {startup['cpu']:.2f} s CPU, {startup['wall']:.2f} s wall")
    print("| spans/doc | gold spans | docs | MiB | floor CPU s | sgie CPU s | sgie wall s | sgie MiB | "
          "nervaluate CPU s | nervaluate MiB | speed-up | by floor | x floor | counts identical |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for shape in args.shapes:
        for n in args.sizes:
            gold, pred = data_files(args.out, shape, n)
            folder = gold.parent
            data = digest(gold, pred)
            size = (gold.stat().st_size + pred.stat().st_size) / 2**20
            floor, ours = measure_pair(
                [sys.executable, str(HERE / "floor.py"), str(gold), str(pred)],
                [*sgie, "evaluate", "--gold", str(gold), "--predictions", str(pred), "--json"],
                args.repeat, keep_until=b'"per_document"')  # fmt: skip
            result = result_object(ours.pop("_out"))
            peer_floor = floor["cpu"]  # the floor measured in the peers' run
            if data in earlier:
                old_row, peers_from = earlier[data]
                nerv, seq = old_row["nervaluate"], old_row["seqeval"]
                peer_floor = old_row["floor"]["cpu"]
                nerv_counts = json.loads((folder / "nervaluate.json").read_text())
                seq_counts = json.loads((folder / "seqeval.json").read_text())
            else:
                peers_from = None
                nerv = measure([sys.executable, str(HERE / "nervaluate_peer.py"), str(gold), str(pred)],
                               args.peer_repeat)  # fmt: skip
                seq = measure([sys.executable, str(HERE / "seqeval_peer.py"), str(gold), str(pred)], 1)
                nerv_counts, seq_counts = json.loads(nerv.pop("_out")), json.loads(seq.pop("_out"))
                (folder / "nervaluate.json").write_text(json.dumps(nerv_counts))
                (folder / "seqeval.json").write_text(json.dumps(seq_counts))
            floor.pop("_out")
            problems = nervaluate_problems(result["entities"], nerv_counts)
            problems += seqeval_problems(result["entities"], seq_counts)
            docs = -(-n // shape)
            row = {"per_doc": shape, "gold_spans": n, "documents": docs, "input_mib": round(size, 1),
                   "data": data, "floor": floor, "sgie": ours, "nervaluate": nerv, "seqeval": seq,
                   "peers_from": peers_from, "speedup": round(nerv["cpu"] / ours["cpu"], 1),
                   "speedup_by_floor": round((nerv["cpu"] / peer_floor) / (ours["cpu"] / floor["cpu"]), 1),
                   "over_floor": round(ours["cpu"] / floor["cpu"], 2),
                   "counts_identical": not problems, "problems": problems[:5]}  # fmt: skip
            rows.append(row)
            print(f"| {shape:,} | {n:,} | {docs:,} | {size:.0f} | {floor['cpu']:.2f} | {ours['cpu']:.2f} "
                  f"| {ours['wall']:.2f} | {ours['peak_mib']} | {nerv['cpu']:.2f} | {nerv['peak_mib']} "
                  f"| {row['speedup']:.1f}x | {row['speedup_by_floor']:.1f}x | {row['over_floor']:.2f}x "
                  f"| {'yes' if not problems else 'NO'} |",
                  flush=True)  # fmt: skip
    startup.pop("_out")
    result = {**stamp(), "kernel": kernel, "load_average": [round(x, 2) for x in os.getloadavg()],
              "startup": startup, "repeat": args.repeat, "peer_repeat": args.peer_repeat,
              "shapes": {str(r["per_doc"]): i for i, r in enumerate(rows)
                         if r["gold_spans"] == max(args.sizes)},
              "rows": rows}  # fmt: skip
    args.record.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
