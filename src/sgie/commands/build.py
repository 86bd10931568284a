"""``sgie build`` / ``sgie build --check``: the Hugging Face dataset from corpus + export."""

from __future__ import annotations

import argparse
from pathlib import Path

from sgie.corpus.manifest import SPLITS, default_corpus_dir


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "build",
        help="build the Hugging Face dataset (data/, README.md card, croissant.json)",
        description="Build data/<config>/<split>.parquet, README.md's front matter and generated "
        "regions, and croissant.json from corpus/ and annotations/export.json only.",
    )
    p.add_argument("--root", type=Path, default=None, help="repository root (default: this one)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: the root)")
    p.add_argument("--annotations", type=Path, default=None,
                   help="annotations folder holding export.json (default: <root>/annotations)")  # fmt: skip
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if a fresh build would change any committed file "
                   "or CHANGELOG.md does not match the data")  # fmt: skip
    p.set_defaults(func=cmd_build, extra="dataset")


def _root(args: argparse.Namespace) -> Path:
    return args.root or default_corpus_dir().parent


def cmd_build(args: argparse.Namespace) -> int:
    # Imported here, not at start-up: `datasets` is slow to import and only `build` needs it.
    from sgie.dataset.build import build, check
    from sgie.dataset.features import CONFIG_LIST

    root = _root(args)
    if args.check:
        checked = check(root, annotations_dir=args.annotations)
        for rel in checked.changed:
            print(f"differs from a fresh build: {rel}")
        for rel in checked.stale:
            print(f"not produced by the build (stale): {rel}")
        for problem in checked.changelog_problems:
            print(f"changelog: {problem}")
        if checked.ok:
            print("sgie build --check: OK (committed dataset files equal a fresh build)")
            return 0
        print("sgie build --check: FAILED (run `sgie build` and commit; see CHANGELOG.md rules)")
        return 1
    out = args.out or root
    print(f"building the SGIE dataset from {root} into {out}")
    result = build(root, out, annotations_dir=args.annotations,
                   progress=lambda line: print(f"  {line}"))  # fmt: skip
    docs = [r for s in SPLITS for r in result.rows.by_config["documents"][s]]
    gold = sorted(str(r["id"]) for r in docs if r["annotated"])
    print(f"dataset version {result.version}; {len(CONFIG_LIST)} configs x {len(SPLITS)} splits")
    for config in CONFIG_LIST:
        sizes = ", ".join(f"{s}={result.stats[config.name][s].num_examples}" for s in SPLITS)
        print(f"  {config.name:13} {sizes}")
    print(f"gold: {len(gold)} of {len(docs)} documents ({', '.join(gold) or 'none yet'})")
    print(f"gold sha256 {result.hashes.gold}\ncorpus sha256 {result.hashes.corpus}")
    if result.misaligned:
        print(f"{len(result.misaligned)} gold entities are not token-aligned (untagged in `ner`):")
        for m in result.misaligned:
            print(f"  {m.doc_id} {m.entity_id} {m.label} {m.text!r}: {m.reason}")
    else:
        print("every gold entity is token-aligned (ner round-trips exactly)")
    for problem in result.changelog_problems:
        print(f"warning: {problem}")
    print(f"done: {len(result.files)} files")
    return 0
