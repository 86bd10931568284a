"""Token-level Krippendorff's alpha over attribution roles (PolNeAR's agreement measure).

What it does
    Each document is tokenised with the harness's tokenizer
    (``sgie.scoring.attributions.tokenize``: ``\\w+|[^\\w\\s]``). Every annotator gives every
    token one nominal label: ``CUE``, ``SOURCE``, ``CONTENT`` or ``none``, from the attribution
    spans whose range contains the whole token. A token covered by several roles (nested
    attributions lie inside their parent's content or source) takes the most specific one, in
    the order ``CUE`` > ``SOURCE`` > ``CONTENT``: the innermost attribution's role wins.
    Alpha is then computed over all tokens of all documents, with the tokens as units and the
    annotators as coders, by the ``krippendorff`` package (nominal level of measurement).
    PolNeAR (Newell et al. 2018) reports 0.754 with this measure.

What it does not do
    No span matching (token labels only); no interval/ordinal variants.

Inputs / outputs
    ``role_labels(attributions, text)`` -> one label per token;
    ``token_alpha(coders)`` -> alpha (``None`` when undefined: fewer than two distinct labels
    in the data, where alpha's expected disagreement is zero).
"""

from __future__ import annotations

from collections.abc import Sequence

import krippendorff
import numpy as np

from sgie.records import Attribution
from sgie.scoring.attributions import tokenize

ROLE_CODES: tuple[str, ...] = ("none", "CONTENT", "SOURCE", "CUE")  # ascending precedence


def role_labels(attributions: Sequence[Attribution], text: str) -> tuple[str, ...]:
    """The role label of every token of ``text`` under one annotator's attributions."""
    tokens = tokenize(text)
    codes = [0] * len(tokens)
    for att in attributions:
        for code, spans in ((1, att.content), (2, att.source), (3, att.cue)):
            for span in spans:
                for i, (start, end) in enumerate(tokens):
                    if span.start <= start and end <= span.end and codes[i] < code:
                        codes[i] = code
    return tuple(ROLE_CODES[c] for c in codes)


def token_alpha(coders: Sequence[Sequence[str]]) -> float | None:
    """Nominal Krippendorff's alpha for coders (rows) labelling the same units (columns)."""
    if len(coders) < 2 or len({len(c) for c in coders}) != 1:
        raise ValueError("alpha needs two or more coders labelling the same units")
    values = sorted({v for c in coders for v in c})
    if len(values) < 2:
        return None
    index = {v: i for i, v in enumerate(values)}
    data = np.array([[index[v] for v in c] for c in coders], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
