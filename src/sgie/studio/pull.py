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
    cyclic nesting, attribute values, ``ground_truth`` only on gold, at least one task),
    compares the regions with the file it would replace -- per annotator, layer
    (``entity``/``proposal``/``attribution`` regions) and document, ``region_counts`` /
    ``lost_regions`` -- and only then writes ``store.dumps_export`` atomically. It refuses
    (``InputError``, one line saying why and what would be lost, nothing written) when
    validation fails or any annotator would lose regions of any layer in any document (e.g.
    every region of the gold deleted in the UI: result ``[]``), unless ``force=True`` -- with
    ``force`` the export is still written (normalized) and the reason returned as a warning,
    so it can be repaired by hand.

    Service faults are one line, exit status 1 (``sgie.errors.ServiceError``): the server
    dying during the export, a download cut short (not complete JSON), an export snapshot
    that fails or times out. The file is written only after everything was downloaded and
    checked, so it is never touched by these.

What it does not do
    No server start, no import, no argument parsing.

Inputs / outputs
    A connected client, the corpus, the project title and the output path; returns a
    ``PullSummary`` (counts, whether the file changed, warnings).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from label_studio_sdk.client import LabelStudio
from label_studio_sdk.types import (
    LseTaskFilterOptionsRequest,
    SerializationOptionRequest,
    SerializationOptionsRequest,
)

from sgie.annotations.store import (
    ANNOTATORS,
    annotator_from_email,
    dumps_export,
    normalize_task,
    task_json,
    validate_tasks,
)
from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import Corpus
from sgie.errors import InputError, ServiceError, quote
from sgie.records import JSON, JSONObject
from sgie.safeio import loads, read_text
from sgie.studio.client import api_errors, find_project, member_emails, server_id
from sgie.studio.jsonview import obj, objs

#: (annotator, layer, document id) -> number of span regions
RegionCounts = Counter[tuple[str, str, str]]


@dataclass
class PullSummary:
    output: Path
    tasks: int
    annotations: dict[str, int]
    predictions: int
    previous_regions: int | None
    changed: bool
    drafts: int
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.annotations.values())


def fetch_export(client: LabelStudio, project_id: int, timeout: float = 120.0) -> list[JSON]:
    """All tasks of the project as raw Label Studio JSON, predictions with their results."""
    what = f"export project {project_id}"
    with api_errors(what):
        created = client.projects.exports.create(
            project_id, title="sgie studio pull",
            serialization_options=SerializationOptionsRequest(
                predictions=SerializationOptionRequest(only_id=False),
                drafts=SerializationOptionRequest(only_id=True)),
            task_filter_options=LseTaskFilterOptionsRequest(only_with_annotations=False),
        )  # fmt: skip
    export_id = server_id(created, "export snapshot")
    try:
        with api_errors(what):
            status = created.status
            deadline = time.monotonic() + timeout
            while status != "completed":
                if status == "failed" or time.monotonic() > deadline:
                    raise ServiceError(f"Label Studio export of project {project_id} must complete "
                                       f"(got status {status!r})")  # fmt: skip
                time.sleep(0.5)
                status = client.projects.exports.get(project_id, export_pk=export_id).status
            data = b"".join(client.projects.exports.download(project_id, export_pk=export_id,
                                                             export_type="JSON"))  # fmt: skip
    finally:
        try:
            client.projects.exports.delete(project_id, export_pk=export_id)
        except Exception:  # noqa: BLE001 - cleaning up a snapshot must not hide the real error
            pass
    try:
        tasks: JSON = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ServiceError(f"Label Studio's export of project {project_id} must be complete JSON "
                           f"(got {len(data):,} bytes: {err}; the download was cut short?); "
                           f"nothing was written") from None  # fmt: skip
    if not isinstance(tasks, list):
        raise ServiceError(f"Label Studio export must be a JSON list (got {type(tasks).__name__})")
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
    raw_tasks: Sequence[JSON], emails_by_id: Mapping[int, str], assign_others: str | None = None
) -> list[JSONObject]:
    """Raw export tasks in the store's normalized form (``InputError`` on unknown users)."""
    if assign_others is not None and assign_others not in ANNOTATORS:
        raise InputError(f"'assign_others' must be one of {list(ANNOTATORS)} (got {assign_others!r})")
    names = annotator_names(emails_by_id, assign_others)
    out = []
    for i, task in enumerate(raw_tasks):
        if not isinstance(task, dict):
            raise InputError(f"export task [{i}] must be an object (got {quote(task)})")
        doc_id = obj(task.get("data")).get("doc_id")
        for ann in objs(task.get("annotations")):
            raw = ann.get("completed_by")
            if isinstance(raw, dict):
                raw = raw.get("id", raw.get("email"))
            if not ann.get("was_cancelled") and raw not in names:
                who = emails_by_id.get(raw, f"user id {raw}") if isinstance(raw, int) else raw
                raise InputError(f"task {quote(doc_id)} has an annotation by {who}, who is not one of "
                                 f"the annotator accounts {[f'annotator-{n}@…' for n in ANNOTATORS]}; "
                                 f"pass --assign-others NAME to count it as that annotator's")  # fmt: skip
        try:
            out.append(task_json(normalize_task(task, names)))
        except InputError as err:
            raise InputError(f"task {quote(doc_id)}: {err.message}") from None
    return out


