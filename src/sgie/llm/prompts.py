"""The committed LLM prompts (``eval/prompts/``) as chat messages, and their hash.

What it does
    ``load_prompts(folder)`` reads ``manifest.json`` of a prompts folder (written by ``sgie
    prompts``; layout in its README.md): each prompt is a list of chat messages (``role`` and
    the ``file`` holding its text); exactly one message is the ``template``, in which the
    manifest's ``placeholder`` (``{document}``) is replaced by the document text, verbatim --
    no other substitution. A ``Prompt`` renders the exact messages for a document
    (``messages(text)``) and has a ``sha256`` over its messages as written (roles, texts,
    template flag, placeholder): the prompt part of the cache key and of every dump.

What it does not do
    No writing of prompts (``sgie.prompts``), no requests (``sgie.llm.client``).

Errors
    A missing or malformed manifest, an unknown prompt name or a missing file is an
    ``InputError`` naming the file and field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sgie.errors import InputError
from sgie.records import JSON

MANIFEST = "manifest.json"
ROLES: tuple[str, ...] = ("system", "user", "assistant")
ChatMessage = dict[str, str]


@dataclass(frozen=True)
class Message:
    """One message of a prompt: its role, its text as written, and whether it is the template."""

    role: str
    content: str
    template: bool = False


@dataclass(frozen=True)
class Prompt:
    """A named prompt: chat messages, one of them the template holding ``placeholder``."""

    name: str
    messages: tuple[Message, ...]
    placeholder: str

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the prompt as written (canonical JSON of messages and placeholder)."""
        body = {"placeholder": self.placeholder,
                "messages": [{"role": m.role, "content": m.content, "template": m.template}
                             for m in self.messages]}  # fmt: skip
        data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def messages_for(self, text: str) -> list[ChatMessage]:
        """The exact chat messages for a document with ``text``."""
        return [{"role": m.role,
                 "content": m.content.replace(self.placeholder, text) if m.template else m.content}
                for m in self.messages]  # fmt: skip


def _expect(cond: bool, message: str, source: str) -> None:
    if not cond:
        raise InputError(message, file=source)


def _text(folder: Path, name: JSON, where: str, source: str) -> str:
    _expect(isinstance(name, str) and bool(name),
            f"'{where}.file' must be a file name (got {name!r})", source)  # fmt: skip
    assert isinstance(name, str)
    rel = PurePosixPath(name)
    _expect(not rel.is_absolute() and ".." not in rel.parts,
            f"'{where}.file' must be a path inside the prompts folder (got {name!r})", source)  # fmt: skip
    path = folder / rel
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(f"'{where}.file' must name a file of {folder} (got {name!r})", file=source) from None


def load_prompts(folder: Path | str) -> dict[str, Prompt]:
    """Every prompt of a prompts folder, by name (see the module docstring)."""
    folder = Path(folder)
    source = str(folder / MANIFEST)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"prompts folder must have {MANIFEST} (got none; run `sgie prompts`)",
                         file=source) from None  # fmt: skip
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise InputError(f"manifest must be JSON ({err})", file=source) from None
    _expect(isinstance(manifest, dict), "manifest must be an object", source)
    placeholder = manifest.get("placeholder")
    _expect(isinstance(placeholder, str) and bool(placeholder),
            f"'placeholder' must be a non-empty string (got {placeholder!r})", source)  # fmt: skip
    assert isinstance(placeholder, str)
    items = manifest.get("prompts")
    _expect(isinstance(items, list) and bool(items), "'prompts' must be a non-empty array", source)
    assert isinstance(items, list)
    out: dict[str, Prompt] = {}
    for i, item in enumerate(items):
        where = f"prompts[{i}]"
        _expect(isinstance(item, dict), f"'{where}' must be an object", source)
        name, messages = item.get("name"), item.get("messages")
        _expect(isinstance(name, str) and bool(name) and name not in out,
                f"'{where}.name' must be a new non-empty string (got {name!r})", source)  # fmt: skip
        _expect(isinstance(messages, list) and bool(messages),
                f"'{where}.messages' must be a non-empty array", source)  # fmt: skip
        parsed = []
        for j, m in enumerate(messages):
            mw = f"{where}.messages[{j}]"
            _expect(isinstance(m, dict), f"'{mw}' must be an object", source)
            _expect(m.get("role") in ROLES,
                    f"'{mw}.role' must be one of {list(ROLES)} (got {m.get('role')!r})", source)  # fmt: skip
            template = m.get("template", False)
            _expect(isinstance(template, bool),
                    f"'{mw}.template' must be a boolean (got {template!r})", source)  # fmt: skip
            content = _text(folder, m.get("file"), mw, source)
            if template:
                _expect(placeholder in content,
                        f"'{mw}.file' must contain the placeholder {placeholder!r}", source)  # fmt: skip
            parsed.append(Message(str(m["role"]), content, template))
        templates = sum(m.template for m in parsed)
        _expect(templates == 1, f"'{where}' must have exactly one template message (got {templates})", source)
        out[str(name)] = Prompt(str(name), tuple(parsed), placeholder)
    return out


def load_prompt(name: str, folder: Path | str) -> Prompt:
    """The prompt called ``name`` of a prompts folder."""
    prompts = load_prompts(folder)
    if name not in prompts:
        raise InputError(f"'--prompt' must be one of {sorted(prompts)} (got {name!r})",
                         file=str(Path(folder) / MANIFEST))  # fmt: skip
    return prompts[name]
