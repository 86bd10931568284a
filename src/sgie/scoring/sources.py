"""Where the evaluation loop gets its documents: files read one record at a time, or memory.

What it does
    Two kinds of source feed the one evaluation loop (``sgie.scoring.official``), which asks
    each for one document at a time, in sorted id order:

    * gold: ``GoldFile(path)`` (a documents-format JSON Lines file) or
      ``GoldMemory(docs, texts)`` (records in memory: a committed split, the Python API);
      ``get(doc_id)`` gives ``(records, text, where)``;
    * predictions: ``PredictionFile(path, gold)`` (a predictions file) or
      ``PredictionMemory(docs, ungrounded)`` (records in memory: an extractor's output, the
      Python API); ``get(doc_id, text)`` gives ``(records, ungrounded items, where)``.

    Every record, from a file or from memory, is checked by the one validator
    (``sgie.scoring.validate``): a record in memory is turned into the line a file would hold
    and decoded like one, so the Python API accepts and rejects exactly what the command does.
    A file is read once, line by line, to index each record's id by line number and byte
    offset (``sgie.scoring.jsonl.LineFile``), when the index is first needed; ``get`` reads
    the record again at its offset. (Two files in id order are usually scored without an
    index, in one pass: ``sgie.scoring.onepass``.) A
    repeated id is an error naming both lines; a prediction for a document that is not in the
    gold is the validator's ``'id' must be a known document id`` error, at its line.

    Memory: the index (an id, a line number and an offset per record); never the files.

What it does not do
    No scoring and no checks across documents (``sgie.scoring.official``: layers present in
    every record or none, missing documents).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from pathlib import Path

from sgie.errors import InputError, quote
from sgie.records import DocAnnotations
from sgie.scoring.gold import GoldSet
from sgie.scoring.grounding import NOTHING_UNGROUNDED, Ungrounded
from sgie.scoring.jsonl import LineFile
from sgie.scoring.predictions import Located, PredictionSet
from sgie.scoring.validate import (
    decode_document,
    decode_id,
    decode_prediction,
    document_line,
    prediction_line,
)


def _index(f: LineFile, what: str, explain: Callable[[bytes], str]) -> dict[str, tuple[int, int]]:
    """id -> (line number, byte offset) of every record; a repeated id is an error."""
    index: dict[str, tuple[int, int]] = {}
    for number, offset, raw in f.lines():
        doc_id = decode_id(raw, what == "gold")
        if doc_id is None:
            try:
                doc_id = explain(raw)  # raises the validator's error
            except InputError as err:
                raise err.at(file=f.name, line=number) from None
        if doc_id in index:
            raise InputError(
                f"'id' must be unique in the {what} (got {quote(doc_id)} again; first "
                f"{'on line' if what == 'gold' else 'in line'} {index[doc_id][0]})",
                file=f.name, line=number,
            )  # fmt: skip
        index[doc_id] = (number, offset)
    return index


class GoldFile:
    """A documents-format JSON Lines file, indexed by id (when first needed) and read one
    record at a time."""

    def __init__(self, path: Path | str):
        self.file = LineFile(path)
        self.source = self.file.name

    @cached_property
    def index(self) -> dict[str, tuple[int, int]]:
        return _index(self.file, "gold", lambda raw: decode_document(raw)[0].doc_id)

    def ids(self) -> list[str]:
        return list(self.index)

    def get(self, doc_id: str) -> tuple[DocAnnotations, str, Located]:
        number, offset = self.index[doc_id]
        where = Located(self.source, number)
        try:
            doc, text = decode_document(self.file.at(offset))
        except InputError as err:
            raise where.error(err) from None
        return doc, text, where

    def text(self, doc_id: str) -> str:
        return self.get(doc_id)[1]

    def close(self) -> None:
        self.file.close()


class GoldMemory:
    """Gold records and texts in memory (by document id) as a gold source."""

    def __init__(self, docs: Mapping[str, DocAnnotations], texts: Mapping[str, str],
                 source: str = "gold"):  # fmt: skip
        missing = sorted(set(docs) - set(texts))
        if missing:
            raise ValueError(f"texts must be given for every gold document (missing: {missing})")
        self.docs = docs
        self.texts = texts
        self.source = source

    @classmethod
    def of(cls, gold: GoldSet) -> GoldMemory:
        return cls(gold.docs, gold.texts, gold.source)

    def ids(self) -> list[str]:
        return list(self.docs)

    def get(self, doc_id: str) -> tuple[DocAnnotations, str, Located]:
        where = Located(f"gold document {quote(doc_id)}")
        try:
            doc, text = decode_document(document_line(self.docs[doc_id], self.texts[doc_id]))
        except InputError as err:
            raise where.error(err) from None
        return doc, text, where

    def text(self, doc_id: str) -> str:
        return self.texts[doc_id]

    def close(self) -> None:
        pass


GoldSource = GoldFile | GoldMemory


class _Texts(Mapping[str, str]):
    """The gold texts by id, read on demand (the validator looks up a record's id)."""

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
    """A predictions JSON Lines file, indexed by id (when first needed) and read one record
    at a time."""

    def __init__(self, path: Path | str, gold: GoldSource):
        self.file = LineFile(path)
        self.source = self.file.name
        self.gold = gold

    @cached_property
    def index(self) -> dict[str, tuple[int, int]]:
        texts = _Texts(self.gold)
        index = _index(self.file, "predictions", lambda raw: decode_prediction(raw, texts)[0].doc_id)
        for doc_id, (number, offset) in index.items():
            if doc_id not in texts.known:  # the validator names the known ids
                try:
                    decode_prediction(self.file.at(offset), texts)
                except InputError as err:
                    raise err.at(file=self.source, line=number) from None
        return index

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.index

    def __len__(self) -> int:
        return len(self.index)

    def ids(self) -> list[str]:
        return list(self.index)

    def get(self, doc_id: str, text: str) -> tuple[DocAnnotations, Ungrounded, Located]:
        number, offset = self.index[doc_id]
        where = Located(self.source, number)
        try:
            doc, lost = decode_prediction(self.file.at(offset), {doc_id: text})
        except InputError as err:
            raise where.error(err) from None
        return doc, lost, where

    def close(self) -> None:
        self.file.close()


class PredictionMemory:
    """Predicted records in memory (by document id) as a predictions source; ``ungrounded``
    are the items of each document whose text-only spans could not be placed (already
    grounded records: ``PredictionSet``)."""

    def __init__(self, docs: Mapping[str, DocAnnotations],
                 ungrounded: Mapping[str, Ungrounded] | None = None,
                 source: str = "predictions"):  # fmt: skip
        self.docs = docs
        self.ungrounded = ungrounded or {}
        self.source = source

    @classmethod
    def of(cls, predictions: PredictionSet) -> PredictionMemory:
        return cls(predictions.docs, predictions.ungrounded, predictions.source)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.docs

    def __len__(self) -> int:
        return len(self.docs)

    def ids(self) -> list[str]:
        return list(self.docs)

    def get(self, doc_id: str, text: str) -> tuple[DocAnnotations, Ungrounded, Located]:
        where = Located(f"predicted document {quote(doc_id)}")
        try:
            doc, lost = decode_prediction(prediction_line(self.docs[doc_id]), {doc_id: text})
        except InputError as err:
            raise where.error(err) from None
        given = self.ungrounded.get(doc_id, NOTHING_UNGROUNDED)
        return doc, (given if lost is NOTHING_UNGROUNDED else lost), where

    def close(self) -> None:
        pass


PredictionSource = PredictionFile | PredictionMemory
