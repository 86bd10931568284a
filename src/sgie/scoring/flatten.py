"""The entities of a batch of documents as columns: the one step of the bulk path done per entity.

What it does
    ``flatten(docs)`` turns the entities of a batch of documents (``docs[i]``: the entities
    of document ``i``, ``sgie.records.Entity``) into what the bulk checks and counts work on:

    * four ``int64`` arrays, one item per entity in order: ``doc`` (the index of its
      document), ``start``, ``end`` and ``code`` (the index of its label in
      ``sgie.schema.ENTITY_LABELS``);
    * ``joined_ids`` and ``joined_texts``: every entity's id (text) followed by a NUL, as one
      string (what ``sgie.scoring.bulk_checks`` turns into arrays of code units).

    Two implementations give the same result (``tests/test_scoring_flatten.py``: examples
    and a hypothesis property over any strings, offsets and labels):

    * ``flatten_compiled``: the C kernel ``sgie.scoring._flatten`` (``_flatten.c``), one loop
      that reads the records' fields from their slots. ``pip install`` builds it where a C
      compiler is found; it is an optional extension, so an install without a compiler goes
      on without it. ``KERNEL`` says whether it is here.
    * ``flatten_python``: one list comprehension per field, the integers packed with
      ``struct`` (about four times the kernel's time per entity: 150 to 300 ns against 40 to
      80, most of either being the reads of records scattered in memory).

    ``flatten`` uses the kernel when it is here and takes the records it is given (exactly
    ``Entity``, documents as tuples or lists), the Python path otherwise.

What it does not do
    No validation: an offset that does not fit in 64 bits raises ``OverflowError`` and a
    label outside the schema ``KeyError`` (both paths); the offset rule, unique ids and the
    rest are ``sgie.scoring.bulk_checks``'. No scoring, no reading.

Inputs / outputs
    A sequence of sequences of ``Entity``; a ``Columns`` record.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from itertools import chain

import msgspec
import numpy as np

from sgie import schema
from sgie.records import Entity

#: The index of each entity label in ``schema.ENTITY_LABELS``.
CODE = {label: i for i, label in enumerate(schema.ENTITY_LABELS)}


Kernel = Callable[
    [Sequence[Sequence[Entity]], type[Entity], dict[str, int]], tuple[bytes, bytes, bytes, bytes, str, str]
]


def _kernel() -> Kernel | None:
    try:
        from sgie.scoring._flatten import flatten as compiled
    except ImportError:  # not built: no C compiler at install time
        return None
    return compiled


#: The compiled kernel (``sgie.scoring._flatten.flatten``), or ``None`` where it was not built.
KERNEL = _kernel()


class Columns(msgspec.Struct, frozen=True):
    """The columns of a batch's entities (module docstring)."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    joined_ids: str
    joined_texts: str


def int64s(values: Sequence[int]) -> np.ndarray:
    """``values`` as a read-only ``int64`` array (``struct.error`` if one does not fit):
    ``struct.pack`` converts a list of ints at about half the cost per item of
    ``np.fromiter`` or ``np.array``."""
    return np.frombuffer(struct.pack(f"{len(values)}q", *values), np.int64)


def flatten(docs: Sequence[Sequence[Entity]]) -> Columns:
    """The columns of ``docs``' entities, by the kernel when it takes them (module docstring)."""
    if KERNEL is not None:
        try:
            return flatten_compiled(docs)
        except TypeError:  # not exactly Entity records in tuples or lists: the Python path
            pass
    return flatten_python(docs)


def flatten_compiled(docs: Sequence[Sequence[Entity]]) -> Columns:
    """``flatten`` by the C kernel (``ModuleNotFoundError`` where it was not built;
    ``TypeError`` for records it does not take)."""
    if KERNEL is None:
        raise ModuleNotFoundError("sgie.scoring._flatten was not built (no C compiler at install time)")
    doc, start, end, code, joined_ids, joined_texts = KERNEL(docs, Entity, CODE)
    return Columns(
        np.frombuffer(doc, np.int64), np.frombuffer(start, np.int64), np.frombuffer(end, np.int64),
        np.frombuffer(code, np.int64), joined_ids, joined_texts,
    )  # fmt: skip


def flatten_python(docs: Sequence[Sequence[Entity]]) -> Columns:
    """``flatten`` with one list comprehension per field."""
    items = list(chain.from_iterable(docs))
    lengths = np.fromiter(map(len, docs), np.int64, len(docs))
    doc = np.arange(len(docs), dtype=np.int64).repeat(lengths)
    doc.flags.writeable = False  # read-only, like the kernel's
    try:
        start, end = int64s([e.start for e in items]), int64s([e.end for e in items])
    except struct.error:
        raise OverflowError("an entity offset does not fit in 64 bits") from None
    ids, texts = [e.id for e in items], [e.text for e in items]
    ids.append("")  # each string followed by a NUL
    texts.append("")
    return Columns(doc, start, end, int64s([CODE[e.label] for e in items]), "\0".join(ids), "\0".join(texts))
