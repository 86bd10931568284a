"""Helpers for the dataset tests: a synthetic export on the real corpus texts, cached builds.

What it does
    ``synthetic_docs(corpus, doc_ids, variant)`` makes small, valid ``DocAnnotations`` on the
    real document texts (entities found by search, including ``Kyiv`` in ``Kyiv's`` and one
    deliberately misaligned ``U.S`` in 002; a proposal with an entity argument, a participant
    and a condition; attributions with an empty source, discontinuous content and a parent).
    ``write_synthetic_export(folder, corpus, gold_ids, pass_ids)`` writes them into a temp
    ``annotations/export.json`` through ``ingest_documents``/``write_store``.
    ``built(kind)`` builds (once per test session) the dataset for an empty export, a partial
    one (gold for 004 only) and a full one (gold for all documents) into temp folders.

What it does not do
    No assertions; never writes outside temp folders.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

from sgie.annotations.store import EXPORT_FILE, ingest_documents, write_store
from sgie.corpus.manifest import Corpus, load_corpus
from sgie.dataset.build import BuildResult, build
from sgie.records import Argument, Attribution, DocAnnotations, Entity, Proposal
from sgie.spans import Span

ROOT = Path(__file__).resolve().parents[1]
NEEDLES = (
    ("Kyiv", "GPE"), ("Ukraine", "GPE"), ("United States", "GPE"), ("Russia", "GPE"),
    ("Putin", "PERSON"), ("Trump", "PERSON"), ("Financial Times", "MEDIA"), ("Censor.NET", "MEDIA"),
    ("NATO", "ORG"), ("Mediterranean", "LOC"), ("Washington", "GPE"), ("Moscow", "GPE"),
)  # fmt: skip


def _find(text: str, needle: str, start: int = 0) -> Span | None:
    m = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)").search(text, start)
    return Span.of(text, m.start(), m.end()) if m else None


def _entities(doc_id: str, text: str) -> list[Entity]:
    chosen: list[Entity] = []
    if doc_id == "002":  # "U.S" ends inside the token "U.S.": not token-aligned
        chosen.append(Entity.at("e-us", Span.of(text, 0, 3), "GPE"))
    for k, (needle, label) in enumerate(NEEDLES):
        span = _find(text, needle)
        if span and not any(span.overlaps(e.span) for e in chosen):
            chosen.append(Entity.at(f"e{k}", span, label))
    return sorted(chosen, key=lambda e: e.span)


def synthetic_doc(doc_id: str, text: str, variant: str = "gold") -> DocAnnotations:
    entities = _entities(doc_id, text)
    if variant == "a":
        entities = entities[:-1]
    elif variant == "b":
        entities = [Entity.at(entities[0].id, entities[0].span, "ORG"), *entities[1:]]
    head = Span.of(text, 0, text.index(" ", 1))
    second = Span.of(text, text.index(" ", 1) + 1, text.index(" ", text.index(" ", 1) + 1))
    last = Span.of(text, len(text) - 1, len(text))
    arguments = [Argument.at("beneficiary", second, None), Argument.at("condition", last, None)]
    if entities:
        arguments.insert(0, Argument.at("proposer", entities[0].span, entities[0].id))
    proposals = [Proposal.at("p1", head, "plan", "offered", "positive", tuple(arguments))]
    attributions = [
        Attribution("t1", (head,), (second,), (last,), "indirect", "named_person", None),
        Attribution("t2", (second, last), (), (head, last), "mixed", "none", "t1"),
    ]
    return DocAnnotations(doc_id, tuple(entities), tuple(proposals), tuple(attributions))


def write_synthetic_export(
    folder: Path, corpus: Corpus, gold_ids: tuple[str, ...], pass_ids: tuple[str, ...] = ()
) -> Path:
    tasks: list = []
    texts = corpus.texts()
    for name, ids in (("a", pass_ids), ("b", pass_ids), ("gold", gold_ids)):
        docs = {i: synthetic_doc(i, texts[i], name) for i in ids}
        tasks = ingest_documents(tasks, corpus, name, docs)
    folder.mkdir(parents=True, exist_ok=True)
    write_store(folder / EXPORT_FILE, tasks, corpus)
    return folder


KINDS = {
    "empty": ((), ()),
    "partial": (("004",), ("001", "004")),
    "full": (("000", "001", "002", "003", "004"), ("000", "001", "002", "003", "004")),
}


@cache
def _session_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="sgie-dataset-tests-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@cache
def built(kind: str) -> BuildResult:
    """The dataset built from the real corpus and a synthetic export of ``kind`` (cached)."""
    gold_ids, pass_ids = KINDS[kind]
    base = _session_dir() / kind
    annotations = base / "annotations"
    annotations.mkdir(parents=True)
    if gold_ids or pass_ids:
        write_synthetic_export(annotations, load_corpus(ROOT / "corpus"), gold_ids, pass_ids)
    return build(ROOT, base / "out", annotations_dir=annotations)
