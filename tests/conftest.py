"""Shared fixtures: the repository root, the real corpus, and an isolated copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sgie.corpus.manifest import Corpus, load_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of corpus/ in a temp dir."""
    dest = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", dest)
    return dest
