"""Corpus: the verbatim raw files, their manifest, segmentation, similarity and fixed splits.

``manifest`` reads ``corpus/documents.jsonl`` and cuts each dataset document out of its raw
file; ``check`` verifies hashes, ranges and invariants; ``similarity`` measures
near-duplication; ``splits`` exposes the fixed split assignment and leave-one-group-out folds.
"""
