"""Export validation refuses what would build and fail later, or wipe the gold: self-nested and
cyclic attributions, an export of ``[]``, a byte that is not UTF-8, and a changed corpus file
is blamed on the corpus, not the export. Each: one line, exit 2, nothing written."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgie.annotations.store import load_store
from sgie.cli import main
from sgie.corpus.manifest import Corpus
from sgie.nesting import nesting_cycle

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------------------------
# The cycle rule
# --------------------------------------------------------------------------------------------
def test_nesting_cycle_examples() -> None:
    """Self-nesting, a 2-cycle and a 3-cycle are found; chains and dangling parents are not cycles."""
    assert nesting_cycle({"a1": "a1"}) == ("a1", "a1")
    assert nesting_cycle({"a10": "a11", "a11": "a10", "a0": None}) == ("a10", "a11", "a10")
    assert nesting_cycle({"x": "y", "y": "z", "z": "y"}) == ("y", "z", "y")
    assert nesting_cycle({"a": "b", "b": "c", "c": None, "d": "gone"}) is None
    assert nesting_cycle({}) is None


IDS = st.sampled_from(["a", "b", "c", "d", "e"])


@given(st.dictionaries(IDS, st.one_of(st.none(), IDS, st.just("elsewhere"))))
def test_nesting_cycle_agrees_with_brute_force(parents: dict[str, str | None]) -> None:
    """A cycle is reported iff some id reaches itself by following parents; what is reported is one."""

    def reaches_itself(start: str) -> bool:
        node = parents.get(start)
        for _ in range(len(parents)):
            if node == start:
                return True
            node = parents.get(node) if node is not None else None
        return False

    cycle = nesting_cycle(parents)
    assert (cycle is not None) == any(reaches_itself(k) for k in parents)
    if cycle is not None:
        assert cycle[0] == cycle[-1] and all(parents[x] == y for x, y in zip(cycle, cycle[1:]))


# --------------------------------------------------------------------------------------------
# Faulty exports, through the commands that validate them
# --------------------------------------------------------------------------------------------
def export_tasks() -> list[dict]:
    return json.loads((ROOT / "annotations" / "export.json").read_text(encoding="utf-8"))


def gold_result(tasks: list[dict], doc_id: str) -> list[dict]:
    task = next(t for t in tasks if t["data"]["doc_id"] == doc_id)
    return next(a for a in task["annotations"] if a["completed_by"] == "gold")["result"]


def nested(result: list[dict]) -> list[tuple[str, str]]:
    return [(r["from_id"], r["to_id"]) for r in result
            if r["type"] == "relation" and "nested_in" in r["labels"]]  # fmt: skip


def self_nested(tasks: list[dict]) -> list[dict]:
    result = gold_result(tasks, "002")
    child, _ = nested(result)[0]
    for r in result:
        if r["type"] == "relation" and (r["from_id"], "nested_in") == (child, r["labels"][0]):
            r["to_id"] = child  # the cue nested in itself
    return tasks


def two_cycle(tasks: list[dict]) -> list[dict]:
    result = gold_result(tasks, "002")
    children = {c for c, _ in nested(result)}
    child, parent = next((c, p) for c, p in nested(result) if p not in children)
    result.append({"type": "relation", "from_id": parent, "to_id": child, "direction": "right",
                   "labels": ["nested_in"]})  # fmt: skip
    return tasks


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository copy: corpus/, annotations/export.json, README.md, CHANGELOG.md and a
    previous build output marker in data/."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    (tmp_path / "annotations").mkdir()
    shutil.copy(ROOT / "annotations" / "export.json", tmp_path / "annotations" / "export.json")
    for name in ("README.md", "CHANGELOG.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "data" / "documents").mkdir(parents=True)
    (tmp_path / "data" / "documents" / "test.parquet").write_bytes(b"previous gold")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refused(capsys: pytest.CaptureFixture[str], argv: list[str], repo: Path, *needles: str) -> None:
    """``argv`` exits 2 with one line holding every needle, and nothing in ``repo`` changed."""
    before = snapshot(repo)
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err
    assert snapshot(repo) == before


@pytest.mark.parametrize("fault", [self_nested, two_cycle], ids=["self", "a10<->a11"])
def test_cyclic_nesting_is_refused_by_build_agreement_and_summary(
    repo: Path, capsys: pytest.CaptureFixture[str], fault: Callable[[list[dict]], list[dict]]
) -> None:
    """A cue nested in itself, or two attributions nested in each other, fail export validation."""
    export = repo / "annotations" / "export.json"
    export.write_text(json.dumps(fault(export_tasks())), encoding="utf-8")
    for argv in (["build", "--root", str(repo)], ["agreement", "--annotations", str(repo / "annotations")],
                 ["annotations", "summary", "--annotations", str(repo / "annotations")]):  # fmt: skip
        refused(capsys, argv, repo, "must not form a cycle", "task '002' annotator 'gold'")


def test_annotations_validate_refuses_a_two_cycle(
    tmp_path: Path, corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    """`sgie annotations validate` on a documents-format file with a10 <-> a11: exit 2."""
    gold = load_store(ROOT / "annotations", corpus).annotations["gold"]
    doc = gold["002"].to_json()
    child = next(a for a in doc["attributions"] if a["parent_id"] is not None)
    parent = next(a for a in doc["attributions"] if a["id"] == child["parent_id"])
    parent["parent_id"] = child["id"]
    path = tmp_path / "pass.jsonl"
    lines = [json.dumps(doc if k == "002" else gold[k].to_json()) for k in sorted(gold)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused(capsys, ["annotations", "validate", str(path)], tmp_path, "must not form a cycle")


def test_an_empty_export_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An export of [] would build a dataset without gold: build and agreement refuse it."""
    (repo / "annotations" / "export.json").write_text("[]\n", encoding="utf-8")
    refused(capsys, ["build", "--root", str(repo)], repo, "got []", "export.json")
    refused(capsys, ["agreement", "--annotations", str(repo / "annotations")], repo, "got []")


def test_a_latin1_byte_in_the_export_names_its_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A byte that is not UTF-8: one line naming the byte, the file and the line."""
    export = repo / "annotations" / "export.json"
    data = export.read_bytes()
    cut = data.index(b"\n", 1000)
    export.write_bytes(data[:cut] + b" caf\xe9" + data[cut:])
    line = data[:cut].count(b"\n") + 1
    refused(capsys, ["build", "--root", str(repo)], repo, "must be UTF-8 (got byte 0xe9",
            f"export.json line {line}")  # fmt: skip


def test_a_changed_corpus_file_is_blamed_on_the_corpus(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One changed character in a raw file: the error names the raw file and its hash, not the
    export; an invalid UTF-8 byte there likewise."""
    manifest = [json.loads(line) for line in (repo / "corpus" / "documents.jsonl").read_text().splitlines()]
    record = manifest[2]
    raw = repo / "corpus" / record["source_file"]
    data = bytearray(raw.read_bytes())
    pos = record["raw_start"] + 40
    data[pos] = ord("Q") if data[pos] != ord("Q") else ord("R")
    raw.write_bytes(bytes(data))
    refused(capsys, ["build", "--root", str(repo)], repo, record["source_file"], "'sha256'",
            "the corpus file changed")  # fmt: skip
    data[pos] = 0xFF
    raw.write_bytes(bytes(data))
    refused(capsys, ["build", "--root", str(repo)], repo, record["source_file"], "must be UTF-8")
