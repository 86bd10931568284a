"""The ways into ``sgie evaluate``, assembled: a predictions file of any supported shape in,
prediction records plus what was set aside out.

What it does
    ``convert(path, texts, ...)`` reads a predictions file in ``format`` ``jsonl`` (the
    prediction format) or ``bio`` (``sgie.scoring.formats.bio``), applies a ``LabelMap``
    (``sgie.scoring.formats.labels``) if given, and returns ``Converted``: the raw prediction
    records with their locations (for the one set of prediction checks), the entities dropped
    by the label map (per foreign label), and the documents skipped because they belong to the
    corpus but not to the scored set (``other_documents``: the other splits; ``--strict``
    makes them an error in the command). A record whose id is neither scored nor in
    ``other_documents`` is left for the checks, which reject it.

    ``read_converted`` adds the prediction checks (``PredictionSet``); ``in_space`` and
    ``gold_in_space`` relabel predictions and gold into a coarse label space
    (``--label-space``).

    ``Setaside`` is the summary the report prints: ``lines()`` for the text report and
    ``to_json()`` for ``--json`` (key ``inputs``, present only when a format other than the
    plain prediction format, a label map or space was used or documents were skipped).

What it does not do
    No checks of the records (``sgie.scoring.predictions``), no scoring. Files in the plain
    prediction format without a label map are not read here: the command streams them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import msgspec

from sgie.errors import InputError
from sgie.records import JSON, JSONObject
from sgie.scoring.formats.labels import LabelMap, LabelSpace
from sgie.scoring.jsonl import read_jsonl
from sgie.scoring.predictions import Located, PredictionSet, parse_records
from sgie.scoring.sources import GoldMemory, GoldSource

FORMATS: tuple[str, ...] = ("jsonl", "bio")


class Setaside(msgspec.Struct, frozen=True):
    """What the inputs step set aside, for the report."""

    format: str = "jsonl"
    label_map: str | None = None
    dropped: Mapping[str, int] = msgspec.field(default_factory=dict)  # foreign label -> predicted entities
    label_space: str | None = None
    space_names: Mapping[str, str] = msgspec.field(default_factory=dict)  # representative -> class
    gold_dropped: Mapping[str, int] = msgspec.field(default_factory=dict)  # SGIE type -> gold entities
    skipped: tuple[str, ...] = ()  # documents outside the scored set

    @property
    def used(self) -> bool:
        """Whether anything beyond the plain prediction format was involved (then ``--json``
        has an ``inputs`` key; else the result object is exactly ``evaluate``'s)."""
        return (self.format != "jsonl" or self.label_map is not None or self.label_space is not None
                or bool(self.skipped))  # fmt: skip

    def in_space(self, space: LabelSpace | None, gold_dropped: Mapping[str, int]) -> Setaside:
        """This summary with the label space and the gold entities it dropped."""
        if space is None:
            return self
        return msgspec.structs.replace(self, label_space=space.name, space_names=dict(space.names),
                       gold_dropped=dict(gold_dropped))  # fmt: skip

    def lines(self) -> list[str]:
        out = []
        if self.skipped:
            out.append(f"skipped {len(self.skipped)} document(s) of the corpus outside the scored "
                       f"set: {', '.join(self.skipped)}")  # fmt: skip
        if self.label_map is not None:
            by_count = sorted(self.dropped.items(), key=lambda kv: (-kv[1], kv[0]))
            gone = ", ".join(f"{k} {v}" for k, v in by_count)
            out.append(f"label map {self.label_map}: {sum(self.dropped.values())} predicted entities "
                       f"dropped (no SGIE counterpart){': ' + gone if gone else ''}")  # fmt: skip
        if self.label_space is not None:
            classes = ", ".join(f"{cls} (as {rep})" for rep, cls in self.space_names.items() if cls != rep)
            gone = ", ".join(f"{k} {v}" for k, v in sorted(self.gold_dropped.items()))
            out.append(f"label space {self.label_space}: SGIE types merged into its classes; rows named "
                       f"by one SGIE type per class{': ' + classes if classes else ''}; gold entities "
                       f"without a class dropped: {gone or 'none'}")  # fmt: skip
        return out

    def to_json(self) -> JSONObject:
        return {
            "format": self.format,
            "label_map": self.label_map,
            "dropped_predicted_entities": dict(sorted(self.dropped.items())),
            "label_space": self.label_space,
            "label_space_classes": {rep: cls for rep, cls in self.space_names.items()},
            "dropped_gold_entities": dict(sorted(self.gold_dropped.items())),
            "skipped_documents": list(self.skipped),
        }


class Converted(msgspec.Struct, frozen=True):
    """Raw prediction records with locations, and what was set aside on the way."""

    records: tuple[tuple[JSON, Located], ...]
    dropped: Mapping[str, int]
    skipped: tuple[str, ...]


def _record_id(value: JSON) -> str | None:
    doc_id = value.get("id") if isinstance(value, dict) else None
    return doc_id if isinstance(doc_id, str) else None


def convert(
    path: Path | str,
    texts: Mapping[str, str],
    *,
    format: str = "jsonl",
    label_map: LabelMap | None = None,
    other_documents: frozenset[str] = frozenset(),
) -> Converted:
    """Prediction records from a file of ``format``, labels mapped (see the module docstring)."""
    name = str(path)
    dropped: Counter[str] = Counter()
    records: list[tuple[JSON, Located]] = []
    skipped: set[str] = set()
    if format == "bio":
        from sgie.scoring.formats.bio import read_bio  # the dataset's tokenizer: only for BIO input

        bio = read_bio(path, texts, foreign=label_map is not None, other_documents=other_documents)
        raw: list[tuple[JSON, Located]] = [(r, Located(name, bio.lines[d])) for d, r in bio.records.items()]
        skipped.update(bio.skipped)
    elif format == "jsonl":
        raw = []
        for number, value in read_jsonl(path):
            doc_id = _record_id(value)
            if doc_id is not None and doc_id not in texts and doc_id in other_documents:
                skipped.add(doc_id)
            else:
                raw.append((value, Located(name, number)))
    else:
        raise ValueError(f"format must be one of {list(FORMATS)} (got {format!r})")
    for value, where in raw:
        if label_map is not None:
            try:
                value, gone = label_map.apply(value)
            except InputError as err:
                raise where.error(err) from None
            dropped.update(gone)
        records.append((value, where))
    return Converted(tuple(records), dict(dropped), tuple(sorted(skipped)))




def read_converted(
    path: Path | str,
    texts: Mapping[str, str],
    *,
    format: str = "jsonl",
    label_map: LabelMap | None = None,
    other_documents: frozenset[str] = frozenset(),
) -> tuple[PredictionSet, Setaside]:
    """``convert``, then the prediction checks: the parsed predictions and the summary."""
    converted = convert(path, texts, format=format, label_map=label_map, other_documents=other_documents)
    parsed = parse_records(converted.records, texts, str(path))
    return parsed, Setaside(format=format, label_map=None if label_map is None else label_map.name,
                            dropped=converted.dropped, skipped=converted.skipped)  # fmt: skip


def in_space(predictions: PredictionSet, space: LabelSpace | None) -> PredictionSet:
    """Predictions relabelled into a coarse label space (as they are for the SGIE space)."""
    if space is None:
        return predictions
    relabelled = {k: space.relabel(d)[0] for k, d in predictions.docs.items()}
    return msgspec.structs.replace(predictions, docs=relabelled)


def gold_in_space(gold: GoldSource, space: LabelSpace | None) -> tuple[GoldSource, dict[str, int]]:
    """The gold relabelled into a coarse label space (read into memory; the source is closed),
    and the gold entities it dropped, per SGIE type."""
    if space is None:
        return gold, {}
    docs, texts, dropped = {}, {}, Counter[str]()
    for doc_id in gold.ids():
        doc, texts[doc_id], _ = gold.get(doc_id)
        docs[doc_id], gone = space.relabel(doc)
        dropped.update(gone)
    gold.close()
    return GoldMemory(docs, texts, gold.source), dict(dropped)
