"""Pull's normalization without a server: determinism, volatile fields, user ids -> names.

A raw export is simulated from the synthetic store the way the server shapes it (integer
``completed_by``, server ids, timestamps, lead times, per-item ``origin``, prediction scores,
drafts, cancelled annotations) and shuffled; the normalized export must be byte-identical
to the store. Also: server discovery and the server's isolation helpers.
"""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path

import pytest
from studio_data import synthetic_tasks

from sgie.annotations.store import ANNOTATORS, annotator_email, dumps_export
from sgie.corpus.manifest import Corpus
from sgie.errors import InputError
from sgie.studio import client as studio_client
from sgie.studio import server as studio_server
from sgie.studio.pull import count_annotations, existing_tasks, normalize_export
from sgie.studio.push import build_tasks, import_payload, read_predictions_file

USER_IDS = {"a": 7, "b": 3, "gold": 12}
EMAILS = {**{uid: annotator_email(n) for n, uid in USER_IDS.items()}, 1: "admin@sgie.invalid"}


def raw_export(tasks: list[dict], seed: int) -> list[dict]:
    """What the server would export for ``tasks``, shuffled, with volatile fields."""
    rng = random.Random(seed)
    raw = []
    for n, task in enumerate(copy.deepcopy(tasks)):
        anns = []
        for k, ann in enumerate(task["annotations"]):
            result = [dict(item, origin="manual") if item["type"] != "relation"
                      else dict(item, labels=item["labels"][::-1])  # the UI keeps click order
                      for item in ann["result"]]  # fmt: skip
            rng.shuffle(result)
            anns.append({
                "id": 100 * n + k, "completed_by": USER_IDS[ann["completed_by"]], "result": result,
                "was_cancelled": False, "ground_truth": ann["ground_truth"],
                "created_at": f"2026-01-0{k + 1}T10:00:00.{seed}Z", "updated_at": "2026-02-01T00:00:00Z",
                "lead_time": rng.random() * 100, "unique_id": f"uuid-{seed}-{n}-{k}",
                "task": n, "project": 1, "updated_by": 1, "prediction": {}, "result_count": 0,
            })  # fmt: skip
        if n == 0:  # a skipped (cancelled) annotation is not an annotation
            anns.append({"id": 999, "completed_by": 1, "result": [], "was_cancelled": True,
                         "ground_truth": False})  # fmt: skip
        rng.shuffle(anns)
        preds = [{"id": 50 + n, "model_version": p["model_version"], "result": list(p["result"]),
                  "score": 0.5, "created_ago": "0 minutes", "task": n}
                 for p in task["predictions"]]  # fmt: skip
        raw.append({"id": n + 1, "inner_id": n + 1, "data": task["data"], "annotations": anns,
                    "predictions": preds, "drafts": [], "meta": {}, "total_annotations": len(anns),
                    "created_at": "2026-01-01T00:00:00Z", "project": 1})  # fmt: skip
    rng.shuffle(raw)
    return raw


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_normalization_is_deterministic(corpus: Corpus, seed: int) -> None:
    tasks = synthetic_tasks(corpus)
    expected = dumps_export(tasks)
    normalized = normalize_export(raw_export(tasks, seed), EMAILS)
    assert dumps_export(normalized) == expected


def test_push_payload_then_export_round_trips(corpus: Corpus) -> None:
    """import_payload's user ids come back as names; ground_truth is explicit (gold only)."""
    tasks = build_tasks(corpus, synthetic_tasks(corpus))
    payload = import_payload(tasks, USER_IDS)
    assert {(a["completed_by"], a["ground_truth"]) for t in payload for a in t["annotations"]} == {
        (7, False), (3, False), (12, True)}  # fmt: skip
    assert len(payload) == len(corpus.documents)
    raw = [dict(t, id=i) for i, t in enumerate(payload)]
    assert dumps_export(normalize_export(raw, EMAILS)) == dumps_export(synthetic_tasks(corpus))


def test_unknown_user_is_refused_unless_assigned(corpus: Corpus) -> None:
    raw = raw_export(synthetic_tasks(corpus), 0)
    task = next(t for t in raw if t["data"]["doc_id"] == "002")
    for ann in task["annotations"]:
        ann["completed_by"] = 1  # the admin, not an annotator account
    with pytest.raises(InputError, match="admin@sgie.invalid.*--assign-others"):
        normalize_export(raw, EMAILS)
    stranger = dict(task, annotations=[dict(task["annotations"][0], completed_by=42)])
    with pytest.raises(InputError, match="user id 42"):
        normalize_export([stranger], EMAILS)
    normalized = normalize_export(raw, EMAILS, assign_others="a")
    assert dumps_export(normalized) == dumps_export(synthetic_tasks(corpus))
    with pytest.raises(InputError, match="assign_others"):
        normalize_export(raw, EMAILS, assign_others="admin")


