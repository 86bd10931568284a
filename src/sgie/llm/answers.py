"""The one parser of LLM answers: a response text into a prediction record, tolerantly.

What it does
    ``parse_answer(doc_id, response, text)`` turns a model's response text for one document
    into a prediction record (``{"id", "entities", "proposals", "attributions"}`` with
    text-only spans, the format of ``eval/predictions.schema.json``) that ``sgie evaluate``
    accepts, and lists what it had to repair or drop (``Parsed.problems``). It never raises on
    a bad answer: a document whose answer cannot be used gets empty layers and its problems,
    so one bad document does not stop a run. ``sgie llm``, its replay from the cache and the
    committed LLM submissions all go through this function.

    1. **Finding the JSON.** The first of: the whole text as JSON; the body of a fenced code
       block (```json ... ```); the first ``{`` from which a JSON object decodes whose keys
       include a layer name (text around the JSON is ignored); else the first JSON object in
       the text. No object at all: problem ``no JSON object``, empty layers.
    2. **Layers.** A missing layer or one that is not an array is taken as ``[]`` (problem).
       All three layers are always present (the prompts ask for all three).
    3. **Items**, each checked by the scorer's own validator (``sgie.scoring.validate``), so
       anything this function keeps, ``sgie evaluate`` accepts. Offsets an answer gives are
       dropped (spans are text-only, placed by the grounding rule). An invalid item is
       dropped (problem naming it and why); an argument is dropped alone, not its proposal.
       A repeated id is renamed (``e1~2``; links keep naming the first). An ``entity_id``
       that names no kept entity, or an entity with another (normalised) string, becomes
       ``null``; a ``parent_id`` that names no kept attribution, the attribution itself, or
       closes a cycle becomes ``null``.

    ``answer_schema()`` is the JSON Schema of an answer, generated from the prediction format
    (``sgie.scoring.wire.predictions_schema``: no record ``id``, no offsets, all three layers
    required), sent as ``response_format`` where the server supports structured output.

What it does not do
    No requests, no grounding (the record keeps text-only spans; the scorer places them).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass

from sgie.errors import InputError
from sgie.records import JSON, LAYER_NAMES, JSONObject
from sgie.scoring import wire
from sgie.scoring.textnorm import normalise
from sgie.scoring.validate import parse_prediction

_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n(.*?)```", re.S)
_DECODER = json.JSONDecoder()
#: The longest excerpt of a bad value quoted in a problem.
SHOW = 80


@dataclass(frozen=True)
class Parsed:
    """A usable prediction record and what was wrong with the answer (``[]`` if nothing)."""

    record: JSONObject
    problems: tuple[str, ...]

    @property
    def failed(self) -> bool:
        """Whether nothing usable was found (no JSON object)."""
        return any(p.startswith("no JSON object") for p in self.problems)


def _short(value: object) -> str:
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return s if len(s) <= SHOW else s[:SHOW] + "..."


def find_json(response: str) -> JSONObject | None:
    """The answer object of a response text (step 1 of the module docstring), or ``None``."""
    candidates: list[str] = [response.strip()]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(response)]
    for c in candidates:
        try:
            value = json.loads(c)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    first: JSONObject | None = None
    for i, ch in enumerate(response):
        if ch != "{":
            continue
        try:
            value, _ = _DECODER.raw_decode(response, i)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            if any(k in value for k in LAYER_NAMES):
                return value
            first = first or value
    return first


def without_offsets(value: JSON) -> JSON:
    """``value`` with every ``start`` and ``end`` key removed, at any depth."""
    if isinstance(value, dict):
        return {k: without_offsets(v) for k, v in value.items() if k not in ("start", "end")}
    if isinstance(value, list):
        return [without_offsets(v) for v in value]
    return value


class _Checker:
    """Checks items one at a time with the scorer's validator, collecting problems."""

    def __init__(self, doc_id: str, text: str):
        self.doc_id = doc_id
        self.texts = {doc_id: text}
        self.problems: list[str] = []

    def ok(self, record: JSONObject, inner: str, where: str) -> bool:
        """Whether ``record`` (the item alone, at path ``inner``) passes the validator; if not,
        the problem names the item's path in the answer, ``where``."""
        try:
            parse_prediction({"id": self.doc_id, **record}, self.texts)
        except InputError as err:
            message = err.message.replace(f"'{inner}", f"'{where}", 1)
            self.problems.append(f"{where} dropped: {_short(message)}")
            return False
        return True

    def unique(self, item: JSON, seen: set[str], where: str) -> JSON:
        """``item``, renamed if its id repeats an earlier one (links go to the first)."""
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            return item
        assert isinstance(item, dict)
        new, k = ident, 1
        while new in seen:
            k += 1
            new = f"{ident}~{k}"
        seen.add(new)
        if new != ident:
            self.problems.append(f"{where}.id {_short(ident)} repeats an earlier one: renamed {_short(new)}")
            return {**item, "id": new}
        return item


def _entities(items: list[JSON], c: _Checker) -> list[JSON]:
    kept: list[JSON] = []
    seen: set[str] = set()
    for i, e in enumerate(items):
        e = c.unique(e, seen, f"entities[{i}]")
        if c.ok({"entities": [e]}, "entities[0]", f"entities[{i}]"):
            kept.append(e)
    return kept


