"""The committed gold of a corpus split, as the scorer's ``GoldSet``.

What it does
    ``load_gold(split)`` -- the committed gold annotations (``sgie.annotations.store``) of the
    documents of a corpus split, with their texts from the corpus (``sgie.corpus.manifest``),
    as a ``sgie.scoring.gold.GoldSet``. If no gold has been committed it raises
    ``InputError`` ("no gold annotations committed yet ..."). It lives here, above
    ``sgie.scoring``, so that the scorer does not import the annotation store.

What it does not do
    No scoring (``sgie.scoring``), no validation beyond the store's own.
"""

from __future__ import annotations

from pathlib import Path

from sgie.corpus.manifest import SPLITS, default_corpus_dir, load_corpus
from sgie.errors import InputError
from sgie.scoring.gold import GoldSet

NO_GOLD_YET = (
    "no gold annotations committed yet ({detail}); score against a documents-format file "
    "with --gold FILE instead"
)


def load_gold(split: str, corpus_dir: Path | str | None = None) -> GoldSet:
    """The committed gold annotations of the documents of ``split``, with their corpus texts."""
    if split not in SPLITS:
        raise InputError(f"'split' must be one of {list(SPLITS)} (got {split!r})")
    from sgie.annotations.store import gold_documents  # imported when used: it is large
    corpus = load_corpus(corpus_dir or default_corpus_dir())
    try:
        gold = gold_documents(corpus=corpus)
    except FileNotFoundError as err:
        raise InputError(NO_GOLD_YET.format(detail=f"no gold export: {err}")) from None
    texts = {d.id: d.text for d in corpus.split(split)}
    docs = {doc_id: gold[doc_id] for doc_id in sorted(texts) if doc_id in gold}
    if not docs:
        detail = f"none of the {split} documents {sorted(texts)} has gold annotations"
        raise InputError(NO_GOLD_YET.format(detail=detail))
    missing = sorted(set(texts) - set(docs))
    if missing:
        raise InputError(
            f"gold annotations must cover every {split} document (missing: {missing})"
        )
    return GoldSet(docs, {d: texts[d] for d in docs}, f"gold {split} split")
