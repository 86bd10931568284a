"""Typed, lenient views of JSON values for the studio code (tasks, annotations, result items).

What it does
    ``obj(value)`` is ``value`` if it is a JSON object, else ``{}``; ``objs(value)`` the JSON
    objects in ``value`` if it is a list, else ``[]``. They let typed code walk tasks that were
    already validated (``sgie.annotations.store``), or count what a file holds, without casts.

What it does not do
    No validation: wrong shapes read as empty (validate first where it matters).
"""

from __future__ import annotations

from sgie.records import JSON, JSONObject


def obj(value: JSON) -> JSONObject:
    return value if isinstance(value, dict) else {}


def objs(value: JSON) -> list[JSONObject]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
