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
from sgie.leaderboard.bootstrap import RESAMPLES, SEED, Settings
from sgie.leaderboard.build import analyse
from sgie.leaderboard.clusters import UNITS
from sgie.leaderboard.outputs import check_outputs, render_outputs, write_outputs
from sgie.leaderboard.render import format_overall
from sgie.leaderboard.submissions import OTHER_SPLITS, load_submissions
from sgie.scoring.gold import read_gold


def default_eval_dir() -> Path:
    return default_corpus_dir().parent / "eval"


def register(subparsers: argparse._SubParsersAction) -> None:
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
                      help="only validate the submissions (system.json and predictions)")
    p.set_defaults(func=cmd_leaderboard)


def cmd_leaderboard(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    eval_dir = default_eval_dir()
    submissions_dir = args.submissions or eval_dir / "submissions"
    out_dir = args.output or eval_dir
    corpus = load_corpus(args.corpus or default_corpus_dir())
    gold = read_gold(args.gold) if args.gold is not None else load_gold("test", corpus.root)
    split_texts = {s: {d.id: d.text for d in corpus.split(s)} for s in OTHER_SPLITS}
    subs = load_submissions(submissions_dir, gold, split_texts)
    if args.validate:
        for s in subs:
            print(f"ok {s.id}: {s.info.name} ({s.info.type}; layers {', '.join(s.info.layers)})")
        print(f"{len(subs)} valid submission(s) in {submissions_dir}")
        return 0
    if not subs:
        print(f"no submissions in {submissions_dir}: nothing to do (see eval/README.md)", file=sys.stderr)
        return 0
    lb = analyse(gold, subs, Settings(resamples=args.resamples, seed=args.seed), args.unit)
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
    written = write_outputs(out_dir, outputs)
    print(format_overall(lb))
    print(f"wrote {len(written)} files under {out_dir} ({len(subs)} systems, {args.resamples:,} "
          f"resamples, {args.unit} clusters, {seconds:.1f} s)", file=sys.stderr)
    return 0
