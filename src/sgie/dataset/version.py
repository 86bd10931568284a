"""The dataset version, the content hashes it is tied to, and the CHANGELOG.md rules.

What it does
    ``DATASET_VERSION`` (semver) is the one place the dataset version lives (with its
    ``RELEASE_DATE``, Croissant's ``datePublished``); ``sgie build``
    writes it into the card (README front matter and generated regions) and
    ``croissant.json``. The build also records content hashes:

    * ``gold``: sha256 of the canonical JSON of the gold layer (the documents-format records of
      annotator ``gold``, sorted by document id; ``[]`` while there is no gold);
    * ``annotations``: the same over all passes ``a``, ``b``, ``gold``;
    * ``corpus``: sha256 of the canonical JSON of every manifest record with its document text.

    ``changelog_problems`` states the rule that makes "a change to the gold bumps the version"
    testable: CHANGELOG.md has one ``## [X.Y.Z]`` heading per version, newest first, versions
    strictly decreasing; the newest is ``DATASET_VERSION``, and its entry names the current
    gold and corpus sha256. Changing the gold changes its hash, so the entry no longer matches
    until a new version (bumped here) gets its own entry naming the new hash.

What it does not do
    No writing; nothing reads git history (an edited old entry is for review to catch).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass

from sgie.annotations.store import ANNOTATORS, GOLD, Store
from sgie.corpus.manifest import Corpus

DATASET_VERSION = "0.3.0"
RELEASE_DATE = "2026-12-03"  # of DATASET_VERSION; its CHANGELOG.md heading is "## [version] - date"
CHANGELOG_FILE = "CHANGELOG.md"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_HEADING = re.compile(r"^## \[([^\]]+)\](.*)$", re.M)


@dataclass(frozen=True)
class ContentHashes:
    corpus: str
    gold: str
    annotations: str


@dataclass(frozen=True)
class ChangelogEntry:
    version: str
    title: str
    body: str


def canonical_sha256(value: object) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _pass(store: Store, name: str) -> list:
    docs = store.annotations.get(name, {})
    return [docs[k].to_json() for k in sorted(docs)]


def content_hashes(corpus: Corpus, store: Store) -> ContentHashes:
    documents = [{**dataclasses.asdict(d.record), "text": d.text} for d in corpus.documents]
    return ContentHashes(
        corpus=canonical_sha256(documents),
        gold=canonical_sha256(_pass(store, GOLD)),
        annotations=canonical_sha256({name: _pass(store, name) for name in ANNOTATORS}),
    )


def semver_key(version: str) -> tuple[int, int, int]:
    m = SEMVER.match(version)
    if not m:
        raise ValueError(f"version must be MAJOR.MINOR.PATCH (got {version!r})")
    return int(m[1]), int(m[2]), int(m[3])


def parse_changelog(text: str) -> tuple[ChangelogEntry, ...]:
    """The ``## [version] title`` entries of CHANGELOG.md, in file order."""
    heads = list(_HEADING.finditer(text))
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out.append(ChangelogEntry(m[1].strip(), m[2].strip(" -—"), text[m.end() : end].strip()))
    return tuple(out)


def changelog_problems(text: str, hashes: ContentHashes, version: str = DATASET_VERSION) -> list[str]:
    """What is wrong with CHANGELOG.md for this build (empty: nothing)."""
    entries = parse_changelog(text)
    if not entries:
        return [f"{CHANGELOG_FILE} must have a '## [{version}]' entry (got no entries)"]
    problems = []
    keys = []
    for e in entries:
        if not SEMVER.match(e.version):
            problems.append(f"{CHANGELOG_FILE} version {e.version!r} must be MAJOR.MINOR.PATCH")
        else:
            keys.append(semver_key(e.version))
    if keys != sorted(set(keys), reverse=True):
        problems.append(f"{CHANGELOG_FILE} versions must be unique and newest first "
                        f"(got {[e.version for e in entries]})")  # fmt: skip
    top = entries[0]
    if top.version == version and top.title != RELEASE_DATE:
        problems.append(f"{CHANGELOG_FILE} entry [{version}] must be dated {RELEASE_DATE} "
                        f"(RELEASE_DATE in sgie/dataset/version.py; got {top.title!r})")  # fmt: skip
    if top.version != version:
        fix = (f"add an entry '## [{version}] - {RELEASE_DATE}'" if SEMVER.match(top.version)
               and semver_key(version) > semver_key(top.version) else
               "bump DATASET_VERSION in sgie/dataset/version.py and add an entry")  # fmt: skip
        problems.append(f"{CHANGELOG_FILE} newest entry must be the dataset version {version} "
                        f"(got {top.version}): {fix}")  # fmt: skip
    for name, digest in (("gold", hashes.gold), ("corpus", hashes.corpus)):
        if digest not in top.body:
            problems.append(f"{CHANGELOG_FILE} entry [{top.version}] must name the current {name} "
                            f"sha256 {digest} (the {name} changed: bump the version and add an "
                            "entry)")  # fmt: skip
    return problems