def _proposals(items: list[JSON], entities: list[JSON], c: _Checker) -> list[JSON]:
    strings = {str(e["id"]): normalise(str(e["text"])) for e in entities if isinstance(e, dict)}
    kept: list[JSON] = []
    seen: set[str] = set()
    for i, p in enumerate(items):
        where = f"proposals[{i}]"
        p = c.unique(p, seen, where)
        if not isinstance(p, dict) or not isinstance(p.get("arguments"), list):
            c.ok({"proposals": [p]}, "proposals[0]", where)  # records the reason
            continue
        bare = {**p, "arguments": []}
        if not c.ok({"proposals": [bare]}, "proposals[0]", where):
            continue
        arguments: list[JSON] = []
        for j, a in enumerate(p["arguments"]):  # type: ignore[arg-type]
            aw = f"{where}.arguments[{j}]"
            if isinstance(a, dict) and a.get("entity_id") is not None:
                eid = a["entity_id"]
                if not isinstance(eid, str) or eid not in strings:
                    c.problems.append(f"{aw}.entity_id {_short(eid)} names no entity: set to null")
                    a = {**a, "entity_id": None}
                elif not isinstance(a.get("text"), str) or normalise(str(a["text"])) != strings[eid]:
                    c.problems.append(f"{aw}.entity_id {_short(eid)} names an entity with another text: "
                                      "set to null")  # fmt: skip
                    a = {**a, "entity_id": None}
            if c.ok({"entities": entities, "proposals": [{**bare, "arguments": [a]}]},
                    "proposals[0].arguments[0]", aw):  # fmt: skip
                arguments.append(a)
        kept.append({**p, "arguments": arguments})
    return kept


def _attributions(items: list[JSON], c: _Checker) -> list[JSON]:
    kept: list[JSONObject] = []
    seen: set[str] = set()
    for i, a in enumerate(items):
        where = f"attributions[{i}]"
        a = c.unique(a, seen, where)
        alone = {**a, "parent_id": None} if isinstance(a, dict) else a
        if c.ok({"attributions": [alone]}, "attributions[0]", where):
            assert isinstance(a, dict)
            kept.append(a)
    ids = {str(a["id"]) for a in kept}
    parents: dict[str, str | None] = {}
    out: list[JSON] = []
    for a in kept:
        ident, parent = str(a["id"]), a.get("parent_id")
        bad = parent is not None and (parent == ident or parent not in ids
                                      or _closes_cycle(parents, ident, str(parent)))  # fmt: skip
        if bad:
            c.problems.append(f"attribution {_short(ident)}: parent_id {_short(parent)} names no other "
                              "attribution or closes a cycle: set to null")  # fmt: skip
            a = {**a, "parent_id": None}
            parent = None
        parents[ident] = None if parent is None else str(parent)
        out.append(a)
    return out


def _closes_cycle(parents: dict[str, str | None], ident: str, parent: str) -> bool:
    """Whether linking ``ident`` to ``parent`` nests ``ident`` in itself (through the links so
    far)."""
    node: str | None = parent
    seen: set[str] = set()
    while node is not None and node not in seen:
        if node == ident:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def parse_answer(doc_id: str, response: str, text: str) -> Parsed:
    """A response text for document ``doc_id`` (with ``text``) as a prediction record and its
    problems (the module docstring)."""
    empty: JSONObject = {"id": doc_id, **{k: [] for k in LAYER_NAMES}}
    answer = find_json(response)
    if answer is None:
        return Parsed(empty, (f"no JSON object in the response ({len(response)} characters)",))
    c = _Checker(doc_id, text)
    if "id" in answer and answer["id"] != doc_id:
        c.problems.append(f"'id' {_short(answer['id'])} ignored: the document is {doc_id!r}")
    unknown = sorted(k for k in answer if k not in (*LAYER_NAMES, "id"))
    if unknown:
        c.problems.append(f"unknown keys ignored: {_short(unknown)}")
    layers: dict[str, list[JSON]] = {}
    for key in LAYER_NAMES:
        value = answer.get(key)
        if not isinstance(value, list):
            c.problems.append(f"'{key}' missing or not an array (got {_short(value)}): taken as []")
            value = []
        cleaned = without_offsets(value)
        if cleaned != value:
            c.problems.append(f"'{key}': offsets ignored (spans are placed by the grounding rule)")
        assert isinstance(cleaned, list)
        layers[key] = cleaned
    entities = _entities(layers["entities"], c)
    record: JSONObject = {"id": doc_id, "entities": entities,
                          "proposals": _proposals(layers["proposals"], entities, c),
                          "attributions": _attributions(layers["attributions"], c)}  # fmt: skip
    try:
        parse_prediction(record, {doc_id: text})
    except InputError as err:  # not expected: every item was checked
        return Parsed(empty, (*c.problems, f"record rejected, layers emptied: {_short(err.message)}"))
    return Parsed(record, tuple(c.problems))


def answer_schema() -> JSONObject:
    """The JSON Schema of an answer (the module docstring), from the prediction format."""
    schema = copy.deepcopy(wire.predictions_schema())
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    for item in defs.values():
        assert isinstance(item, dict)
        item.pop("dependentRequired", None)
        props = item.get("properties")
        if isinstance(props, dict):
            props.pop("start", None)
            props.pop("end", None)
    props = schema["properties"]
    assert isinstance(props, dict)
    props.pop("id", None)
    return {"type": "object", "title": "SGIE answer",
            "description": "The annotations of one document: the prediction format without the "
            "record id, spans as text only (copied exactly from the document).",
            "properties": props, "required": list(LAYER_NAMES), "additionalProperties": False,
            "$defs": defs}  # fmt: skip