def test_counts_and_existing_file(tmp_path: Path, corpus: Corpus) -> None:
    tasks = synthetic_tasks(corpus)
    assert count_annotations(tasks) == 5
    assert existing_tasks(tmp_path / "absent.json") is None
    path = tmp_path / "export.json"
    path.write_text(dumps_export(tasks), encoding="utf-8")
    assert count_annotations(existing_tasks(path) or []) == 5
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="--force"):
        existing_tasks(path)


def test_resolve_server_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SGIE_STUDIO_CACHE", str(tmp_path))
    for name in ("SGIE_STUDIO_URL", "SGIE_STUDIO_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(InputError, match="sgie studio serve"):
        studio_client.resolve_server(None, None)
    path = studio_client.write_state("http://127.0.0.1:1234", "t" * 40, os.getpid())
    assert path.stat().st_mode & 0o777 == 0o600
    assert studio_client.resolve_server(None, None).url == "http://127.0.0.1:1234"
    monkeypatch.setenv("SGIE_STUDIO_URL", "http://127.0.0.1:5678/")
    monkeypatch.setenv("SGIE_STUDIO_TOKEN", "e" * 40)
    assert studio_client.resolve_server(None, None).url == "http://127.0.0.1:5678"
    got = studio_client.resolve_server("http://127.0.0.1:9", "x" * 40)
    assert (got.url, got.token) == ("http://127.0.0.1:9", "x" * 40)
    studio_client.clear_state(os.getpid())
    assert not path.exists()
    # a state file whose server is gone is ignored
    json.dump({"url": "http://127.0.0.1:1", "token": "t" * 40, "pid": 2**22 + 12345},
              path.open("w"))  # fmt: skip
    monkeypatch.delenv("SGIE_STUDIO_URL")
    monkeypatch.delenv("SGIE_STUDIO_TOKEN")
    with pytest.raises(InputError, match="no Label Studio server"):
        studio_client.resolve_server(None, None)


def test_server_isolation_helpers(tmp_path: Path) -> None:
    env = studio_server._minimal_env(tmp_path)
    assert env["HOME"] == str(tmp_path)
    assert env["LABEL_STUDIO_COLLECT_ANALYTICS"] == "false"
    assert env["LABEL_STUDIO_LATEST_VERSION_CHECK"] == "false" and env["LABEL_STUDIO_SENTRY_DSN"] == ""
    assert env["HTTPS_PROXY"].startswith("http://127.0.0.1:") and "127.0.0.1" in env["NO_PROXY"]
    assert not {k for k in env if k in ("USERNAME", "PASSWORD", "PORT", "HOST", "USER_TOKEN")}
    with pytest.raises(InputError, match="outside the repository"):
        studio_server.ensure_outside_repo(studio_server.repo_root() / "annotations", "data dir")
    studio_server.ensure_outside_repo(tmp_path, "data dir")
    assert len(studio_server.generate_token()) == 40
    with pytest.raises(InputError, match="6 to 40"):
        studio_server.check_token("x" * 41)
    assert set(ANNOTATORS) == set(USER_IDS)


def test_predictions_readers(tmp_path: Path, corpus: Corpus) -> None:
    """The predictions reader (the harness's) gives back the records written, and rejects bad lines."""
    from studio_data import prediction_docs

    docs = prediction_docs(corpus)
    path = tmp_path / "model.jsonl"
    path.write_text("".join(json.dumps(d.to_json()) + "\n" for d in docs.values()), encoding="utf-8")
    texts = corpus.texts()
    assert read_predictions_file(path, texts) == dict(docs)
    tasks = build_tasks(corpus, [], read_predictions_file(path, texts), "model")
    assert [t["data"]["doc_id"] for t in tasks if t["predictions"]] == ["000", "002"]
    path.write_text('{"id": "000", "entities": [{"id": "x", "start": 0, "end": 3, "text": "USA", '
                    '"label": "GPE"}]}\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match="line 1"):
        read_predictions_file(path, texts)
