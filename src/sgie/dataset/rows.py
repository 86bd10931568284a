"""The rows of every dataset config, built from the corpus and the validated export.

What it does
    ``build_rows(corpus, store)`` returns, for every config of ``sgie.dataset.features`` and
    every split, the list of rows (plain Python values; ClassLabel values as their names,
    encoded later by ``Features.encode_example``), in a fixed order:

    * ``documents``: one row per document (manifest order, i.e. by id) with metadata, zones
      (document offsets), group, fold and the gold layers (empty lists and
      ``annotated=False`` while the export has no gold for the document);
    * ``annotators``: one row per document and pass ``a``, ``b``, ``gold`` (always three rows
      per document; ``annotated`` tells whether the pass exists);
    * ``entities`` / ``proposals`` / ``attributions``: one row per gold item, in the order of
      the gold record, with the paragraph(s) covering every span of the item as context;
    * ``ner``: one row per paragraph of every document; ``annotated`` is false (and every tag
      ``O``) for documents whose gold entity layer is not in the export yet;
    * ``folds``: one row per document.

    Item records come from ``DocAnnotations.to_json`` (the documents-record shape), so the
    dataset and the prediction/gold file format cannot drift apart.

What it does not do
    No file writing, no features (``features``), no validation beyond what ``load_store``
    already did (every span was checked against the document text there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sgie.annotations.store import ANNOTATORS, GOLD, Store
from sgie.corpus.manifest import SPLITS, Corpus, Document
from sgie.corpus.splits import fold_of, folds
from sgie.dataset.ner import BIO_NAMES, Misaligned, align, encode
from sgie.dataset.tokenize import paragraphs
from sgie.records import Attribution, DocAnnotations, Entity, JSONObject, Proposal

Row = dict[str, object]


@dataclass(frozen=True)
class Rows:
    """Rows per config and split, and the entities the ``ner`` config could not tag."""

    by_config: Mapping[str, Mapping[str, tuple[Row, ...]]]
    misaligned: tuple[Misaligned, ...]


Item = Entity | Proposal | Attribution
LAYERS: tuple[str, ...] = ("entities", "proposals", "attributions")
_ENTITY_KEYS = ("id", "start", "end", "label", "text")  # the column order of the entities config


def _items(doc: DocAnnotations | None, layer: str) -> tuple[Item, ...]:
    """The items of ``layer`` (none if the document is not annotated or the layer absent)."""
    if doc is None:
        return ()
    items = {"entities": doc.entities, "proposals": doc.proposals, "attributions": doc.attributions}
    return items[layer] or ()


def _item_json(item: Item) -> JSONObject:
    o = item.to_json()
    return {k: o[k] for k in _ENTITY_KEYS} if isinstance(item, Entity) else o


def _layers(doc: DocAnnotations | None) -> dict[str, list[JSONObject]]:
    return {layer: [_item_json(item) for item in _items(doc, layer)] for layer in LAYERS}


def _document_row(doc: Document, fold: int, annotation: DocAnnotations | None) -> Row:
    r = doc.record
    zones = [
        {"story_id": s.id, "story_role": s.role, "zone": z.zone, "start": z.start - r.raw_start,
         "end": z.end - r.raw_start, "text": doc.raw[z.start : z.end]}
        for s in r.stories for z in s.zones
    ]  # fmt: skip
    zones.sort(key=lambda z: (z["start"], z["end"]))
    return {
        "id": r.id,
        "source_file": r.source_file,
        "raw_start": r.raw_start,
        "text": doc.text,
        "headline": r.headline,
        "outlet": r.outlet,
        "publisher": r.publisher,
        "wire": r.wire,
        "byline": r.byline,
        "editor": r.editor,
        "dateline_place": r.dateline_place,
        "date_as_printed": r.date_as_printed,
        "page_date_as_printed": r.page_date_as_printed,
        "language": r.language,
        "copyright_as_printed": list(r.copyright_as_printed),
        "sources_as_printed": list(r.sources_as_printed),
        "notes": list(r.notes),
        "zones": zones,
        "group": r.group,
        "fold": fold,
        "annotated": annotation is not None,
        **_layers(annotation),
    }


def _item_spans(item: Item) -> list[tuple[int, int]]:
    if isinstance(item, Attribution):
        return [(s.start, s.end) for spans in (item.cue, item.source, item.content) for s in spans]
    spans = [(item.start, item.end)]
    if isinstance(item, Proposal):
        spans += [(a.start, a.end) for a in item.arguments]
    return spans


def context_range(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The smallest run of whole paragraphs covering ``spans`` (never narrower than them)."""
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    paras = paragraphs(text)
    start = max((p.start for p in paras if p.start <= lo), default=0)
    end = min((p.end for p in paras if p.end >= hi), default=len(text))
    return min(start, lo), max(end, hi)


