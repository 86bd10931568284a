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
from label_studio_sdk.types import ImportApiRequest

from sgie.annotations.config import default_config_path
from sgie.annotations.convert import doc_to_results
from sgie.annotations.store import (
    GOLD,
    default_annotations_dir,
    load_store,
    normalize_result,
    task_data,
    task_json,
    validate_tasks,
)
from sgie.corpus.manifest import Corpus
from sgie.errors import InputError, ServiceError
from sgie.records import JSON, DocAnnotations, JSONObject
from sgie.scoring.predictions import read_predictions
from sgie.studio.client import api_errors, ensure_annotators, find_project, server_id
from sgie.studio.jsonview import obj, objs


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
    by_id = {str(obj(t.get("data")).get("doc_id")): t for t in committed}
    unknown = sorted(set(by_id) - {d.id for d in corpus.documents})
    if unknown:
        raise InputError(f"committed tasks must be corpus documents (got {unknown})")
    tasks: list[JSON] = []
    for doc in corpus.documents:
        old = by_id.get(doc.id, {})
        replaced = predictions is not None and doc.id in predictions
        preds: list[JSONObject] = [p for p in objs(old.get("predictions"))
                                   if not (replaced and p.get("model_version") == model_version)]  # fmt: skip
        if predictions and doc.id in predictions:
            result: list[JSON] = [*doc_to_results(predictions[doc.id])]
            preds.append({"model_version": model_version, "result": [*normalize_result(result)]})
        preds.sort(key=lambda p: str(p.get("model_version")))
        tasks.append({"data": task_data(doc), "annotations": [*objs(old.get("annotations"))],
                      "predictions": [*preds]})  # fmt: skip
    store = validate_tasks(tasks, corpus, "the tasks to push")
    return [task_json(t) for t in store.tasks]


def import_payload(tasks: list[JSONObject], user_ids: dict[str, int]) -> list[JSONObject]:
    """Label Studio import objects: explicit ``ground_truth``, ``completed_by`` as user id."""
    payload: list[JSONObject] = []
    for task in tasks:
        annotations: list[JSON] = [{
            "completed_by": user_ids[str(a.get("completed_by"))],
            "ground_truth": a.get("completed_by") == GOLD,
            "was_cancelled": False,
            "result": a.get("result"),
        } for a in objs(task.get("annotations"))]  # fmt: skip
        predictions: list[JSON] = [{"model_version": p.get("model_version"), "result": p.get("result")}
                                   for p in objs(task.get("predictions"))]  # fmt: skip
        payload.append({"data": task.get("data"), "annotations": annotations, "predictions": predictions})
    return payload


def _counts(payload: list[JSONObject]) -> tuple[int, int, int]:
    """(tasks, annotations, predictions) in an import payload."""
    return (len(payload), sum(len(objs(t.get("annotations"))) for t in payload),
            sum(len(objs(t.get("predictions"))) for t in payload))  # fmt: skip


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


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
    tasks = build_tasks(corpus, [task_json(t) for t in store.tasks], predictions, model_version or "")

    with api_errors(f"create or update project {project_title!r}"):
        found = find_project(client, project_title)
        created = found is None
        replaced = 0
        if found is None:
            project_id = server_id(client.projects.create(
                title=project_title, label_config=label_config,
                description="SGIE: corpus and annotations, pushed by `sgie studio push`; pull "
                "with `sgie studio pull`."), f"new project {project_title!r}")  # fmt: skip
        else:
            project_id = server_id(found, f"project {project_title!r}")
            replaced = client.projects.get(id=project_id).task_number or 0
            if replaced and not replace:
                raise InputError(f"project {project_title!r} already has {replaced} tasks: pull "
                                 f"them first (`sgie studio pull`) or pass --replace to delete "
                                 f"them and import afresh")  # fmt: skip
            if replaced:
                client.tasks.delete_all_tasks(id=project_id)
            client.projects.update(id=project_id, label_config=label_config)
    with api_errors("create the annotator accounts"):
        user_ids = ensure_annotators(client)
    payload = import_payload(tasks, user_ids)
    want = _counts(payload)
    with api_errors(f"import {len(payload)} tasks into project {project_title!r}"):
        response = client.projects.import_tasks(
            id=project_id, request=[ImportApiRequest.model_construct(None, **task) for task in payload])
    # the community server answers "prediction_count" (the SDK's model names "predictions_count")
    extra: dict[str, object] = dict(response.model_extra or {})
    got = (_int(response.task_count), _int(response.annotation_count),
           _int(response.predictions_count or extra.get("prediction_count")))  # fmt: skip
    if got != want:
        raise ServiceError(f"Label Studio must import {want[0]} tasks, {want[1]} annotations and "
                           f"{want[2]} predictions (got {got})")  # fmt: skip
    if predictions is not None:
        with api_errors(f"show model_version {model_version!r} as pre-annotations"):
            client.projects.update(id=project_id, model_version=model_version,
                                   show_collab_predictions=True)  # fmt: skip
    return PushSummary(project_id, project_title, created, *want, replaced)
