"""Corpus: the verbatim raw files, their manifest, segmentation, similarity and fixed splits.

``manifest`` reads ``corpus/documents.jsonl`` and cuts each dataset document out of its raw
file; ``check`` verifies hashes, ranges and invariants; ``similarity`` measures
near-duplication; ``splits`` exposes the fixed split assignment and leave-one-group-out folds.
"""

from __future__ import annotations

#: The fixed splits, in order (here, not in ``manifest``, so that a command's options can name
#: them without reading the manifest's code).
SPLITS: tuple[str, ...] = ("train", "validation", "test")
