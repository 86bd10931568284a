"""One pass over a gold file and a predictions file whose ids are in order, in batches.

What it does
    ``evaluate_in_order(gold_path, predictions_path, ...)`` scores two JSON Lines files read
    once, side by side, a batch of lines at a time, when they have the usual shape of a large
    entity evaluation: both files list their documents in increasing id order (a prediction
    file may skip documents: they are missing), every record has ``entities`` with offsets and
    no other layer, and the fast decoder accepts every line. It returns the ``Result`` that
    ``sgie.scoring.official.evaluate_sources`` returns for the same files, or ``None`` as
    soon as anything is otherwise (ids out of order or unknown, a line the fast decoder does
    not take, a check that fails, another layer, text-only spans): the caller then runs the
    general, indexed loop over the files, which accepts the same files and reports any problem
    with its one-line error, in its order. Nothing is output here.

    Per batch (about ``BATCH_BYTES`` of each file, in whole lines: ``_chunks``), everything
    after decoding is done for all its documents at once:

    * **decoding**: msgspec decodes each line straight into the records (``_Document`` /
      ``_Prediction``: the validator's fast types with ``entities`` required and no other
      layer);
    * **checks** (those of ``sgie.scoring.validate.check`` for entity-only records): every
      span satisfies the offset rule (``Flat.holds``, checked by the C kernel of
      ``sgie.scoring.flatten`` as it reads the records, or ``sgie.scoring.bulk_checks.spans_hold``:
      numpy over the batch, where the kernel was not built),
      entity ids are unique within each document (``sgie.scoring.bulk_checks.unique_per_document``),
      and no key is repeated: the batch has as many ``:`` bytes (``_lines_and_colons``) as
      its records' keys plus the ``:`` inside their strings (what ``validate._keys_repeat``
      compares line by line) and, if its strings hold any, no ``\\u003`` escape (an escaped
      colon could hide a repeated key);
    * **scoring**: ``sgie.scoring.bulk.total_flat`` (``score_flat`` when per-document counts
      are asked for), the running total kept as one ``EntityCounts``, and
      ``entities.surface`` with ``sgie.scoring.bulk_surface.surface_flat``.

    Per-document counts are only built when asked for (``per_document`` / ``keep``).

What it does not do
    No error messages (the general loop's), no other layer, no text-only spans, no outcomes.
"""

from __future__ import annotations

import gc
import os
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from io import BufferedIOBase
from operator import lt
from pathlib import Path

import msgspec
import numpy as np

from sgie.records import Entity
from sgie.scoring import compiled
from sgie.scoring.bulk import Flat, score_flat, total_flat
from sgie.scoring.bulk_checks import Chars, Spans, spans_hold, unique_per_document
from sgie.scoring.bulk_surface import surface_flat
from sgie.scoring.counts import PRF
from sgie.scoring.entities import EntityCounts
from sgie.scoring.layers import LAYER_NAMES
from sgie.scoring.result import DocumentCounts, LayerStatus, Result, Sink


