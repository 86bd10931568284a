"""The corpus manifest: one record per dataset document, and the documents it defines.

What it does
    Reads ``corpus/documents.jsonl`` strictly (unknown fields rejected) into frozen
    ``DocumentRecord`` values and cuts each document's ``text`` from its raw file:
    ``text = raw[raw_start:raw_end]``. Segmentation is data here: each record lists its
    stories with zones (headline, subheadline, byline, dateline, body) and its boilerplate
    ranges with a reason, all as raw-file code-point offsets, half-open.

    A dataset document is one *seed file's editorial slice* (from the first story's headline
    to the end of the last story body), not one story: in 004 the inset story is printed between
    the main story's dateline and its body, so a per-story document could not be a contiguous
    slice of the raw file; and both stories of a page share its split. Stories are kept as
    ranges inside the document.

What it does not do
    No hashing or invariant checks (``sgie.corpus.check``), no splitting logic
    (``sgie.corpus.splits``).

Inputs / outputs
    ``load_corpus(root)`` -> ``Corpus`` (documents in id order).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sgie.corpus import SPLITS as SPLITS  # the one declaration; imported from here too
from sgie.errors import InputError, quote
from sgie.records import (
    JSON,
    expect_choice,
    expect_int,
    expect_list,
    expect_object,
    expect_optional_str,
    expect_str,
)
from sgie.safeio import decode_utf8, display_name, loads, open_input

MANIFEST = "documents.jsonl"
ZONES: tuple[str, ...] = ("headline", "subheadline", "byline", "dateline", "body")
PRINTED_FIELDS: tuple[str, ...] = (
    "headline", "outlet", "publisher", "wire", "byline", "editor", "dateline_place",
    "date_as_printed", "page_date_as_printed",
)  # fmt: skip


@dataclass(frozen=True)
class Zone:
    zone: str
    start: int  # raw-file offsets
    end: int


@dataclass(frozen=True)
class Story:
    id: str
    role: str  # "main" or "inset"
    zones: tuple[Zone, ...]

    @property
    def start(self) -> int:
        return min(z.start for z in self.zones)

    @property
    def end(self) -> int:
        return max(z.end for z in self.zones)


@dataclass(frozen=True)
class Boilerplate:
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class DocumentRecord:
    """One manifest line (all offsets are raw-file offsets)."""

    id: str
    source_file: str  # relative to the corpus folder
    sha256: str
    raw_length: int
    raw_start: int
    raw_end: int
    headline: str | None
    outlet: str | None
    publisher: str | None
    wire: str | None
    byline: str | None
    editor: str | None
    dateline_place: str | None
    date_as_printed: str | None
    page_date_as_printed: str | None
    language: str
    copyright_as_printed: tuple[str, ...]
    sources_as_printed: tuple[str, ...]
    group: str
    split: str
    notes: tuple[str, ...]
    stories: tuple[Story, ...]
    boilerplate: tuple[Boilerplate, ...]


@dataclass(frozen=True)
class Document:
    """A dataset document: its manifest record and its text (a slice of the raw file)."""

    record: DocumentRecord
    raw: str
    text: str

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def raw_start(self) -> int:
        return self.record.raw_start


@dataclass(frozen=True)
class Corpus:
    root: Path
    documents: tuple[Document, ...]

    def by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    def texts(self) -> dict[str, str]:
        return {d.id: d.text for d in self.documents}

    def split(self, name: str) -> tuple[Document, ...]:
        return tuple(d for d in self.documents if d.record.split == name)


def _str_tuple(value: JSON, path: str) -> tuple[str, ...]:
    return tuple(expect_str(v, f"{path}[{i}]") for i, v in enumerate(expect_list(value, path)))


def _zone(value: JSON, path: str) -> Zone:
    o = expect_object(value, path, ("zone", "start", "end"))
    return Zone(
        expect_choice(o["zone"], f"{path}.zone", ZONES),
        expect_int(o["start"], f"{path}.start"),
        expect_int(o["end"], f"{path}.end"),
    )


def _story(value: JSON, path: str) -> Story:
    o = expect_object(value, path, ("id", "role", "zones"))
    zones = expect_list(o["zones"], f"{path}.zones")
    return Story(
        expect_str(o["id"], f"{path}.id"),
        expect_choice(o["role"], f"{path}.role", ("main", "inset")),
        tuple(_zone(z, f"{path}.zones[{i}]") for i, z in enumerate(zones)),
    )


def _boilerplate(value: JSON, path: str) -> Boilerplate:
    o = expect_object(value, path, ("start", "end", "reason"))
    return Boilerplate(
        expect_int(o["start"], f"{path}.start"),
        expect_int(o["end"], f"{path}.end"),
        expect_str(o["reason"], f"{path}.reason"),
    )


def parse_record(value: JSON) -> DocumentRecord:
    keys = (
        "id", "source_file", "sha256", "raw_length", "raw_start", "raw_end", *PRINTED_FIELDS,
        "language", "copyright_as_printed", "sources_as_printed", "group", "split", "notes",
        "stories", "boilerplate",
    )  # fmt: skip
    o = expect_object(value, "", keys)
    printed = {k: expect_optional_str(o[k], k) for k in PRINTED_FIELDS}
    stories = expect_list(o["stories"], "stories")
    boilerplate = expect_list(o["boilerplate"], "boilerplate")
    return DocumentRecord(
        id=expect_str(o["id"], "id"),
        source_file=expect_str(o["source_file"], "source_file"),
        sha256=expect_str(o["sha256"], "sha256"),
        raw_length=expect_int(o["raw_length"], "raw_length"),
        raw_start=expect_int(o["raw_start"], "raw_start"),
        raw_end=expect_int(o["raw_end"], "raw_end"),
        language=expect_str(o["language"], "language"),
        copyright_as_printed=_str_tuple(o["copyright_as_printed"], "copyright_as_printed"),
        sources_as_printed=_str_tuple(o["sources_as_printed"], "sources_as_printed"),
        group=expect_str(o["group"], "group"),
        split=expect_choice(o["split"], "split", SPLITS),
        notes=_str_tuple(o["notes"], "notes"),
        stories=tuple(_story(s, f"stories[{i}]") for i, s in enumerate(stories)),
        boilerplate=tuple(_boilerplate(b, f"boilerplate[{i}]") for i, b in enumerate(boilerplate)),
        **printed,
    )


def read_raw(path: Path) -> str:
    """A raw file as text, exactly (no newline translation); not UTF-8: ``InputError``."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:  # a corrupted raw file: say which one
        raise InputError(f"raw file must be UTF-8 (got byte 0x{data[err.start]:02x} at offset "
                         f"{err.start}): the corpus file changed", file=str(path)) from None  # fmt: skip