def _flat_rows(doc: Document, fold: int, annotation: DocAnnotations | None, layer: str) -> list[Row]:
    out: list[Row] = []
    for item in _items(annotation, layer):
        start, end = context_range(doc.text, _item_spans(item))
        out.append({"doc_id": doc.id, **_item_json(item), "context_start": start, "context_end": end,
                    "context": doc.text[start:end], "group": doc.record.group, "fold": fold})  # fmt: skip
    return out


def _ner_rows(
    doc: Document, fold: int, gold: DocAnnotations | None
) -> tuple[list[Row], tuple[Misaligned, ...]]:
    annotated = gold is not None and gold.entities is not None
    alignment = align(doc.id, doc.text, (gold.entities or ()) if gold is not None else ())
    rows = []
    for para, tokens, spans in zip(alignment.paragraphs, alignment.tokens, alignment.spans):
        tags = encode(tokens, spans)
        assert all(t in BIO_NAMES for t in tags)
        rows.append({
            "id": f"{doc.id}-{para.index:03d}",
            "doc_id": doc.id,
            "paragraph": para.index,
            "start": para.start,
            "end": para.end,
            "text": para.text,
            "tokens": [t.text for t in tokens],
            "token_starts": [t.start - para.start for t in tokens],
            "token_ends": [t.end - para.start for t in tokens],
            "ner_tags": list(tags),
            "annotated": annotated,
            "group": doc.record.group,
            "fold": fold,
        })  # fmt: skip
    return rows, alignment.misaligned


def build_rows(corpus: Corpus, store: Store) -> Rows:
    """Rows of every config per split (see the module docstring for order and content)."""
    fold = fold_of(corpus)
    num_folds = len(folds(corpus))
    gold = store.annotations.get(GOLD, {})
    configs = ("documents", "annotators", "entities", "proposals", "attributions", "ner", "folds")
    out: dict[str, dict[str, list[Row]]] = {c: {s: [] for s in SPLITS} for c in configs}
    misaligned: list[Misaligned] = []
    for doc in corpus.documents:
        split, k = doc.record.split, fold[doc.id]
        g = gold.get(doc.id)
        row = _document_row(doc, k, g)
        out["documents"][split].append(row)
        for name in ANNOTATORS:
            annotation = store.annotations.get(name, {}).get(doc.id)
            out["annotators"][split].append({"id": doc.id, "annotator": name,
                                             **{k2: v for k2, v in _document_row(doc, k, annotation).items()
                                                if k2 != "id"}})  # fmt: skip
        for layer in LAYERS:
            out[layer][split] += _flat_rows(doc, k, g, layer)
        ner, bad = _ner_rows(doc, k, g)
        out["ner"][split] += ner
        misaligned += bad
        out["folds"][split].append({"id": doc.id, "split": split, "group": doc.record.group,
                                    "fold": k, "num_folds": num_folds})  # fmt: skip
    frozen = {c: {s: tuple(rows) for s, rows in splits.items()} for c, splits in out.items()}
    return Rows(frozen, tuple(misaligned))
