"""Gold annotations to score against: a split of the committed gold, or any documents file.

What it does
    * ``load_gold(split)`` -- the committed gold annotations (``sgie.annotations.store``,
      imported lazily: it is written elsewhere and may not exist yet) of the documents of a
      corpus split, with their texts from the corpus (``sgie.corpus.manifest``). If no gold has
      been committed it raises ``InputError`` ("no gold annotations committed yet ...").
    * ``read_gold(path)`` -- a JSON Lines file in the dataset's ``documents`` format (each line
      ``{"id", "text", "entities", "proposals", "attributions"}``), e.g. synthetic data, another
      annotator's file (agreement) or a benchmark. Texts come from the file; offsets are
      checked against them; no text-only spans. Each line goes through the one validator
      (``sgie.scoring.validate.decode_document``); errors as for predictions
      (``sgie.scoring.predictions``): file, line, field, expected, found.

What it does not do
    No Label Studio parsing (``sgie.annotations``), no scoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sgie.corpus.manifest import SPLITS, default_corpus_dir, load_corpus
from sgie.errors import InputError
from sgie.records import DocAnnotations
from sgie.scoring.jsonl import LineFile
from sgie.scoring.predictions import LayerPresence, Located
from sgie.scoring.validate import decode_document


@dataclass(frozen=True)
class GoldSet:
    """Gold annotations and the texts of the scored documents (same ids)."""

    docs: Mapping[str, DocAnnotations]
    texts: Mapping[str, str]
    source: str


NO_GOLD_YET = (
    "no gold annotations committed yet ({detail}); score against a documents-format file "
    "with --gold FILE instead"
)


def load_gold(split: str, corpus_dir: Path | str | None = None) -> GoldSet:
    """The committed gold annotations of the documents of ``split``, with their corpus texts."""
    if split not in SPLITS:
        raise InputError(f"'split' must be one of {list(SPLITS)} (got {split!r})")
    try:
        from sgie.annotations.store import gold_documents  # written elsewhere; may not exist
    except ImportError as err:
        detail = f"sgie.annotations.store.gold_documents is not available: {err}"
        raise InputError(NO_GOLD_YET.format(detail=detail)) from None
    corpus = load_corpus(corpus_dir or default_corpus_dir())
    try:
        gold = gold_documents(corpus=corpus)
    except FileNotFoundError as err:
        raise InputError(NO_GOLD_YET.format(detail=f"no gold export: {err}")) from None
    texts = {d.id: d.text for d in corpus.split(split)}
    docs = {doc_id: gold[doc_id] for doc_id in sorted(texts) if doc_id in gold}
    if not docs:
        detail = f"none of the {split} documents {sorted(texts)} has gold annotations"
        raise InputError(NO_GOLD_YET.format(detail=detail))
    missing = sorted(set(texts) - set(docs))
    if missing:
        raise InputError(
            f"gold annotations must cover every {split} document (missing: {missing})"
        )
    return GoldSet(docs, {d: texts[d] for d in docs}, f"gold {split} split")


def read_gold(path: Path | str) -> GoldSet:
    """A documents-format JSON Lines file (see the module docstring)."""
    docs: dict[str, DocAnnotations] = {}
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    presence = LayerPresence("gold")
    with LineFile(path) as f:
        for number, _, raw in f.lines():
            where = Located(f.name, number)
            try:
                doc, text = decode_document(raw)
            except InputError as err:
                raise where.error(err) from None
            if doc.doc_id in lines:
                raise where.error(InputError(
                    f"'id' must be unique in the gold (got {doc.doc_id!r} again; first on line "
                    f"{lines[doc.doc_id]})"))  # fmt: skip
            presence.see(doc, where)
            docs[doc.doc_id], texts[doc.doc_id], lines[doc.doc_id] = doc, text, number
    return GoldSet(docs, texts, str(path))
