"""Any-extractor mode: import a ``package.module:callable`` and run it over documents.

What it does
    ``load_extractor("pkg.mod:fn")`` imports the callable (the working directory is put on
    ``sys.path`` first, so a module next to you is found). ``run_extractor`` calls
    ``fn(doc_id, text)`` for each document, in id order, with a ``tqdm`` progress bar on
    stderr, and returns the prediction records it produced as JSON Lines text plus the parsed
    ``PredictionSet``. A record must be a JSON object in the prediction format
    (``sgie.scoring.official`` header); its ``id`` may be omitted (the document's id is used)
    and must otherwise equal the document's id. Records are round-tripped through JSON and
    parsed with the same strict parser as files, so an extractor and a file are judged alike;
    problems are ``InputError``\\s naming the extractor and document.

What it does not do
    No writing (the caller writes the JSON Lines text atomically), no scoring. Exceptions
    raised inside the extractor propagate unchanged (they are bugs in the extractor, not bad
    input).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping

from tqdm import tqdm

from sgie.errors import InputError
from sgie.records import JSON
from sgie.scoring.jsonl import loads_line
from sgie.scoring.predictions import Located, PredictionSet, parse_records

Extractor = Callable[[str, str], Mapping[str, JSON]]


def load_extractor(spec: str) -> Extractor:
    """The callable named by ``package.module:callable`` (``InputError`` if it cannot be had)."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise InputError(f"'--extractor' must be 'package.module:callable' (got {spec!r})")
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise InputError(
            f"'--extractor' module must be importable (got {module_name!r}: {err})"
        ) from None
    target: object = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise InputError(
                f"'--extractor' must name an attribute of {module_name!r} (got {attr!r})"
            )
        target = getattr(target, part)
    if not callable(target):
        raise InputError(f"'--extractor' must name a callable (got {type(target).__name__})")
    return target  # type: ignore[return-value]


def run_extractor(
    extractor: Extractor, spec: str, texts: Mapping[str, str], *, progress: bool = True
) -> tuple[str, PredictionSet]:
    """Run ``extractor`` over ``texts`` (id -> text); the JSON Lines text and parsed records."""
    lines: list[str] = []
    records: list[tuple[JSON, Located]] = []
    for doc_id in tqdm(sorted(texts), desc="extracting", unit="doc", file=sys.stderr,
                       disable=not progress):  # fmt: skip
        where = Located(f"output of {spec} for document {doc_id!r}")
        record = extractor(doc_id, texts[doc_id])
        if not isinstance(record, Mapping):
            raise where.error(InputError(
                f"record must be an object (got {type(record).__name__})"))  # fmt: skip
        record = dict(record)
        record.setdefault("id", doc_id)
        if record["id"] != doc_id:
            raise where.error(InputError(
                f"'id' must be the document's id {doc_id!r} (got {record['id']!r})"))  # fmt: skip
        try:
            line = json.dumps(record, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise where.error(InputError(f"record must be JSON-serialisable (got {err})")) from None
        lines.append(line)
        records.append((loads_line(line), where))
    parsed = parse_records(records, texts, f"extractor {spec}")
    return "".join(line + "\n" for line in lines), parsed
