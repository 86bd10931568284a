"""The one span type of SGIE, which owns the offset rule.

What it does
    ``Span(start, end, text)`` is a half-open ``[start, end)`` range of Python code points
    (``str`` indices, not bytes, not UTF-16 units) together with the text it covers.
    ``Span.within(doc_text)`` / ``Span.check(doc_text)`` enforce ``doc_text[start:end] == text``.
    Every layer, the Label Studio export, the dataset and predictions go through this type, so
    the rule is stated and enforced in exactly one place.

    ``holds(doc_text, start, end, text)`` is the rule itself as a predicate (``all_hold`` for
    many spans at once); the annotation
    records (``sgie.records``), which carry their span's fields flat in their JSON shape, and
    the validator of records (``sgie.scoring.validate``) check their spans with it.

    ``Span`` is a frozen ``msgspec.Struct`` (immutable, ordered, hashable, like a frozen
    dataclass; decoded straight from JSON, with ``__post_init__`` checks run on decoding too).

What it does not do
    No tokenisation, no matching (``sgie.scoring.matching``), no reading of files.

Errors
    ``InputError`` with attrs-style messages, e.g.
    ``'end' must be <= len(text)=812 (got 815)``; callers add the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import msgspec

from sgie.errors import InputError


def holds(doc_text: str, start: int, end: int, text: str) -> bool:
    """The offset rule: ``0 <= start < end <= len(doc_text)`` and ``doc_text[start:end] == text``."""
    return 0 <= start < end <= len(doc_text) and doc_text[start:end] == text


class HasSpan(Protocol):
    """Anything with a span's three fields (a ``Span``, or a record holding them flat)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


def all_hold(doc_text: str, items: Iterable[HasSpan]) -> bool:
    """``holds`` for every item with ``start``, ``end``, ``text`` (a ``Span`` or a record), in
    one loop (the same rule, written out for speed: millions of spans in a large file)."""
    n = len(doc_text)
    for x in items:
        start, end = x.start, x.end
        if not 0 <= start < end <= n or doc_text[start:end] != x.text:
            return False
    return True


def quote(value: object, limit: int = 80) -> str:
    """A value for an error message, at most about ``limit`` characters (a bad value may be a
    200 MB string or an integer of thousands of digits)."""
    if type(value) is int and value.bit_length() > 128:
        return f"an integer of {value.bit_length()} bits"
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + f"... ({len(value)} characters)"
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class Span(msgspec.Struct, frozen=True, order=True, forbid_unknown_fields=True, gc=False):
    """A non-empty half-open code-point range ``[start, end)`` and the text it covers."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if type(value) is not int:
                raise InputError(f"'{name}' must be an integer (got {quote(value)})")
        if type(self.text) is not str:
            raise InputError(f"'text' must be a string (got {quote(self.text)})")
        if self.start < 0:
            raise InputError(f"'start' must be >= 0 (got {quote(self.start)})")
        if self.end <= self.start:
            raise InputError(f"'end' must be > start={quote(self.start)} (got {quote(self.end)})")
        if len(self.text) != self.end - self.start:
            raise InputError(
                f"'text' must have end-start={quote(self.end - self.start)} characters "
                f"(got {len(self.text)}: {quote(self.text)})"
            )

    @classmethod
    def of(cls, doc_text: str, start: int, end: int) -> Span:
        """The span ``[start, end)`` of ``doc_text``, its text sliced from the document."""
        if type(end) is int and end > len(doc_text):
            raise InputError(f"'end' must be <= len(text)={len(doc_text)} (got {quote(end)})")
        if type(start) is not int or type(end) is not int:
            return cls(start, end, "")  # raises the type error
        return cls(start, end, doc_text[max(start, 0) : end] if start >= 0 else "")

    def check(self, doc_text: str, field: str = "") -> Span:
        """Return self if ``doc_text[start:end] == text``, else raise ``InputError``."""
        prefix = f"{field}." if field else ""
        if self.end > len(doc_text):
            raise InputError(
                f"'{prefix}end' must be <= len(text)={len(doc_text)} (got {quote(self.end)})"
            )
        if holds(doc_text, self.start, self.end, self.text):
            return self
        found = doc_text[self.start : self.end]
        if found != self.text:
            raise InputError(
                f"'{prefix}text' must equal text[{self.start}:{self.end}]={quote(found)} "
                f"(got {quote(self.text)})"
            )
        return self

    @staticmethod
    def violation(doc_text: str, start: int, end: int, text: str, field: str = "") -> InputError:
        """The error of a span ``(start, end, text)`` that breaks the rule on ``doc_text``
        (``end`` beyond the text first, then ``Span``'s own checks, then the slice), its fields
        named under ``field`` (e.g. ``'entities[2].end'``)."""
        prefix = f"{field}." if field else ""
        if end > len(doc_text):
            return InputError(f"'{prefix}end' must be <= len(text)={len(doc_text)} (got {quote(end)})")
        try:
            Span(start, end, text).check(doc_text, field)
        except InputError as err:
            if field and not err.message.startswith(f"'{prefix}"):
                return InputError(f"'{prefix}" + err.message[1:])
            return err
        raise ValueError(f"the span {start}..{end} {quote(text)} holds")

    def overlaps(self, other: Span) -> bool:
        """True if the two ranges share at least one code point."""
        return self.start < other.end and other.start < self.end

    def shifted(self, offset: int) -> Span:
        """The same text at ``[start+offset, end+offset)``."""
        return Span(self.start + offset, self.end + offset, self.text)

    def to_json(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "text": self.text}