class _Document(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A documents-format line with entities and no other layer (the types of the records are
    those of ``sgie.records``, as in the validator's fast path). Not tracked by the cycle
    collector (``gc=False``, as ``Entity``): strings and a tuple of entities make no cycle."""

    id: str
    text: str
    entities: tuple[Entity, ...]


class _Prediction(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A prediction line with entities (all with offsets) and no other layer (``gc=False``,
    as ``_Document``)."""

    id: str
    entities: tuple[Entity, ...]


_DOCUMENT, _PREDICTION = msgspec.json.Decoder(_Document), msgspec.json.Decoder(_Prediction)
#: Bytes of each file read per batch.
BATCH_BYTES = 1 << 19
_ENTITY_KEYS = len(Entity.__struct_fields__)
_ERRORS = (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError)


class _NotInOrder(Exception):
    """The files are not of the shape this pass handles (the general loop takes them)."""


Entities = list[tuple[Entity, ...]]


def _chunks(fh: BufferedIOBase) -> Iterator[memoryview]:
    """The bytes of ``fh`` in pieces of whole lines (the last line may lack its line end):
    each piece is its first ``BATCH_BYTES`` and the rest of the line they end in. The pieces
    are views of one buffer that the file is read into and that the next piece overwrites, so
    the bytes are copied once, by the read, and never joined. A line longer than the buffer
    gets a larger one."""
    buf = bytearray(BATCH_BYTES + BATCH_BYTES // 8 + 1)  # room for the rest of a line
    kept = 0  # bytes read but not yet given, at the start of ``buf``
    end_of_file = False
    while True:
        cut = buf.find(b"\n", BATCH_BYTES - 1, kept) + 1 if kept >= BATCH_BYTES else 0
        if end_of_file and not cut:
            cut = kept  # what is left
        if cut:
            yield memoryview(buf)[:cut]
            buf[: kept - cut] = buf[cut:kept]  # the few bytes after it, to the front
            kept -= cut
        elif end_of_file:
            return
        else:
            if kept == len(buf):
                buf = buf + bytes(len(buf))  # a new buffer: views of the old one stay valid
            with memoryview(buf) as free:
                read = fh.readinto(free[kept:])
            end_of_file = not read
            kept += read


def _batches(
    fh: BufferedIOBase, decoder: msgspec.json.Decoder, keys: int
) -> Iterator[tuple[list, list[str], Entities]]:
    """The decoded records of each batch of lines, their ids (strictly increasing) and their
    entities, no key repeated (``keys``: the keys of a record besides its entities' keys)."""
    last = ""
    for chunk in _chunks(fh):
        try:
            records = decoder.decode_lines(chunk)
        except _ERRORS:
            raise _NotInOrder from None
        # one record per line: decode_lines would pass over a blank line
        lines, colons = _lines_and_colons(chunk)
        if len(records) != lines + (chunk[-1] != 10) or not records:
            raise _NotInOrder
        ids = [r.id for r in records]
        if not (last < ids[0] and all(map(lt, ids, ids[1:]))):
            raise _NotInOrder
        last = ids[-1]
        entities = [r.entities for r in records]
        _no_repeated_key(chunk, colons, records, entities, keys)
        yield records, ids, entities


#: The C kernel's ``lines_and_colons`` (``_kernel.c``), or ``None`` where it was not built.
_COMPILED_COUNT = compiled.LINES_AND_COLONS
#: Bytes looked at a time by ``_count_with_numpy``: its temporaries stay in the core's own cache.
_COUNT_PIECE = 1 << 16
_NEWLINE, _COLON = ord("\n"), ord(":")


def _lines_and_colons(raw: memoryview) -> tuple[int, int]:
    """How many line ends and ``:`` bytes ``raw`` holds: by the C kernel in one loop where it
    was built (about six times faster), by ``_count_with_numpy`` otherwise (``bytes.count``
    tests byte by byte, slower than either)."""
    if _COMPILED_COUNT is not None:
        return _COMPILED_COUNT(raw)
    return _count_with_numpy(raw)


def _count_with_numpy(raw: memoryview) -> tuple[int, int]:
    """``_lines_and_colons`` vectorised, ``_COUNT_PIECE`` bytes at a time (a comparison of the
    whole batch at once would write and read back a temporary as large as the batch)."""
    values = np.frombuffer(raw, np.uint8)
    same = np.empty(min(len(values), _COUNT_PIECE), dtype=bool)
    lines = colons = 0
    for at in range(0, len(values), _COUNT_PIECE):
        part = values[at : at + _COUNT_PIECE]
        mask = same[: len(part)]
        lines += int(np.count_nonzero(np.equal(part, _NEWLINE, out=mask)))
        colons += int(np.count_nonzero(np.equal(part, _COLON, out=mask)))
    return lines, colons


def _no_repeated_key(raw: memoryview, colons: int, records: list[_Document] | list[_Prediction],
                     entities: Entities, keys: int) -> None:  # fmt: skip
    """``raw`` (the lines of ``records``, whose entities are ``entities``; ``colons`` of its
    bytes are ``:``) has one ``:`` per key, plus those inside strings, and if its strings hold
    any, no ``\\u003`` escape (an escaped colon could hide a repeated key)."""
    keys = keys * len(records) + _ENTITY_KEYS * sum(map(len, entities))
    if colons == keys:
        return
    strings = [r.id for r in records] + [getattr(r, "text", "") for r in records]
    strings += [x for items in entities for e in items for x in (e.id, e.text)]
    if b"\\u003" in raw.tobytes() or colons != keys + "".join(strings).count(":"):
        raise _NotInOrder


class _Texts:
    """The texts of a batch's documents, and as ``Chars`` when asked for (only the Python
    path of ``flatten`` leaves the offset rule to ``spans_hold``, which needs them)."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self._chars: Chars | None = None

    def chars(self) -> Chars:
        if self._chars is None:
            self._chars = Chars(self.texts)
        return self._chars


def _side(texts: _Texts, entities: Entities) -> tuple[Flat, Spans]:
    """One side's entities of a batch as arrays, with their strings, once the checks of the
    module docstring hold (``_NotInOrder`` if any fails): ``texts`` are those of the batch's
    documents."""
    flat = _flat(entities, texts.texts)
    spans = Spans(flat)
    holds = flat.holds if flat.holds is not None else spans_hold(texts.chars(), flat, spans)
    if not holds or not unique_per_document(flat):
        raise _NotInOrder
    return flat, spans


def _flat(entities: Entities, texts: list[str]) -> Flat:
    try:
        return Flat.of(entities, texts)
    except (OverflowError, KeyError):  # an offset beyond 64 bits; a label msgspec let through
        raise _NotInOrder from None


def evaluate_in_order(gold_path: Path | str, predictions_path: Path | str, *, gold_source: str,
                      predictions_source: str, per_document: Sink | None = None,
                      keep_per_document: bool = False) -> Result | None:  # fmt: skip
    """The result of scoring the files in one pass, or ``None`` if they are not of the shape
    this pass handles (module docstring)."""
    if not (os.path.isfile(gold_path) and os.path.isfile(predictions_path)):
        return None  # a FIFO, a pipe or a device is read once, by the general loop (sgie.safeio)
    try:
        with _no_cycle_collection(), open(gold_path, "rb") as g, open(predictions_path, "rb") as p:
            return _evaluate(g, p, gold_source, predictions_source, per_document, keep_per_document)
    except (_NotInOrder, OSError):
        return None


#: glibc's ``mallopt`` parameters (``malloc.h``) and the values ``keep_freed_memory`` sets.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_TRIM_BYTES, _MMAP_BYTES = 128 << 20, 64 << 20


def keep_freed_memory() -> bool:
    """Ask glibc's allocator to keep the memory a batch frees for the next batch: blocks below
    64 MiB come from the heap, not from a fresh mapping each, and up to 128 MiB freed at the
    top of the heap stays with the process. A process-wide setting, so ``sgie evaluate`` makes
    it (before reading two files), not ``evaluate_in_order``. Without it glibc's own
    thresholds move with the order of frees, and in some runs every batch's arrays are mapped
    and faulted in anew (at 10^6 spans, 20 per document: about 57,000 page faults instead of
    8,600 in all eight runs of one series, and 5% more CPU time). ``True`` if glibc took both
    settings, ``False`` elsewhere (no glibc: nothing is changed)."""
    import ctypes  # only here: the one process-wide setting of the pass

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl without it)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES) and mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused for the pass (and resumed as it was): the pass makes
    no reference cycles, but its millions of decoded records set the collector off over and
    over, each time walking every live batch (about a tenth of the time at 2 entities per
    document). Reference counting still frees every record as soon as it is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _placed(gold_ids: list[str], mine: Entities, mine_ids: list[str], missing: list[str]) -> Entities:
    """The predicted entities of each gold document of a batch (``()`` for those without a
    prediction, whose ids are added to ``missing``)."""
    position = {doc_id: i for i, doc_id in enumerate(gold_ids)}
    try:
        where = [position[doc_id] for doc_id in mine_ids]
    except KeyError:  # a prediction for a document that is not in the gold (or out of order)
        raise _NotInOrder from None
    placed: Entities = [()] * len(gold_ids)
    for i, items in zip(where, mine, strict=True):
        placed[i] = items
    predicted = set(where)
    missing += [doc_id for i, doc_id in enumerate(gold_ids) if i not in predicted]
    return placed


def _evaluate(g: BufferedIOBase, p: BufferedIOBase, gold_source: str, predictions_source: str,
              per_document: Sink | None, keep: bool) -> Result:  # fmt: skip
    predictions = _batches(p, _PREDICTION, 2)
    waiting: Entities = []  # the entities of the decoded predictions not yet paired
    waiting_ids: list[str] = []
    total = EntityCounts()
    kept: dict[str, DocumentCounts] = {}
    missing: list[str] = []
    n_gold = n_pred = 0
    surface = PRF()
    for golds, gold_ids, gold_entities in _batches(g, _DOCUMENT, 3):
        texts = _Texts([r.text for r in golds])
        gold_flat, gold_spans = _side(texts, gold_entities)
        # the predictions up to this batch's last id
        last = gold_ids[-1]
        while not waiting_ids or waiting_ids[-1] <= last:
            batch = next(predictions, None)
            if batch is None:
                break
            waiting_ids += batch[1]
            waiting += batch[2]
        cut = bisect_right(waiting_ids, last)
        mine, waiting = waiting[:cut], waiting[cut:]
        mine_ids, waiting_ids = waiting_ids[:cut], waiting_ids[cut:]
        if mine_ids == gold_ids:  # every document predicted (the usual case)
            pred_entities = mine
        else:
            pred_entities = _placed(gold_ids, mine, mine_ids, missing)
        pred_flat, pred_spans = _side(texts, pred_entities)
        n_gold, n_pred = n_gold + len(golds), n_pred + len(mine)
        if per_document is not None or keep:
            counts = score_flat(gold_entities, pred_entities, gold_flat, pred_flat)
            total = total + counts.total
            for i, doc_id in enumerate(gold_ids):
                c = DocumentCounts(counts.document(i), None, None)
                if keep:
                    kept[doc_id] = c
                if per_document is not None:
                    per_document(doc_id, c)
        else:
            total = total + total_flat(gold_entities, pred_entities, gold_flat, pred_flat)
        surface += surface_flat(gold_flat, pred_flat, gold_spans, pred_spans)  # per-document sets
    if n_gold == 0 or n_pred == 0 or waiting or next(predictions, None) is not None:
        raise _NotInOrder  # an empty file, or predictions after the last gold id
    # entities in every record of both files, no other layer (``_Document``, ``_Prediction``)
    layers: dict[str, LayerStatus] = {
        k: LayerStatus(attempted=k == "entities", annotated=k == "entities") for k in LAYER_NAMES
    }
    return Result(
        total=DocumentCounts(total, None, None),
        per_document=kept,
        layers=layers,
        gold_documents=n_gold,
        missing_documents=tuple(missing),
        predicted_documents=n_pred,
        ungrounded=(),
        ungrounded_items=dict.fromkeys(LAYER_NAMES, 0),
        gold_source=gold_source,
        predictions_source=predictions_source,
        surface=surface,
    )
