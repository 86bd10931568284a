"""LLM extractor prompts (eval/prompts/), generated from sgie.schema, the guidelines and train gold.

What it does
    ``render_prompts`` builds every file of ``eval/prompts/`` (relative path -> text); ``sgie
    prompts`` writes them and ``sgie prompts --check`` compares them with the committed files.
    Nothing in the folder is typed by hand:

    * ``system.md`` -- the task, the **quick reference** and the **core rules** of
      ``annotations/GUIDELINES.md`` (``sgie.annotations.guidelines``: definitions come from
      ``sgie.schema``), and the answer format (``answer_format``: keys, labels and values from
      ``sgie.schema``; an invented worked sentence);
    * ``user.md`` -- the user message template; its one slot is the literal ``{document}``;
    * ``examples/<id>.user.md`` / ``examples/<id>.answer.json`` -- worked examples for the
      few-shot prompt: the user template filled with a **train-split** document, and that
      document's gold as the expected answer (``answer_json``);
    * ``manifest.json`` -- the prompts (``zero-shot``, ``few-shot``) as lists of chat messages
      (role + file), the placeholder and the example ids;
    * ``README.md`` -- the layout, for the code that sends the prompts (``sgie llm``).

    The answer format is the prediction format of ``eval/predictions.schema.json`` without the
    record ``id`` (the caller adds it) and with text-only spans (no offsets), which the scorer
    grounds by the rule of ``sgie.scoring.grounding``.

    The split guard: rendering fails (``InputError``) if an example document is not in the
    train split, or if any file shares an eight-word sequence with a test-split page
    (``sgie.corpus.contamination``).

What it does not do
    No model calls, no parsing of answers (``sgie llm``), no file I/O.

Inputs / outputs
    The guidelines text, the ``Corpus`` and the gold ``DocAnnotations`` per document in; a dict
    of relative path -> file text out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sgie import schema
from sgie.annotations.guidelines import core_rules, quick_reference
from sgie.corpus.contamination import shared_sequences, split_sequences
from sgie.corpus.manifest import Corpus
from sgie.errors import InputError
from sgie.records import Attribution, DocAnnotations
from sgie.spans import Span

#: An answer: layer name -> its items (JSON objects).
Answer = dict[str, list[dict[str, object]]]

PROMPTS_DIR = "eval/prompts"
PLACEHOLDER = "{document}"
FEW_SHOT_DOCS: tuple[str, ...] = ("002", "001")
EXAMPLE_SPLIT = "train"

TASK = (
    "You are an information-extraction system for SGIE (Security Guarantees Information "
    "Extraction). You annotate one English news document in three layers -- entities, "
    "proposals and attributions -- following the SGIE annotation guidelines below (quick "
    "reference, then core rules). Annotate exactly what is printed; never correct the text."
)

USER_TEMPLATE = (
    "Annotate the document below (between the <document> tags) in all three layers. Answer "
    "with the JSON object only.\n\n<document>\n" + PLACEHOLDER + "\n</document>\n"
)

# An invented sentence and its annotation, to show the answer format (not from the corpus).
FORMAT_SENTENCE = (
    "Ruritania's defence minister Anna Berg said on Friday that her country would send "
    "200 engineers to Freedonia if parliament approves."
)
FORMAT_ANSWER: Answer = {
    "entities": [
        {"id": "e1", "text": "Ruritania", "label": "GPE"},
        {"id": "e2", "text": "Anna Berg", "label": "PERSON"},
        {"id": "e3", "text": "200 engineers", "label": "QUANTITY"},
        {"id": "e4", "text": "Freedonia", "label": "GPE"},
    ],
    "proposals": [
        {"id": "p1", "text": "would send 200 engineers to Freedonia", "type": "plan",
         "status": "offered", "polarity": "positive", "arguments": [
             {"role": "proposer", "text": "Anna Berg", "entity_id": "e2"},
             {"role": "executor", "text": "Ruritania", "entity_id": "e1"},
             {"role": "condition", "text": "if parliament approves", "entity_id": None}]},
    ],
    "attributions": [
        {"id": "a1", "cue": [{"text": "said"}],
         "source": [{"text": "Ruritania's defence minister Anna Berg"}],
         "content": [{"text": "her country would send 200 engineers to Freedonia if parliament approves"}],
         "quote_type": "indirect", "source_type": "named_person", "parent_id": None},
    ],
}  # fmt: skip


def _names(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def answer_format() -> str:
    """The answer-format section of the system prompt (names and values from sgie.schema)."""
    roles = _names(schema.ROLE_NAMES)
    return "\n".join([
        "Answer with ONE JSON object and nothing else (no prose, no Markdown code fence). It has "
        "exactly three keys, `entities`, `proposals` and `attributions`; a layer with nothing "
        "in it is `[]`.",
        "",
        "- **Spans are text only.** Give every span as the string of characters exactly as "
        "printed in the document (same case, spelling, punctuation, quotation marks, dashes and "
        "stray spaces), with no offsets. A span never crosses a line break. List the items of "
        "each layer in document order (by where their span starts); list every mention, also "
        "when the same text occurs again.",
        f"- `entities`: objects `{{\"id\", \"text\", \"label\"}}`; `id` is `e1`, `e2`, ...; "
        f"`label` is one of {_names(schema.ENTITY_LABELS)}.",
        f"- `proposals`: objects `{{\"id\", \"text\", \"type\", \"status\", \"polarity\", "
        f"\"arguments\"}}`; `id` is `p1`, `p2`, ...; `type` is one of "
        f"{_names(schema.PROPOSAL_TYPE.value_names)}; `status` is one of "
        f"{_names(schema.PROPOSAL_STATUS.value_names)}; `polarity` is one of "
        f"{_names(schema.PROPOSAL_POLARITY.value_names)}.",
        f"- `arguments`: objects `{{\"role\", \"text\", \"entity_id\"}}`; `role` is one of "
        f"{roles}. When the filler is an entity mention, `text` is that entity's text and "
        "`entity_id` its `id` in `entities`; a `PARTICIPANT` or `CONDITION` filler has "
        "`entity_id` `null`. Give one object per role and filler (a region that is both "
        "proposer and executor appears twice, once per role); leave out roles that are empty.",
        "- `attributions`: objects `{\"id\", \"cue\", \"source\", \"content\", \"quote_type\", "
        "\"source_type\", \"parent_id\"}`; `id` is `a1`, `a2`, ...; `cue`, `source` and "
        "`content` are lists of spans `{\"text\"}` (`cue`: the first cue part, then any further "
        "part; `source`: `[]` when there is no source; `content`: one span per content region, "
        f"in document order); `quote_type` is one of {_names(schema.QUOTE_TYPE.value_names)}; "
        f"`source_type` is one of {_names(schema.SOURCE_TYPE.value_names)}; `parent_id` is the "
        "`id` of the attribution this one is nested in, or `null`.",
        "",
        "Example (an invented sentence, not from any document):",
        "",
        f"> {FORMAT_SENTENCE}",
        "",
        "```json",
        dumps_answer(FORMAT_ANSWER).rstrip("\n"),
        "```",
    ])  # fmt: skip


def _position(a: Attribution) -> int:
    return min(s.start for s in a.cue)


def answer_json(doc: DocAnnotations) -> Answer:
    """A gold document as the expected answer: text-only spans, ids renumbered in document
    order (``e1``..., ``p1``..., ``a1``...), no record id."""
    entities = sorted(doc.entities or (), key=lambda e: (e.start, e.end))
    eid = {e.id: f"e{i}" for i, e in enumerate(entities, start=1)}
    proposals = sorted(doc.proposals or (), key=lambda p: (p.start, p.end))
    attributions = sorted(doc.attributions or (), key=_position)
    aid = {a.id: f"a{i}" for i, a in enumerate(attributions, start=1)}

    def spans(spans: tuple[Span, ...]) -> list[dict[str, str]]:
        return [{"text": s.text} for s in spans]

    return {
        "entities": [{"id": eid[e.id], "text": e.text, "label": e.label} for e in entities],
        "proposals": [
            {"id": f"p{i}", "text": p.text, "type": p.type, "status": p.status,
             "polarity": p.polarity,
             "arguments": [{"role": a.role, "text": a.text,
                            "entity_id": eid[a.entity_id] if a.entity_id else None}
                           for a in p.arguments]}
            for i, p in enumerate(proposals, start=1)
        ],
        "attributions": [
            {"id": aid[a.id], "cue": spans(a.cue), "source": spans(a.source),
             "content": spans(a.content), "quote_type": a.quote_type,
             "source_type": a.source_type,
             "parent_id": aid[a.parent_id] if a.parent_id else None}
            for a in attributions
        ],
    }  # fmt: skip


def dumps_answer(answer: Answer) -> str:
    """An answer as JSON text with one item per line (readable, and still one JSON object)."""
    parts = []
    for key, items in answer.items():
        rows = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in items)
        parts.append(f'  "{key}": [\n{rows}\n  ]' if rows else f'  "{key}": []')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def fill(template: str, document: str) -> str:
    """A user template with its one slot, the literal ``{document}``, replaced."""
    return template.replace(PLACEHOLDER, document)


def system_prompt(guidelines: str) -> str:
    return "\n".join([
        TASK, "",
        "# Quick reference", "", quick_reference(guidelines), "",
        "# Core rules", "", core_rules(guidelines), "",
        "# Answer format", "", answer_format(), "",
    ])  # fmt: skip


@dataclass(frozen=True)
class Message:
    """One chat message of a prompt: its role and the file holding its text."""

    role: str  # "system" | "user" | "assistant"
    file: str  # relative to eval/prompts/
    template: bool = False  # the message whose PLACEHOLDER is replaced by the document


def prompt_messages() -> dict[str, tuple[Message, ...]]:
    """Prompt name -> its chat messages, in order."""
    system, user = Message("system", "system.md"), Message("user", "user.md", template=True)
    shots: list[Message] = []
    for doc_id in FEW_SHOT_DOCS:
        shots += [Message("user", f"examples/{doc_id}.user.md"),
                  Message("assistant", f"examples/{doc_id}.answer.json")]  # fmt: skip
    return {"zero-shot": (system, user), "few-shot": (system, *shots, user)}


def _manifest() -> str:
    def message(m: Message) -> dict[str, object]:
        return {"role": m.role, "file": m.file, **({"template": True} if m.template else {})}

    manifest = {
        "generated_by": "sgie prompts",
        "schema_version": schema.SCHEMA_VERSION,
        "placeholder": PLACEHOLDER,
        "examples": list(FEW_SHOT_DOCS),
        "prompts": [{"name": name, "messages": [message(m) for m in messages]}
                    for name, messages in prompt_messages().items()],  # fmt: skip
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


README = """# eval/prompts/ — prompts for LLM extractors (generated: do not edit)

