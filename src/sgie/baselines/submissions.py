"""The baselines' leaderboard submission folders, generated deterministically.

What it does
    ``build_files(...)`` returns, as ``{path: text}``, the files of the submission folders
    ``eval/submissions/<system-id>/`` (the leaderboard contract: ``system.json`` with exactly
    the fields of ``sgie.leaderboard.submissions`` and ``predictions.jsonl`` for the test split,
    documents format without ``text``; optionally ``predictions.<split>.jsonl`` for train and
    validation, which the leaderboard checks but does not score):

    ============================ ===================== ========================================
    system id                    type                  predictions
    ============================ ===================== ========================================
    ``rules``                    rules                 ``sgie.baselines.rules:extract`` (test,
                                                       train, validation)
    ``spacy-en-core-web-sm``     off-the-shelf model   ``sgie.baselines.spacy_ner:extract``
                                                       (test, train, validation; only with
                                                       ``spacy=True``: needs spaCy + model)
    ``empty``                    trivial               every layer attempted, nothing found
                                                       (test, train, validation)
    ``annotator-a``,             annotator (not        that annotator's annotations of the test
    ``annotator-b``              ranked)               documents in ``annotations/export.json``
    ============================ ===================== ========================================

    Records are written one per line in document-id order (``json.dumps``, non-ASCII kept),
    ``system.json`` with two-space indentation; everything ends with a newline, so a rebuild is
    byte-identical. ``stale(files)`` lists files that differ from the committed ones (the
    ``--check`` of ``sgie baselines build`` and the tests).

What it does not do
    No scoring (``sgie leaderboard`` / ``sgie baselines dev``). The spaCy folder is only
    (re)built on request; without spaCy the committed one is left as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import sgie
from sgie.annotations.store import Store
from sgie.corpus.manifest import Corpus
from sgie.records import JSON, LAYER_NAMES, JSONObject

SUBMISSIONS = Path("eval") / "submissions"
DATE = "2026-11-21"
SPLIT_FILES: Mapping[str, str] = {"test": "predictions.jsonl", "train": "predictions.train.jsonl",
                                  "validation": "predictions.validation.jsonl"}  # fmt: skip
ANNOTATORS: tuple[str, ...] = ("a", "b")
SPACY_ID = "spacy-en-core-web-sm"
GENERATED_IDS: tuple[str, ...] = ("rules", "empty", "annotator-a", "annotator-b")
ALL_IDS: tuple[str, ...] = ("rules", SPACY_ID, "empty", "annotator-a", "annotator-b")
ANNOTATOR_PROVENANCE = "AI model session, independent pass, see DATASHEET.md"
ADJUDICATION_BASE = "a"  # the pass the gold was adjudicated from (annotations/ADJUDICATION.md)

Extractor = Callable[[str, str], Mapping[str, object]]


class _System(NamedTuple):
    """A baseline's ``system.json`` fields apart from the date."""

    name: str
    description: str
    type: str
    url: str | None
    layers: Sequence[str]
    ranked: bool
    provenance: str


def system_info(system_id: str, provenance: str | None = None) -> JSONObject:
    """The ``system.json`` content of one baseline (fields in the contract's order)."""
    layers = list(LAYER_NAMES)
    if system_id == "rules":
        info = _System("Rules", "Transparent rule baseline for all three layers: gazetteer, pattern and "
                "capitalisation entities with a type heuristic; a cue lexicon with source/content "
                "heuristics around quotations and clauses for attributions; modal and commitment "
                "cues with span, status and argument heuristics for proposals.", "rules", None,
                layers, True,
                f"sgie.baselines.rules:extract (sgie {sgie.__version__}), deterministic pure "
                "Python, no model; run by `sgie baselines build`. Its lexicons "
                "(sgie/baselines/lexicons/*.txt) were developed on the train (001, 002) and "
                "validation (003) splits only: no test-split annotation was looked at.")
    elif system_id == SPACY_ID:
        info = _System("spaCy en_core_web_sm 3.8.0 (OntoNotes NER, mapped)", "spaCy's small English "
                "pipeline (CNN, trained on OntoNotes 5) used off the shelf; its 18 OntoNotes "
                "entity types are mapped to SGIE types with the schema's published mapping "
                "(sgie.schema.ONTONOTES_TO_SGIE), unmapped types dropped. Entities only.",
                "off-the-shelf model", "https://spacy.io/models/en#en_core_web_sm", ["entities"],
                True, provenance or "")
    elif system_id == "empty":
        info = _System("Empty (floor)", "Attempts all three layers and predicts nothing: the floor of "
                "every metric.", "trivial", None, layers, True,
                f"sgie.baselines.submissions (sgie {sgie.__version__}): every layer an empty list "
                "for every document; run by `sgie baselines build`.")
    elif system_id.startswith("annotator-"):
        who = system_id.removeprefix("annotator-")
        if who == ADJUDICATION_BASE:
            role = ("adjudication base", "The gold was adjudicated starting from this pass "
                    "(annotations/ADJUDICATION.md), so this row scores 100 or nearly by construction: "
                    "it is not a ceiling.")
        else:
            role = ("independent ceiling", f"The gold was adjudicated starting from pass "
                    f"{ADJUDICATION_BASE}, not from this one (annotations/ADJUDICATION.md), so this "
                    "row is the independent ceiling (an AI model annotation pass, not a human one).")
        info = _System(f"Annotator {who} ({role[0]})", f"Annotator {who}'s independent annotation pass of "
                "the test documents (annotations/export.json), scored against the adjudicated "
                f"gold, shown but not ranked. {role[1]}", "annotator", None, layers, False,
                ANNOTATOR_PROVENANCE)
    else:
        raise KeyError(system_id)
    declared: list[JSON] = [*info.layers]
    return {"name": info.name, "description": info.description, "type": info.type,
            "url": info.url, "date": DATE, "layers": declared, "ranked": info.ranked,
            "provenance": info.provenance}  # fmt: skip


