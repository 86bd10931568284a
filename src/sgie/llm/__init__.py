"""Running an LLM extractor through any OpenAI-compatible chat-completions endpoint.

What it does
    The machinery behind ``sgie llm`` (``sgie.commands.llm``), in data-flow order:

    ``prompts`` (the committed prompts of ``eval/prompts/`` as chat messages, with a hash) ->
    ``client`` (one request through the ``openai`` package: structured output where the server
    supports it, the package's retry and back-off, failures as one line) -> ``cache`` (every
    response on disk, keyed by endpoint, model, prompt hash and document; also the layout of
    committed responses, ``eval/submissions/<system>/responses/``) -> ``answers`` (the one
    tolerant parser: a response text into a prediction record with text-only spans, problems
    recorded per document) -> ``run`` (documents, bounded concurrency, progress, predictions
    and responses written; replay from the cache; request dumps; imports; submissions).

    The predictions keep text-only spans; ``sgie evaluate`` grounds them
    (``sgie.scoring.grounding``). How to evaluate a model: docs/llm.md.

What it does not do
    No scoring, no prompt writing (``sgie prompts`` generates ``eval/prompts/``).
"""