Written by `sgie prompts` (`sgie.prompts`) from `sgie.schema`, `annotations/GUIDELINES.md`
(its generated quick reference and its core rules) and the gold of the train documents
{examples}. `sgie prompts --check` (and the test suite) fails when a file here differs from a
fresh generation, or when any file shares an eight-word sequence with a test-split page.

## Files

| file | role | what it is |
|---|---|---|
| `manifest.json` | — | the prompts as chat messages (`role`, `file`); `placeholder`: the one slot |
| `system.md` | system | task, quick reference, core rules, answer format (with an invented example) |
| `user.md` | user | the template of the last user message; `{placeholder}` is replaced by the document text |
| `examples/<id>.user.md` | user | `user.md` filled with train document `<id>` (few-shot) |
| `examples/<id>.answer.json` | assistant | that document's gold, as the expected answer (few-shot) |

## Prompts

{prompts}

## Using them (e.g. `sgie llm`)

1. Read `manifest.json`; pick a prompt by `name`.
2. Build the chat: for each message, the text of its `file` with role `role`. In the message
   marked `"template": true`, replace the literal string `{placeholder}` with the document
   text (the dataset's `text`, verbatim); do no other substitution (the files contain JSON
   braces).
3. The answer is one JSON object `{{"entities", "proposals", "attributions"}}`: the prediction
   format of `eval/predictions.schema.json` without the record `id` (add it) and with
   text-only spans (no `start`/`end`). `sgie evaluate` places text-only spans by the grounding
   rule of `sgie.scoring.placement` (whole tokens; each layer placed on its own, so a string
   in two layers, a `SOURCE` that is also a `PARTICIPANT`, lands on the same mention; items
   listed in document order land where they are). `sgie llm` sends these prompts to any
   OpenAI-compatible endpoint and parses the answers (docs/llm.md).
