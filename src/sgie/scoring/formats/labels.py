"""Foreign entity labels: mapping them into SGIE types, and scoring in a coarser label space.

What it does
    Two independent steps, both on entity labels only (proposals and attributions have none):

    * **Label maps** (``--label-map ontonotes|conll|FILE``): a prediction's entity labels are
      foreign (OntoNotes 5.0 from spaCy, CoNLL-2003 from a CoNLL tagger, anything from a file)
      and are mapped into SGIE types *before* the predictions are checked.
      ``label_map(spec)`` gives the ``LabelMap``: ``ontonotes`` is
      ``sgie.schema.ONTONOTES_TO_SGIE`` with every other OntoNotes type (DATE, MONEY, ORDINAL,
      ...) mapped to nothing; ``conll`` is ``sgie.schema.CONLL_TO_SGIE`` (all four types have a
      counterpart); ``FILE`` is a JSON object ``{"FOREIGN": "SGIE type" or null}``.
      ``LabelMap.apply(record)`` maps one raw prediction record: a label mapped to ``null`` has
      no counterpart, and its entity is dropped and counted (``Dropped``), not an error; a
      label the map does not know is an ``InputError`` naming the map; an argument's
      ``entity_id`` that pointed at a dropped entity is removed (the argument keeps its span).
    * **Label spaces** (``--label-space ontonotes|conll``): score in the coarser space an
      off-the-shelf model was trained for. Both gold and (SGIE-typed) predictions are mapped
      with ``EntityType.ontonotes`` / ``EntityType.conll``; SGIE types that fall into one
      coarse class are scored as one type (``ORG`` = ORG + MEDIA + MILITARY in both spaces),
      and gold entities whose type has no counterpart (QUANTITY in CoNLL) are dropped and
      counted. So that the records stay SGIE-typed, each class is carried by one SGIE type,
      its *representative*: the SGIE type named like the class if there is one, else the
      first in schema order (CoNLL ``PER`` -> PERSON, ``MISC`` -> NORP); ``LabelSpace.names``
      gives the class name of each representative for the report. ``LabelSpace.relabel(doc)``
      maps one ``DocAnnotations``.

    With a label map, a foreign type and its SGIE image map back to that type in its own space
    (``tests/test_schema.py``), except OntoNotes FAC, which SGIE folds into LOC; so
    ``--label-map ontonotes --label-space ontonotes`` scores an OntoNotes model on the
    OntoNotes types SGIE annotates, FAC merged into LOC.

What it does not do
    No scoring, no file reading beyond the map file; labels are not otherwise validated here
    (the prediction checks do that after mapping).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import msgspec
from msgspec.structs import replace

from sgie import schema
from sgie.errors import InputError
from sgie.records import JSON, DocAnnotations, Entity, JSONObject

BUILTIN_MAPS: tuple[str, ...] = ("ontonotes", "conll")
LABEL_SPACES: tuple[str, ...] = ("sgie", "ontonotes", "conll")

Dropped = Counter  # label -> number of entities dropped


class LabelMap(msgspec.Struct, frozen=True):
    """Foreign label -> SGIE type, or ``None`` for a label with no counterpart."""

    name: str  # "ontonotes", "conll" or the file name
    mapping: Mapping[str, str | None]

    def apply(self, record: JSON) -> tuple[JSON, Dropped[str]]:
        """``record`` with its entity labels mapped and entities without counterpart dropped
        (a record that is not a prediction object is returned as is, for the checks to reject)."""
        dropped: Dropped[str] = Counter()
        if not isinstance(record, dict) or not isinstance(record.get("entities"), list):
            return record, dropped
        kept: list[JSON] = []
        gone: set[str] = set()
        for k, entity in enumerate(record["entities"]):  # type: ignore[arg-type]
            if not isinstance(entity, dict) or not isinstance(entity.get("label"), str):
                kept.append(entity)
                continue
            label = str(entity["label"])
            if label not in self.mapping:
                raise InputError(
                    f"'entities[{k}].label' must be a label of the --label-map {self.name} "
                    f"({_quoted(self.mapping)}) (got {label[:80]!r})"
                )
            target = self.mapping[label]
            if target is None:
                dropped[label] += 1
                if isinstance(entity.get("id"), str):
                    gone.add(str(entity["id"]))
                continue
            kept.append({**entity, "label": target})
        out: JSONObject = {**record, "entities": kept}
        if gone and isinstance(record.get("proposals"), list):
            out["proposals"] = [_unlink(p, gone) for p in record["proposals"]]  # type: ignore[union-attr]
        return out, dropped


def _quoted(mapping: Mapping[str, str | None]) -> str:
    names = list(mapping)
    return ", ".join(names) if len(names) <= 20 else ", ".join(names[:20]) + f", ... ({len(names)})"


def _unlink(proposal: JSON, gone: set[str]) -> JSON:
    if not isinstance(proposal, dict) or not isinstance(proposal.get("arguments"), list):
        return proposal
    arguments = [
        {k: v for k, v in a.items() if k != "entity_id"}
        if isinstance(a, dict) and a.get("entity_id") in gone else a
        for a in proposal["arguments"]  # type: ignore[union-attr]
    ]  # fmt: skip
    return {**proposal, "arguments": arguments}


def builtin_map(name: str) -> LabelMap:
    """The published mapping ``ontonotes`` or ``conll`` (every foreign type of the set known)."""
    if name == "ontonotes":
        return LabelMap(name, {t: schema.ONTONOTES_TO_SGIE.get(t) for t in schema.ONTONOTES_TYPES})
    if name == "conll":
        return LabelMap(name, {t: schema.CONLL_TO_SGIE.get(t) for t in schema.CONLL_TYPES})
    raise ValueError(f"label map must be one of {list(BUILTIN_MAPS)} (got {name!r})")


def label_map(spec: str) -> LabelMap:
    """``ontonotes``, ``conll`` or a JSON file ``{"FOREIGN": "SGIE type" or null}``."""
    if spec in BUILTIN_MAPS:
        return builtin_map(spec)
    path = Path(spec)
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"'--label-map' must be one of {list(BUILTIN_MAPS)} or a JSON file "
                         f"(got {spec[:80]!r}, no such file)") from None  # fmt: skip
    except (UnicodeDecodeError, json.JSONDecodeError, IsADirectoryError, RecursionError) as err:
        raise InputError(f"label map must be one JSON object (got {type(err).__name__})",
                         file=str(path)) from None  # fmt: skip
    if not isinstance(value, dict) or not value:
        raise InputError("label map must be a non-empty JSON object {\"FOREIGN\": \"SGIE type\" or null} "
                         f"(got {type(value).__name__})", file=str(path))  # fmt: skip
    for key, target in value.items():
        if target is not None and target not in schema.ENTITY_LABELS:
            raise InputError(f"'{key[:80]}' must map to one of {list(schema.ENTITY_LABELS)} or null "
                             f"(got {str(target)[:80]!r})", file=str(path))  # fmt: skip
    return LabelMap(path.name, value)


class LabelSpace(msgspec.Struct, frozen=True):
    """A coarse label space: each SGIE type -> its class's representative SGIE type, or None."""

    name: str
    representative: Mapping[str, str | None]
    names: Mapping[str, str]  # representative SGIE type -> coarse class name

    def relabel(self, doc: DocAnnotations) -> tuple[DocAnnotations, Dropped[str]]:
        """``doc`` with entity labels mapped to representatives; entities without a class are
        dropped (and counted by SGIE type), arguments' links to them removed."""
        dropped: Dropped[str] = Counter()
        if doc.entities is None:
            return doc, dropped
        kept: list[Entity] = []
        for e in doc.entities:
            target = self.representative[e.label]
            if target is None:
                dropped[e.label] += 1
            else:
                kept.append(e if target == e.label else replace(e, label=target))
        gone = {e.id for e in doc.entities} - {e.id for e in kept}
        proposals = doc.proposals
        if gone and proposals is not None:
            proposals = tuple(
                replace(p, arguments=tuple(replace(a, entity_id=None) if a.entity_id in gone else a
                                           for a in p.arguments))  # fmt: skip
                for p in proposals
            )
        return replace(doc, entities=tuple(kept), proposals=proposals), dropped


def label_space(name: str) -> LabelSpace | None:
    """The coarse space ``ontonotes`` or ``conll``; ``None`` for ``sgie`` (nothing to do)."""
    if name == "sgie":
        return None
    if name not in LABEL_SPACES:
        raise ValueError(f"label space must be one of {list(LABEL_SPACES)} (got {name!r})")
    coarse = {t.name: (t.ontonotes if name == "ontonotes" else t.conll) for t in schema.ENTITY_TYPES}
    members: dict[str, list[str]] = {}
    for sgie_type, cls in coarse.items():
        if cls is not None:
            members.setdefault(cls, []).append(sgie_type)
    rep = {cls: (cls if cls in types else types[0]) for cls, types in members.items()}
    representative = {t: (None if c is None else rep[c]) for t, c in coarse.items()}
    return LabelSpace(name, representative, {r: cls for cls, r in rep.items()})
