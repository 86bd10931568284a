"""msgspec's validation errors as the project's attrs-style one-line messages.

What it does
    ``explain(message, value, kind)`` turns a ``msgspec.ValidationError`` message (``Expected
    `int`, got `str` - at `$.entities[0].start```) about the JSON ``value`` converted to the
    type ``kind`` into an ``InputError`` naming the field, what was expected and what was found
    (``'entities[0].start' must be an integer (got string '0')``): unknown and missing fields,
    values outside a ``Literal`` set (listing the allowed values, read from the type), wrong
    types, bounds and lengths. Values are quoted by ``sgie.spans.quote`` (cut to about 80
    characters: a huge bad value gives a short message).

What it does not do
    No validation of its own (``sgie.scoring.validate``), no file or line (callers add them).
"""

from __future__ import annotations

import re
import typing

import msgspec

from sgie.errors import InputError
from sgie.records import JSON
from sgie.spans import quote as show

_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_TOKEN = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")
_NAMES = {"int": "integer", "str": "string", "bool": "boolean", "float": "number",
          "object": "object", "array": "array", "null": "null"}  # fmt: skip
_ARTICLES = {"integer": "an integer", "string": "a string", "array": "an array",
             "object": "an object", "boolean": "a boolean", "number": "a number"}  # fmt: skip


def _tokens(path: str) -> list[str | int]:
    return [key if key else int(index) for key, index in _TOKEN.findall(path)]


def _value_at(value: JSON, tokens: list[str | int]) -> JSON:
    for t in tokens:
        if isinstance(t, int) and isinstance(value, list) and t < len(value):
            value = value[t]
        elif isinstance(t, str) and isinstance(value, dict) and t in value:
            value = value[t]
        else:
            return None
    return value


def _unwrap(tp: object) -> object:
    """The type inside ``Annotated``, ``X | UnsetType``, ``X | None`` and ``tuple[X, ...]``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin is tuple:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, type(int | str)):
            rest = [a for a in typing.get_args(tp) if a not in (msgspec.UnsetType, type(None))]
            if len(rest) != 1:
                return tp
            tp = rest[0]
        else:
            return tp


def _type_at(kind: type, tokens: list[str | int]) -> object:
    tp: object = kind
    for t in tokens:
        tp = _unwrap(tp)
        if isinstance(t, str) and isinstance(tp, type) and issubclass(tp, msgspec.Struct):
            tp = typing.get_type_hints(tp, include_extras=True)[t]
    return _unwrap(tp)


def _name(value: JSON) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}[type(value)]  # fmt: skip


def explain(message: str, value: JSON, kind: type) -> InputError:
    """msgspec's ``message`` about ``value`` (converted to ``kind``) as an attrs-style error."""
    m = _AT.match(message)
    assert m is not None
    what, path = m["message"], (m["path"] or "").lstrip(".")
    tokens = _tokens("." + path if path and not path.startswith("[") else path)
    where = f"'{path}'" if path else "'record'"
    got = _value_at(value, tokens)
    if field := re.fullmatch(r"Object contains unknown field `(.*)`", what):
        struct = _type_at(kind, tokens)
        fields = sorted(getattr(struct, "__struct_fields__", ()))
        place = f"'{path}'" if path else "record"
        return InputError(f"{place} has unknown field {field[1]!r} (expected only {fields})")
    if field := re.fullmatch(r"Object missing required field `(.*)`", what):
        return InputError(f"'{path + '.' if path else ''}{field[1]}' is required (got nothing)")
    if re.fullmatch(r"Invalid enum value .*", what):
        allowed = list(typing.get_args(_type_at(kind, tokens)))
        return InputError(f"{where} must be one of {allowed} (got {show(got)})")
    if expected := re.fullmatch(r"Expected `(\w+)( \| null)?`, got `(\w+)`", what):
        name = _ARTICLES.get(_NAMES.get(expected[1], expected[1]), expected[1])
        name += " or null" if expected[2] else ""
        shown = _name(got) if isinstance(got, (list, dict)) else f"{_name(got)} {show(got)}"
        return InputError(f"{where} must be {name} (got {shown})")
    if bound := re.fullmatch(r"Expected `int` >= (\d+)", what):
        return InputError(f"{where} must be >= {bound[1]} (got {show(got)})")
    if re.fullmatch(r"Expected `str` of length >= 1", what):
        return InputError(f"{where} must be a non-empty string (got {show(got)})")
    if re.fullmatch(r"Expected `array` of length >= 1", what):
        return InputError(f"{where} must have at least one span (got [])")
    return InputError(f"{where} is not valid ({what})")
