"""The columns and ``datasets.Features`` of every dataset config, derived from ``sgie.schema``.

What it does
    Declares, once, each config's columns (name, ``datasets`` feature type, one-line
    description). ClassLabel names come from ``sgie.schema`` (entity labels, attribute values,
    argument roles), ``sgie.corpus.manifest`` (zones), ``sgie.annotations.store`` (annotators)
    and ``sgie.dataset.ner`` (BIO tags), so the schema stays the single source of truth.
    Spans are lists of structs (``datasets.List({...})``); every span struct carries
    ``start``, ``end`` (half-open code-point offsets) and ``text``.

    Configs: ``documents`` (default), ``entities``, ``proposals``, ``attributions``, ``ner``,
    ``annotators``, ``folds``; all have the splits ``train``, ``validation``, ``test``.

What it does not do
    No rows (``sgie.dataset.rows``), no files.

Inputs / outputs
    ``CONFIGS`` (name -> ``Config``); ``Config.features`` is the ``datasets.Features``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from datasets import ClassLabel, Features, List, Value

from sgie import schema
from sgie.annotations.store import ANNOTATORS
from sgie.corpus.manifest import PRINTED_FIELDS, SPLITS, ZONES
from sgie.dataset.ner import BIO_NAMES

DEFAULT_CONFIG = "documents"


@dataclass(frozen=True)
class Column:
    name: str
    feature: object  # a datasets feature type
    description: str


@dataclass(frozen=True)
class Config:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def features(self) -> Features:
        return Features({c.name: c.feature for c in self.columns})


def _int() -> Value:
    return Value("int32")


def _str() -> Value:
    return Value("string")


def _span() -> dict[str, object]:
    return {"start": _int(), "end": _int(), "text": _str()}


def entity_struct() -> dict[str, object]:
    return {"id": _str(), "start": _int(), "end": _int(),
            "label": ClassLabel(names=list(schema.ENTITY_LABELS)), "text": _str()}  # fmt: skip


def argument_struct() -> dict[str, object]:
    return {"role": ClassLabel(names=list(schema.ROLE_NAMES)), "start": _int(), "end": _int(),
            "text": _str(), "entity_id": _str()}  # fmt: skip


def _attr(attribute: schema.Attribute) -> ClassLabel:
    return ClassLabel(names=list(attribute.value_names))


def proposal_struct() -> dict[str, object]:
    return {"id": _str(), "start": _int(), "end": _int(), "text": _str(),
            "type": _attr(schema.PROPOSAL_TYPE), "status": _attr(schema.PROPOSAL_STATUS),
            "polarity": _attr(schema.PROPOSAL_POLARITY), "arguments": List(argument_struct())}  # fmt: skip


def attribution_struct() -> dict[str, object]:
    return {"id": _str(), "cue": List(_span()), "source": List(_span()), "content": List(_span()),
            "quote_type": _attr(schema.QUOTE_TYPE), "source_type": _attr(schema.SOURCE_TYPE),
            "parent_id": _str()}  # fmt: skip


SPAN_DOC = "{start, end, text}: half-open code-point offsets into the document `text`"
_ENTITIES = Column("entities", List(entity_struct()),
                   "gold entity mentions: list of {id, start, end, label, text}")  # fmt: skip
_PROPOSALS = Column("proposals", List(proposal_struct()),
                    "gold proposals: list of {id, start, end, text, type, status, polarity, "
                    "arguments: list of {role, start, end, text, entity_id or null}}")  # fmt: skip
_ATTRIBUTIONS = Column("attributions", List(attribution_struct()),
                       "gold attributions: list of {id, cue, source, content, quote_type, "
                       "source_type, parent_id or null}; cue/source/content are lists of "
                       f"{SPAN_DOC} (source may be empty, content may be discontinuous)")  # fmt: skip
_GROUP = Column("group", _str(), "split group: documents reporting the same event from the same source")
_FOLD = Column("fold", _int(), "leave-one-group-out fold in which this document is held out "
               "(fold k tests the documents with fold == k and trains on the others)")  # fmt: skip
_DOC_ID = Column("doc_id", _str(), "document id (the `id` of the `documents` config)")


def _context() -> tuple[Column, ...]:
    return (
        Column("context_start", _int(), "start of `context` in the document text"),
        Column("context_end", _int(), "end of `context` in the document text"),
        Column("context", _str(), "the paragraph(s) containing the item: "
               "text[context_start:context_end]"),  # fmt: skip
    )


_PRINTED_HELP = {
    "headline": "headline as printed (null: none printed)",
    "outlet": "outlet (website) as printed",
    "publisher": "publisher as printed",
    "wire": "news agency as printed",
    "byline": "byline as printed",
    "editor": "editor as printed",
    "dateline_place": "dateline place as printed",
    "date_as_printed": "publication date as printed in the dateline",
    "page_date_as_printed": "page date as printed by the website (may be a site artefact)",
}


def _document_columns(annotator: bool) -> tuple[Column, ...]:
    who = "this annotator's" if annotator else "gold"
    layers = tuple(Column(c.name, c.feature, c.description.replace("gold", who, 1))
                   for c in (_ENTITIES, _PROPOSALS, _ATTRIBUTIONS))  # fmt: skip
    head: tuple[Column, ...] = (Column("id", _str(), "document id"),)
    if annotator:
        head += (Column("annotator", ClassLabel(names=list(ANNOTATORS)),
                        "annotation pass: a and b (independent) or gold (adjudicated)"),)  # fmt: skip
    return (
        *head,
        Column("source_file", _str(), "raw file in corpus/ this document is cut from"),
        Column("raw_start", _int(), "offset of the document in its raw file: "
               "raw[raw_start + s : raw_start + e] == text[s:e]"),  # fmt: skip
        Column("text", _str(), "the document text (the editorial slice of the raw file)"),
        *(Column(name, _str(), _PRINTED_HELP[name]) for name in PRINTED_FIELDS),
        Column("language", _str(), "language code"),
        Column("copyright_as_printed", List(_str()), "copyright notices as printed on the page"),
        Column("sources_as_printed", List(_str()), "sources as listed on the page"),
        Column("notes", List(_str()), "curation notes on the document"),
        Column("zones", List({"story_id": _str(), "story_role": ClassLabel(names=["main", "inset"]),
                              "zone": ClassLabel(names=list(ZONES)), **_span()}),
               "segmentation: list of {story_id, story_role, zone, start, end, text}"),  # fmt: skip
        _GROUP,
        _FOLD,
        Column("annotated", Value("bool"), f"true if the export holds {who} annotations of this "
               "document (false: the layers are empty because not yet annotated)"),  # fmt: skip
        *layers,
    )


def _definitions(attribute: schema.Attribute) -> str:
    return attribute.definition


_ITEM_HELP = {
    "id": "item id, unique within its document",
    "start": "start offset in the document text (code points)",
    "end": "end offset in the document text (half-open)",
    "text": "the item's text: document text[start:end]",
    "label": "entity type",
    "type": _definitions(schema.PROPOSAL_TYPE),
    "status": _definitions(schema.PROPOSAL_STATUS),
    "polarity": _definitions(schema.PROPOSAL_POLARITY),
    "arguments": "list of {role, start, end, text, entity_id or null}; role one of "
    + ", ".join(schema.ROLE_NAMES),
    "cue": f"cue span(s): list of {SPAN_DOC}",
    "source": f"source span(s), possibly empty: list of {SPAN_DOC}",
    "content": f"content span(s), possibly discontinuous: list of {SPAN_DOC}",
    "quote_type": _definitions(schema.QUOTE_TYPE),
    "source_type": _definitions(schema.SOURCE_TYPE),
    "parent_id": "id of the attribution this one is nested in (null: not nested)",
}


def _flat(struct: dict[str, object]) -> tuple[Column, ...]:
    return (
        _DOC_ID,
        *(Column(name, feature, _ITEM_HELP[name]) for name, feature in struct.items()),
        *_context(),
        _GROUP,
        _FOLD,
    )


CONFIG_LIST: tuple[Config, ...] = (
    Config("documents", "one row per document: text, metadata, segmentation and all three gold "
           "layers", _document_columns(annotator=False)),  # fmt: skip
    Config("entities", "one row per gold entity mention, with its paragraph as context",
           _flat(entity_struct())),  # fmt: skip
    Config("proposals", "one row per gold proposal (with its arguments), with context",
           _flat(proposal_struct())),  # fmt: skip
    Config("attributions", "one row per gold attribution, with context",
           _flat(attribution_struct())),  # fmt: skip
    Config("ner", "one row per paragraph (non-blank line) of every document: tokens, token "
           "offsets and gold BIO tags (`annotated` false: no gold yet)", (  # fmt: skip
        Column("id", _str(), "row id: <doc_id>-<paragraph index, 3 digits>"),
        _DOC_ID,
        Column("paragraph", _int(), "paragraph index in the document (0-based)"),
        Column("start", _int(), "start of the paragraph in the document text"),
        Column("end", _int(), "end of the paragraph in the document text"),
        Column("text", _str(), "the paragraph: a non-blank line of the document, trimmed"),
        Column("tokens", List(_str()), "tokens (sgie.dataset.tokenize)"),
        Column("token_starts", List(_int()), "token start offsets into this row's `text`"),
        Column("token_ends", List(_int()), "token end offsets into this row's `text` "
               "(text[token_starts[i]:token_ends[i]] == tokens[i])"),  # fmt: skip
        Column("ner_tags", List(ClassLabel(names=list(BIO_NAMES))), "BIO entity tags, one per token"),
        Column("annotated", Value("bool"), "true if the document's gold entity layer is in the "
               "export; false: not annotated yet, every tag is O and is not gold"),  # fmt: skip
        _GROUP,
        _FOLD,
    )),
    Config("annotators", "one row per document and annotation pass (a, b, gold), in the "
           "`documents` shape, for disagreement studies", _document_columns(annotator=True)),  # fmt: skip
    Config("folds", "one row per document: its split, split group and leave-one-group-out fold", (
        Column("id", _str(), "document id"),
        Column("split", ClassLabel(names=list(SPLITS)), "the document's fixed split"),
        _GROUP,
        _FOLD,
        Column("num_folds", _int(), "number of leave-one-group-out folds (= number of groups)"),
    )),
)

CONFIGS: Mapping[str, Config] = MappingProxyType({c.name: c for c in CONFIG_LIST})