def load_records(corpus_dir: Path) -> tuple[DocumentRecord, ...]:
    if not corpus_dir.is_dir():
        what = "no such folder" if not corpus_dir.exists() else "a file"
        raise InputError(f"corpus must be a folder holding {MANIFEST} (got {what}: "
                         f"{display_name(corpus_dir)!r})")  # fmt: skip
    path = corpus_dir / MANIFEST
    name = display_name(path)
    if not path.is_file():
        raise InputError(f"manifest must exist (got no file at {name})")
    with open_input(path) as fh:
        raw = fh.read()
    records = []
    for number, line in enumerate(raw.split(b"\n")[: -1 if raw.endswith(b"\n") else None], 1):
        try:
            records.append(parse_record(loads(decode_utf8(line))))
        except InputError as err:
            raise err.at(file=name, line=number) from None
    ids = [r.id for r in records]
    if ids != sorted(set(ids)):
        raise InputError(f"'id's must be unique and sorted (got {quote(ids)})", file=name)
    return tuple(records)


def load_corpus(corpus_dir: Path | str = "corpus") -> Corpus:
    """The documents of the manifest in ``corpus_dir``, text cut from the raw files.

    Raises ``InputError`` if the manifest is malformed or a range lies outside its raw file
    (hashes and the finer invariants are checked by ``sgie.corpus.check``).
    """
    root = Path(corpus_dir)
    docs = []
    for rec in load_records(root):
        raw_path = root / rec.source_file
        if not raw_path.is_file():
            raise InputError(f"'source_file' must exist (got {quote(rec.source_file)})",
                             file=str(root / MANIFEST))  # fmt: skip
        raw = read_raw(raw_path)
        if not 0 <= rec.raw_start < rec.raw_end <= len(raw):
            raise InputError(
                f"'raw_end' must be <= len(raw)={len(raw)} and > raw_start={rec.raw_start} "
                f"(got {rec.raw_end}) for document {quote(rec.id)}",
                file=str(root / MANIFEST),
            )
        docs.append(Document(rec, raw, raw[rec.raw_start : rec.raw_end]))
    return Corpus(root, tuple(docs))


def default_corpus_dir() -> Path:
    """``corpus/`` of the repository this package runs from, or of the working directory."""
    here = Path.cwd() / "corpus"
    if (here / MANIFEST).is_file():
        return here
    repo = Path(__file__).resolve().parents[3] / "corpus"
    return repo if (repo / MANIFEST).is_file() else here
