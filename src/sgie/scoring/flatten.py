"""The entities of a batch of documents as columns: the one step of the bulk path done per entity.

What it does
    ``flatten(docs, texts)`` turns the entities of a batch of documents (``docs[i]``: the
    entities of document ``i``, ``sgie.records.Entity``; ``texts[i]``: its text, optional)
    into what the bulk checks and counts work on:

    * four ``int64`` arrays, one item per entity in order: ``doc`` (the index of its
      document), ``start``, ``end`` and ``code`` (the index of its label in
      ``sgie.schema.ENTITY_LABELS``);
    * two ``uint64`` arrays: ``id_hash`` and ``text_hash``, ``sgie.scoring.hashing``'s
      ``HASH`` of each entity's id and text (what the bulk id check and the surface counts
      key on);
    * ``joined_texts``: every entity's text followed by a NUL, as one string (what
      ``sgie.scoring.bulk_checks.Spans`` turns into an array of code units);
    * ``holds``: whether every entity satisfies the offset rule in its document's text
      (``0 <= start < end <= len(text)`` and ``text[start:end] == entity.text``, as
      ``sgie.scoring.bulk_checks.spans_hold``), or ``None`` when it was not checked here (no
      ``texts``, or the Python path, which leaves it to ``spans_hold``).

    Two implementations give the same columns (``tests/test_scoring_flatten.py``: examples
    and hypothesis properties over any strings, offsets and labels, ``holds`` against
    ``spans_hold``):

    * ``flatten_compiled``: the C kernel ``sgie.scoring._kernel`` (``_kernel.c``), one loop
      that reads the records' fields from their slots, hashes the strings and checks the
      spans as it goes. ``pip install`` builds it where a C compiler is found; it is an
      optional extension, so an install without a compiler goes on without it. ``KERNEL``
      says whether it is here.
    * ``flatten_python``: one list comprehension per field, the integers packed with
      ``struct``, the strings hashed as arrays (``hashing.hashes``).

    ``flatten`` uses the kernel when it is here and takes the records it is given (exactly
    ``Entity``, documents as tuples or lists, texts as a list of ``str``), the Python path
    otherwise.

What it does not do
    No validation beyond ``holds``: an offset that does not fit in 64 bits raises
    ``OverflowError`` and a label outside the schema ``KeyError`` (both paths); unique ids and
    the rest are ``sgie.scoring.bulk_checks``'. No scoring, no reading.

Inputs / outputs
    A sequence of sequences of ``Entity`` (and optionally a list of texts); a ``Columns``
    record.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from itertools import chain

import msgspec
import numpy as np

from sgie import schema
from sgie.records import Entity
from sgie.scoring import compiled
from sgie.scoring.hashing import hashes

#: The index of each entity label in ``schema.ENTITY_LABELS``.
CODE = {label: i for i, label in enumerate(schema.ENTITY_LABELS)}

#: The compiled kernel (``sgie.scoring._kernel.flatten``), or ``None`` where it was not built.
KERNEL = compiled.FLATTEN


class Columns(msgspec.Struct, frozen=True):
    """The columns of a batch's entities (module docstring)."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    id_hash: np.ndarray
    text_hash: np.ndarray
    joined_texts: str
    holds: bool | None


def int64s(values: Sequence[int]) -> np.ndarray:
    """``values`` as a read-only ``int64`` array (``struct.error`` if one does not fit):
    ``struct.pack`` converts a list of ints at about half the cost per item of
    ``np.fromiter`` or ``np.array``."""
    return np.frombuffer(struct.pack(f"{len(values)}q", *values), np.int64)


def flatten(docs: Sequence[Sequence[Entity]], texts: list[str] | None = None) -> Columns:
    """The columns of ``docs``' entities, by the kernel when it takes them (module docstring)."""
    if KERNEL is not None:
        try:
            return flatten_compiled(docs, texts)
        except TypeError:  # not exactly Entity records in tuples or lists: the Python path
            pass
    return flatten_python(docs)


def flatten_compiled(docs: Sequence[Sequence[Entity]], texts: list[str] | None = None) -> Columns:
    """``flatten`` by the C kernel (``ModuleNotFoundError`` where it was not built;
    ``TypeError`` for records it does not take, or ``texts`` that are not one ``str`` per
    document)."""
    if KERNEL is None:
        raise ModuleNotFoundError("sgie.scoring._kernel was not built (no C compiler at install time)")
    doc, start, end, code, id_hash, text_hash, joined_texts, holds = KERNEL(docs, Entity, CODE, texts)
    i8, u8 = np.int64, np.uint64  # arrays over bytes: read-only
    return Columns(
        np.frombuffer(doc, i8), np.frombuffer(start, i8), np.frombuffer(end, i8), np.frombuffer(code, i8),
        np.frombuffer(id_hash, u8), np.frombuffer(text_hash, u8), joined_texts, holds,
    )  # fmt: skip


def flatten_python(docs: Sequence[Sequence[Entity]]) -> Columns:
    """``flatten`` with one list comprehension per field (``holds`` is ``None``: the offset
    rule is left to ``bulk_checks.spans_hold``)."""
    items = list(chain.from_iterable(docs))
    lengths = np.fromiter(map(len, docs), np.int64, len(docs))
    doc = np.arange(len(docs), dtype=np.int64).repeat(lengths)
    doc.flags.writeable = False  # read-only, like the kernel's
    try:
        start, end = int64s([e.start for e in items]), int64s([e.end for e in items])
    except struct.error:
        raise OverflowError("an entity offset does not fit in 64 bits") from None
    code = int64s([CODE[e.label] for e in items])
    texts = [e.text for e in items]
    texts.append("")  # each string followed by a NUL
    joined_texts = "\0".join(texts)
    del texts[-1]
    text_hash, id_hash = hashes(texts, joined_texts), hashes([e.id for e in items])
    id_hash.flags.writeable = text_hash.flags.writeable = False
    return Columns(doc, start, end, code, id_hash, text_hash, joined_texts, None)
