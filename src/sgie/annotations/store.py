"""The committed annotation store: ``annotations/export.json``, a normalized Label Studio export.

What it does
    The export is the single source of truth for all annotations. It is a JSON list of tasks,
    one per corpus document, sorted by document id::

        [{"data": {"doc_id", "text", <document metadata>},
          "annotations": [{"completed_by": "a" | "b" | "gold", "ground_truth": bool,
                           "was_cancelled": false, "result": [<Label Studio result items>]}],
          "predictions": [{"model_version": str, "result": [...]}]}]

    Normalization (``normalize_task``) makes it deterministic: server ids, timestamps and other
    volatile fields are dropped, ``completed_by`` is the annotator's name (``a``, ``b``,
    ``gold``; Label Studio users ``<name>@sgie.invalid``), annotations are ordered a, b, gold,
    result items are ordered (spans and choices by id and control, then relations), and the
    file is written with sorted keys, two-space indent and a final newline.

    ``load_store`` reads and fully validates it against the corpus (task text equals the
    document text; every result list passes ``sgie.annotations.convert.results_to_doc``);
    ``gold_documents`` / ``annotator_documents`` give typed records for other rooms.
    ``ingest_documents`` puts an annotator's documents-format records into the store.

What it does not do
    No server calls (``sgie.studio``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from sgie import schema
from sgie.annotations.convert import doc_to_results, results_to_doc
from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import Corpus, Document, default_corpus_dir, load_corpus
from sgie.errors import InputError, quote
from sgie.records import JSON, DocAnnotations, JSONObject, expect_list, expect_object, expect_str
from sgie.safeio import display_name, read_json

EXPORT_FILE = "export.json"
ANNOTATORS: tuple[str, ...] = ("a", "b", "gold")
EMAIL_DOMAIN = "sgie.invalid"
GOLD = "gold"


class Annotation(TypedDict):
    """One annotator's annotation of a task, normalized."""

    completed_by: str  # an annotator name: a, b or gold
    ground_truth: bool
    was_cancelled: bool
    result: list[JSONObject]  # Label Studio result items (checked by sgie.annotations.convert)


class Prediction(TypedDict):
    """A model's predictions on a task, normalized."""

    model_version: str
    result: list[JSONObject]


class Task(TypedDict):
    """A normalized task of the export: one corpus document with its annotations."""

    data: JSONObject
    annotations: list[Annotation]
    predictions: list[Prediction]


def annotator_email(name: str) -> str:
    return f"annotator-{name}@{EMAIL_DOMAIN}"


def annotator_from_email(email: str) -> str | None:
    for name in ANNOTATORS:
        if email == annotator_email(name):
            return name
    return None


def default_annotations_dir() -> Path:
    return default_corpus_dir().parent / "annotations"


def task_data(doc: Document) -> JSONObject:
    """The ``data`` of a document's Label Studio task: text, id and printed metadata."""
    r = doc.record
    return {
        "doc_id": r.id,
        "text": doc.text,
        "source_file": r.source_file,
        "raw_start": r.raw_start,
        "split": r.split,
        "headline": r.headline,
        "outlet": r.outlet,
        "date_as_printed": r.date_as_printed,
    }


def _result_key(item: JSONObject) -> tuple[int, str, str, str, int]:
    if item.get("type") == "relation":
        return (1, str(item.get("from_id")), str(item.get("to_id")), str(item.get("labels")), 0)
    value = item.get("value")
    start = value.get("start") if isinstance(value, dict) else None
    control_order = "0" if item.get("type") == "labels" else "1"
    return (0, str(item.get("id")), control_order, str(item.get("from_name")),
            start if isinstance(start, int) else 0)  # fmt: skip


RESULT_KEYS = ("id", "from_name", "to_name", "type", "value", "from_id", "to_id", "direction",
               "labels")  # fmt: skip


def _relation_label_key(label: JSON) -> tuple[int, int, str]:
    if isinstance(label, str) and label in schema.RELATION_LABELS:
        return (0, schema.RELATION_LABELS.index(label), "")
    return (1, 0, str(label))  # unknown: kept (after the known ones) for validation to report


def normalize_result(items: Sequence[JSON]) -> list[JSONObject]:
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise InputError(f"result item must be an object (got {quote(item)})")
        kept = {k: item[k] for k in RESULT_KEYS if k in item}
        if kept.get("type") == "relation":
            kept.setdefault("direction", "right")
            kept.setdefault("labels", [])
            if isinstance(kept["labels"], list):  # the UI keeps click order: use schema order
                kept["labels"] = sorted(kept["labels"], key=_relation_label_key)
        out.append(kept)
    return sorted(out, key=_result_key)


