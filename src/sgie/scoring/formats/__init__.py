"""Other ways into the scorer: prediction shapes that are not the prediction format itself.

What it does
    Turns what off-the-shelf systems output into ordinary prediction records (JSON objects of
    the prediction format), which then go through the one set of prediction checks and the one
    scorer like any file:

    ``bio`` (``--format bio``: BIO tags over the ``ner`` config's rows -> entity records) and
    ``labels`` (``--label-map``: foreign entity labels -> SGIE types, entities without a
    counterpart dropped and counted; ``--label-space``: gold and predictions in the coarser
    OntoNotes or CoNLL space).

What it does not do
    No scoring, no checks beyond each input's own shape (the prediction checks do the rest).
"""
