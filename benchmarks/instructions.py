"""Instruction counts of the floor and of ``sgie evaluate``: a yardstick the machine's drift cannot move.

CPU time on this shared machine drifts by ±20% within minutes (``benchmarks/RESULTS.md``,
Noise), so a change of a few percent cannot be seen in it. This script counts the instructions
that each process executes instead, with ``valgrind --tool=callgrind`` (about 50 times slower
than a plain run, and the same count from run to run within 0.2%;
``PYTHONHASHSEED=0`` keeps Python's dict layouts alike). For each shape (``synthetic.SHAPES``)
at ``--size`` gold spans (default 10^5: the data of ``bench_scorer.py``, generated into the same
gitignored folder if missing) it counts

* the **floor** (``benchmarks/floor.py``: read both files, decode every line with msgspec);
* **sgie**: ``python -m sgie.cli evaluate --gold G --predictions P --json`` of this checkout
  (its C kernel built in place, as ``pip install`` does where a C compiler is found);
* **sgie_python**: the same command without the kernel (``sgie.scoring.flatten.KERNEL`` set
  to ``None`` before it runs): what an install without a C compiler executes;
* **start-up** of both: the same two commands on the first line of each file (interpreter,
  imports and one tiny document), once for all shapes;

and records the counts, ``over_floor`` (sgie ÷ floor) and ``work_over_floor`` (the same ratio
with each side's start-up taken off: the work that grows with the input) with the machine,
date and commit in ``--record`` (default ``benchmarks/instructions.json``). Instructions are not time
(a cache miss costs more than an addition), so this ranks changes of the scorer; the targets
are judged on CPU time (``bench_scorer.py``). nervaluate is not counted: under valgrind it
would take hours at 1,000 entities per document. Needs ``valgrind`` on the PATH (Debian:
``apt-get install valgrind``). A benchmark, not a test: it is not collected by pytest.

Usage: ``python benchmarks/instructions.py [--shapes 2 20 100 1000] [--size 100000]
[--record benchmarks/instructions.json]``
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scorer import ENV, build_kernel, compile_bytecode, data_files, digest, stamp  # noqa: E402
from synthetic import SHAPES  # noqa: E402

COLLECTED = re.compile(rb"Collected : (\d+)")


def instructions(cmd: list[str]) -> int:
    """The instructions that ``cmd`` executes, counted by callgrind (its output discarded)."""
    env = {**ENV, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out"]
        proc = subprocess.run([*valgrind, *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                              check=False)  # fmt: skip
    found = COLLECTED.search(proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(f"{cmd} failed under valgrind: {proc.stderr.decode()[-2000:]}")
    return int(found.group(1))


def first_lines(gold: Path, pred: Path, folder: Path) -> tuple[Path, Path]:
    """Files holding the first line of ``gold`` and of ``pred``, written in ``folder``."""
    out = []
    for path in (gold, pred):
        with open(path, "rb") as fh:
            line = fh.readline()
        (folder / path.name).write_bytes(line)
        out.append(folder / path.name)
    return out[0], out[1]


#: ``sgie`` with its Python paths, as where the kernel is not built: importing
#: ``sgie.scoring._kernel`` fails, so every module that would use it takes its Python path.
WITHOUT_KERNEL = ("import sys; sys.modules['sgie.scoring._kernel'] = None; from sgie.cli import main; "
                  "sys.exit(main(sys.argv[1:]))")  # fmt: skip


def commands(gold: Path, pred: Path) -> dict[str, list[str]]:
    """The floor's command and sgie's (with and without its kernel), on ``gold`` and ``pred``."""
    evaluate = ["evaluate", "--gold", str(gold), "--predictions", str(pred), "--json"]
    return {"floor": [sys.executable, str(HERE / "floor.py"), str(gold), str(pred)],
            "sgie": [sys.executable, "-m", "sgie.cli", *evaluate],
            "sgie_python": [sys.executable, "-c", WITHOUT_KERNEL, *evaluate]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", type=int, nargs="+", default=list(SHAPES),
                        help="gold entities per document")  # fmt: skip
    parser.add_argument("--size", type=int, default=100_000, help="gold entity spans")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="data (as bench_scorer.py)")
    parser.add_argument("--record", type=Path, default=HERE / "instructions.json",
                        help="where the counts are written")  # fmt: skip
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("instructions.py: valgrind must be on the PATH (Debian: apt-get install valgrind)")
    kernel = build_kernel()
    compile_bytecode()
    rows = []
    startup: dict[str, int] = {}
    print("| spans/doc | gold spans | floor | sgie | sgie ÷ floor | the same, without start-up | "
          "sgie without its kernel |")
    print("|---|---|---|---|---|---|---|")
    for shape in args.shapes:
        gold, pred = data_files(args.out, shape, args.size)
        if not startup:
            with tempfile.TemporaryDirectory() as tmp:
                g1, p1 = first_lines(gold, pred, Path(tmp))
                startup = {k: instructions(cmd) for k, cmd in commands(g1, p1).items()}
        counts = {k: instructions(cmd) for k, cmd in commands(gold, pred).items()}
        floor, ours = counts["floor"], counts["sgie"]
        work = (ours - startup["sgie"]) / (floor - startup["floor"])
        row = {"per_doc": shape, "gold_spans": args.size, "data": digest(gold, pred), "floor": floor,
               "sgie": ours, "over_floor": round(ours / floor, 2),
               "work_over_floor": round(work, 2), "sgie_python": counts["sgie_python"],
               "python_over_floor": round(counts["sgie_python"] / floor, 2)}  # fmt: skip
        rows.append(row)
        print(f"| {shape} | {args.size:,} | {floor / 1e9:.3f} G | {ours / 1e9:.3f} G | "
              f"{row['over_floor']:.2f} | {row['work_over_floor']:.2f} | "
              f"{counts['sgie_python'] / 1e9:.3f} G |")  # fmt: skip
    valgrind = subprocess.run(["valgrind", "--version"], capture_output=True, text=True, check=False)
    record = {**stamp(), "kernel": kernel, "valgrind": valgrind.stdout.strip(), "startup": startup,
              "rows": rows}  # fmt: skip
    args.record.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {args.record} (start-up: floor {startup['floor'] / 1e9:.3f} G, "
          f"sgie {startup['sgie'] / 1e9:.3f} G instructions)")


if __name__ == "__main__":
    main()
