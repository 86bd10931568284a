"""Responses on disk: one JSON file per request, keyed by endpoint, model, prompt and document.

What it does
    Every response ``sgie llm`` receives is stored, before it is parsed, as
    ``<cache>/<document id>.<key>.json`` where ``<key>`` is the first 12 hex digits of the
    SHA-256 of (endpoint, model, prompt SHA-256, document id, document text SHA-256). The file
    says what it holds (``Entry``): those key fields, the prompt's name, the request settings,
    who or what produced the response (``produced_by``), the response text and the server's
    whole raw response (``null`` when there was no API). A rerun finds every response here and
    costs nothing; the predictions it writes are identical.

    The same layout is the committed form of an LLM submission's responses
    (``eval/submissions/<system>/responses/``): ``sgie llm --cache <that folder> --offline``
    replays them with no network, and ``sgie llm --import-responses`` writes it from response
    texts collected elsewhere (docs/llm.md).

    Files are written atomically (``sgie.atomic``), with two-space indentation and a final
    newline, so writing the same entry twice gives the same bytes.

What it does not do
    No eviction, no requests (``sgie.llm.client``), no parsing of answers (``sgie.llm.answers``).

Errors
    A cache file that is not a valid entry is an ``InputError`` naming the file; an entry
    whose key fields differ from its name's key is one too (an edited file).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sgie.atomic import write_text_atomic
from sgie.errors import InputError
from sgie.records import JSON, JSONObject

FORMAT = "sgie-llm-response/1"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Key:
    """What a response answers: endpoint, model, prompt (hash) and document (id and text hash)."""

    endpoint: str
    model: str
    prompt_sha256: str
    document: str
    document_sha256: str

    @property
    def digest(self) -> str:
        parts = [self.endpoint, self.model, self.prompt_sha256, self.document, self.document_sha256]
        return sha256(json.dumps(parts, ensure_ascii=False))[:12]

    @property
    def filename(self) -> str:
        doc = self.document if _SAFE.match(self.document) else "doc-" + sha256(self.document)[:12]
        return f"{doc}.{self.digest}.json"


@dataclass(frozen=True)
class Entry:
    """One stored response (see the module docstring)."""

    key: Key
    prompt: str  # the prompt's name
    response: str  # the response text, as received
    produced_by: str  # e.g. "api" or a sentence on how the text was produced
    request: JSONObject = field(default_factory=dict)  # settings of the request
    raw: JSON = None  # the server's whole response; None when there was no API

    def to_json(self) -> JSONObject:
        k = self.key
        return {"format": FORMAT, "endpoint": k.endpoint, "model": k.model, "prompt": self.prompt,
                "prompt_sha256": k.prompt_sha256, "document": k.document,
                "document_sha256": k.document_sha256, "produced_by": self.produced_by,
                "request": self.request, "response": self.response, "raw": self.raw}  # fmt: skip


def _entry(value: JSON, source: str) -> Entry:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise InputError(f"cache entry must be an object with 'format' {FORMAT!r}", file=source)
    strings = ("endpoint", "model", "prompt", "prompt_sha256", "document", "document_sha256",
               "produced_by", "response")  # fmt: skip
    for name in strings:
        if not isinstance(value.get(name), str):
            raise InputError(f"'{name}' must be a string (got {type(value.get(name)).__name__})", file=source)
    request = value.get("request")
    if not isinstance(request, dict):
        raise InputError(f"'request' must be an object (got {type(request).__name__})", file=source)
    key = Key(*(str(value[n]) for n in ("endpoint", "model", "prompt_sha256", "document", "document_sha256")))
    return Entry(key, str(value["prompt"]), str(value["response"]), str(value["produced_by"]), request,
                 value.get("raw"))  # fmt: skip


class Cache:
    """A folder of entries (created when the first entry is written)."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(f"'--cache' must be a folder (got the file {str(self.folder)!r})")

    def path(self, key: Key) -> Path:
        return self.folder / key.filename

    def get(self, key: Key) -> Entry | None:
        """The entry for ``key``, or ``None``."""
        path = self.path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as err:
            raise InputError(f"cache entry must be JSON ({err})", file=str(path)) from None
        entry = _entry(value, str(path))
        if entry.key != key:
            raise InputError(f"cache entry must answer the key of its name {key.digest} (got "
                             f"another endpoint, model, prompt or document)", file=str(path))  # fmt: skip
        return entry

    def entries(self) -> list[Entry]:
        """Every entry of the folder, by file name."""
        out = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                value = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, RecursionError) as err:
                raise InputError(f"cache entry must be JSON ({err})", file=str(path)) from None
            out.append(_entry(value, str(path)))
        return out

    def put(self, entry: Entry) -> Path:
        """Write ``entry`` (atomically); its path."""
        path = self.path(entry.key)
        write_text_atomic(path, json.dumps(entry.to_json(), indent=2, ensure_ascii=False) + "\n")
        return path
