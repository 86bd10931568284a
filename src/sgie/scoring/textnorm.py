"""Typographic normalisation of strings, with a map back to the original code points.

What it does
    LLMs and people retype text: they turn typographic quotes into straight ones (or the other
    way round), dashes into hyphens, line breaks inside a quotation into spaces. This module
    defines the one normalisation that the grounding of text-only spans
    (``sgie.scoring.grounding``) and the string-level entity metric (``sgie.scoring.surface``)
    use:

    * every run of white space (``str.isspace``: spaces, tabs, line breaks, no-break and thin
      spaces) becomes one space ``" "``;
    * single quotes and apostrophes ``‘ ’ ‚ ‛ ′ ´ `` `` ` `` become ``'``;
    * double quotes ``“ ” „ ‟ ″ « »`` become ``"``;
    * dashes and hyphens ``‐ ‑ ‒ – — ― −`` become ``-``;
    * the ellipsis ``…`` becomes ``...``.

    Letters, digits and everything else are left alone (no case folding, no Unicode
    normalisation), so a normalised string keeps every word boundary of the original.

    ``normalise(s)`` gives the normalised form of a string (white space at both ends removed).
    ``CHANGED`` lists the characters it changes wherever they are (the bulk scorer finds the
    strings that need it with these).
    ``NormalisedText(text)`` normalises a document and keeps, for every code point of the
    normalised text, the range of original code points it came from, so that a match found in
    the normalised text maps back to exact original offsets (``text[start:end]`` is the
    original text). ``find(s)`` lists the whole-token occurrences of ``normalise(s)``: those
    that neither start nor end inside a run of letters and digits (``str.isalnum``), so
    "Russia" does not occur in "Russian" and "Europe" not in "European-led".

What it does not do
    No fuzzy matching, no case folding, no tokenisation beyond the boundary test.
"""

from __future__ import annotations

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u00b4`"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_REPLACE: dict[str, str] = {
    **{c: "'" for c in _SINGLE},
    **{c: '"' for c in _DOUBLE},
    **{c: "-" for c in _DASHES},
    "\u2026": "...",
}


_TABLE = str.maketrans(_REPLACE)
#: The white space other than " " (``str.isspace``; ``tests/test_scoring_surface.py`` checks
#: that the list is complete).
OTHER_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
               + "\u2028\u2029\u202f\u205f\u3000")  # fmt: skip
#: The characters that ``normalise`` changes wherever they are (a plain space only changes at
#: an end of the string or next to another space).
CHANGED = OTHER_SPACE + "".join(_REPLACE)


def normalise(s: str) -> str:
    """The normalised form of ``s`` (see the module docstring), without white space at its
    ends: ``NormalisedText(s).text.strip(" ")``, computed in C (``str.translate``,
    ``str.split``: the same white space as ``str.isspace``)."""
    return " ".join(s.translate(_TABLE).split())


class NormalisedText:
    """A text in normalised form, with offsets back to the original.

    ``text`` is the normalised text; ``origin_start[i]`` / ``origin_end[i]`` are the original
    code-point range that normalised code point ``i`` came from (a run of white space maps to
    the whole run, each of the three dots of an expanded ellipsis to the ellipsis).
    """

    def __init__(self, original: str):
        self.original = original
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i, n = 0, len(original)
        while i < n:
            c = original[i]
            if c.isspace():
                j = i + 1
                while j < n and original[j].isspace():
                    j += 1
                out.append(" ")
                starts.append(i)
                ends.append(j)
                i = j
                continue
            r = _REPLACE.get(c, c)
            for ch in r:
                out.append(ch)
                starts.append(i)
                ends.append(i + 1)
            i += 1
        self.text = "".join(out)
        self.origin_start = starts
        self.origin_end = ends
        self._cache: dict[str, list[tuple[int, int]]] = {}

    def _boundary(self, i: int) -> bool:
        """Whether normalised position ``i`` is a token boundary (not inside a run of letters
        and digits)."""
        t = self.text
        return i <= 0 or i >= len(t) or not (t[i - 1].isalnum() and t[i].isalnum())

    def find(self, s: str) -> list[tuple[int, int]]:
        """Original ``(start, end)`` of every whole-token occurrence of ``normalise(s)``, left to
        right, overlapping ones included ("Kyiv Kyiv" occurs twice in "Kyiv Kyiv Kyiv"); ``[]``
        for a string that is empty once normalised."""
        key = normalise(s)
        if key in self._cache:
            return self._cache[key]
        out: list[tuple[int, int]] = []
        if key:
            t = self.text
            i = t.find(key)
            while i != -1:
                j = i + len(key)
                if self._boundary(i) and self._boundary(j):
                    out.append((self.origin_start[i], self.origin_end[j - 1]))
                i = t.find(key, i + 1)
        self._cache[key] = out
        return out