def normalize_task(
    task: Mapping[str, JSON], annotator_of: Mapping[JSON, str] | None = None
) -> Task:
    """A task from a Label Studio JSON export (or from this store) in normalized form.

    ``annotator_of`` maps a raw ``completed_by`` (integer id or email) to an annotator name;
    names already normalized pass through.
    """
    data = expect_object(task.get("data"), "data", ("doc_id", "text"), (
        "source_file", "raw_start", "split", "headline", "outlet", "date_as_printed"))  # fmt: skip
    annotations: list[Annotation] = []
    for i, ann in enumerate(expect_list(task.get("annotations", []), "annotations")):
        if not isinstance(ann, dict):
            raise InputError(f"'annotations[{i}]' must be an object (got {quote(ann)})")
        if ann.get("was_cancelled"):
            continue
        raw = ann.get("completed_by")
        if isinstance(raw, dict):  # some export shapes nest the user
            raw = raw.get("email", raw.get("id"))
        name = raw if isinstance(raw, str) and raw in ANNOTATORS else None
        if name is None and isinstance(raw, str | int) and annotator_of:
            name = annotator_of.get(raw)
        if name is None:
            raise InputError(f"'annotations[{i}].completed_by' must be one of the annotators "
                             f"{list(ANNOTATORS)} (got {quote(raw)})")  # fmt: skip
        annotations.append({
            "completed_by": name,
            "ground_truth": bool(ann.get("ground_truth", False)),
            "was_cancelled": False,
            "result": normalize_result(expect_list(ann.get("result", []), f"annotations[{i}].result")),
        })  # fmt: skip
    annotations.sort(key=lambda a: ANNOTATORS.index(a["completed_by"]))
    predictions: list[Prediction] = []
    for i, pred in enumerate(expect_list(task.get("predictions", []), "predictions")):
        if not isinstance(pred, dict):
            raise InputError(f"'predictions[{i}]' must be an object (got {quote(pred)})")
        predictions.append({
            "model_version": str(pred.get("model_version") or ""),
            "result": normalize_result(expect_list(pred.get("result", []), f"predictions[{i}].result")),
        })  # fmt: skip
    predictions.sort(key=lambda p: p["model_version"])
    return {"data": dict(data), "annotations": annotations, "predictions": predictions}


def _doc_id(task: Mapping[str, object]) -> str:
    data = task["data"]
    return str(data["doc_id"]) if isinstance(data, dict) else ""


