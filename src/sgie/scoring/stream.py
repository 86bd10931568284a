"""Streaming evaluation: files of any size scored one document at a time.

What it does
    ``evaluate_stream(gold, predictions, per_document)`` scores like ``sgie.scoring.official``
    (same counts, same ``Result`` apart from ``per_document``, which it hands to the
    ``per_document(doc_id, counts)`` callback instead of keeping) while holding one document's
    text, annotations and counts at a time. Sources:

    * ``GoldFile(path)`` / ``PredictionFile(path)``: JSON Lines files (formats:
      ``sgie.scoring.gold``, ``sgie.scoring.predictions``). Opening one reads it once, line by
      line, to index each record's ``id`` by line number and byte offset; scoring reads each
      record again at its offset, in sorted id order.
    * ``GoldMemory(gold_set)`` / ``PredictionMemory(prediction_set)``: already parsed sets (a
      committed split, an extractor's output).

    Each line is decoded by the fast path (``sgie.scoring.decode``); a line it does not accept
    goes to the reference parser, which raises the format's one-line error or accepts it
    (text-only spans are grounded there). The checks are those of the in-memory readers:
    malformed lines, repeated ids (naming both lines), prediction ids that are not gold
    documents, layers present in some records and absent in others. Problems are found in this
    order: the gold file's lines and ids, the predictions file's lines and ids, then, document
    by document in sorted id order, the gold record and its prediction.

    Memory: the index (an id, a line number and an offset per record), the running total, the
    ids of missing documents and the ungrounded spans; never the files.

What it does not do
    No output (``sgie.scoring.report`` writes the result; ``sgie evaluate`` spools the
    per-document counts to a temporary file); no matching or metrics of its own
    (``sgie.scoring.official.score_document``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from sgie.errors import InputError
from sgie.records import LAYER_NAMES, DocAnnotations
from sgie.scoring.decode import decode_gold, decode_id, decode_prediction
from sgie.scoring.gold import GoldSet, parse_gold_line
from sgie.scoring.grounding import (
    NOTHING_UNGROUNDED,
    PlacedText,
    Ungrounded,
    UngroundedText,
    parse_prediction,
)
from sgie.scoring.jsonl import LineFile, parse_line
from sgie.scoring.official import nothing_predicted, score_document
from sgie.scoring.predictions import LayerPresence, Located, PredictionSet
from sgie.scoring.result import DocumentCounts, LayerStatus, Result

Sink = Callable[[str, DocumentCounts], None]


def _index(
    f: LineFile, what: str, id_of: Callable[[bytes, int], str]
) -> dict[str, tuple[int, int]]:
    """id -> (line number, byte offset) of every record; a repeated id is an error."""
    index: dict[str, tuple[int, int]] = {}
    for number, offset, raw in f.lines():
        doc_id = decode_id(raw, what == "gold")
        if doc_id is None:
            doc_id = id_of(raw, number)  # raises the reference parser's error
        if doc_id in index:
            first = index[doc_id][0]
            raise InputError(
                f"'id' must be unique in the {what} (got {doc_id!r} again; first "
                f"{'on line' if what == 'gold' else 'in line'} {first})",
                file=f.name, line=number,
            )  # fmt: skip
        index[doc_id] = (number, offset)
    return index


class GoldFile:
    """A documents-format JSON Lines file, indexed by id and read one record at a time."""

    def __init__(self, path: Path | str):
        self.file = LineFile(path)
        self.source = self.file.name
        self.index = _index(self.file, "gold", self._explain)

    def _parse(self, raw: bytes, number: int) -> tuple[DocAnnotations, str]:
        try:
            return parse_gold_line(parse_line(raw, self.source, number), {})
        except InputError as err:
            raise err.at(file=self.source, line=number) from None

    def _explain(self, raw: bytes, number: int) -> str:
        return self._parse(raw, number)[0].doc_id

    def ids(self) -> list[str]:
        return list(self.index)

    def get(self, doc_id: str) -> tuple[DocAnnotations, str, Located]:
        number, offset = self.index[doc_id]
        raw = self.file.at(offset)
        fast = decode_gold(raw)
        doc, text = fast if fast is not None else self._parse(raw, number)
        return doc, text, Located(self.source, number)

    def text(self, doc_id: str) -> str:
        return self.get(doc_id)[1]

    def close(self) -> None:
        self.file.close()


class GoldMemory:
    """A parsed ``GoldSet`` (e.g. a committed split) as a gold source."""

    def __init__(self, gold: GoldSet):
        self.gold = gold
        self.source = gold.source

    def ids(self) -> list[str]:
        return list(self.gold.docs)

    def get(self, doc_id: str) -> tuple[DocAnnotations, str, Located]:
        return self.gold.docs[doc_id], self.gold.texts[doc_id], Located(f"gold document {doc_id!r}")

    def text(self, doc_id: str) -> str:
        return self.gold.texts[doc_id]

    def close(self) -> None:
        pass


GoldSource = GoldFile | GoldMemory


class _Texts(Mapping[str, str]):
    """The gold texts by id, read on demand (for the reference parser's id check)."""

    def __init__(self, gold: GoldSource):
        self.gold = gold
        self.ids = gold.ids()
        self.known = set(self.ids)

    def __getitem__(self, doc_id: str) -> str:
        if doc_id not in self.known:
            raise KeyError(doc_id)
        return self.gold.text(doc_id)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.known

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


class PredictionFile:
    """A predictions JSON Lines file, indexed by id and read one record at a time."""

    def __init__(self, path: Path | str, gold: GoldSource):
        self.file = LineFile(path)
        self.source = self.file.name
        self.texts = _Texts(gold)
        self.index = _index(self.file, "predictions", self._explain)
        for doc_id, (number, offset) in self.index.items():
            if doc_id not in self.texts.known:  # the reference parser names the known ids
                self._parse(self.file.at(offset), number, self.texts)

    def _parse(
        self, raw: bytes, number: int, texts: Mapping[str, str]
    ) -> tuple[DocAnnotations, Ungrounded]:
        try:
            return parse_prediction(parse_line(raw, self.source, number), texts)
        except InputError as err:
            raise err.at(file=self.source, line=number) from None

    def _explain(self, raw: bytes, number: int) -> str:
        return self._parse(raw, number, self.texts)[0].doc_id

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.index

    def __len__(self) -> int:
        return len(self.index)

    def ids(self) -> list[str]:
        return list(self.index)

    def first(self) -> str | None:
        return next(iter(self.index), None)

    def get(self, doc_id: str, text: str) -> tuple[DocAnnotations, Ungrounded, Located]:
        number, offset = self.index[doc_id]
        raw = self.file.at(offset)
        doc = decode_prediction(raw, text)
        if doc is not None and doc.doc_id == doc_id:
            return doc, NOTHING_UNGROUNDED, Located(self.source, number)
        doc, lost = self._parse(raw, number, {doc_id: text})
        return doc, lost, Located(self.source, number)

    def close(self) -> None:
        self.file.close()


class PredictionMemory:
    """A parsed ``PredictionSet`` (e.g. an extractor's output) as a predictions source."""

    def __init__(self, predictions: PredictionSet):
        self.predictions = predictions
        self.source = predictions.source

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.predictions.docs

    def __len__(self) -> int:
        return len(self.predictions.docs)

    def ids(self) -> list[str]:
        return list(self.predictions.docs)

    def first(self) -> str | None:
        return next(iter(self.predictions.docs), None)

    def get(self, doc_id: str, text: str) -> tuple[DocAnnotations, Ungrounded, Located]:
        lost = self.predictions.ungrounded.get(doc_id, NOTHING_UNGROUNDED)
        return self.predictions.docs[doc_id], lost, Located(f"predicted document {doc_id!r}")

    def close(self) -> None:
        pass


PredictionSource = PredictionFile | PredictionMemory


def _present(doc: DocAnnotations, lost: Ungrounded, layer: str) -> bool:
    return getattr(doc, layer) is not None or bool(lost.items(layer))


def evaluate_stream(
    gold: GoldSource, predictions: PredictionSource, per_document: Sink | None = None
) -> Result:
    """Score ``predictions`` against ``gold`` document by document (sorted ids); the result's
    ``per_document`` is empty: each document's counts go to ``per_document(doc_id, counts)``."""
    ids = sorted(gold.ids())
    if not ids:
        raise InputError("gold must have at least one document (got none)")
    known = set(ids)
    unknown = [d for d in predictions.ids() if d not in known]
    if unknown:
        raise InputError(f"predictions must be for gold documents only (got {sorted(unknown)})")
    # a layer is present in every record or in none, so the first record of each side decides
    first_gold, _, _ = gold.get(ids[0])
    first_id = predictions.first()
    attempted = dict.fromkeys(LAYER_NAMES, False)
    if first_id is not None:
        doc, lost, _ = predictions.get(first_id, gold.text(first_id))
        attempted = {k: _present(doc, lost, k) for k in LAYER_NAMES}
    layers = {k: LayerStatus(attempted[k], getattr(first_gold, k) is not None) for k in LAYER_NAMES}
    gold_presence, prediction_presence = LayerPresence("gold"), LayerPresence("prediction")
    running: DocumentCounts | None = None
    missing: list[str] = []
    ungrounded: list[UngroundedText] = []
    placed: list[PlacedText] = []
    items = dict.fromkeys(LAYER_NAMES, 0)
    for doc_id in ids:
        gold_doc, text, where = gold.get(doc_id)
        gold_presence.see(gold_doc, where)
        if doc_id in predictions:
            pred, lost, where = predictions.get(doc_id, text)
            prediction_presence.see(pred, where)
            ungrounded.extend(lost.spans)
            placed.extend(lost.placed)
            for k in LAYER_NAMES:
                items[k] += lost.items(k)
        else:
            missing.append(doc_id)
            pred, lost = nothing_predicted(doc_id, layers), NOTHING_UNGROUNDED
        counts = score_document(gold_doc, pred, text, layers, lost)
        running = counts if running is None else running + counts
        if per_document is not None:
            per_document(doc_id, counts)
    assert running is not None
    return Result(
        total=running,
        per_document={},
        layers=layers,
        missing_documents=tuple(missing),
        predicted_documents=len(predictions),
        ungrounded=tuple(ungrounded),
        ungrounded_items=items,
        placed=tuple(placed),
        gold_source=gold.source,
        predictions_source=predictions.source,
        gold_documents=len(ids),
    )