def count_annotations(tasks: Sequence[JSON]) -> int:
    return sum(1 for t in objs(list(tasks)) for a in objs(t.get("annotations")) if not a.get("was_cancelled"))


def region_counts(tasks: Sequence[JSON]) -> RegionCounts:
    """Span regions per (annotator, layer, document) -- what a pull must not lose."""
    counts: RegionCounts = Counter()
    for task in objs(list(tasks)):
        doc_id = str(obj(task.get("data")).get("doc_id"))
        for ann in objs(task.get("annotations")):
            if ann.get("was_cancelled"):
                continue
            for item in objs(ann.get("result")):
                if item.get("type") == "labels":
                    counts[(str(ann.get("completed_by")), str(item.get("from_name")), doc_id)] += 1
    return counts


def lost_regions(old: RegionCounts, new: RegionCounts) -> list[str]:
    """What ``new`` loses against ``old``, e.g. ``gold entity regions of 002: 41 -> 0``."""
    return [f"{who} {layer} regions of {doc}: {n} -> {new[(who, layer, doc)]}"
            for (who, layer, doc), n in sorted(old.items()) if new[(who, layer, doc)] < n]  # fmt: skip


def existing_tasks(path: Path) -> list[JSON] | None:
    """The tasks of the file that would be replaced (None: no file). Unreadable: InputError."""
    if not path.exists():
        return None
    try:
        tasks = loads(read_text(path), "file")
    except InputError as err:
        raise InputError(f"the existing file must be a JSON export to be replaced ({err.message}); "
                         f"pass --force to replace it anyway", file=str(path)) from None  # fmt: skip
    if not isinstance(tasks, list):
        raise InputError("the existing file must be a JSON list to be replaced; pass --force to "
                         "replace it anyway", file=str(path))  # fmt: skip
    return tasks


def _download(client: LabelStudio, project_title: str) -> list[JSON]:
    with api_errors(f"export project {project_title!r}"):
        project = find_project(client, project_title)
    if project is None:
        raise InputError(f"project {project_title!r} must exist on the server (push it "
                         f"first with `sgie studio push`)")  # fmt: skip
    return fetch_export(client, server_id(project, f"project {project_title!r}"))


def _guard(output: Path, tasks: list[JSONObject], force: bool, warnings: list[str]) -> int | None:
    """Refuse (unless ``force``) to replace ``output`` with tasks that lose regions; the number
    of regions in the file (None: no file)."""
    try:
        previous = existing_tasks(output)
    except InputError:
        if not force:
            raise
        return None
    if previous is None:
        return None
    old = region_counts(previous)
    lost = lost_regions(old, region_counts(list[JSON](tasks)))
    if lost:
        shown = "; ".join(lost[:6]) + (f"; and {len(lost) - 6} more" if len(lost) > 6 else "")
        if not force:
            raise InputError(f"refusing to replace {output}: the export loses regions ({shown}); "
                             f"pass --force to replace it anyway")  # fmt: skip
        warnings.append(f"replaced an export that loses regions (--force): {shown}")
    return sum(old.values())


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
    raw = _download(client, project_title)
    with api_errors("list the organization's members"):
        emails = member_emails(client)
    drafts = sum(len(d) for t in objs(raw) if isinstance(d := t.get("drafts"), list))
    tasks = normalize_export(raw, emails, assign_others)
    if without_predictions:
        for task in tasks:
            task["predictions"] = []
    warnings: list[str] = []
    where = f"Label Studio project {project_title!r}"
    try:
        tasks = [task_json(t) for t in validate_tasks(list[JSON](tasks), corpus, where).tasks]
    except InputError as err:
        if not force:
            raise InputError(f"refusing to write {output}: the export fails validation: {err}") from None
        warnings.append(f"wrote an export that fails validation: {err}")
    previous = _guard(output, tasks, force, warnings)
    text = dumps_export(tasks)
    try:
        changed = output.read_text(encoding="utf-8") != text
    except (OSError, UnicodeDecodeError):
        changed = True
    if changed:
        write_text_atomic(output, text)
    if drafts:
        warnings.append(f"{drafts} unsaved draft(s) in the project were not pulled: submit or "
                        "update them in the UI, then pull again")  # fmt: skip
    per_annotator = {name: sum(1 for t in tasks for a in objs(t.get("annotations"))
                               if a.get("completed_by") == name) for name in ANNOTATORS}  # fmt: skip
    predictions = sum(len(objs(t.get("predictions"))) for t in tasks)
    return PullSummary(output, len(tasks), per_annotator, predictions, previous, changed, drafts, warnings)
