"""``sgie llm``: run an LLM through any OpenAI-compatible endpoint; dump, import and replay.

Parses arguments and calls ``sgie.llm`` (how it works: its modules; how to use it:
docs/llm.md). Modes:

* run (``--model M --output P.jsonl``): responses from the cache or the endpoint, predictions
  (text-only spans) to ``P.jsonl`` and the responses with their parse problems to
  ``P.responses.jsonl`` (the servers' raw responses are in the cache); ``--offline`` replays
  the cache and fails if a response is missing;
* ``--dump-requests DIR``: the exact messages for each document, nothing sent;
* ``--import-responses DIR``: response texts (``DIR/<id>.txt``) into the cache;
* ``--submission DIR``: an ``llm`` leaderboard submission from ``DIR/responses`` (the prompt,
  model and endpoint are the responses' own).

Bad input: one line, exit 2, nothing written. A failing endpoint: one line, exit 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import SPLITS, default_corpus_dir, load_corpus
from sgie.errors import InputError

DEFAULT_PROMPT = "zero-shot"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "llm", help="run an LLM extractor through an OpenAI-compatible endpoint",
        description="Run a model through any OpenAI-compatible chat-completions endpoint with "
        "the prompts of eval/prompts/, caching every response; or dump the requests, import "
        "responses produced elsewhere, or build an llm leaderboard submission. See docs/llm.md.")  # fmt: skip
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--output", type=Path, metavar="P.jsonl", help="write predictions here")
    mode.add_argument("--dump-requests", type=Path, metavar="DIR",
                      help="write the exact messages for each document to DIR; send nothing")
    mode.add_argument("--import-responses", type=Path, metavar="DIR",
                      help="store response texts DIR/<id>.txt in the cache (see --produced-by)")
    mode.add_argument("--submission", type=Path, metavar="DIR",
                      help="write DIR/system.json and DIR/predictions*.jsonl from DIR/responses")
    p.add_argument("--model", help="model name as the endpoint knows it")
    p.add_argument("--base-url", default=None,
                   help="endpoint, e.g. http://127.0.0.1:8000/v1 (default: $OPENAI_BASE_URL, else "
                   "the OpenAI API); for imported responses a label such as ai-session")
    p.add_argument("--api-key", default=None, help="API key (default: $OPENAI_API_KEY)")
    p.add_argument("--prompt", default=None, help="prompt name in the prompts manifest (zero-shot "
                   f"or few-shot; default: {DEFAULT_PROMPT}; for --submission: the responses')")
    p.add_argument("--prompts", type=Path, default=None, metavar="DIR",
                   help="prompts folder (default: eval/prompts of the repository)")
    docs = p.add_mutually_exclusive_group()
    docs.add_argument("--split", choices=SPLITS, default=None,
                      help="documents of a split (default: test; for --dump-requests and "
                      "--import-responses: every document)")  # fmt: skip
    docs.add_argument("--gold", type=Path, metavar="G.jsonl", help="documents of a documents-format file")
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder (for --split)")
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="response cache (default: $SGIE_LLM_CACHE, else ~/.cache/sgie/llm)")
    p.add_argument("--offline", action="store_true",
                   help="use cached responses only; fail if one is missing")
    p.add_argument("--concurrency", type=int, default=4, help="requests at once (default: 4)")
    p.add_argument("--retries", type=int, default=4, help="retries per request (default: 4)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per attempt (default: 600)")
    p.add_argument("--structured", choices=("auto", "on", "off"), default="auto",
                   help="ask for JSON matching the answer schema (auto: if the server accepts it)")
    p.add_argument("--temperature", type=_temperature, default=0.0,
                   help="sampling temperature (default: 0; 'none': not sent, for models that "
                   "accept no temperature)")  # fmt: skip
    p.add_argument("--max-tokens", type=int, default=None, help="response token limit")
    p.add_argument("--produced-by", default=None, help="--import-responses: how the texts were produced")
    for name in ("name", "description", "provenance", "date", "url"):
        p.add_argument(f"--{name}", default=None, help=f"--submission: system.json {name!r}")
    p.set_defaults(func=cmd_llm)


def _temperature(value: str) -> float | None:
    if value.lower() == "none":
        return None
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number or 'none' (got {value!r})") from None


def _need(args: argparse.Namespace, mode: str, *names: str) -> None:
    for name in names:
        if getattr(args, name.replace("-", "_")) is None:
            raise InputError(f"'--{name}' is required with {mode} (got nothing)")


def _texts(args: argparse.Namespace, every: bool = False) -> dict[str, str]:
    """The documents: of ``--gold``, of ``--split``, else of the test split (``every``: of
    every split)."""
    if args.gold is not None:
        from sgie.scoring.gold import read_gold

        return dict(read_gold(args.gold).texts)
    corpus = load_corpus(args.corpus or default_corpus_dir())
    if args.split is None and every:
        return {d.id: d.text for d in corpus.documents}
    return {d.id: d.text for d in corpus.split(args.split or "test")}


def _prompts_dir(args: argparse.Namespace) -> Path:
    return args.prompts or default_corpus_dir().parent / "eval" / "prompts"


def _cache_dir(args: argparse.Namespace) -> Path:
    if args.cache is not None:
        return Path(args.cache)
    env = os.environ.get("SGIE_LLM_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "sgie" / "llm"


def _write(files: dict[Path, str]) -> None:
    for path, text in files.items():
        write_text_atomic(path, text)


def cmd_llm(args: argparse.Namespace) -> int:
    from sgie.llm.cache import Cache
    from sgie.llm.client import ServiceError
    from sgie.llm.prompts import load_prompt, load_prompts
    from sgie.llm.run import RESPONSES, Job, dump_requests, import_responses, job_of, submission_files

    if args.submission is not None:
        _need(args, "--submission", "name", "description", "provenance", "date")
        job = job_of(Cache(args.submission / RESPONSES), load_prompts(_prompts_dir(args)))
        given = (args.prompt, args.model, args.base_url)
        theirs_all = (job.prompt.name, job.model, job.endpoint)
        for flag, mine, theirs in zip(("prompt", "model", "base-url"), given, theirs_all):
            if mine is not None and mine != theirs:
                raise InputError(f"'--{flag}' must be the responses' {theirs!r} (got {mine!r})",
                                 file=str(args.submission / RESPONSES))  # fmt: skip
        corpus = load_corpus(args.corpus or default_corpus_dir())
        info = {k: getattr(args, k) for k in ("name", "description", "provenance", "date", "url")}
        _write(submission_files(args.submission, job, corpus, info))
        print(f"wrote the submission files of {args.submission} ({job.prompt.name}, {job.model!r} "
              f"at {job.endpoint!r})", file=sys.stderr)  # fmt: skip
        return 0
    prompt = load_prompt(args.prompt or DEFAULT_PROMPT, _prompts_dir(args))
    if args.dump_requests is not None:
        files = dump_requests(_texts(args, every=True), prompt, args.dump_requests)
        _write(files)
        print(f"wrote {len(files)} files to {args.dump_requests} (prompt {prompt.name} "
              f"sha256 {prompt.sha256})", file=sys.stderr)  # fmt: skip
        return 0
    if args.import_responses is not None:
        _need(args, "--import-responses", "model", "base-url", "produced-by", "cache")
        job = Job(prompt, args.model, args.base_url)
        done, missing = import_responses(_texts(args, every=True), job, args.import_responses,
                                         Cache(args.cache), args.produced_by)  # fmt: skip
        print(f"imported {len(done)} responses into {args.cache}"
              + (f"; no response for {', '.join(missing)}" if missing else ""), file=sys.stderr)
        return 0
    _need(args, "--output", "model")
    try:
        return _run(args, prompt)
    except ServiceError as err:
        print(f"sgie: error: {err}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, prompt: object) -> int:
    from sgie.llm.answers import answer_schema
    from sgie.llm.cache import Cache
    from sgie.llm.client import ChatClient
    from sgie.llm.prompts import Prompt
    from sgie.llm.run import Job, collect, predictions

    assert isinstance(prompt, Prompt)
    texts = _texts(args)
    cache = Cache(_cache_dir(args))
    params: dict[str, object] = {} if args.temperature is None else {"temperature": args.temperature}
    if args.max_tokens is not None:
        params["max_tokens"] = args.max_tokens
    client = None
    endpoint = args.base_url
    if not args.offline:
        client = ChatClient(base_url=args.base_url, api_key=args.api_key, schema=answer_schema(),
                            structured=args.structured, timeout=args.timeout, retries=args.retries,
                            params=params)  # type: ignore[arg-type]  # fmt: skip
        endpoint = client.endpoint
    elif endpoint is None:
        endpoint = (os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
    entries = collect(texts, Job(prompt, args.model, endpoint), cache, client=client,
                      concurrency=args.concurrency)  # fmt: skip
    jsonl, report, parsed = predictions(texts, entries)
    responses = args.output.with_name(args.output.name.removesuffix(".jsonl") + ".responses.jsonl")
    _write({args.output: jsonl, responses: report})
    failed = sorted(d for d, p in parsed.items() if p.failed)
    problems = sum(len(p.problems) for p in parsed.values())
    print(f"wrote {len(parsed)} predictions to {args.output} ({len(failed)} unparsable"
          + (f": {', '.join(failed)}" if failed else "") + f"; {problems} problems, see {responses})",
          file=sys.stderr)  # fmt: skip
    return 0
