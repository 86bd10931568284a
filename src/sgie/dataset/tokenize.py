r"""The documented, deterministic tokenizer and paragraph segmenter of the ``ner`` config.

What it does
    ``paragraphs(text)`` cuts a document into *paragraphs*: the non-blank lines of the text
    (lines are separated by ``"\n"`` only), each trimmed of leading and trailing whitespace
    (``str.isspace``). In the SGIE corpus every paragraph, headline, byline and dateline is one
    line (document 003 separates paragraphs by a single newline, the others by a blank line),
    so a line is the unit that exists verbatim in every document. Paragraphs rather than
    sentences: splitting sentences needs a model or heuristics (``U.S.``, quotations, the noisy
    machine translation of 003), and a sentence splitter's mistakes would cut gold entities in
    two; the paragraph cut is exact and no gold entity of the corpus crosses a newline.

    ``tokenize(text)`` is one regular expression (Python ``re``, Unicode ``\w``), applied
    left to right; each match is a token, whitespace is never part of a token:

    ======================================  =======================================
    alternative (tried in this order)       examples
    ======================================  =======================================
    ``(?:[^\W\d_]\.){2,}``  initialisms     ``U.S.``, ``U.K.``, ``e.g.``
    ``\d+(?:[.,]\d+)+``  separated numbers  ``30,000``, ``1.5``, ``3,000`` (of ``3,000-5,000``)
    ``['’](?i:s|re|ve|ll|d|m|t)\b``  clitics   ``'s`` of ``Kyiv's``, ``’s``, ``'t`` of ``don't``
    ``\w+``  words                          ``Ukraine``, ``A321``, ``2026``, ``don``
    ``[^\w\s]``  any other character        ``.``, ``,``, ``-``, ``(``, ``"``, ``–``
    ======================================  =======================================

    So hyphens, slashes, dots inside names (``Censor.NET`` -> ``Censor . NET``) and quotation
    marks are tokens of their own, which makes entity boundaries at hyphens
    (``Russia-Ukraine``) and before possessives (``Kyiv's``) token boundaries. Offsets are
    half-open Python code-point offsets. The result depends only on the text and the Unicode
    tables of the running Python (``\w``); it is the same on every run.

What it does not do
    No normalisation (tokens are exact slices), no lower-casing, no sentence splitting, no
    BIO tagging (``sgie.dataset.ner``).

Inputs / outputs
    ``paragraphs(text) -> tuple[Paragraph, ...]``; ``tokenize(text, offset=0) -> tuple[Token, ...]``
    (token offsets are ``offset`` + offsets into ``text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_PATTERN = r"""
    (?:[^\W\d_]\.){2,}              # initialisms: U.S., U.K., e.g.
  | \d+(?:[.,]\d+)+                 # numbers with separators: 30,000  1.5
  | ['’](?i:s|re|ve|ll|d|m|t)\b     # English clitics: 's 're 've 'll 'd 'm 't
  | \w+                             # words, plain numbers
  | [^\w\s]                         # any other non-space character, alone
"""
TOKEN_RE = re.compile(TOKEN_PATTERN, re.VERBOSE)


@dataclass(frozen=True)
class Token:
    """One token: ``doc_text[start:end] == text`` (offsets as given to ``tokenize``)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A non-blank line of a document, trimmed: ``doc_text[start:end] == text``."""

    index: int
    start: int
    end: int
    text: str


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """The tokens of ``text``, with offsets shifted by ``offset``."""
    return tuple(Token(m.start() + offset, m.end() + offset, m.group()) for m in TOKEN_RE.finditer(text))


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """The non-blank lines of ``text`` (split on ``"\\n"``), trimmed, in order."""
    out: list[Paragraph] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            out.append(Paragraph(len(out), start, start + len(stripped), stripped))
        pos += len(line) + 1
    return tuple(out)
