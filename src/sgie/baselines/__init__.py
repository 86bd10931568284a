"""SGIE baselines: a rule system, an off-the-shelf NER model, annotator ceilings, trivial bounds.

What it does
    * ``sgie.baselines.rules`` -- a transparent rule baseline for all three layers
      (``sgie evaluate --extractor sgie.baselines.rules:extract``); its lexicons are data files
      in ``sgie/baselines/lexicons/``, developed on the train and validation splits only.
    * ``sgie.baselines.spacy_ner`` -- spaCy's small English pipeline (OntoNotes types) mapped to
      SGIE entity types through ``sgie.schema.ONTONOTES_TO_SGIE`` (needs the optional ``spacy``
      extra and an installed ``en_core_web_sm``).
    * ``sgie.baselines.submissions`` -- builds the leaderboard submission folders
      ``eval/submissions/<system-id>/`` (``system.json`` + ``predictions.jsonl``) of every
      baseline: ``rules``, ``spacy-en-core-web-sm``, ``empty``, ``annotator-a``, ``annotator-b``
      (``sgie baselines build``).

What it does not do
    No scoring (``sgie.scoring``) and no leaderboard rendering.
"""
