"""SGIE: Security Guarantees Information Extraction.

The package follows the data flow of the project, one subpackage per room:

``corpus`` (verbatim raw files, manifest, splits) -> ``annotations`` (schema-derived Label
Studio config, export format, validation) -> ``studio`` (a real Label Studio server: serve,
push, pull) -> ``agreement`` (inter-annotator agreement) -> ``dataset`` (the Hugging Face
dataset build) -> ``scoring`` (the evaluation harness) -> ``leaderboard`` (bootstrap CIs,
significance, tables) -> ``baselines``. ``schema`` is the single source of truth for labels;
``spans`` owns the offset rule; ``records`` holds the typed annotation records.
"""

from sgie._version import __version__

__all__ = ["__version__"]
