"""A run of an LLM extractor: responses (cached or requested), predictions, dumps, submissions.

What it does
    * ``collect(texts, job, cache, client=...)`` -- a response ``Entry`` for every document:
      from the cache (``sgie.llm.cache``) when it has one for the key (endpoint, model, prompt
      hash, document), else requested through ``client`` (``sgie.llm.client``) with at most
      ``concurrency`` requests at once and a progress bar on stderr, each response stored
      before the next step. With ``client=None`` (replay, ``--offline``) a missing response
      is an ``InputError`` naming the documents.
    * ``predictions(texts, entries)`` -- every response parsed by ``sgie.llm.answers`` into a
      prediction record (text-only spans), as JSON Lines in document-id order, plus a JSON
      Lines report of each document's cache file, parse problems and response text.
    * ``dump_requests(texts, prompt, folder)`` -- for each document the exact chat messages
      that would be sent (``<id>.<prompt>.messages.json``, with the prompt's and the document's
      SHA-256) and the same messages as plain text (``<id>.<prompt>.prompt.txt``: each message
      under a line ``=== <role> ===``), to have them answered elsewhere.
    * ``import_responses(texts, job, folder, cache, produced_by)`` -- response texts collected
      elsewhere (``<folder>/<id>.txt``, verbatim) written as cache entries for ``job``, so that
      a replay parses them exactly like API responses.
    * ``submission_files(folder, job, corpus, info)`` -- a leaderboard submission of type
      ``llm`` from its committed responses (``<folder>/responses/``, replayed offline): the
      predictions of the test, train and validation splits and ``system.json``.

What it does not do
    No argument parsing (``sgie.commands.llm``), no scoring (``sgie evaluate``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from sgie.corpus.manifest import Corpus
from sgie.errors import InputError
from sgie.llm.answers import Parsed, parse_answer
from sgie.llm.cache import Cache, Entry, Key, sha256
from sgie.llm.client import ChatClient
from sgie.llm.prompts import Prompt
from sgie.records import JSONObject

#: The prediction files of a submission, by split (``sgie.leaderboard.submissions``).
SPLIT_FILES: Mapping[str, str] = {"test": "predictions.jsonl", "train": "predictions.train.jsonl",
                                  "validation": "predictions.validation.jsonl"}  # fmt: skip
RESPONSES = "responses"


@dataclass(frozen=True)
class Job:
    """What is asked: a prompt, of a model, at an endpoint (a URL or, for responses produced
    without an API, a label such as ``ai-session``)."""

    prompt: Prompt
    model: str
    endpoint: str

    def key(self, doc_id: str, text: str) -> Key:
        return Key(self.endpoint, self.model, self.prompt.sha256, doc_id, sha256(text))


def _shown(ids: list[str]) -> str:
    return ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def collect(texts: Mapping[str, str], job: Job, cache: Cache, *, client: ChatClient | None,
            concurrency: int = 4, progress: bool = True) -> dict[str, Entry]:  # fmt: skip
    """A response entry for every document of ``texts`` (see the module docstring)."""
    entries: dict[str, Entry] = {}
    missing: list[str] = []
    for doc_id in sorted(texts):
        entry = cache.get(job.key(doc_id, texts[doc_id]))
        if entry is None:
            missing.append(doc_id)
        else:
            entries[doc_id] = entry
    if not missing:
        return entries
    if client is None:
        what = (f"model {job.model!r}, endpoint {job.endpoint!r}, prompt {job.prompt.name!r} "
                f"{job.prompt.sha256[:12]}")
        raise InputError(f"--offline needs a cached response for every document (missing for "
                         f"{_shown(missing)}: {what})", file=str(cache.folder))  # fmt: skip

    def ask(doc_id: str) -> Entry:
        completion = client.complete(job.model, job.prompt.messages_for(texts[doc_id]))
        entry = Entry(job.key(doc_id, texts[doc_id]), job.prompt.name, completion.text, "api",
                      {**client.params, "structured_output": completion.structured,
                       "finish_reason": completion.finish_reason}, completion.raw)  # fmt: skip
        cache.put(entry)
        return entry

    bar = tqdm(total=len(missing), desc=f"{job.model} ({len(entries)} cached)", unit="doc",
               file=sys.stderr, disable=not progress, leave=False)  # fmt: skip
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = {pool.submit(ask, d): d for d in missing}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for f in done:
                    entries[futures[f]] = f.result()  # re-raises a ServiceError
                    bar.update(1)
        finally:
            for f in pending:
                f.cancel()
            bar.close()
    return entries


def predictions(texts: Mapping[str, str], entries: Mapping[str, Entry]) -> tuple[str, str, dict[str, Parsed]]:
    """(predictions JSON Lines, responses report JSON Lines, parsed answers by id)."""
    lines: list[str] = []
    report: list[str] = []
    parsed: dict[str, Parsed] = {}
    for doc_id in sorted(texts):
        entry = entries[doc_id]
        p = parsed[doc_id] = parse_answer(doc_id, entry.response, texts[doc_id])
        lines.append(json.dumps(p.record, ensure_ascii=False))
        report.append(json.dumps({"id": doc_id, "cache": entry.key.filename, "failed": p.failed,
                                  "problems": list(p.problems), "response": entry.response},
                                 ensure_ascii=False))  # fmt: skip
    return "".join(x + "\n" for x in lines), "".join(x + "\n" for x in report), parsed


def prompt_text(messages: list[dict[str, str]]) -> str:
    """Chat messages as plain text: each under a line ``=== <role> ===``."""
    return "".join(f"=== {m['role']} ===\n{m['content']}\n" for m in messages)


def dump_requests(texts: Mapping[str, str], prompt: Prompt, folder: Path) -> dict[Path, str]:
    """The request files of every document (path -> text; see the module docstring)."""
    files: dict[Path, str] = {}
    for doc_id in sorted(texts):
        messages = prompt.messages_for(texts[doc_id])
        body: JSONObject = {"document": doc_id, "document_sha256": sha256(texts[doc_id]),
                            "prompt": prompt.name, "prompt_sha256": prompt.sha256,
                            "messages": messages}  # type: ignore[dict-item]  # fmt: skip
        files[folder / f"{doc_id}.{prompt.name}.messages.json"] = (
            json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        files[folder / f"{doc_id}.{prompt.name}.prompt.txt"] = prompt_text(messages)
    return files


def import_responses(texts: Mapping[str, str], job: Job, folder: Path, cache: Cache,
                     produced_by: str) -> tuple[list[str], list[str]]:  # fmt: skip
    """Write ``<folder>/<id>.txt`` of each document as a cache entry; (imported, missing) ids."""
    if not folder.is_dir():
        raise InputError(f"'--import-responses' must be a folder (got {str(folder)!r})")
    found: dict[str, str] = {}
    for doc_id in sorted(texts):
        path = folder / f"{doc_id}.txt"
        try:
            found[doc_id] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except UnicodeDecodeError as err:
            raise InputError(f"response must be UTF-8 text ({err.reason} at byte {err.start})",
                             file=str(path)) from None  # fmt: skip
    if not found:
        raise InputError(f"'--import-responses' must hold <id>.txt for documents {_shown(sorted(texts))} "
                         f"(got none)", file=str(folder))  # fmt: skip
    for doc_id, text in found.items():
        cache.put(Entry(job.key(doc_id, texts[doc_id]), job.prompt.name, text, produced_by))
    return sorted(found), sorted(set(texts) - set(found))


def job_of(cache: Cache, prompts: Mapping[str, Prompt]) -> Job:
    """The one job (prompt, model, endpoint) that every entry of ``cache`` answers; its prompt
    must be the current text of that prompt (``InputError`` otherwise)."""
    jobs = {(e.prompt, e.key.model, e.key.endpoint, e.key.prompt_sha256) for e in cache.entries()}
    if len(jobs) != 1:
        raise InputError(f"responses must all answer one prompt, model and endpoint (got {len(jobs)} "
                         f"combinations)", file=str(cache.folder))  # fmt: skip
    ((name, model, endpoint, digest),) = jobs
    if name not in prompts or prompts[name].sha256 != digest:
        raise InputError(f"responses must answer the current prompt {name!r} (got prompt sha256 "
                         f"{digest[:12]}: the prompt has changed since)", file=str(cache.folder))  # fmt: skip
    return Job(prompts[name], model, endpoint)


def submission_files(folder: Path, job: Job, corpus: Corpus, info: JSONObject) -> dict[Path, str]:
    """The files of an ``llm`` submission (see the module docstring): predictions of every
    split from ``<folder>/responses`` (offline), and ``system.json`` (checked)."""
    from sgie.leaderboard.submissions import parse_system

    system: JSONObject = {"name": info["name"], "description": info["description"], "type": "llm",
              "url": info.get("url"), "date": info["date"],
              "layers": ["entities", "proposals", "attributions"], "ranked": True,
              "provenance": info["provenance"]}  # fmt: skip
    parse_system(system, str(folder / "system.json"))
    cache = Cache(folder / RESPONSES)
    files: dict[Path, str] = {folder / "system.json": json.dumps(system, indent=2, ensure_ascii=False) + "\n"}
    for split, name in SPLIT_FILES.items():
        texts = {d.id: d.text for d in corpus.split(split)}
        entries = collect(texts, job, cache, client=None, progress=False)
        files[folder / name] = predictions(texts, entries)[0]
    return files