def dumps_export(tasks: Sequence[Task] | Sequence[JSONObject]) -> str:
    """The export file's text: tasks by document id, sorted keys, two-space indent."""
    ordered = sorted(tasks, key=_doc_id)
    return json.dumps(ordered, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def task_json(task: Task) -> JSONObject:
    """``task`` as a plain JSON object (what ``validate_tasks`` reads)."""
    annotations: list[JSON] = [
        {"completed_by": a["completed_by"], "ground_truth": a["ground_truth"],
         "was_cancelled": a["was_cancelled"], "result": [*a["result"]]}
        for a in task["annotations"]
    ]  # fmt: skip
    predictions: list[JSON] = [
        {"model_version": p["model_version"], "result": [*p["result"]]} for p in task["predictions"]
    ]
    return {"data": task["data"], "annotations": annotations, "predictions": predictions}


@dataclass(frozen=True)
class Store:
    """A validated export: typed annotations per annotator and document."""

    tasks: tuple[Task, ...]
    annotations: Mapping[str, Mapping[str, DocAnnotations]]  # annotator -> doc id -> records
    predictions: Mapping[str, Mapping[str, DocAnnotations]]  # model_version -> doc id -> records

    def count(self) -> int:
        return sum(len(docs) for docs in self.annotations.values())


def _records(
    result: Sequence[JSONObject], doc_id: str, text: str, who: str, source: str
) -> DocAnnotations:
    """One result list as records; an error names the task and the annotator or model."""
    items: list[JSON] = [*result]
    try:
        return results_to_doc(items, doc_id, text)
    except InputError as err:
        raise InputError(f"task {quote(doc_id)} {who}: {err.message}", file=source) from None


def check_raw_file(corpus: Corpus, doc_id: str) -> None:
    """``InputError`` naming the raw file if its sha256 is not the pinned one (so that a changed
    corpus file is not blamed on the export)."""
    record = corpus.by_id()[doc_id].record
    path = corpus.root / record.source_file
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != record.sha256:
        raise InputError(f"'sha256' of the raw file of document {quote(doc_id)} must be {record.sha256} "
                         f"(got {digest}): the corpus file changed, not the export",
                         file=str(path))  # fmt: skip


def validate_tasks(tasks: Sequence[JSON], corpus: Corpus, source: str = EXPORT_FILE) -> Store:
    """Validate normalized tasks against the corpus; ``InputError`` names task and annotator."""
    docs = corpus.by_id()
    if not tasks:
        raise InputError("export must hold a task per annotated document (got [], which would "
                         "delete every annotation)", file=source)  # fmt: skip
    by_annotator: dict[str, dict[str, DocAnnotations]] = {}
    by_model: dict[str, dict[str, DocAnnotations]] = {}
    seen: set[str] = set()
    normalized: list[Task] = []
    for t, task in enumerate(tasks):
        if not isinstance(task, dict):
            raise InputError(f"'[{t}]' must be a task object (got {quote(task)})", file=source)
        norm = normalize_task(task)
        data = norm["data"]
        doc_id = expect_str(data["doc_id"], f"[{t}].data.doc_id")
        if doc_id not in docs:
            raise InputError(f"'[{t}].data.doc_id' must be a corpus document id {sorted(docs)} "
                             f"(got {quote(doc_id)})", file=source)  # fmt: skip
        if doc_id in seen:
            raise InputError(f"'[{t}].data.doc_id' must be unique (got {quote(doc_id)} again)", file=source)
        seen.add(doc_id)
        if data["text"] != docs[doc_id].text:
            check_raw_file(corpus, doc_id)
            raise InputError(f"'[{t}].data.text' of {quote(doc_id)} must equal the corpus text",
                             file=source)  # fmt: skip
        names = [a["completed_by"] for a in norm["annotations"]]
        if len(names) != len(set(names)):
            raise InputError(f"task {quote(doc_id)} must have one annotation per annotator "
                             f"(got {quote(names)})", file=source)  # fmt: skip
        for ann in norm["annotations"]:
            name = ann["completed_by"]
            if ann["ground_truth"] != (name == GOLD):
                raise InputError(f"'ground_truth' of {quote(name)} on task {quote(doc_id)} must be "
                                 f"{name == GOLD} (got {ann['ground_truth']})", file=source)  # fmt: skip
            by_annotator.setdefault(name, {})[doc_id] = _records(
                ann["result"], doc_id, docs[doc_id].text, f"annotator {quote(name)}", source)  # fmt: skip
        for pred in norm["predictions"]:
            version = pred["model_version"]
            by_model.setdefault(version, {})[doc_id] = _records(
                pred["result"], doc_id, docs[doc_id].text, f"prediction {quote(version)}", source,
            )  # fmt: skip
        normalized.append(norm)
    return Store(tuple(normalized), by_annotator, by_model)


def store_path(annotations_dir: Path | str | None = None) -> Path:
    """Where the export of ``annotations_dir`` (default: the repository's) lives."""
    return (Path(annotations_dir) if annotations_dir else default_annotations_dir()) / EXPORT_FILE


def load_store(annotations_dir: Path | str | None = None, corpus: Corpus | None = None) -> Store:
    """The committed export, validated. An absent export is an empty store."""
    corpus = corpus or load_corpus(default_corpus_dir())
    path = store_path(annotations_dir)
    if not path.is_file():
        return Store((), {}, {})
    return validate_tasks(expect_list(read_json(path), "export"), corpus, display_name(path))


def annotator_documents(
    name: str, annotations_dir: Path | str | None = None, corpus: Corpus | None = None
) -> dict[str, DocAnnotations]:
    """Annotator ``name``'s documents (``a``, ``b`` or ``gold``); empty if none committed."""
    return dict(load_store(annotations_dir, corpus).annotations.get(name, {}))


def gold_documents(
    annotations_dir: Path | str | None = None, corpus: Corpus | None = None
) -> dict[str, DocAnnotations]:
    """The adjudicated gold, per document id."""
    return annotator_documents(GOLD, annotations_dir, corpus)


def ingest_documents(
    tasks: Sequence[Task], corpus: Corpus, annotator: str, docs: Mapping[str, DocAnnotations]
) -> list[Task]:
    """``tasks`` with ``annotator``'s annotation replaced by ``docs`` (tasks created as needed)."""
    if annotator not in ANNOTATORS:
        raise InputError(f"'annotator' must be one of {list(ANNOTATORS)} (got {quote(annotator)})")
    by_id = {str(t["data"]["doc_id"]): normalize_task(task_json(t)) for t in tasks}
    for document in corpus.documents:
        by_id.setdefault(document.id, {"data": task_data(document), "annotations": [], "predictions": []})
    for doc_id, doc in docs.items():
        task = by_id[doc_id]
        anns = [a for a in task["annotations"] if a["completed_by"] != annotator]
        anns.append({"completed_by": annotator, "ground_truth": annotator == GOLD,
                     "was_cancelled": False, "result": normalize_result([*doc_to_results(doc)])})  # fmt: skip
        task["annotations"] = sorted(anns, key=lambda a: ANNOTATORS.index(a["completed_by"]))
    return [by_id[k] for k in sorted(by_id)]


def revalidate(tasks: Sequence[Task], corpus: Corpus, source: str) -> Store:
    """``validate_tasks`` for tasks already in normalized form (e.g. after an ingest)."""
    return validate_tasks([task_json(t) for t in tasks], corpus, source)


def write_store(path: Path, tasks: Sequence[Task], corpus: Corpus) -> Store:
    """Validate ``tasks`` and write them atomically; nothing is written if validation fails."""
    store = revalidate(tasks, corpus, display_name(path))
    write_text_atomic(path, dumps_export(store.tasks))
    return store
