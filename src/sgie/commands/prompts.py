"""``sgie prompts``: regenerate the guidelines' quick reference and eval/prompts/ (``--check``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sgie.annotations.guidelines import GUIDELINES_FILE, render_guidelines
from sgie.annotations.store import gold_documents
from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.prompts import PROMPTS_DIR, render_prompts


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "prompts",
        help="regenerate the quick reference of annotations/GUIDELINES.md and eval/prompts/",
    )
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 if a regeneration would change a file")  # fmt: skip
    p.set_defaults(func=cmd_prompts)


def generated_files(root: Path) -> dict[Path, str]:
    """Every file ``sgie prompts`` writes, with its content (computed before anything is written)."""
    corpus = load_corpus(default_corpus_dir())
    guidelines_path = root / GUIDELINES_FILE
    guidelines = render_guidelines(guidelines_path.read_text(encoding="utf-8"))
    prompts = render_prompts(guidelines, corpus, gold_documents(corpus=corpus))
    out = {guidelines_path: guidelines}
    out.update({root / PROMPTS_DIR / rel: text for rel, text in prompts.items()})
    return out


def stale_files(files: dict[Path, str]) -> list[Path]:
    """The files whose committed text differs from ``files`` (or that are missing)."""
    return [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]


def extra_files(root: Path, files: dict[Path, str]) -> list[Path]:
    """Files in eval/prompts/ that the generator does not write."""
    folder = root / PROMPTS_DIR
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and p not in files] if folder.is_dir() else []


def cmd_prompts(args: argparse.Namespace) -> int:
    root = default_corpus_dir().parent
    files = generated_files(root)
    stale = stale_files(files)
    extra = extra_files(root, files)
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(root)} (run `sgie prompts`)")
        for p in extra:
            print(f"not generated: {p.relative_to(root)} (run `sgie prompts`)")
        return 1 if stale or extra else 0
    for p in stale:
        write_text_atomic(p, files[p])
        print(f"wrote {p.relative_to(root)}")
    for p in extra:
        p.unlink()
        print(f"removed {p.relative_to(root)}")
    return 0
