"""``sgie studio push``: put the corpus, the committed annotations and predictions in a project.

What it does
    ``push(client, ...)`` creates the project (by title, default ``SGIE``) from the committed
    ``annotations/labeling_config.xml``, or updates the config of the existing one, and imports
    in one call one task per corpus document with ``data = store.task_data(doc)`` (text,
    document id, printed metadata) and

    * the committed annotations of ``annotations/export.json`` (validated first), each with
      ``completed_by`` = the Label Studio user id of its annotator (accounts
      ``annotator-a/b/gold@sgie.invalid`` are created as organization members when absent)
      and ``ground_truth`` set explicitly (the server's default is true): true only for gold;
    * the committed predictions and, with ``predictions_file``, an extractor's output
      (the ``sgie evaluate`` predictions JSONL; a layer may be absent = not predicted) as Label Studio
      *predictions* under ``model_version`` (default: the file's stem), converted with
      ``sgie.annotations.convert.doc_to_results``; the project's ``model_version`` is set to it
      and collaborator predictions shown, so the UI pre-fills tasks for a human to correct.

    Re-push: Label Studio does not keep the ids we send, so tasks cannot be updated in place
    by id. A project that already has tasks is refused unless ``replace=True``, which first
    deletes *all* its tasks (and whatever was annotated in the UI but not pulled) and then
    imports afresh -- never duplicate tasks, never a silent loss.

What it does not do
    No server start (``sgie.studio.server``), no export (``sgie.studio.pull``), no argument
    parsing.

Inputs / outputs
    A connected client, the corpus, the annotations folder, the config file; returns a
    ``PushSummary`` (project id, counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from label_studio_sdk.client import LabelStudio

from sgie.annotations.config import default_config_path
from sgie.annotations.convert import doc_to_results
from sgie.annotations.store import (
    GOLD,
    default_annotations_dir,
    load_store,
    normalize_result,
    task_data,
    validate_tasks,
)
from sgie.corpus.manifest import Corpus
from sgie.errors import InputError
from sgie.records import DocAnnotations, JSONObject
from sgie.scoring.predictions import read_predictions
from sgie.studio.client import api_errors, ensure_annotators, find_project


@dataclass(frozen=True)
class PushSummary:
    project_id: int
    project_title: str
    created: bool
    tasks: int
    annotations: int
    predictions: int
    replaced_tasks: int


def read_predictions_file(path: Path, texts: dict[str, str]) -> dict[str, DocAnnotations]:
    """A predictions JSONL file (the ``sgie evaluate`` format), strictly parsed by the scoring
    harness's reader, so push accepts exactly what ``sgie evaluate`` accepts (text-only spans
    grounded; spans that cannot be grounded have no offsets and are left out). A layer may be
    absent (not predicted)."""
    return dict(read_predictions(path, texts).docs)


def build_tasks(
    corpus: Corpus,
    committed: list[JSONObject],
    predictions: dict[str, DocAnnotations] | None = None,
    model_version: str = "",
) -> list[JSONObject]:
    """Normalized, validated tasks to import: one per corpus document, in id order.

    ``committed`` are normalized store tasks; ``predictions`` (doc id -> records) are added
    under ``model_version``, replacing a committed prediction of the same version.
    """
    by_id = {str(t["data"]["doc_id"]): t for t in committed}  # type: ignore[index]
    unknown = sorted(set(by_id) - {d.id for d in corpus.documents})
    if unknown:
        raise InputError(f"committed tasks must be corpus documents (got {unknown})")
    tasks: list[JSONObject] = []
    for doc in corpus.documents:
        old = by_id.get(doc.id, {})
        preds = [p for p in old.get("predictions", [])  # type: ignore[union-attr]
                 if predictions is None or doc.id not in predictions
                 or p["model_version"] != model_version]  # type: ignore[index]  # fmt: skip
        if predictions and doc.id in predictions:
            preds.append({"model_version": model_version,
                          "result": normalize_result(doc_to_results(predictions[doc.id]))})  # type: ignore[arg-type]  # fmt: skip
        tasks.append({"data": task_data(doc), "annotations": list(old.get("annotations", [])),  # type: ignore[arg-type]
                      "predictions": sorted(preds, key=lambda p: str(p["model_version"]))})  # fmt: skip
    store = validate_tasks(tasks, corpus, "the tasks to push")  # type: ignore[arg-type]
    return list(store.tasks)


def import_payload(tasks: list[JSONObject], user_ids: dict[str, int]) -> list[JSONObject]:
    """Label Studio import objects: explicit ``ground_truth``, ``completed_by`` as user id."""
    payload = []
    for task in tasks:
        payload.append({
            "data": task["data"],
            "annotations": [{
                "completed_by": user_ids[str(a["completed_by"])],
                "ground_truth": a["completed_by"] == GOLD,
                "was_cancelled": False,
                "result": a["result"],
            } for a in task["annotations"]],  # type: ignore[union-attr,index]
            "predictions": [{"model_version": p["model_version"], "result": p["result"]}
                            for p in task["predictions"]],  # type: ignore[union-attr,index]  # fmt: skip
        })  # fmt: skip
    return payload


def push(
    client: LabelStudio,
    corpus: Corpus,
    *,
    project_title: str,
    annotations_dir: Path | None = None,
    config_path: Path | None = None,
    predictions_file: Path | None = None,
    model_version: str | None = None,
    replace: bool = False,
) -> PushSummary:
    config_path = config_path or default_config_path()
    try:
        label_config = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("the labeling config must exist (write it with `sgie studio config`)",
                         file=str(config_path)) from None  # fmt: skip
    store = load_store(annotations_dir or default_annotations_dir(), corpus)
    predictions = None
    if predictions_file is not None:
        predictions = read_predictions_file(predictions_file, corpus.texts())
        model_version = model_version or predictions_file.stem
    tasks = build_tasks(corpus, list(store.tasks), predictions, model_version or "")

    with api_errors(f"create or update project {project_title!r}"):
        project = find_project(client, project_title)
        created = project is None
        replaced = 0
        if project is None:
            project = client.projects.create(title=project_title, label_config=label_config,
                                             description="SGIE: corpus and annotations, pushed by "
                                             "`sgie studio push`; pull with `sgie studio pull`.")  # fmt: skip
        else:
            replaced = int(client.projects.get(id=project.id).task_number or 0)
            if replaced and not replace:
                raise InputError(f"project {project_title!r} already has {replaced} tasks: pull "
                                 f"them first (`sgie studio pull`) or pass --replace to delete "
                                 f"them and import afresh")  # fmt: skip
            if replaced:
                client.tasks.delete_all_tasks(id=project.id)
            client.projects.update(id=project.id, label_config=label_config)
    with api_errors("create the annotator accounts"):
        user_ids = ensure_annotators(client)
    payload = import_payload(tasks, user_ids)
    with api_errors(f"import {len(payload)} tasks into project {project_title!r}"):
        response = client.projects.import_tasks(id=project.id, request=payload)
    want = (len(payload), sum(len(t["annotations"]) for t in payload),
            sum(len(t["predictions"]) for t in payload))  # fmt: skip
    got = (response.task_count, response.annotation_count, response.prediction_count or 0)
    if tuple(int(x or 0) for x in got) != want:
        raise InputError(f"Label Studio must import {want[0]} tasks, {want[1]} annotations and "
                         f"{want[2]} predictions (got {got})")  # fmt: skip
    if predictions is not None:
        with api_errors(f"show model_version {model_version!r} as pre-annotations"):
            client.projects.update(id=project.id, model_version=model_version,
                                   show_collab_predictions=True)  # fmt: skip
    return PushSummary(int(project.id), project_title, created, *want, replaced)
