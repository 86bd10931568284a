"""Corpus invariants: ``sgie corpus check``.

What it does
    Verifies, for every manifest record, and returns a list of one-line problems (empty = OK):

    * the raw file's sha256 and code-point length are the pinned ones (a changed byte fails);
    * the document range ``[raw_start, raw_end)`` is exactly the hull of its stories' zones;
    * zones do not overlap, have no leading/trailing whitespace, lie inside the document, and
      everything inside the document that is not in a zone is whitespace;
    * boilerplate ranges do not overlap the document and, with the document range, cover the
      raw file except for whitespace; every boilerplate range has a reason;
    * every "as printed" field (headline, outlet, byline, ...) occurs verbatim in the raw file,
      and the headline equals the main story's headline zone;
    * split groups are respected (a group lies in one split), every split is non-empty, and no
      pair of documents in different splits exceeds the near-duplicate threshold;
    * the committed ``corpus/similarity.json`` equals a fresh computation.

What it does not do
    No writing (``sgie corpus similarity`` writes similarity.json).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sgie.corpus.manifest import SPLITS, Corpus, Document
from sgie.corpus.splits import similarity_report
from sgie.errors import quote
from sgie.safeio import read_json

SIMILARITY_FILE = "similarity.json"


def _covered(intervals: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """The gaps in ``[lo, hi)`` not covered by the sorted, disjoint ``intervals``."""
    gaps, pos = [], lo
    for a, b in sorted(intervals):
        if a > pos:
            gaps.append((pos, a))
        pos = max(pos, b)
    if pos < hi:
        gaps.append((pos, hi))
    return gaps


def check_document(doc: Document, corpus_dir: Path) -> list[str]:
    rec, raw = doc.record, doc.raw
    where = f"document {quote(rec.id)} ({rec.source_file})"
    problems: list[str] = []
    digest = hashlib.sha256((corpus_dir / rec.source_file).read_bytes()).hexdigest()
    if digest != rec.sha256:
        problems.append(f"'sha256' of {where} must be {rec.sha256} (got {digest}): raw file changed")
    if len(raw) != rec.raw_length:
        problems.append(f"'raw_length' of {where} must be {rec.raw_length} (got {len(raw)})")
    zones = sorted((z.start, z.end, z.zone) for s in rec.stories for z in s.zones)
    if not zones:
        return [*problems, f"{where} must have at least one story zone (got none)"]
    hull = (zones[0][0], max(z[1] for z in zones))
    if hull != (rec.raw_start, rec.raw_end):
        problems.append(f"'raw_start'/'raw_end' of {where} must be the hull of its zones "
                        f"{hull[0]}..{hull[1]} (got {rec.raw_start}..{rec.raw_end})")  # fmt: skip
    for (a, b, name), (c, _, other) in zip(zones, zones[1:]):
        if c < b:
            problems.append(f"zones {name} [{a},{b}) and {other} [{c},...) of {where} overlap")
    for a, b, name in zones:
        piece = raw[a:b]
        if not piece or piece != piece.strip():
            problems.append(f"zone {name} [{a},{b}) of {where} must be non-empty and trimmed "
                            f"(got {quote(piece[:20])}...)")  # fmt: skip
    for a, b in _covered([(z[0], z[1]) for z in zones], rec.raw_start, rec.raw_end):
        if raw[a:b].strip():
            problems.append(f"text [{a},{b}) inside {where} is in no zone (got {quote(raw[a:b][:40])})")
    spans = [(bp.start, bp.end) for bp in rec.boilerplate]
    for bp in rec.boilerplate:
        if bp.start < rec.raw_end and rec.raw_start < bp.end:
            problems.append(f"boilerplate [{bp.start},{bp.end}) of {where} overlaps the document")
        if not bp.reason.strip():
            problems.append(f"boilerplate [{bp.start},{bp.end}) of {where} must have a reason")
        if not 0 <= bp.start < bp.end <= len(raw):
            problems.append(f"boilerplate [{bp.start},{bp.end}) of {where} is outside the file")
    for a, b in _covered([*spans, (rec.raw_start, rec.raw_end)], 0, len(raw)):
        if raw[a:b].strip():
            problems.append(f"raw [{a},{b}) of {where} is neither document nor boilerplate "
                            f"(got {quote(raw[a:b][:40])})")  # fmt: skip
    printed = {
        "headline": rec.headline, "outlet": rec.outlet, "publisher": rec.publisher,
        "wire": rec.wire, "byline": rec.byline, "editor": rec.editor,
        "dateline_place": rec.dateline_place, "date_as_printed": rec.date_as_printed,
        "page_date_as_printed": rec.page_date_as_printed,
    }  # fmt: skip
    values = [(k, v) for k, v in printed.items() if v is not None]
    values += [("copyright_as_printed", v) for v in rec.copyright_as_printed]
    values += [("sources_as_printed", v) for v in rec.sources_as_printed]
    for key, value in values:
        if value not in raw:
            problems.append(f"'{key}' of {where} must occur verbatim in the raw file (got {quote(value)})")
    main = [s for s in rec.stories if s.role == "main"]
    heads = [raw[z.start : z.end] for s in main for z in s.zones if z.zone == "headline"]
    if (heads[0] if heads else None) != rec.headline:
        problems.append(f"'headline' of {where} must equal the main story's headline zone "
                        f"(got {quote(rec.headline)}, zone {quote(heads[:1])})")  # fmt: skip
    return problems


def check_corpus(corpus: Corpus) -> list[str]:
    problems: list[str] = []
    for doc in corpus.documents:
        problems += check_document(doc, corpus.root)
    group_split: dict[str, set[str]] = {}
    for doc in corpus.documents:
        group_split.setdefault(doc.record.group, set()).add(doc.record.split)
    for group, splits in sorted(group_split.items()):
        if len(splits) > 1:
            problems.append(f"group {quote(group)} must lie in one split (got {sorted(splits)})")
    for split in SPLITS:
        if not corpus.split(split):
            problems.append(f"split {quote(split)} must have at least one document (got none)")
    report = similarity_report(corpus)
    for pair in report["violations"]:
        problems.append(f"documents {pair['a']} and {pair['b']} are near-duplicates "
                        f"(jaccard {pair['jaccard']}) in different splits")  # fmt: skip
    path = corpus.root / SIMILARITY_FILE
    committed = read_json(path) if path.is_file() else None
    if committed != report:
        problems.append(f"{path} must equal a fresh computation: run `sgie corpus similarity`")
    return problems
