"""annotations/GUIDELINES.md as data: its sections, examples, quick reference and prompt excerpt.

What it does
    The guidelines are prose written by people, with a fixed skeleton that code relies on:

    * every schema name (span label, attribute, attribute value, relation) has a section headed
      ``### `name``` (levels 3-5), holding example bullets
      ``- Positive (doc 001): ...`` / ``- Negative (invented): ...`` (``EXAMPLE``);
    * the **quick reference** (the region ``<!-- sgie:begin quick-reference -->`` ...
      ``<!-- sgie:end quick-reference -->``) is generated, never typed: per layer, one row per
      schema name with its definition from ``sgie.schema`` (the single source of truth) and
      the first ``Positive`` example of its section (``quick_reference``);
    * the **core rules** (the region ``<!-- sgie:begin core-rules -->`` ... ``end``) are typed by
      people and are the part of the guidelines that LLM prompts quote (``core_rules``).

    ``render_guidelines`` returns the file with the quick reference regenerated; ``sgie
    prompts`` writes it (and ``--check`` compares).

What it does not do
    No file I/O, no check of example spans against documents (tests/test_schema.py), no
    prompts (``sgie.prompts``).

Inputs / outputs
    The Markdown text in; dicts, strings and the re-rendered Markdown text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sgie import schema
from sgie.errors import InputError

GUIDELINES_FILE = "annotations/GUIDELINES.md"
BEGIN, END = "<!-- sgie:begin {} -->", "<!-- sgie:end {} -->"
QUICK_REFERENCE = "quick-reference"
CORE_RULES = "core-rules"
HEADING = re.compile(r"^(#{3,5}) `([A-Za-z_]+)`\s*$", re.M)
ANY_HEADING = re.compile(r"^#{1,5} ", re.M)
EXAMPLE = re.compile(r"^- (?:\*\*)?(Positive|Negative) \((?:doc (\d{3})|invented)\)(?:\*\*)?:?\s*", re.M)


@dataclass(frozen=True)
class Example:
    """One example bullet: its kind, the document it quotes (``None``: invented), its text."""

    kind: str  # "Positive" | "Negative"
    doc: str | None
    text: str  # the bullet after "- Positive (...):", whitespace collapsed


def sections(text: str) -> dict[str, str]:
    """Schema name -> the text of its ``### `name``` section, up to the next heading of the
    same or a higher level (the first section of a name wins)."""
    out: dict[str, str] = {}
    for m in HEADING.finditer(text):
        level = len(m.group(1))
        end = len(text)
        for n in ANY_HEADING.finditer(text, m.end()):
            if len(n.group(0).strip()) <= level:
                end = n.start()
                break
        out.setdefault(m.group(2), text[m.end() : end])
    return out


def examples(section: str) -> Iterator[Example]:
    """The example bullets of a section, in order."""
    for bullet in re.split(r"\n(?=- )", section):
        bullet = bullet.strip()
        m = EXAMPLE.match(bullet)
        if m:
            body = re.split(r"\n(?![ \t])", bullet[m.end() :])[0]  # up to the first unindented line
            yield Example(m.group(1), m.group(2), " ".join(body.split()))


def region(text: str, name: str) -> str:
    """The content of region ``name`` (without its markers); ``InputError`` if absent."""
    begin, end = BEGIN.format(name), END.format(name)
    i, j = text.find(begin), text.find(end)
    if i == -1 or j < i:
        raise InputError(f"{GUIDELINES_FILE} must have the region {begin} ... {end} (got none)")
    return text[i + len(begin) : j].strip("\n")


def replace_region(text: str, name: str, content: str) -> str:
    """``text`` with region ``name`` holding ``content``; ``InputError`` if the region is absent."""
    region(text, name)
    begin, end = BEGIN.format(name), END.format(name)
    i, j = text.find(begin), text.find(end)
    return f"{text[:i]}{begin}\n{content.strip(chr(10))}\n{text[j:]}"


def _first_positive(secs: dict[str, str], name: str) -> str:
    for ex in examples(secs.get(name, "")):
        if ex.kind == "Positive":
            return ex.text
    raise InputError(f"{GUIDELINES_FILE} section `{name}` must have a Positive example (got none)")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(secs: dict[str, str], rows: list[tuple[str, str, str]]) -> list[str]:
    lines = ["| name | definition | example |", "| --- | --- | --- |"]
    for name, kind, definition in rows:
        if kind:
            lines.append(f"| `{name}` ({kind}) | {_cell(definition)} | one value each; see below |")
        else:
            lines.append(f"| `{name}` | {_cell(definition)} | {_cell(_first_positive(secs, name))} |")
    return lines


def _entity_table(secs: dict[str, str]) -> list[str]:
    lines = ["| name | definition | example | OntoNotes | CoNLL |", "| --- | --- | --- | --- | --- |"]
    for t in schema.ENTITY_TYPES:
        lines.append(f"| `{t.name}` | {_cell(t.definition)} | {_cell(_first_positive(secs, t.name))} "
                     f"| {t.ontonotes or '—'} | {t.conll or '—'} |")  # fmt: skip
    return lines


def _attribute_rows(attr: schema.Attribute) -> list[tuple[str, str, str]]:
    rows = [(attr.name, f"attribute of `{attr.applies_to}`", attr.definition)]
    return rows + [(v.name, "", v.definition) for v in attr.values]


def quick_reference(text: str) -> str:
    """The generated quick reference: per layer, every schema name with its ``sgie.schema``
    definition and the first Positive example of its guideline section."""
    secs = sections(text)
    proposal = [(v.name, "", v.definition) for v in schema.PROPOSAL_LABELS]
    for attr in (schema.PROPOSAL_TYPE, schema.PROPOSAL_STATUS, schema.PROPOSAL_POLARITY):
        proposal += _attribute_rows(attr)
    proposal += [(r.name, "", r.definition) for r in schema.RELATIONS if r.name in schema.ROLE_NAMES]
    attribution = [(v.name, "", v.definition) for v in schema.ATTRIBUTION_LABELS]
    attribution += [(r.name, "", r.definition) for r in schema.RELATIONS if r.name not in schema.ROLE_NAMES]
    for attr in (schema.QUOTE_TYPE, schema.SOURCE_TYPE):
        attribution += _attribute_rows(attr)
    out = [
        "Generated by `sgie prompts` from `sgie.schema` (definitions) and the first positive "
        "example of each section below; do not edit by hand. «…» is the exact span text. "
        "Upper-case names are span labels; `proposer`, `executor`, `beneficiary` and "
        "`condition` are relations from a `PROPOSAL`, `source`, `content`, `cue` and "
        "`nested_in` relations from a `CUE`.",
        "",
    ]
    out += ["**Layer 1: entities** (with the closest OntoNotes 5.0 and CoNLL-2003 type, used to "
            "score off-the-shelf NER; — = none)", "", *_entity_table(secs), ""]
    for title, rows in (("Layer 2: proposals", proposal), ("Layer 3: attributions", attribution)):
        out += [f"**{title}**", "", *_table(secs, rows), ""]
    return "\n".join(out).rstrip("\n")


def render_guidelines(text: str) -> str:
    """The guidelines with the quick-reference region regenerated."""
    return replace_region(text, QUICK_REFERENCE, quick_reference(text))


def core_rules(text: str) -> str:
    """The core-rules region (the rules LLM prompts quote)."""
    return region(text, CORE_RULES)
