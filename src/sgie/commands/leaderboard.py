"""``sgie leaderboard``: score every submission, bootstrap, rank, and write the leaderboard.

Parses arguments and calls ``sgie.leaderboard``; what is computed and written is documented
there (``sgie.leaderboard.build``) and in ``eval/README.md``. ``--check`` writes nothing and
exits with status 1 if a regeneration would change a committed file; ``--validate`` only
checks the submissions. Bad input raises ``InputError`` (one line, exit status 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sgie.annotations.gold import load_gold
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.errors import InputError
from sgie.leaderboard.bootstrap import RESAMPLES, SEED, Settings
from sgie.leaderboard.build import analyse
from sgie.leaderboard.clusters import UNITS
from sgie.leaderboard.outputs import check_outputs, render_outputs, write_outputs
from sgie.leaderboard.render import format_overall
from sgie.leaderboard.submissions import OTHER_SPLITS, load_submissions, validate_submissions
from sgie.safeio import check_not_inputs
from sgie.scoring.gold import read_gold


def default_eval_dir() -> Path:
    return default_corpus_dir().parent / "eval"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "leaderboard",
        help="score all submissions and write the leaderboard (tables, results, plot)",
        description="Score every eval/submissions/<system>/ on the test split, compute 95% "
        "cluster-bootstrap intervals and paired significance tests, and write eval/LEADERBOARD.md, "
        "eval/results/<system>.json, eval/leaderboard.png and the JSON Schemas "
        "eval/predictions.schema.json and eval/system.schema.json. Prints the overall table.",
    )
    p.add_argument("--submissions", type=Path, default=None, metavar="DIR",
                   help="submissions folder (default: eval/submissions)")
    p.add_argument("--output", type=Path, default=None, metavar="DIR",
                   help="where LEADERBOARD.md, results/, leaderboard.png and the schemas go "
                   "(default: eval)")
    p.add_argument("--gold", type=Path, default=None, metavar="G.jsonl",
                   help="score against this documents-format file instead of the committed "
                   "test-split gold")
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder")
    p.add_argument("--resamples", type=int, default=RESAMPLES,
                   help=f"bootstrap resamples (default: {RESAMPLES})")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    p.add_argument("--unit", choices=UNITS, default=UNITS[0],
                   help="resampling unit: paragraph (default; clusters of paragraphs, resampled within "
                   "documents) or document")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 if a regeneration would change a committed file")
    mode.add_argument("--validate", action="store_true",
                      help="only validate the submissions (system.json and predictions): list "
                      "every problem, one line each, and exit 2 if there is any")
    p.set_defaults(func=cmd_leaderboard)


def _no_submissions(submissions_dir: Path, out_dir: Path, check: bool) -> int:
    """No submission: fine for a fresh repository, but a leaderboard left in ``out_dir`` would
    list systems that are gone (``--check``: exit 1; writing: refused, nothing deleted)."""
    left = check_outputs(out_dir, {})
    if check:
        for problem in left:
            print(f"stale: {problem}")
        return 1 if left else 0
    if left:
        raise InputError(f"submissions folder {submissions_dir} must hold a submission while "
                         f"{out_dir} holds a leaderboard (got none; {len(left)} generated files "
                         f"would be left stale): restore the submissions or delete those files")  # fmt: skip
    print(f"no submissions in {submissions_dir}: nothing to do (see eval/README.md)", file=sys.stderr)
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.resamples < 1:
        raise InputError(f"'--resamples' must be >= 1 (got {args.resamples})")
    if args.seed < 0:
        raise InputError(f"'--seed' must be >= 0 (got {args.seed})")
    eval_dir = default_eval_dir()
    submissions_dir = args.submissions or eval_dir / "submissions"
    out_dir = args.output or eval_dir
    corpus = load_corpus(args.corpus or default_corpus_dir())
    gold = read_gold(args.gold) if args.gold is not None else load_gold("test", corpus.root)
    split_texts = {s: {d.id: d.text for d in corpus.split(s)} for s in OTHER_SPLITS}
    if args.validate:
        valid, invalid = validate_submissions(submissions_dir, gold, split_texts)
        for s in valid:
            print(f"ok {s.id}: {s.info.name} ({s.info.type}; layers {', '.join(s.info.layers)})")
        for bad in invalid:
            print(f"sgie: error: {bad}", file=sys.stderr)
        print(f"{len(valid)} valid submission(s) in {submissions_dir}; {len(invalid)} problem(s)")
        return 2 if invalid else 0
    subs = load_submissions(submissions_dir, gold, split_texts)
    if not subs:
        return _no_submissions(submissions_dir, out_dir, args.check)
    validation = load_gold("validation", corpus.root) if args.gold is None else None
    lb = analyse(gold, subs, Settings(resamples=args.resamples, seed=args.seed), args.unit,
                 validation=validation)  # fmt: skip
    outputs = render_outputs(lb)
    seconds = time.perf_counter() - started
    if args.check:
        problems = check_outputs(out_dir, outputs)
        for problem in problems:
            print(f"stale: {problem}")
        if problems:
            print("the committed leaderboard is out of date: run `sgie leaderboard` and commit",
                  file=sys.stderr)
            return 1
        print(f"leaderboard up to date ({len(outputs)} files, {len(subs)} systems, {seconds:.1f} s)")
        return 0
    from sgie.annotations.store import EXPORT_FILE, default_annotations_dir

    gold_files = [args.gold] if args.gold else [default_annotations_dir() / EXPORT_FILE]
    inputs = [*submissions_dir.rglob("*"), *corpus.root.rglob("*"), *gold_files]
    check_not_inputs([("--output", out_dir / rel) for rel in outputs], inputs)
    written = write_outputs(out_dir, outputs)
    print(format_overall(lb))
    print(f"wrote {len(written)} files under {out_dir} ({len(subs)} systems, {args.resamples:,} "
          f"resamples, {args.unit} clusters, {seconds:.1f} s)", file=sys.stderr)
    return 0
