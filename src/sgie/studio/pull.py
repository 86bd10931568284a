"""``sgie studio pull``: export a project and write the normalized, validated ``export.json``.

What it does
    ``fetch_export`` exports every task of the project through the SDK as Label Studio JSON
    with full predictions. (``projects.exports.as_json`` would be shorter, but on the
    community server it returns predictions as bare ids; an export snapshot created with
    ``serialization_options.predictions.only_id = false`` carries their results. The snapshot
    is deleted after download.)

    ``normalize_export`` maps each annotation's ``completed_by`` (a user id in the export)
    through the organization's members to an email and then to an annotator name (``a``,
    ``b``, ``gold``); annotations by any other user (e.g. the admin) are refused unless
    ``assign_others`` names the annotator they count for. Tasks then go through
    ``sgie.annotations.store.normalize_task`` (volatile fields such as server ids, timestamps,
    lead times and drafts dropped; stable order of tasks, annotations and results).

    ``pull`` validates the result against the corpus with the project's own rules
    (``store.validate_tasks``: texts, offsets, labels, relation endpoints, dangling relations,
    attribute values, ``ground_truth`` only on gold), compares the number of annotations with
    the file it would replace, and only then writes ``store.dumps_export`` atomically. It
    refuses (``InputError``, one line saying why, nothing written) when validation fails or
    the export has fewer annotations than the existing file, unless ``force=True`` -- with
    ``force`` an export that fails validation is still written (normalized) and the reason
    returned as a warning, so it can be repaired by hand.

What it does not do
    No server start, no import, no argument parsing.

Inputs / outputs
    A connected client, the corpus, the project title and the output path; returns a
    ``PullSummary`` (counts, whether the file changed, warnings).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from label_studio_sdk.client import LabelStudio

from sgie.annotations.store import (
    ANNOTATORS,
    annotator_from_email,
    dumps_export,
    normalize_task,
    validate_tasks,
)
from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import Corpus
from sgie.errors import InputError, quote
from sgie.records import JSON, JSONObject
from sgie.studio.client import api_errors, find_project, member_emails


@dataclass
class PullSummary:
    output: Path
    tasks: int
    annotations: dict[str, int]
    predictions: int
    previous_annotations: int | None
    changed: bool
    drafts: int
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.annotations.values())


def fetch_export(client: LabelStudio, project_id: int, timeout: float = 120.0) -> list[JSONObject]:
    """All tasks of the project as raw Label Studio JSON, predictions with their results."""
    import time

    snapshot = client.projects.exports.create(
        project_id, title="sgie studio pull",
        serialization_options={"predictions": {"only_id": False}, "drafts": {"only_id": True}},
        task_filter_options={"only_with_annotations": False},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + timeout
        while snapshot.status != "completed":
            if snapshot.status == "failed" or time.monotonic() > deadline:
                raise InputError(f"Label Studio export of project {project_id} must complete "
                                 f"(got status {snapshot.status!r})")  # fmt: skip
            time.sleep(0.5)
            snapshot = client.projects.exports.get(project_id, export_pk=snapshot.id)
        data = b"".join(client.projects.exports.download(project_id, export_pk=snapshot.id,
                                                         export_type="JSON"))  # fmt: skip
    finally:
        try:
            client.projects.exports.delete(project_id, export_pk=snapshot.id)
        except Exception:  # noqa: BLE001 - cleaning up a snapshot must not hide the real error
            pass
    tasks = json.loads(data)
    if not isinstance(tasks, list):
        raise InputError(f"Label Studio export must be a JSON list (got {type(tasks).__name__})")
    return tasks


def annotator_names(
    emails_by_id: Mapping[int, str], assign_others: str | None = None
) -> dict[JSON, str]:
    """Raw ``completed_by`` value (user id or email) -> annotator name."""
    names: dict[JSON, str] = {}
    for uid, email in emails_by_id.items():
        name = annotator_from_email(email) or assign_others
        if name is not None:
            names[uid] = name
            names[email] = name
    return names


def normalize_export(
    raw_tasks: list[JSON], emails_by_id: Mapping[int, str], assign_others: str | None = None
) -> list[JSONObject]:
    """Raw export tasks in the store's normalized form (``InputError`` on unknown users)."""
    if assign_others is not None and assign_others not in ANNOTATORS:
        raise InputError(f"'assign_others' must be one of {list(ANNOTATORS)} (got {assign_others!r})")
    names = annotator_names(emails_by_id, assign_others)
    out = []
    for i, task in enumerate(raw_tasks):
        if not isinstance(task, dict):
            raise InputError(f"export task [{i}] must be an object (got {quote(task)})")
        doc_id = task.get("data", {}).get("doc_id") if isinstance(task.get("data"), dict) else None
        for ann in task.get("annotations") or []:
            raw = ann.get("completed_by") if isinstance(ann, dict) else None
            if isinstance(raw, dict):
                raw = raw.get("id", raw.get("email"))
            if isinstance(ann, dict) and not ann.get("was_cancelled") and raw not in names:
                who = emails_by_id.get(raw, f"user id {raw}") if isinstance(raw, int) else raw
                raise InputError(f"task {quote(doc_id)} has an annotation by {who}, who is not one of "
                                 f"the annotator accounts {[f'annotator-{n}@…' for n in ANNOTATORS]}; "
                                 f"pass --assign-others NAME to count it as that annotator's")  # fmt: skip
        try:
            out.append(normalize_task(task, names))
        except InputError as err:
            raise InputError(f"task {quote(doc_id)}: {err.message}") from None
    return out


