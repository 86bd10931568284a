"""Baseline submission folders: valid for the leaderboard and equal to a regeneration."""

from __future__ import annotations

import json

import pytest

from sgie.annotations.gold import load_gold
from sgie.annotations.store import load_store
from sgie.baselines.submissions import (
    ALL_IDS,
    ANNOTATOR_PROVENANCE,
    DATE,
    SUBMISSIONS,
    annotator_predictions,
    build_files,
    stale,
    system_info,
)
from sgie.cli import main
from sgie.leaderboard.submissions import load_submissions, read_system
from sgie.records import LAYER_NAMES


@pytest.fixture(scope="module")
def store(corpus):
    s = load_store(corpus=corpus)
    if not {"a", "b"} <= set(s.annotations):
        pytest.skip("annotations/export.json has no passes a and b")
    return s


def test_committed_files_equal_a_regeneration(root, corpus, store):
    """rules, empty, annotator-a and annotator-b are exactly what `sgie baselines build` writes."""
    assert stale(build_files(root, corpus, store)) == []


def test_every_system_json_is_valid(root):
    """Each folder's system.json passes the leaderboard's schema with the contract's date."""
    for system in ALL_IDS:
        info = read_system(root / SUBMISSIONS / system / "system.json")
        assert info.date == DATE
        assert info.ranked == (info.type != "annotator")
    for who in ("a", "b"):
        assert read_system(root / SUBMISSIONS / f"annotator-{who}" / "system.json").provenance == \
            ANNOTATOR_PROVENANCE  # fmt: skip


def test_leaderboard_loads_every_baseline(root, corpus):
    """The leaderboard's strict loader accepts all five folders (test, train, validation files)."""
    try:
        gold = load_gold("test")
    except Exception as err:  # noqa: BLE001 -- no gold committed yet
        pytest.skip(str(err))
    texts = {s: {d.id: d.text for d in corpus.split(s)} for s in ("train", "validation")}
    ids = {s.id for s in load_submissions(root / SUBMISSIONS, gold, texts)}
    assert set(ALL_IDS) <= ids


def test_empty_predicts_nothing_in_every_layer(root, corpus):
    """Every test document has all three layers, each an empty list."""
    lines = (root / SUBMISSIONS / "empty" / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == sorted(d.id for d in corpus.split("test"))
    assert all(r == {"id": r["id"], **{k: [] for k in LAYER_NAMES}} for r in records)


def test_annotator_rows_are_the_export(root, corpus, store):
    """annotator-x/predictions.jsonl holds exactly that pass's test documents from the export."""
    for who in ("a", "b"):
        path = root / SUBMISSIONS / f"annotator-{who}" / "predictions.jsonl"
        committed = path.read_text(encoding="utf-8")
        assert committed == annotator_predictions(who, store, corpus)
        ids = [json.loads(line)["id"] for line in committed.splitlines()]
        assert ids == sorted(d.id for d in corpus.split("test"))


def test_annotator_without_test_documents_is_an_error(corpus, store):
    """A pass missing a test document cannot make an annotator row."""
    with pytest.raises(ValueError, match="no annotations of test documents"):
        annotator_predictions("nobody", store, corpus)


def test_system_info_fields_and_unknown_id():
    """system.json has exactly the contract's fields, in order; unknown ids are refused."""
    assert list(system_info("rules")) == ["name", "description", "type", "url", "date", "layers",
                                          "ranked", "provenance"]  # fmt: skip
    assert "train (001, 002) and validation (003)" in system_info("rules")["provenance"]
    with pytest.raises(KeyError):
        system_info("nope")


def test_build_check_command(capsys):
    """`sgie baselines build --check` exits 0 on the committed tree."""
    assert main(["baselines", "build", "--check"]) == 0
    assert "stale" not in capsys.readouterr().out


def test_build_writes_into_a_tree(tmp_path, corpus, store):
    """Writing the built files into a temp tree makes them up to date there."""
    files = build_files(tmp_path, corpus, store)
    assert len(stale(files)) == len(files)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert stale(files) == []
    assert all(str(p).startswith(str(tmp_path)) for p in files)
