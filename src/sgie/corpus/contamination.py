"""The split guard: eight-word sequences that a file shares with the test-split pages.

What it does
    A system evaluated on the test split must not be shown test-split text. The measurable
    form of that rule, used by the tests, by ``sgie prompts`` and by the project's before-stop
    check, is: **no sequence of eight consecutive words of a test-split page occurs in a file
    a system may be shown** (``annotations/GUIDELINES.md``, ``eval/prompts/``).

    * a *word* is a maximal run of ``[a-z0-9]`` after lower-casing (so punctuation, quotation
      marks and case do not hide a copied sentence);
    * a *test-split page* is the whole raw file (``corpus/raw/...``, boilerplate included) of
      every manifest record whose ``split`` is ``test`` -- read from ``corpus/documents.jsonl``,
      never from a hard-coded list of ids;
    * ``shared_sequences(text, grams)`` lists the eight-word sequences of ``text`` that are in
      ``grams`` (empty: clean).

What it does not do
    No fuzzy matching (a paraphrase passes; review catches those), no file writing.

Inputs / outputs
    A ``Corpus`` (``sgie.corpus.manifest``) and texts in; sets and sorted lists of
    space-joined word sequences out.
"""

from __future__ import annotations

import re

from sgie.corpus.manifest import Corpus

WORD = re.compile(r"[a-z0-9]+")
SEQUENCE_WORDS = 8
TEST_SPLIT = "test"


def word_sequences(text: str, n: int = SEQUENCE_WORDS) -> set[str]:
    """Every sequence of ``n`` consecutive words of ``text`` (lower-cased, space-joined)."""
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def split_sequences(corpus: Corpus, split: str = TEST_SPLIT, n: int = SEQUENCE_WORDS) -> set[str]:
    """The word sequences of the raw pages of every document in ``split``."""
    out: set[str] = set()
    for doc in corpus.split(split):
        out |= word_sequences(doc.raw, n)
    return out


def split_ids(corpus: Corpus, split: str = TEST_SPLIT) -> tuple[str, ...]:
    """The ids of the documents in ``split`` (from the manifest)."""
    return tuple(d.id for d in corpus.split(split))


def shared_sequences(text: str, grams: set[str], n: int = SEQUENCE_WORDS) -> list[str]:
    """The sequences of ``text`` that are in ``grams``, sorted (empty: the text is clean)."""
    return sorted(word_sequences(text, n) & grams)
