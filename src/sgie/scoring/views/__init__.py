"""Views of the per-item outcomes: what a system got wrong, for people to read.

What it does
    ``errors`` (``sgie evaluate --errors``: every error per document and layer as text lines,
    sorted by document and position) and ``html`` (``sgie evaluate --html PATH``: one
    self-contained page with the score table, the entity confusion matrix and every document
    with gold and predicted annotations side by side, coloured by outcome).

What it does not do
    No matching or counting: both read ``sgie.scoring.outcomes`` records, which the scorers fill.
"""
