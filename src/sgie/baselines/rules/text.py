"""Text analysis for the rule baseline: tokens, lines, sentences and quotations with offsets.

What it does
    ``analyse(text)`` returns a ``Text`` with

    * ``tokens`` -- ``Token(start, end, text)`` in order: abbreviations with periods ("U.S."),
      numbers and number ranges ("3,000–5,000"), words (dotted names such as "Censor.NET" stay
      one token), the possessive "'s"/"’s", and single punctuation characters (a hyphen is its
      own token, so "European-led" is "European", "-", "led");
    * ``lines`` -- the non-blank lines (a span never crosses a line break);
    * ``sentences`` -- sentence ranges following the guidelines (section 1.2, sentences): a sentence ends
      at . ? or ! (not the period of an abbreviation token) or at a line break, and a dateline
      that runs into body text ("Place (AFP) Date - ...") ends after its " - ";
    * ``quotes`` -- quotation ranges (marks included): straight double quotes paired left to
      right within a line, curly “ ” pairs, and single quotes used as quotation marks.

    Helpers decide whether a line is set in title case (a headline whose capitals say nothing
    about names) and whether a position lies inside a quotation.

What it does not do
    No linguistics beyond these surface rules; no model.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|\d+(?:[.,]\d+)*(?:[–-]\d+(?:[.,]\d+)*)?"  # 30,000 / 3,000–5,000 / 42-7
    r"|[^\W_]+(?:\.[A-Z][^\W_]*)*"  # words; Censor.NET
    r"|['’]s\b"  # possessive
    r"|\S"
)
DATELINE_RE = re.compile(r"^\s*[A-Z][\w .,]*\([A-Z]{2,}\)[^\n]*? - (?=\S)")
SENTENCE_END_RE = re.compile(r"[.?!]+[\"'”’]?(?=\s|$)")
OPEN_QUOTES = "“"
CLOSE_QUOTES = "”"
QUOTE_CHARS = "\"“”'‘’"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()


@dataclass(frozen=True)
class Text:
    text: str
    tokens: tuple[Token, ...]
    lines: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]
    quotes: tuple[tuple[int, int], ...]

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The tokens lying wholly inside ``[start, end)``."""
        starts = [t.start for t in self.tokens]
        i = bisect_right(starts, start - 1)
        out = []
        while i < len(self.tokens) and self.tokens[i].start < end:
            if self.tokens[i].end <= end:
                out.append(self.tokens[i])
            i += 1
        return out

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sentences:
            if s <= pos < e:
                return s, e
        return pos, pos

    def line_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.lines:
            if s <= pos <= e:
                return s, e
        return pos, pos

    def in_quote(self, pos: int) -> bool:
        return any(s < pos < e - 1 for s, e in self.quotes)

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        for s, e in self.quotes:
            if s <= pos < e:
                return s, e
        return None


def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text))


def _lines(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def _is_abbreviation_end(text: str, tokens: tuple[Token, ...], pos: int) -> bool:
    """Whether the period at ``pos`` belongs to an abbreviation token such as "U.S."."""
    for t in tokens:
        if t.start <= pos < t.end and len(t.text) > 1 and t.text.endswith("."):
            return True
    return False


def _sentences(text: str, tokens: tuple[Token, ...], lines: tuple[tuple[int, int], ...]):
    out: list[tuple[int, int]] = []
    for ls, le in lines:
        start = ls
        m = DATELINE_RE.match(text, ls, le)
        if m:
            out.append((ls, m.end() - 1))
            start = m.end()
        for end_match in SENTENCE_END_RE.finditer(text, start, le):
            if _is_abbreviation_end(text, tokens, end_match.start()) and end_match.end() < le:
                continue
            out.append((start, end_match.end()))
            start = end_match.end()
            while start < le and text[start].isspace():
                start += 1
        if start < le:
            out.append((start, le))
    return tuple((s, e) for s, e in out if e > s)


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and (after.isalnum() or after in " \n,.;") and before != " "


def _quotes(text: str, lines: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out = []
    for ls, le in lines:
        open_at: int | None = None
        for i in range(ls, le):
            ch = text[i]
            if ch == '"':
                if open_at is None:
                    open_at = i
                else:
                    out.append((open_at, i + 1))
                    open_at = None
            elif ch in OPEN_QUOTES and open_at is None:
                open_at = i
            elif ch in CLOSE_QUOTES and open_at is not None:
                out.append((open_at, i + 1))
                open_at = None
        # single quotes used as quotation marks: ' after a space, closed by ' before a non-letter
        for m in re.finditer(r"(?<![\w])'([^'\n]{1,80}?)'(?![\w])", text[ls:le]):
            s = ls + m.start()
            if not _is_apostrophe(text, s):
                out.append((s, ls + m.end()))
    return tuple(sorted(out))


def analyse(text: str) -> Text:
    tokens = tokenize(text)
    lines = _lines(text)
    return Text(text, tokens, lines, _sentences(text, tokens, lines), _quotes(text, lines))


def is_title_case(text: str, start: int, end: int) -> bool:
    """A line where most content words are capitalised (a title-case headline)."""
    if text[end - 1] in ".?!":
        return False
    words = [w for w in re.findall(r"[^\W\d_]+", text[start:end]) if len(w) > 3]
    if len(words) < 4:
        return False
    caps = sum(w[0].isupper() for w in words)
    return caps / len(words) >= 0.75


def has_quote_mark(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` contains a quotation mark (apostrophes do not count)."""
    for i in range(start, end):
        ch = text[i]
        if ch in "\"“”":
            return True
        if ch in "'‘’" and not _is_apostrophe(text, i):
            return True
    return False


def trim(text: str, start: int, end: int, strip: str = " \t,;:-–—") -> tuple[int, int]:
    """``[start, end)`` without surrounding whitespace and the given punctuation."""
    while start < end and text[start] in strip + " ":
        start += 1
    while end > start and text[end - 1] in strip + " ":
        end -= 1
    return start, end
