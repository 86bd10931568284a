"""Noun-phrase and clause helpers shared by the attribution and proposal rules.

What it does
    Surface heuristics over ``sgie.baselines.rules.text.Text`` tokens, using the closed-class
    word lists of ``function_words.txt``:

    * ``np_after(t, pos, end)`` -- the noun phrase starting at ``pos``: leading determiners are
      skipped (guidelines 1.2, determiners) and it runs to the next comma, colon, semicolon, bracket,
      quotation mark, " -- " or ``end``;
    * ``np_before(t, pos, start)`` -- the noun phrase ending right before ``pos`` (the subject
      of a verb at ``pos``): auxiliaries and "-ly" adverbs just before ``pos`` are skipped; it
      extends left to a comma, quotation mark, subordinator or ``start``; a phrase that turns
      out to start with a preposition is a parenthetical and the search continues before it;
    * ``sentence_subject(t, start, end)`` -- the first noun phrase of a sentence after a
      fronted adverbial, up to its first auxiliary, comma or verb-like word;
    * ``strip_det(t, s, e)`` -- a range without leading determiners and trailing punctuation.

What it does not do
    No parsing; these are deliberately simple and documented as such.
"""

from __future__ import annotations

from functools import cache

from sgie.baselines.rules import lexicons
from sgie.baselines.rules.text import Text, Token, trim

BOUNDARY_CHARS = ",;:()[]\"“”"


@cache
def words(kind: str) -> frozenset[str]:
    return frozenset(w for k, w in lexicons.columns("function_words") if k == kind)


def is_boundary(tok: Token) -> bool:
    return tok.text in BOUNDARY_CHARS or tok.text in ("--", "–", "—")


def strip_det(t: Text, s: int, e: int) -> tuple[int, int]:
    """``[s, e)`` without leading determiners, surrounding spaces and edge punctuation."""
    s, e = trim(t.text, s, e, " ,;:-–—'\"“”‘’")
    dets = words("det")
    while True:
        toks = t.tokens_in(s, e)
        if len(toks) > 1 and toks[0].text.lower() in dets:
            s = toks[1].start
        else:
            return s, e


def np_after(t: Text, pos: int, end: int) -> tuple[int, int] | None:
    """The noun phrase from ``pos`` up to the next boundary (or ``end``)."""
    toks = t.tokens_in(pos, end)
    stop = end
    for i, tok in enumerate(toks):
        if is_boundary(tok) or (tok.text == "-" and i + 1 < len(toks) and toks[i + 1].text == "-"):
            stop = tok.start
            break
        if tok.text in ".?!" and tok.end >= end - 1:
            stop = tok.start
            break
    s, e = strip_det(t, pos, stop)
    return (s, e) if e > s else None


def _skip_back(toks: list[Token], i: int) -> int:
    """Skip auxiliaries and adverbs before a verb (index of the last token to keep)."""
    aux = words("aux")
    while i >= 0 and (toks[i].text.lower() in aux or (toks[i].text.islower() and toks[i].text.endswith("ly"))
                      or toks[i].text.lower() in ("also", "then", "still", "not", "already")):
        i -= 1
    return i


def np_before(t: Text, pos: int, start: int, max_tokens: int = 12) -> tuple[int, int] | None:
    """The subject noun phrase ending right before ``pos`` (searching back to ``start``)."""
    toks = t.tokens_in(start, pos)
    i = _skip_back(toks, len(toks) - 1)
    stops = words("sub") | words("aux") | verbs()
    preps = words("prep")
    while i >= 0:
        if toks[i].text == ",":  # ", in numerous discussions," right before the verb
            k = i - 1
            while k >= 0 and toks[k].text != ",":
                k -= 1
            if k >= 0 and toks[k + 1].text.lower() in preps:
                i = k - 1
                continue
            return None
        j = i
        while j >= 0 and not is_boundary(toks[j]) and toks[j].text.lower() not in stops:
            j -= 1
        phrase = toks[j + 1:i + 1]
        while phrase and phrase[0].text.lower() in ("and", "but", "or"):
            phrase = phrase[1:]
        if phrase and phrase[0].text.lower() in preps and j >= 0 and toks[j].text == ",":
            i = j - 1  # a parenthetical ", in numerous discussions," -- look before it
            continue
        if not phrase or len(phrase) > max_tokens:
            return None
        s, e = strip_det(t, phrase[0].start, phrase[-1].end)
        return (s, e) if e > s else None
    return None


@cache
def verbs() -> frozenset[str]:
    """The attribution cue words (they end a subject noun phrase too)."""
    return frozenset(c for _, c in lexicons.columns("attribution_cues"))


def sentence_subject(t: Text, start: int, end: int) -> tuple[int, int] | None:
    """The first noun phrase of the sentence ``[start, end)`` after a fronted adverbial."""
    toks = t.tokens_in(start, end)
    if not toks:
        return None
    i = 0
    first = toks[0].text.lower()
    if first in words("prep") or first in words("sub") or first.endswith("ly") or first in (
            "however", "but", "and", "yet", "meanwhile"):
        while i < len(toks) and toks[i].text != ",":
            i += 1
        i += 1
    aux = words("aux")
    j = i
    while j < len(toks) and not is_boundary(toks[j]) and toks[j].text.lower() not in aux:
        j += 1
    if j == i or j - i > 10:
        return None
    s, e = strip_det(t, toks[i].start, toks[j - 1].end)
    return (s, e) if e > s else None
