"""Integration tests against a real Label Studio server: push, correct, pull, refuse.

One session-scoped server (started in a temporary folder, stopped by its PID in a finalizer
even when a test fails) serves every test here; each test uses its own project. The tests
skip when ``label-studio`` is not installed, unless ``SGIE_REQUIRE_STUDIO=1`` (then they
fail). Everything they write goes to temporary folders. The pre-migrated data dir template
is built in a temporary cache unless ``SGIE_STUDIO_CACHE`` names a persistent one.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from studio_data import prediction_docs, synthetic_docs, synthetic_tasks

from sgie.annotations.config import labeling_config
from sgie.annotations.convert import doc_to_results
from sgie.annotations.store import (
    EXPORT_FILE,
    default_annotations_dir,
    normalize_result,
    task_data,
    validate_tasks,
    write_store,
)
from sgie.cli import main
from sgie.corpus.manifest import Corpus
from sgie.studio import server as studio_server
from sgie.studio.client import ServerAddress, connect, ensure_annotators, find_project

pytestmark = pytest.mark.studio


def _require_studio() -> None:
    if studio_server.is_installed():
        return
    reason = "label-studio is not installed (pip install -e '.[studio]')"
    if os.environ.get("SGIE_REQUIRE_STUDIO") == "1":
        pytest.fail(f"{reason} and SGIE_REQUIRE_STUDIO=1")
    pytest.skip(f"{reason}; set SGIE_REQUIRE_STUDIO=1 to make this a failure")


@pytest.fixture(scope="session")
def studio_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_studio()
    cache = os.environ.get("SGIE_STUDIO_CACHE") or str(tmp_path_factory.mktemp("studio-cache"))
    patch = pytest.MonkeyPatch()
    patch.setenv("SGIE_STUDIO_CACHE", cache)
    for name in ("SGIE_STUDIO_URL", "SGIE_STUDIO_TOKEN"):
        patch.delenv(name, raising=False)
    yield cache
    patch.undo()


@pytest.fixture(scope="session")
def studio(studio_cache: str) -> Iterator[studio_server.StudioServer]:
    server = studio_server.StudioServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()  # SIGTERM to its own PID, SIGKILL after a timeout


@pytest.fixture(scope="session")
def client(studio: studio_server.StudioServer) -> Any:
    return connect(ServerAddress(studio.url, str(studio.token), "test"))


def sgie(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def server_args(studio: studio_server.StudioServer, project: str) -> list[str]:
    return ["--url", studio.url, "--token", str(studio.token), "--project", project]


@pytest.fixture()
def synthetic_store(tmp_path: Path, corpus: Corpus) -> Path:
    """An annotations folder holding the synthetic export (written by the project's writer)."""
    folder = tmp_path / "annotations"
    write_store(folder / EXPORT_FILE, synthetic_tasks(corpus), corpus)
    return folder


def task_annotations(client: Any, project: str, doc_id: str) -> list[Any]:
    project_id = find_project(client, project).id
    task = next(t for t in client.tasks.list(project=project_id) if t.data["doc_id"] == doc_id)
    return list(client.annotations.list(id=task.id))


# --------------------------------------------------------------------------------------------
def test_server_is_isolated(studio: studio_server.StudioServer) -> None:
    assert studio.url.startswith("http://127.0.0.1:")
    assert studio.running() and studio.pid
    repo = studio_server.repo_root()
    for path in (studio.root, studio.data_dir):
        assert path is not None and repo not in Path(path).resolve().parents
    assert len(str(studio.token)) == 40


def test_round_trip_synthetic_is_byte_identical(
    studio: studio_server.StudioServer, synthetic_store: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    args = server_args(studio, "roundtrip-synthetic")
    code, out, err = sgie(capsys, "studio", "push", *args, "--annotations", str(synthetic_store))
    assert (code, err) == (0, ""), err
    assert "imported 5 tasks, 5 annotations, 1 predictions" in out
    pulled = tmp_path / "pulled.json"
    ours = {p.name for p in Path(tempfile.gettempdir()).glob("tmp*.json")}
    code, out, err = sgie(capsys, "studio", "pull", *args, "--output", str(pulled))
    assert (code, err) == (0, ""), err
    assert pulled.read_bytes() == (synthetic_store / EXPORT_FILE).read_bytes()
    # label-studio wrote its export file in its own TMPDIR (removed on stop), not in ours
    assert {p.name for p in Path(tempfile.gettempdir()).glob("tmp*.json")} <= ours
    assert studio.root is not None and list((studio.root / "tmp").glob("tmp*.json"))
    # pulling onto the identical file leaves it alone
    code, out, _ = sgie(capsys, "studio", "pull", *args, "--output", str(pulled))
    assert code == 0 and out.startswith("unchanged:")
    # re-push: refused while the project has tasks, then replaced without duplicates
    code, _, err = sgie(capsys, "studio", "push", *args, "--annotations", str(synthetic_store))
    assert code == 2 and "already has 5 tasks" in err and "--replace" in err
    code, out, err = sgie(capsys, "studio", "push", *args, "--annotations", str(synthetic_store),
                          "--replace")  # fmt: skip
    assert code == 0 and "deleted 5 old tasks" in out, err
    code, _, err = sgie(capsys, "studio", "pull", *args, "--output", str(pulled))
    assert code == 0, err
    assert pulled.read_bytes() == (synthetic_store / EXPORT_FILE).read_bytes()


def test_round_trip_committed_export_is_byte_identical(
    studio: studio_server.StudioServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    committed = default_annotations_dir() / EXPORT_FILE
    if not committed.is_file():
        pytest.skip(f"no committed {committed} yet (the synthetic round trip covers the path)")
    args = server_args(studio, "roundtrip-committed")
    code, _, err = sgie(capsys, "studio", "push", *args)
    assert code == 0, err
    pulled = tmp_path / "pulled.json"
    code, _, err = sgie(capsys, "studio", "pull", *args, "--output", str(pulled))
    assert code == 0, err
    assert pulled.read_bytes() == committed.read_bytes()


def test_correction_in_the_server_is_pulled(
    studio: studio_server.StudioServer, client: Any, synthetic_store: Path, tmp_path: Path,
    corpus: Corpus, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """What a reviewer does in the UI: update the gold annotation; pull brings only that."""
    args = server_args(studio, "correction")
    assert sgie(capsys, "studio", "push", *args, "--annotations", str(synthetic_store))[0] == 0
    gold = next(a for a in task_annotations(client, "correction", "000") if a.ground_truth)
    result = gold.result
    for item in result:
        if item.get("id") == "e-paris" and item["type"] == "labels":
            item["value"]["labels"] = ["LOC"]
    client.annotations.update(id=gold.id, result=result)
    export = synthetic_store / EXPORT_FILE
    before = export.read_text(encoding="utf-8")
    code, out, err = sgie(capsys, "studio", "pull", *args, "--output", str(export))
    assert code == 0 and out.startswith("wrote"), err
    store = validate_tasks(json.loads(export.read_text(encoding="utf-8")), corpus)
    paris = next(e for e in store.annotations["gold"]["000"].entities if e.id == "e-paris")
    assert paris.label == "LOC"
    original = validate_tasks(synthetic_tasks(corpus), corpus)
    assert store.annotations["a"] == original.annotations["a"]
    changed = [line for line in export.read_text(encoding="utf-8").splitlines()
               if line not in before.splitlines()]  # fmt: skip
    assert [line.strip() for line in changed] == ['"LOC"']


def test_predictions_come_back_as_predictions(
    studio: studio_server.StudioServer, client: Any, corpus: Corpus, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    docs = prediction_docs(corpus)
    predictions = tmp_path / "toy-extractor.jsonl"
    predictions.write_text("".join(json.dumps(d.to_json()) + "\n" for d in docs.values()),
                           encoding="utf-8")  # fmt: skip
    empty = tmp_path / "no-annotations"
    empty.mkdir()
    args = server_args(studio, "predictions")
    code, out, err = sgie(capsys, "studio", "push", *args, "--annotations", str(empty),
                          "--predictions", str(predictions))  # fmt: skip
    assert code == 0, err
    assert "imported 5 tasks, 0 annotations, 2 predictions" in out
    assert client.projects.get(id=find_project(client, "predictions").id).model_version == "toy-extractor"
    pulled = tmp_path / "pulled.json"
    code, out, err = sgie(capsys, "studio", "pull", *args, "--output", str(pulled))
    assert code == 0, err
    tasks = json.loads(pulled.read_text(encoding="utf-8"))
    assert sum(len(t["annotations"]) for t in tasks) == 0
    got = {t["data"]["doc_id"]: t["predictions"] for t in tasks if t["predictions"]}
    want = {i: [{"model_version": "toy-extractor", "result": normalize_result(doc_to_results(d))}]
            for i, d in docs.items()}  # fmt: skip
    assert got == want
    store = validate_tasks(tasks, corpus)
    entities = tuple(sorted(docs["002"].entities or (), key=lambda e: e.span))
    assert store.predictions["toy-extractor"]["002"].entities == entities
    # --without-predictions leaves them out
    code, _, err = sgie(capsys, "studio", "pull", *args, "--output", str(pulled), "--without-predictions")
    assert code == 0, err
    assert all(t["predictions"] == [] for t in json.loads(pulled.read_text(encoding="utf-8")))


def test_pull_refuses_a_dangling_relation(
    studio: studio_server.StudioServer, client: Any, corpus: Corpus, synthetic_store: Path,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    project = client.projects.create(title="dangling", label_config=labeling_config())
    gold_id = ensure_annotators(client)["gold"]
    doc = corpus.by_id()["000"]
    start = doc.text.index("Emmanuel Macron")
    span = {"start": start, "end": start + 15, "text": "Emmanuel Macron"}
    result = [
        {"id": "m", "from_name": "entity", "to_name": "text", "type": "labels",
         "value": {**span, "labels": ["PERSON"]}},
        {"type": "relation", "from_id": "m", "to_id": "no-such-region", "direction": "right",
         "labels": ["proposer"]},
    ]  # fmt: skip
    response = client.projects.import_tasks(id=project.id, request=[{
        "data": task_data(doc),
        "annotations": [{"completed_by": gold_id, "ground_truth": True, "result": result}],
    }])  # fmt: skip
    assert response.annotation_count == 1  # the server accepted it
    dest = synthetic_store / EXPORT_FILE
    before = dest.read_bytes()
    args = server_args(studio, "dangling")
    code, out, err = sgie(capsys, "studio", "pull", *args, "--output", str(dest))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "refusing to write" in err and "dangling 'no-such-region'" in err
    assert dest.read_bytes() == before
    assert sorted(p.name for p in dest.parent.iterdir()) == [EXPORT_FILE]  # no temp file left
    # --force writes it anyway and says why
    code, _, err = sgie(capsys, "studio", "pull", *args, "--output", str(dest), "--force")
    assert code == 0 and "fails validation" in err and "dangling" in err


def test_pull_refuses_fewer_annotations_and_unknown_users(
    studio: studio_server.StudioServer, client: Any, synthetic_store: Path, corpus: Corpus,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    args = server_args(studio, "fewer")
    assert sgie(capsys, "studio", "push", *args, "--annotations", str(synthetic_store))[0] == 0
    dest = synthetic_store / EXPORT_FILE
    before = dest.read_bytes()
    ann_b = next(a for a in task_annotations(client, "fewer", "000")
                 if a.completed_by == ensure_annotators(client)["b"])  # fmt: skip
    client.annotations.delete(id=ann_b.id)
    code, out, err = sgie(capsys, "studio", "pull", *args, "--output", str(dest))
    assert code == 2 and out == ""
    assert "the export loses regions (" in err and "b entity regions of 000: " in err and "--force" in err
    assert dest.read_bytes() == before
    # an annotation made by the admin (not an annotator account) is refused ...
    project_id = find_project(client, "fewer").id
    task = next(t for t in client.tasks.list(project=project_id) if t.data["doc_id"] == "000")
    client.annotations.create(id=task.id, result=normalize_result(
        doc_to_results(synthetic_docs(corpus)["b"]["000"])), ground_truth=False)  # fmt: skip
    code, _, err = sgie(capsys, "studio", "pull", *args, "--output", str(dest))
    assert code == 2 and "admin@sgie.invalid" in err and "--assign-others" in err
    assert dest.read_bytes() == before
    # ... unless it is assigned to an annotator: then the round trip is complete again
    code, _, err = sgie(capsys, "studio", "pull", *args, "--output", str(dest), "--assign-others", "b")
    assert code == 0, err
    assert dest.read_bytes() == before


def test_push_and_pull_errors_are_one_line(
    studio: studio_server.StudioServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.json")
    code, _, err = sgie(capsys, "studio", "pull", "--url", studio.url, "--token", "0" * 40,
                        "--output", out)  # fmt: skip
    assert code == 2 and "refused the token" in err
    code, _, err = sgie(capsys, "studio", "pull", *server_args(studio, "no-such-project"), "--output", out)
    assert code == 2 and "must exist on the server" in err
    code, _, err = sgie(capsys, "studio", "push", *server_args(studio, "ab"))
    assert code == 2 and "Label Studio refused to create or update project" in err
    assert len(err.strip().splitlines()) == 1
    assert not Path(out).exists()


def test_serve_command_runs_and_stops_on_sigterm(
    studio_cache: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """`sgie studio serve`: URL printed, push/pull find it, SIGTERM stops the server."""
    token = studio_server.generate_token()
    cache = tmp_path / "cache"  # its own state file; the migrated template copied (fast)
    template = Path(studio_cache) / "label-studio-template"
    if template.is_dir():
        shutil.copytree(template, cache / "label-studio-template")
    cache.mkdir(exist_ok=True)
    env = {**os.environ, "SGIE_STUDIO_CACHE": str(cache), "SGIE_STUDIO_TOKEN": token}
    log = open(tmp_path / "serve.out", "w+b")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "sgie.cli", "studio", "serve"], env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)  # fmt: skip
    state_file = cache / "studio" / "server.json"
    server_pid = None
    stopped_cleanly = False
    try:
        deadline = time.monotonic() + 240
        while "Press Ctrl-C" not in (tmp_path / "serve.out").read_text() and proc.poll() is None:
            assert time.monotonic() < deadline, (tmp_path / "serve.out").read_text()
            time.sleep(0.2)
        text = (tmp_path / "serve.out").read_text()
        assert proc.poll() is None, text
        assert "running at http://127.0.0.1:" in text and token not in text
        server_pid = json.loads(state_file.read_text())["pid"]
        # push and pull in "another terminal": no --url/--token, found through the state file
        monkeypatch.setenv("SGIE_STUDIO_CACHE", str(cache))
        out = tmp_path / "pulled.json"
        empty = tmp_path / "annotations"
        empty.mkdir()
        assert sgie(capsys, "studio", "push", "--annotations", str(empty))[0] == 0
        code, _, err = sgie(capsys, "studio", "pull", "--output", str(out))
        assert code == 0, err
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert "stopped Label Studio" in (tmp_path / "serve.out").read_text()
        with pytest.raises(ProcessLookupError):
            os.kill(server_pid, 0)
        assert not state_file.exists()
        stopped_cleanly = True
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if server_pid is not None and not stopped_cleanly:  # the child this test started
            try:
                os.kill(server_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        log.close()