"""


def _readme() -> str:
    lines = []
    for name, messages in prompt_messages().items():
        lines.append(f"- **{name}**: " + " → ".join(f"{m.role} `{m.file}`" for m in messages))
    return README.format(examples=", ".join(FEW_SHOT_DOCS), placeholder=PLACEHOLDER,
                         prompts="\n".join(lines))  # fmt: skip


def render_prompts(guidelines: str, corpus: Corpus, gold: Mapping[str, DocAnnotations]) -> dict[str, str]:
    """Every file of eval/prompts/ (path relative to it -> text); ``InputError`` if an example
    is not a train document with gold, or a file shares an eight-word sequence with a
    test-split page."""
    docs = corpus.by_id()
    files = {"system.md": system_prompt(guidelines), "user.md": USER_TEMPLATE}
    for doc_id in FEW_SHOT_DOCS:
        if doc_id not in docs or docs[doc_id].record.split != EXAMPLE_SPLIT or doc_id not in gold:
            raise InputError(f"few-shot example {doc_id!r} must be a {EXAMPLE_SPLIT}-split "
                             "document with gold")  # fmt: skip
        files[f"examples/{doc_id}.user.md"] = fill(USER_TEMPLATE, docs[doc_id].text)
        files[f"examples/{doc_id}.answer.json"] = dumps_answer(answer_json(gold[doc_id]))
    files["manifest.json"] = _manifest()
    files["README.md"] = _readme()
    grams = split_sequences(corpus)
    for rel, text in files.items():
        found = shared_sequences(text, grams)
        if found:
            raise InputError(f"{PROMPTS_DIR}/{rel} must share no eight-word sequence with a "
                             f"test-split page (got {len(found)}, e.g. {found[0]!r})")  # fmt: skip
    return files
