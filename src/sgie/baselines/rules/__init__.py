"""The SGIE rule baseline: ``extract(doc_id, text)`` for all three layers.

What it does
    A transparent, deterministic rule system (no learning, no model) usable as
    ``sgie evaluate --extractor sgie.baselines.rules:extract``. It analyses the text
    (``.text``), finds entities (``.entities``), attributions (``.attributions``) and then
    proposals (``.proposals``, which use the entities for arguments and the attribution frames
    to end proposal spans), and returns a prediction record in the documents format with
    offsets (``sgie.scoring.official``). Lexicons are data files in
    ``sgie/baselines/lexicons/`` (``.lexicons``), developed on the train (001, 002) and
    validation (003) splits only -- no annotation of the test split was looked at.

What it does not do
    No I/O beyond reading its lexicons; not tuned on the test split.

Inputs / outputs
    ``extract(doc_id, text) -> dict`` with ``id``, ``entities``, ``proposals``, ``attributions``.
"""

from __future__ import annotations

from sgie.baselines.rules.attributions import find_attributions
from sgie.baselines.rules.entities import find_entities
from sgie.baselines.rules.proposals import find_proposals
from sgie.baselines.rules.text import analyse
from sgie.records import JSONObject


def _span(text: str, start: int, end: int) -> JSONObject:
    return {"start": start, "end": end, "text": text[start:end]}


def extract(doc_id: str, text: str) -> JSONObject:
    """The rule baseline's prediction record for one document."""
    t = analyse(text)
    mentions = find_entities(t)
    entities = [{"id": f"e{i}", **_span(text, m.start, m.end), "label": m.label}
                for i, m in enumerate(mentions, start=1)]  # fmt: skip
    entity_ids = {(m.start, m.end): f"e{i}" for i, m in enumerate(mentions, start=1)}
    attributions = find_attributions(t, mentions)
    proposals = find_proposals(t, mentions, attributions)
    return {
        "id": doc_id,
        "entities": entities,
        "proposals": [p.to_json(text, entity_ids, f"p{i}") for i, p in enumerate(proposals, 1)],
        "attributions": [a.to_json(text, f"a{i}", attributions) for i, a in
                         enumerate(attributions, 1)],  # fmt: skip
    }
