"""Label Studio results <-> SGIE records, with the validation the server does not do.

What it does
    ``results_to_doc(results, doc_id, text)`` reads one Label Studio annotation's ``result``
    list (the shapes of ``annotations/labeling_config.xml``) into a ``DocAnnotations`` and
    ``doc_to_results(doc)`` writes one back. The mapping:

    * a span region is ``{id, from_name: <layer>, to_name: "text", type: "labels",
      value: {start, end, text, labels: [LABEL]}}``; ``from_name`` is the layer
      (``entity``/``proposal``/``attribution``) that owns the label in ``sgie.schema``;
    * a per-region attribute is ``{id: <same id as its region>, from_name: <attribute>,
      type: "choices", value: {start, end, text, choices: [VALUE]}}``;
    * a relation is ``{type: "relation", from_id, to_id, direction: "right", labels: [NAME, ...]}``;
      one relation may carry several labels (one region filling two roles of a proposal), and
      is read as one link per label.

    Entities are the ``entity`` regions (the region id is the entity id). A proposal is a
    ``PROPOSAL`` region with its three attributes; its arguments are its outgoing
    ``proposer``/``executor``/``beneficiary``/``condition`` relations (``entity_id`` is set when
    the target is an entity region). An attribution is anchored on a ``CUE`` region that is not
    the target of a ``cue`` relation: its cue is the anchor plus the targets of its ``cue``
    relations, its source and content the targets of its ``source`` and ``content``
    relations; its attributes sit on the anchor; ``nested_in`` gives ``parent_id``.

    Validation (``InputError``, one line naming the region/relation): offsets and text against
    the document (via ``Span``), labels, from_name, attribute values and their target label,
    relation labels and endpoint labels, dangling relations, missing attributes, unlinked
    CONDITION/PARTICIPANT/SOURCE/CONTENT regions, exact duplicate regions, overlapping entity
    regions (the entity layer is flat), relations duplicated, ``nested_in`` links that form a
    cycle (an attribution nested in itself, a10 <-> a11; ``sgie.nesting``).

What it does not do
    No server calls, no file I/O, no normalization of whole exports (``sgie.annotations.store``).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import TypeVar

from sgie import schema
from sgie.errors import InputError, quote
from sgie.nesting import nesting_cycle
from sgie.records import (
    JSON,
    Argument,
    Attribution,
    DocAnnotations,
    Entity,
    EntityLabel,
    JSONObject,
    Proposal,
    ProposalPolarity,
    ProposalStatus,
    ProposalType,
    QuoteType,
    Role,
    SourceType,
    expect_int,
    expect_list,
    expect_object,
    expect_str,
)
from sgie.spans import Span

ROLE_RELATIONS = frozenset(schema.ROLE_NAMES)


@dataclass(frozen=True)
class Region:
    id: str
    layer: str
    label: str
    span: Span


@dataclass(frozen=True)
class Link:
    from_id: str
    to_id: str
    label: str


def _value(item: JSONObject, path: str, kind: str) -> tuple[Span, list[JSON]]:
    value = expect_object(item.get("value"), f"{path}.value", ("start", "end", "text", kind))
    start = expect_int(value["start"], f"{path}.value.start")
    end = expect_int(value["end"], f"{path}.value.end")
    text = expect_str(value["text"], f"{path}.value.text")
    try:
        span = Span(start, end, text)
    except InputError as err:
        raise InputError(f"'{path}.value.{err.message[1:]}") from None
    return span, expect_list(value[kind], f"{path}.value.{kind}")


def _single(values: list[JSON], path: str) -> str:
    if len(values) != 1:
        raise InputError(f"'{path}' must hold exactly one value (got {quote(values)})")
    return expect_str(values[0], path)


def parse_results(
    results: JSON, text: str
) -> tuple[dict[str, Region], dict[str, dict[str, str]], list[Link]]:
    """Regions by id, attributes by region id, and relations, each checked on its own."""
    regions: dict[str, Region] = {}
    attributes: dict[str, dict[str, str]] = {}
    links: list[Link] = []
    pending_choices: list[tuple[str, str, str, Span, str]] = []
    for i, item in enumerate(expect_list(results, "result")):
        path = f"result[{i}]"
        if not isinstance(item, dict):
            raise InputError(f"'{path}' must be an object (got {quote(item)})")
        kind = item.get("type")
        if kind == "relation":
            o = expect_object(item, path, ("type", "from_id", "to_id", "labels"), ("direction",))
            if o.get("direction", "right") != "right":
                raise InputError(f"'{path}.direction' must be 'right' (got {quote(o['direction'])})")
            labels = expect_list(o["labels"], f"{path}.labels")
            if not labels or len(set(map(str, labels))) != len(labels):
                raise InputError(f"'{path}.labels' must hold one or more distinct relation labels "
                                 f"(got {quote(labels)})")  # fmt: skip
            for label in labels:
                if label not in schema.RELATION_LABELS:
                    raise InputError(f"'{path}.labels' must be among {list(schema.RELATION_LABELS)} "
                                     f"(got {quote(label)})")  # fmt: skip
                links.append(Link(expect_str(o["from_id"], f"{path}.from_id"),
                                  expect_str(o["to_id"], f"{path}.to_id"), str(label)))  # fmt: skip
            continue
        allowed = ("id", "from_name", "to_name", "type", "value")
        o = expect_object(item, path, allowed, ("origin", "score", "readonly", "hidden"))
        rid = expect_str(o["id"], f"{path}.id")
        from_name = expect_str(o["from_name"], f"{path}.from_name")
        if o["to_name"] != schema.TEXT_NAME:
            raise InputError(f"'{path}.to_name' must be {schema.TEXT_NAME!r} (got {quote(o['to_name'])})")
        if kind == "labels":
            span, labels = _value(o, path, "labels")
            label = _single(labels, f"{path}.value.labels")
            if schema.LABEL_LAYER.get(label) != from_name:
                raise InputError(f"'{path}.value.labels' must be a label of control "
                                 f"{quote(from_name)} (got {quote(label)})")  # fmt: skip
            try:
                span.check(text)
            except InputError as err:
                raise InputError(f"'{path}.value.{err.message[1:]}") from None
            if rid in regions:
                raise InputError(f"'{path}.id' must be unique among regions (got {quote(rid)} again)")
            regions[rid] = Region(rid, from_name, label, span)
        elif kind == "choices":
            span, choices = _value(o, path, "choices")
            if from_name not in schema.ATTRIBUTE_VALUES:
                raise InputError(f"'{path}.from_name' must be one of "
                                 f"{list(schema.ATTRIBUTE_VALUES)} (got {quote(from_name)})")  # fmt: skip
            value = _single(choices, f"{path}.value.choices")
            if value not in schema.ATTRIBUTE_VALUES[from_name]:
                raise InputError(f"'{path}.value.choices' must be one of "
                                 f"{list(schema.ATTRIBUTE_VALUES[from_name])} "
                                 f"(got {quote(value)})")  # fmt: skip
            pending_choices.append((path, rid, from_name, span, value))
        else:
            raise InputError(f"'{path}.type' must be 'labels', 'choices' or 'relation' "
                             f"(got {quote(kind)})")  # fmt: skip
    for path, rid, name, span, value in pending_choices:
        region = regions.get(rid)
        if region is None:
            raise InputError(f"'{path}.id' must name a span region (got {quote(rid)}, no such region)")
        applies = next(a.applies_to for a in schema.ATTRIBUTES if a.name == name)
        if region.label != applies:
            raise InputError(f"'{path}' attribute {quote(name)} must be on a {applies} region "
                             f"(got a {region.label} region {quote(rid)})")  # fmt: skip
        if span != region.span:
            want = f"{region.span.start}..{region.span.end}"
            raise InputError(f"'{path}.value' must repeat its region's start/end/text {want} "
                             f"(got {span.start}..{span.end})")  # fmt: skip
        if name in attributes.setdefault(rid, {}):
            raise InputError(f"'{path}' sets {quote(name)} of region {quote(rid)} twice")
        attributes[rid][name] = value
    return regions, attributes, links


def _check_structure(regions: dict[str, Region], links: list[Link]) -> None:
    seen_spans: dict[tuple[str, int, int], str] = {}
    for r in regions.values():
        key = (r.label, r.span.start, r.span.end)
        if key in seen_spans:
            raise InputError(f"regions {quote(seen_spans[key])} and {quote(r.id)} are exact duplicates "
                             f"({r.label} {r.span.start}..{r.span.end})")  # fmt: skip
        seen_spans[key] = r.id
    entities = sorted((r for r in regions.values() if r.layer == "entity"), key=lambda r: r.span)
    for a, b in zip(entities, entities[1:]):
        if a.span.overlaps(b.span):
            raise InputError(f"entity regions {quote(a.id)} {quote(a.span.text)} and {quote(b.id)} "
                             f"{quote(b.span.text)} overlap (the entity layer is flat)")  # fmt: skip
    seen_links: set[Link] = set()
    for link in links:
        where = f"relation {quote(link.label)} {quote(link.from_id)}->{quote(link.to_id)}"
        for end in (link.from_id, link.to_id):
            if end not in regions:
                raise InputError(f"{where} must point at existing regions (got dangling {quote(end)})")
        rel = schema.relation(link.label)
        if regions[link.from_id].label not in rel.from_labels:
            raise InputError(f"{where} must start at a {'/'.join(rel.from_labels)} region "
                             f"(got {regions[link.from_id].label})")  # fmt: skip
        if regions[link.to_id].label not in rel.to_labels:
            raise InputError(f"{where} must end at a {'/'.join(rel.to_labels)} region "
                             f"(got {regions[link.to_id].label})")  # fmt: skip
        if link in seen_links:
            raise InputError(f"{where} is duplicated")
        seen_links.add(link)


V = TypeVar("V", bound=str)
_LABELS: tuple[EntityLabel, ...] = typing.get_args(EntityLabel)
_ROLES: tuple[Role, ...] = typing.get_args(Role)
_TYPES: tuple[ProposalType, ...] = typing.get_args(ProposalType)
_STATUSES: tuple[ProposalStatus, ...] = typing.get_args(ProposalStatus)
_POLARITIES: tuple[ProposalPolarity, ...] = typing.get_args(ProposalPolarity)
_QUOTE_TYPES: tuple[QuoteType, ...] = typing.get_args(QuoteType)
_SOURCE_TYPES: tuple[SourceType, ...] = typing.get_args(SourceType)


def _member(value: str, values: tuple[V, ...], what: str) -> V:
    """``value`` as a member of a closed value set (checked against the schema before)."""
    for v in values:
        if v == value:
            return v
    raise InputError(f"{what} must be one of {list(values)} (got {quote(value)})")


def results_to_doc(results: JSON, doc_id: str, text: str) -> DocAnnotations:
    """One Label Studio annotation result list as typed, validated records."""
    regions, attributes, links = parse_results(results, text)
    _check_structure(regions, links)
    outgoing: dict[str, list[Link]] = {}
    incoming: dict[str, list[Link]] = {}
    for link in links:
        outgoing.setdefault(link.from_id, []).append(link)
        incoming.setdefault(link.to_id, []).append(link)

    def required(rid: str, name: str) -> str:
        value = attributes.get(rid, {}).get(name)
        if value is None:
            r = regions[rid]
            raise InputError(f"region {quote(rid)} ({r.label} {quote(r.span.text)}) must have attribute "
                             f"{quote(name)} (got none)")  # fmt: skip
        return value

    entities = tuple(
        Entity.at(r.id, r.span, _member(r.label, _LABELS, "entity label"))
        for r in sorted(regions.values(), key=lambda r: (r.span, r.id))
        if r.layer == "entity"
    )
    proposals = []
    for r in sorted(regions.values(), key=lambda r: (r.span, r.id)):
        if r.label != schema.PROPOSAL:
            continue
        args = []
        for link in outgoing.get(r.id, []):
            target = regions[link.to_id]
            entity_id = target.id if target.layer == "entity" else None
            args.append(Argument.at(_member(link.label, _ROLES, "role"), target.span, entity_id))
        proposals.append(Proposal.at(
            r.id, r.span, _member(required(r.id, "proposal_type"), _TYPES, "proposal_type"),
            _member(required(r.id, "proposal_status"), _STATUSES, "proposal_status"),
            _member(required(r.id, "proposal_polarity"), _POLARITIES, "proposal_polarity"),
            tuple(sorted(args, key=lambda a: (schema.ROLE_NAMES.index(a.role), a.span))),
        ))  # fmt: skip
    cue_parts = {lk.to_id: lk.from_id for lk in links if lk.label == "cue"}
    anchors = [
        r for r in sorted(regions.values(), key=lambda r: (r.span, r.id))
        if r.label == schema.CUE and r.id not in cue_parts
    ]  # fmt: skip
    for part, anchor in cue_parts.items():
        if anchor in cue_parts:
            raise InputError(f"cue part {quote(part)} must be linked from an anchor cue, not from "
                             f"the cue part {quote(anchor)}")  # fmt: skip
        if outgoing.get(part):
            raise InputError(f"cue part {quote(part)} must have no relations of its own "
                             f"(got {[lk.label for lk in outgoing[part]]})")  # fmt: skip
    attributions = []
    for r in anchors:
        out = outgoing.get(r.id, [])
        by = {name: sorted(regions[lk.to_id].span for lk in out if lk.label == name)
              for name in ("cue", "source", "content")}  # fmt: skip
        parents = [lk.to_id for lk in out if lk.label == "nested_in"]
        if len(parents) > 1:
            raise InputError(f"cue {quote(r.id)} must be nested in at most one attribution "
                             f"(got {quote(parents)})")  # fmt: skip
        parent = parents[0] if parents else None
        if parent is not None and parent in cue_parts:
            raise InputError(f"'nested_in' of cue {quote(r.id)} must point at an anchor cue "
                             f"(got the cue part {quote(parent)})")  # fmt: skip
        if not by["content"]:
            raise InputError(f"attribution cue {quote(r.id)} {quote(r.span.text)} must have a content "
                             "relation (got none)")  # fmt: skip
        attributions.append(Attribution(
            r.id, tuple(sorted([r.span, *by["cue"]])), tuple(by["source"]), tuple(by["content"]),
            _member(required(r.id, "quote_type"), _QUOTE_TYPES, "quote_type"),
            _member(required(r.id, "source_type"), _SOURCE_TYPES, "source_type"), parent,
        ))  # fmt: skip
    cycle = nesting_cycle({a.id: a.parent_id for a in attributions})
    if cycle is not None:
        raise InputError(f"'nested_in' relations must not form a cycle (got {' -> '.join(cycle)})")
    for r in regions.values():
        if r.label in (schema.CONDITION, schema.PARTICIPANT, schema.SOURCE, schema.CONTENT):
            if not incoming.get(r.id):
                raise InputError(f"region {quote(r.id)} ({r.label} {quote(r.span.text)}) must be linked "
                                 "from a proposal or cue (got no relation)")  # fmt: skip
        if r.label not in (schema.PROPOSAL, schema.CUE) and r.id in attributes:
            raise InputError(f"region {quote(r.id)} ({r.label}) must carry no attributes")
    doc = DocAnnotations(doc_id, entities, tuple(proposals), tuple(attributions))
    return doc


# --------------------------------------------------------------------------------------------
# Records -> results
# --------------------------------------------------------------------------------------------
def _span_item(rid: str, layer: str, label: str, span: Span) -> JSONObject:
    return {"id": rid, "from_name": layer, "to_name": schema.TEXT_NAME, "type": "labels",
            "value": {**span.to_json(), "labels": [label]}}  # fmt: skip


def _choice_item(rid: str, name: str, span: Span, value: str) -> JSONObject:
    return {"id": rid, "from_name": name, "to_name": schema.TEXT_NAME, "type": "choices",
            "value": {**span.to_json(), "choices": [value]}}  # fmt: skip


def _relation(from_id: str, to_id: str, label: str) -> JSONObject:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right",
            "labels": [label]}  # fmt: skip


def _merge_relations(items: list[JSONObject]) -> list[JSONObject]:
    """One relation per (from_id, to_id), carrying all its labels in schema order."""
    out: list[JSONObject] = []
    labels: dict[tuple[str, str], set[str]] = {}

    def key(item: JSONObject) -> tuple[str, str]:
        return str(item["from_id"]), str(item["to_id"])

    for item in items:
        if item.get("type") != "relation":
            out.append(item)
            continue
        if key(item) not in labels:
            labels[key(item)] = set()
            out.append(item)
        labels[key(item)].update(str(label) for label in expect_list(item["labels"], "labels"))
    for item in out:
        if item.get("type") == "relation":
            merged: list[JSON] = [*sorted(labels[key(item)], key=schema.RELATION_LABELS.index)]
            item["labels"] = merged
    return out


def doc_to_results(doc: DocAnnotations) -> list[JSONObject]:
    """Label Studio result items for ``doc`` (region ids derived from record ids).

    Argument spans that coincide with an entity (``entity_id``) link to that entity region;
    other argument spans become ``PARTICIPANT`` (roles proposer/executor/beneficiary) or
    ``CONDITION`` regions. Regions are shared when the same label and span recur.
    """
    items: list[JSONObject] = []
    ids_by_key: dict[tuple[str, int, int], str] = {}

    def region(rid: str, layer: str, label: str, span: Span) -> str:
        key = (label, span.start, span.end)
        if key in ids_by_key:
            return ids_by_key[key]
        ids_by_key[key] = rid
        items.append(_span_item(rid, layer, label, span))
        return rid

    for e in doc.entities or ():
        region(e.id, "entity", e.label, e.span)
    for p in doc.proposals or ():
        pid = region(p.id, "proposal", schema.PROPOSAL, p.span)
        for name, value in (("proposal_type", p.type), ("proposal_status", p.status),
                            ("proposal_polarity", p.polarity)):  # fmt: skip
            items.append(_choice_item(pid, name, p.span, value))
        for k, a in enumerate(p.arguments):
            if a.entity_id is not None:
                target = a.entity_id
            else:
                label = schema.CONDITION if a.role == "condition" else schema.PARTICIPANT
                target = region(f"{p.id}.{a.role}{k}", "proposal", label, a.span)
            items.append(_relation(pid, target, a.role))
    for att in doc.attributions or ():
        anchor, *parts = att.cue
        aid = region(att.id, "attribution", schema.CUE, anchor)
        items.append(_choice_item(aid, "quote_type", anchor, att.quote_type))
        items.append(_choice_item(aid, "source_type", anchor, att.source_type))
        for role, spans in (("cue", parts), ("source", att.source), ("content", att.content)):
            label = {"cue": schema.CUE, "source": schema.SOURCE, "content": schema.CONTENT}[role]
            for k, span in enumerate(spans):
                target = region(f"{att.id}.{role}{k}", "attribution", label, span)
                items.append(_relation(aid, target, role))
        if att.parent_id is not None:
            items.append(_relation(aid, att.parent_id, "nested_in"))
    return _merge_relations(items)
