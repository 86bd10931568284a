"""The SGIE leaderboard: submissions, cluster bootstrap intervals, paired significance, outputs.

What it does
    ``sgie leaderboard`` scores every submission in ``eval/submissions/<system>/`` on the test
    split with the official scorer and publishes, generated and never hand-edited,
    ``eval/LEADERBOARD.md``, ``eval/results/<system>.json``, ``eval/leaderboard.png`` and the
    JSON Schemas ``eval/predictions.schema.json`` and ``eval/system.schema.json``.
    Modules, in data-flow order: ``submissions`` (``system.json`` schema, strict loading) ->
    ``clusters`` (documents or paragraphs as resampling units, with exact per-unit counts) ->
    ``headline`` (the headline metric of each layer as count vectors) -> ``bootstrap``
    (shared resamples, percentile intervals, paired bootstrap and approximate randomization
    p-values) -> ``ranking`` (ranks, statistical ties) -> ``build`` (orchestration) ->
    ``model`` (the records it produces) -> ``results`` / ``render`` / ``plot`` (the three kinds
    of output) -> ``outputs`` (the generated files, writing, ``--check``).

What it does not do
    No scoring of its own (``sgie.scoring``), no argument parsing (``sgie.commands.leaderboard``).
"""