def dumps_system(info: JSONObject) -> str:
    return json.dumps(info, indent=2, ensure_ascii=False) + "\n"


def dumps_predictions(records: Sequence[Mapping[str, object]]) -> str:
    """JSON Lines, one record per document, in id order."""
    ordered = sorted(records, key=lambda r: str(r["id"]))
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered)


def split_texts(corpus: Corpus, split: str) -> dict[str, str]:
    return {d.id: d.text for d in corpus.split(split)}


def run(extractor: Extractor, texts: Mapping[str, str]) -> str:
    """The extractor's records for ``texts`` as JSON Lines (``id`` first)."""
    records = []
    for doc_id in sorted(texts):
        record = extractor(doc_id, texts[doc_id])
        records.append({"id": doc_id, **{k: v for k, v in record.items() if k != "id"}})
    return dumps_predictions(records)


def _empty(doc_id: str, text: str) -> JSONObject:
    return {"id": doc_id, **{layer: [] for layer in LAYER_NAMES}}


def _extractor_files(folder: Path, extractor: Extractor, corpus: Corpus) -> dict[Path, str]:
    return {folder / name: run(extractor, split_texts(corpus, split)) for split, name in SPLIT_FILES.items()}


def annotator_predictions(who: str, store: Store, corpus: Corpus) -> str:
    """Annotator ``who``'s test-split documents from the store, as prediction records."""
    docs = store.annotations.get(who, {})
    test = sorted(split_texts(corpus, "test"))
    missing = [d for d in test if d not in docs]
    if missing:
        raise ValueError(f"annotator {who!r} has no annotations of test documents {missing}")
    return dumps_predictions([docs[d].to_json() for d in test])


def build_files(root: Path, corpus: Corpus, store: Store, *, spacy: bool = False,
                spacy_model: str | None = None) -> dict[Path, str]:  # fmt: skip
    """Every generated file (path -> text) under ``root/eval/submissions``."""
    from sgie.baselines.rules import extract as rules_extract

    base = root / SUBMISSIONS
    files: dict[Path, str] = {}
    files[base / "rules" / "system.json"] = dumps_system(system_info("rules"))
    files.update(_extractor_files(base / "rules", rules_extract, corpus))
    files[base / "empty" / "system.json"] = dumps_system(system_info("empty"))
    files.update(_extractor_files(base / "empty", _empty, corpus))
    for who in ANNOTATORS:
        folder = base / f"annotator-{who}"
        files[folder / "system.json"] = dumps_system(system_info(f"annotator-{who}"))
        files[folder / "predictions.jsonl"] = annotator_predictions(who, store, corpus)
    if spacy:
        files.update(spacy_files(root, corpus, spacy_model))
    return files


def spacy_files(root: Path, corpus: Corpus, model: str | None = None) -> dict[Path, str]:
    """The spaCy submission's files (needs spaCy and a model; ``ModelUnavailable`` otherwise)."""
    from sgie.baselines import spacy_ner

    spacy_ner.load_model(model)
    folder = root / SUBMISSIONS / SPACY_ID

    def extract(doc_id: str, text: str) -> JSONObject:
        doc = spacy_ner.load_model(model)(text)
        spans = ((e.start_char, e.end_char, e.label_) for e in doc.ents)
        return {"id": doc_id, "entities": spacy_ner.entities_from_spans(text, spans)}

    files = {folder / "system.json": dumps_system(system_info(SPACY_ID, spacy_ner.provenance(model)))}
    files.update(_extractor_files(folder, extract, corpus))
    return files


def stale(files: Mapping[Path, str]) -> list[Path]:
    """The files whose committed text differs from ``files`` (or that do not exist)."""
    return [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
