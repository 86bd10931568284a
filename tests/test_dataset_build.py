"""sgie build: deterministic bytes, committed files equal a fresh build, atomic output, CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dataset_support import KINDS, ROOT, built, write_synthetic_export

from sgie.cli import main
from sgie.corpus.manifest import load_corpus
from sgie.dataset import build as build_mod
from sgie.dataset.build import check


def _files(root: Path) -> dict[str, bytes]:
    parquet = sorted((root / "data").glob("*/*.parquet"))
    names = ["README.md", "croissant.json", *(p.relative_to(root).as_posix() for p in parquet)]
    return {n: (root / n).read_bytes() for n in names}


def test_two_builds_are_byte_identical(tmp_path):
    """Building the same inputs twice gives byte-identical files (Parquet, card, Croissant)."""
    annotations = write_synthetic_export(tmp_path / "annotations", load_corpus(ROOT / "corpus"),
                                         *KINDS["full"])  # fmt: skip
    first = build_mod.build(ROOT, tmp_path / "one", annotations_dir=annotations)
    second = build_mod.build(ROOT, tmp_path / "two", annotations_dir=annotations)
    assert first.files == second.files
    assert _files(tmp_path / "one") == _files(tmp_path / "two") == _files(built("full").out_root)


def test_committed_dataset_files_equal_a_fresh_build():
    """data/, README.md's card and croissant.json are exactly what `sgie build` writes now."""
    if not (ROOT / "data").is_dir():
        pytest.skip("no dataset committed yet")
    result = check(ROOT)
    assert result.changed == () and result.stale == (), (
        "run `sgie build` and commit the result", result)


def test_a_failed_build_leaves_the_output_untouched(tmp_path, monkeypatch):
    """An error after the Parquet files are generated writes nothing into the output folder."""
    out = tmp_path / "out"
    (out / "data" / "documents").mkdir(parents=True)
    (out / "data" / "documents" / "train.parquet").write_bytes(b"old")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def boom(*args, **kwargs):
        raise RuntimeError("croissant failed")

    monkeypatch.setattr(build_mod.croissant_mod, "croissant", boom)
    with pytest.raises(RuntimeError):
        build_mod.build(ROOT, out, annotations_dir=tmp_path / "no-annotations")
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert (out / "data" / "documents" / "train.parquet").read_bytes() == b"old"


def test_rebuild_removes_parquet_files_no_longer_built(tmp_path):
    """Configs/splits that lose all rows lose their files (and nothing else is touched)."""
    out = tmp_path / "out"
    shutil.copytree(built("full").out_root, out)
    (out / "data" / "notes.txt").write_text("keep me", encoding="utf-8")
    result = build_mod.build(ROOT, out, annotations_dir=tmp_path / "no-annotations")
    assert not (out / "data" / "entities").exists()
    assert _files(out) == _files(built("empty").out_root)
    assert (out / "data" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert "data/entities/test.parquet" not in result.files


def _repo_copy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "corpus", repo / "corpus")
    shutil.copytree(ROOT / "annotations", repo / "annotations",
                    ignore=shutil.ignore_patterns("*.md", "*.xml", "agreement.json"))  # fmt: skip
    for name in ("README.md", "CHANGELOG.md"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, repo / name)
    return repo


def test_cli_build_prints_progress_and_check_detects_changes(tmp_path, capsys):
    """`sgie build` reports each file and a summary; `--check` exits 0 when equal, 1 otherwise."""
    repo = _repo_copy(tmp_path)
    assert main(["build", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "built data/documents/test.parquet: 2 rows" in out and "done:" in out
    assert "gold:" in out and "corpus sha256" in out
    changelog_ok = (ROOT / "CHANGELOG.md").is_file() and check(repo).changelog_problems == ()
    assert main(["build", "--check", "--root", str(repo)]) == (0 if changelog_ok else 1)
    (repo / "data" / "folds" / "test.parquet").write_bytes(b"tampered")
    (repo / "data" / "stale").mkdir()
    (repo / "data" / "stale" / "train.parquet").write_bytes(b"x")
    capsys.readouterr()
    assert main(["build", "--check", "--root", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "differs from a fresh build: data/folds/test.parquet" in out
    assert "not produced by the build (stale): data/stale/train.parquet" in out
