"""The Hugging Face dataset build: ``sgie build`` turns corpus + gold export into ``data/``.

What it does
    Builds, from ``corpus/`` and the committed Label Studio export
    (``annotations/export.json``) only, a dataset at the repository root that
    ``datasets.load_dataset(<clone>)`` loads offline: Parquet files under
    ``data/<config>/<split>.parquet`` (each carrying its features in its metadata), the dataset
    card header (README.md's YAML front matter with ``configs``), generated README regions, and
    Croissant 1.0 JSON-LD (``croissant.json``) with the Responsible-AI fields.

    Modules: ``version`` (dataset version, content hashes, CHANGELOG rules), ``provenance``
    (the Responsible-AI texts, one place), ``tokenize`` (paragraphs and tokens),
    ``ner`` (BIO encode/decode, alignment report), ``features`` (the ``datasets.Features`` of
    every config, from ``sgie.schema``), ``rows`` (rows of every config), ``parquet``
    (byte-deterministic Parquet), ``card`` (front matter and README regions), ``croissant``
    (JSON-LD), ``build`` (orchestration, atomic publication, ``--check``).

What it does not do
    No annotation, no scoring, no network access.
"""
