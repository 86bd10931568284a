"""``sgie build``: corpus + committed export -> the dataset files, written atomically.

What it does
    ``build(repo_root, out_root)`` reads ``corpus/`` and ``annotations/export.json`` of
    ``repo_root`` (validated by ``load_store``; an absent export is an empty store, a partial
    one gives partial layers), builds the rows of every config, and writes under ``out_root``:

    * ``data/<config>/<split>.parquet`` for every config and split that has rows
      (``sgie.dataset.parquet``; ``datasets`` cannot load an empty split, so an empty split
      has no file and is not declared in the card);
    * ``README.md``: ``repo_root``'s README.md with the generated front matter and regions
      (``sgie.dataset.card``);
    * ``croissant.json`` (``sgie.dataset.croissant``).

    Everything is generated in memory first; then all files are replaced together, and Parquet
    files under ``data/`` that the build no longer produces removed, as one unit
    (``sgie.atomic.replace_together``): a failure while generating or writing leaves the
    previous files of ``out_root`` intact (a write error is one ``ServiceError`` line).

    ``check(repo_root)`` builds into a temporary folder and lists the files of ``repo_root``
    that differ from the fresh build (or are missing, or are stale Parquet files), plus the
    CHANGELOG.md problems (``sgie.dataset.version``); ``sgie build --check`` exits 1 on any.

What it does not do
    No network, no git; it never writes outside ``out_root`` (and the system temp folder for
    ``check``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sgie.annotations.store import load_store
from sgie.atomic import replace_together
from sgie.corpus.manifest import SPLITS, load_corpus
from sgie.dataset import croissant as croissant_mod
from sgie.dataset.card import CardData, SplitStats, data_path, render_readme
from sgie.dataset.features import CONFIG_LIST
from sgie.dataset.ner import Misaligned
from sgie.dataset.parquet import to_parquet
from sgie.dataset.rows import Rows, build_rows
from sgie.dataset.version import (
    CHANGELOG_FILE,
    DATASET_VERSION,
    ContentHashes,
    changelog_problems,
    content_hashes,
)

README = "README.md"
CROISSANT = "croissant.json"
DATA_DIR = "data"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    out_root: Path
    files: tuple[str, ...]  # relative paths, as written
    stats: Mapping[str, Mapping[str, SplitStats]]
    rows: Rows
    hashes: ContentHashes
    version: str
    changelog_problems: tuple[str, ...]

    @property
    def misaligned(self) -> tuple[Misaligned, ...]:
        return self.rows.misaligned


def _quiet(_: str) -> None:
    return None


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8") if path.is_file() else ""


def _stale(out_root: Path, produced: set[str]) -> list[str]:
    folder = out_root / DATA_DIR
    if not folder.is_dir():
        return []
    found = sorted(p.relative_to(out_root).as_posix() for p in folder.rglob("*.parquet"))
    return [p for p in found if p not in produced]


def build(
    repo_root: Path | str,
    out_root: Path | str | None = None,
    *,
    annotations_dir: Path | str | None = None,
    progress: Progress = _quiet,
) -> BuildResult:
    """Build the dataset of ``repo_root`` into ``out_root`` (default: ``repo_root`` itself)."""
    repo_root = Path(repo_root)
    out_root = Path(out_root) if out_root is not None else repo_root
    corpus = load_corpus(repo_root / "corpus")
    store = load_store(Path(annotations_dir) if annotations_dir else repo_root / "annotations", corpus)
    rows = build_rows(corpus, store)
    hashes = content_hashes(corpus, store)
    stats: dict[str, dict[str, SplitStats]] = {}
    sha: dict[str, str] = {}
    outputs: dict[str, bytes] = {}
    for config in CONFIG_LIST:
        for split in SPLITS:
            path = data_path(config.name, split)
            split_rows = rows.by_config[config.name][split]
            if not split_rows:  # datasets cannot load an empty split: no file, not declared
                stats.setdefault(config.name, {})[split] = SplitStats(0)
                progress(f"skipped {path}: 0 rows (an empty split has no file and is not declared)")
                continue
            data = outputs[path] = to_parquet(split_rows, config.features)
            stats.setdefault(config.name, {})[split] = SplitStats(len(split_rows))
            sha[path] = hashlib.sha256(data).hexdigest()
            progress(f"built {path}: {len(split_rows)} rows")
    card = CardData(DATASET_VERSION, hashes, stats, rows)
    outputs[README] = render_readme(_read_text(repo_root / README), card).encode("utf-8")
    progress(f"built {README}: front matter and generated regions")
    outputs[CROISSANT] = croissant_mod.dumps(croissant_mod.croissant(card, sha)).encode("utf-8")
    progress(f"built {CROISSANT}: Croissant 1.0 with the RAI fields")
    produced = list(outputs)
    stale = _stale(out_root, set(produced))
    replace_together({out_root / rel: data for rel, data in outputs.items()},
                     [out_root / rel for rel in stale])  # fmt: skip
    progress(f"wrote {len(outputs)} files together")
    for rel in stale:
        folder = (out_root / rel).parent
        if folder != out_root / DATA_DIR and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        progress(f"removed {rel}: no longer built")
    problems = changelog_problems(_read_text(repo_root / CHANGELOG_FILE), hashes)
    return BuildResult(out_root, tuple(produced), stats, rows, hashes, DATASET_VERSION, tuple(problems))


@dataclass(frozen=True)
class CheckResult:
    changed: tuple[str, ...]  # generated files that differ from (or are missing in) repo_root
    stale: tuple[str, ...]  # Parquet files in repo_root/data that the build does not produce
    changelog_problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not (self.changed or self.stale or self.changelog_problems)


def check(repo_root: Path | str, *, annotations_dir: Path | str | None = None) -> CheckResult:
    """Compare ``repo_root``'s committed dataset files with a fresh build."""
    repo_root = Path(repo_root)
    with tempfile.TemporaryDirectory(prefix="sgie-check-") as tmp:
        result = build(repo_root, Path(tmp), annotations_dir=annotations_dir)
        changed = tuple(
            rel for rel in result.files
            if not (repo_root / rel).is_file()
            or (repo_root / rel).read_bytes() != (Path(tmp) / rel).read_bytes()
        )  # fmt: skip
    stale = tuple(_stale(repo_root, set(result.files)))
    return CheckResult(changed, stale, result.changelog_problems)