def count_annotations(tasks: list[JSONObject]) -> int:
    return sum(
        len([a for a in t.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")])
        for t in tasks
        if isinstance(t, dict)
    )


def existing_count(path: Path) -> int | None:
    """Annotations in the file that would be replaced (None: no file). Unreadable: InputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"the existing file must be a JSON export to be replaced ({err.msg}); "
                         f"pass --force to replace it anyway", file=str(path)) from None  # fmt: skip
    if not isinstance(tasks, list):
        raise InputError("the existing file must be a JSON list to be replaced; pass --force to "
                         "replace it anyway", file=str(path))  # fmt: skip
    return count_annotations(tasks)


def pull(
    client: LabelStudio,
    corpus: Corpus,
    *,
    project_title: str,
    output: Path,
    force: bool = False,
    assign_others: str | None = None,
    without_predictions: bool = False,
) -> PullSummary:
    with api_errors(f"export project {project_title!r}"):
        project = find_project(client, project_title)
        if project is None:
            raise InputError(f"project {project_title!r} must exist on the server (push it "
                             f"first with `sgie studio push`)")  # fmt: skip
        raw = fetch_export(client, int(project.id))
        emails = member_emails(client)
    drafts = sum(len(t.get("drafts") or []) for t in raw if isinstance(t, dict))
    tasks = normalize_export(raw, emails, assign_others)
    if without_predictions:
        for task in tasks:
            task["predictions"] = []
    warnings: list[str] = []
    where = f"Label Studio project {project_title!r}"
    try:
        tasks = list(validate_tasks(tasks, corpus, where).tasks)  # type: ignore[arg-type]
    except InputError as err:
        if not force:
            raise InputError(f"refusing to write {output}: the export fails validation: {err}") from None
        warnings.append(f"wrote an export that fails validation: {err}")
    previous = None
    try:
        previous = existing_count(output)
    except InputError:
        if not force:
            raise
    new = count_annotations(tasks)
    if previous is not None and new < previous:
        if not force:
            raise InputError(f"refusing to replace {output}: the export has {new} annotations, "
                             f"fewer than the {previous} in the file (pass --force to replace "
                             f"it anyway)")  # fmt: skip
        warnings.append(f"replaced {previous} annotations with {new} (--force)")
    text = dumps_export(tasks)
    try:
        changed = output.read_text(encoding="utf-8") != text
    except OSError:
        changed = True
    if changed:
        write_text_atomic(output, text)
    if drafts:
        warnings.append(f"{drafts} unsaved draft(s) in the project were not pulled: submit or "
                        "update them in the UI, then pull again")  # fmt: skip
    per_annotator = {name: sum(1 for t in tasks for a in t["annotations"]  # type: ignore[union-attr]
                               if a["completed_by"] == name) for name in ANNOTATORS}  # type: ignore[index]  # fmt: skip
    return PullSummary(output, len(tasks), per_annotator,
                       sum(len(t["predictions"]) for t in tasks), previous, changed, drafts,  # type: ignore[arg-type]
                       warnings)  # fmt: skip
