"""``sgie corpus check`` / ``sgie corpus similarity`` / ``sgie corpus folds``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sgie.atomic import write_text_atomic
from sgie.corpus.check import SIMILARITY_FILE, check_corpus
from sgie.corpus.manifest import SPLITS, Corpus, default_corpus_dir, load_corpus
from sgie.corpus.splits import folds, similarity_report
from sgie.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    corpus = subparsers.add_parser("corpus", help="verify and describe the corpus")
    sub = corpus.add_subparsers(dest="corpus_command", metavar="ACTION", required=True)
    for name, func, text, extra in (
        ("check", cmd_check, "verify hashes, ranges, splits; print a summary", None),
        ("similarity", cmd_similarity, "recompute corpus/similarity.json", None),
        ("folds", cmd_folds, "print the leave-one-group-out folds", "dataset"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--corpus", type=Path, default=None, help="corpus folder")
        p.set_defaults(func=func, extra=extra)


def _corpus(args: argparse.Namespace) -> Corpus:
    return load_corpus(args.corpus or default_corpus_dir())


def cmd_check(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    problems = check_corpus(corpus)
    print(f"SGIE corpus: {corpus.root}")
    print(f"{'id':4} {'split':10} {'group':24} {'chars':>6} {'stories':>7}  headline")
    for d in corpus.documents:
        r = d.record
        print(f"{r.id:4} {r.split:10} {r.group:24} {len(d.text):6d} {len(r.stories):7d}  "
              f"{(r.headline or '(none printed)')[:60]}")  # fmt: skip
    sizes = ", ".join(f"{s}={len(corpus.split(s))}" for s in SPLITS)
    print(f"{len(corpus.documents)} documents ({sizes}); "
          f"{sum(len(d.text) for d in corpus.documents)} characters")  # fmt: skip
    if problems:
        for p in problems:
            print(f"FAIL {p}")
        raise InputError(f"corpus check found {len(problems)} problem(s) (see above)",
                         file=str(corpus.root))  # fmt: skip
    print("corpus check: OK (hashes, ranges, segmentation, splits, similarity)")
    return 0


def cmd_similarity(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    report = similarity_report(corpus)
    path = corpus.root / SIMILARITY_FILE
    write_text_atomic(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {path}")
    return 0


def cmd_folds(args: argparse.Namespace) -> int:
    for f in folds(_corpus(args)):
        print(f"fold {f.index}: held out {f.held_out_group}: test={','.join(f.test_ids)} "
              f"train={','.join(f.train_ids)}")  # fmt: skip
    return 0
