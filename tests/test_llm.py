"""`sgie llm` against an OpenAI-compatible server started on 127.0.0.1, and from its cache."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from grounding_support import text_only_gold
from llm_server import ChatServer, Reply

from sgie.cli import main
from sgie.errors import InputError
from sgie.llm.answers import answer_schema, find_json, parse_answer
from sgie.llm.cache import Cache, Entry, Key
from sgie.llm.cache import sha256 as sha256_of
from sgie.llm.prompts import load_prompt, load_prompts

pytest.importorskip("openai")

TEXTS = {"d1": "Kyiv said Macron would \u201chelp\u201d.\nBerlin agreed.", "d2": "Nothing to see here."}
ANSWER = {"entities": [{"id": "e1", "text": "Kyiv", "label": "GPE"},
                       {"id": "e2", "text": "Macron", "label": "PERSON"}],
          "proposals": [{"id": "p1", "text": "would \"help\"", "type": "offer", "status": "offered",
                         "polarity": "positive",
                         "arguments": [{"role": "proposer", "text": "Macron", "entity_id": "e2"}]}],
          "attributions": [{"id": "a1", "cue": [{"text": "said"}], "source": [{"text": "Kyiv"}],
                            "content": [{"text": "Macron would \"help\""}], "quote_type": "indirect",
                            "source_type": "named_organisation", "parent_id": None}]}  # fmt: skip


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A documents file with two documents and a small prompts folder."""
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    gold = "".join(json.dumps({"id": d, "text": t, "entities": []}) + "\n" for d, t in TEXTS.items())
    (tmp_path / "gold.jsonl").write_text(gold, encoding="utf-8")
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "system.md").write_text("Annotate. Answer with JSON {\"entities\": []}.\n", encoding="utf-8")
    (prompts / "user.md").write_text("<document>\n{document}\n</document>\n", encoding="utf-8")
    (prompts / "example.md").write_text("An example.\n", encoding="utf-8")
    manifest = {"placeholder": "{document}", "prompts": [
        {"name": "zero-shot", "messages": [{"role": "system", "file": "system.md"},
                                           {"role": "user", "file": "user.md", "template": True}]},
        {"name": "few-shot", "messages": [{"role": "system", "file": "system.md"},
                                          {"role": "user", "file": "example.md"},
                                          {"role": "assistant", "file": "example.md"},
                                          {"role": "user", "file": "user.md", "template": True}]},
    ]}  # fmt: skip
    (prompts / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def _doc(request: dict) -> str:
    last = request["messages"][-1]["content"]
    return next(d for d, t in TEXTS.items() if t in last)


def good(request: dict, n: int) -> Reply:
    """d1: the answer in a code fence with words around it; d2: no JSON at all."""
    if _doc(request) == "d1":
        return Reply("Here you go:\n```json\n" + json.dumps(ANSWER) + "\n```\nDone.")
    return Reply("I cannot find anything.")


def run(files: Path, url: str, *extra: str) -> int:
    return main(["llm", "--model", "m", "--base-url", url, "--api-key", "k", "--gold",
                 str(files / "gold.jsonl"), "--prompts", str(files / "prompts"), "--cache",
                 str(files / "cache"), "--output", str(files / "p.jsonl"), "--retries", "2",
                 *extra])  # fmt: skip


def test_run_writes_text_only_predictions_and_records_parse_failures(files, capsys):
    """Fenced JSON with text around it is parsed; a response without JSON is a recorded
    failure with empty layers, not a stop; requests carry the exact messages and the schema."""
    with ChatServer(good) as server:
        assert run(files, server.url) == 0
    records = [json.loads(x) for x in (files / "p.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == ["d1", "d2"]
    assert records[0]["entities"] == ANSWER["entities"]
    assert records[1] == {"id": "d2", "entities": [], "proposals": [], "attributions": []}
    report = [json.loads(x) for x in (files / "p.responses.jsonl").read_text().splitlines()]
    assert [r["failed"] for r in report] == [False, True]
    body = next(r for r in server.requests if _doc(r) == "d1")
    prompt = load_prompt("zero-shot", files / "prompts")
    assert body["messages"] == prompt.messages_for(TEXTS["d1"])
    assert body["response_format"]["json_schema"]["schema"] == answer_schema()
    assert "1 unparsable: d2" in capsys.readouterr().err
    gold, predictions = str(files / "gold.jsonl"), str(files / "p.jsonl")
    assert main(["evaluate", "--gold", gold, "--predictions", predictions]) == 0


def test_rerun_costs_nothing_and_reproduces_the_file(files):
    """A second run takes every response from the cache (no request) and writes the same
    bytes, also --offline with the server gone; another model has no cached responses."""
    with ChatServer(good) as server:
        assert run(files, server.url) == 0
        first = (files / "p.jsonl").read_bytes()
        n = len(server.requests)
        assert run(files, server.url) == 0
        assert len(server.requests) == n == 2
    assert (files / "p.jsonl").read_bytes() == first
    assert run(files, server.url, "--offline") == 0  # the server is gone: replayed from the cache
    assert (files / "p.jsonl").read_bytes() == first
    assert main(["llm", "--model", "other", "--base-url", "http://x/v1", "--gold", str(files / "gold.jsonl"),
                 "--prompts", str(files / "prompts"), "--cache", str(files / "cache"), "--offline",
                 "--output", str(files / "q.jsonl")]) == 2  # fmt: skip
    assert not (files / "q.jsonl").exists()


def test_offline_with_missing_response_is_exit_2(files, capsys):
    """--offline with a response missing: one line naming the documents, exit 2, nothing written."""
    code = main(["llm", "--model", "m", "--base-url", "http://x/v1", "--gold", str(files / "gold.jsonl"),
                 "--prompts", str(files / "prompts"), "--cache", str(files / "cache"), "--offline",
                 "--output", str(files / "p.jsonl")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "missing for d1, d2" in err
    assert not (files / "p.jsonl").exists()


def test_bad_key_is_one_line_and_exit_1(files, capsys):
    """A 401 from the server: one line on stderr, exit status 1, nothing written."""
    with ChatServer(lambda r, n: Reply(status=401, error="Incorrect API key provided")) as server:
        assert run(files, server.url) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the API key" in err and "401" in err
    assert not (files / "p.jsonl").exists()


def test_unreachable_endpoint_is_one_line_and_exit_1(files, capsys):
    """No server listening: one line naming the endpoint, exit status 1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run(files, f"http://127.0.0.1:{port}/v1", "--retries", "0") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"cannot reach http://127.0.0.1:{port}/v1" in err


def test_server_errors_and_slow_responses_are_retried(files):
    """A 500 and then a response slower than the time-out are retried with back-off."""

    def flaky(request: dict, n: int) -> Reply:
        if n == 1:
            return Reply(status=500, error="overloaded")
        if n == 2:
            return Reply(json.dumps(ANSWER), delay=1.5)
        return good(request, n)

    with ChatServer(flaky) as server:
        assert run(files, server.url, "--concurrency", "1", "--timeout", "0.5") == 0
        assert len(server.requests) >= 4  # 2 documents + the failed attempts
    assert json.loads((files / "p.jsonl").read_text().splitlines()[0])["entities"] == ANSWER["entities"]


def test_structured_output_falls_back_when_the_server_rejects_it(files):
    """A server that rejects response_format gets the request again without it, and no later
    request asks for it."""

    def plain(request: dict, n: int) -> Reply:
        if "response_format" in request:
            return Reply(status=400, error="response_format json_schema is not supported")
        return good(request, n)

    with ChatServer(plain) as server:
        assert run(files, server.url, "--concurrency", "1") == 0
    asked = ["response_format" in r for r in server.requests]
    assert asked[0] and asked[1:] == [False] * (len(asked) - 1)
    entry = json.loads(next((files / "cache").glob("d1.*.json")).read_text())
    assert entry["request"]["structured_output"] is False and entry["produced_by"] == "api"


# --------------------------------------------------------------------------------------------
# Parser, prompts, cache
# --------------------------------------------------------------------------------------------
def test_find_json_tolerates_fences_and_text_around():
    """The answer object is found in a fence, after prose, or as the whole text."""
    assert find_json('{"entities": []}') == {"entities": []}
    assert find_json('Sure.\n```json\n{"entities": [1]}\n```') == {"entities": [1]}
    assert find_json('The answer is {"x": 1} and {"entities": [2]} ok') == {"entities": [2]}
    assert find_json("no braces") is None


def test_parse_answer_repairs_and_drops_with_problems():
    """Bad items are dropped or repaired one by one, each with a problem; the record passes
    the scorer's validator."""
    text = "Kyiv said Macron would help."
    answer = {"entities": [{"id": "e1", "text": "Kyiv", "label": "GPE"},
                           {"id": "e1", "text": "Macron", "label": "PERSON"},
                           {"id": "e3", "text": "Paris", "label": "COUNTRY"}],
              "proposals": [{"id": "p1", "text": "would help", "type": "offer", "status": "offered",
                             "polarity": "positive",
                             "arguments": [{"role": "proposer", "text": "Macron", "entity_id": "e9"},
                                           {"role": "boss", "text": "Kyiv", "entity_id": None}]}],
              "attributions": [{"id": "a1", "cue": [{"text": "said", "start": 5, "end": 9}],
                                "source": [], "content": [{"text": "Macron would help"}],
                                "quote_type": "indirect", "source_type": "none",
                                "parent_id": "a1"}]}  # fmt: skip
    parsed = parse_answer("d", json.dumps(answer), text)
    r = parsed.record
    assert [e["id"] for e in r["entities"]] == ["e1", "e1~2"]
    assert r["proposals"][0]["arguments"] == [{"role": "proposer", "text": "Macron", "entity_id": None}]
    assert r["attributions"][0]["parent_id"] is None and r["attributions"][0]["cue"] == [{"text": "said"}]
    assert len(parsed.problems) == 6 and not parsed.failed
    assert any("entities[2] dropped: 'entities[2].label' must be one of" in p for p in parsed.problems)
    missing = parse_answer("d", '{"entities": []}', text)
    assert missing.record["proposals"] == [] and len(missing.problems) == 2


def test_prompts_render_exact_messages_and_hash_the_files(files):
    """The template's placeholder is replaced verbatim (braces elsewhere untouched); the hash
    changes with any file."""
    prompts = load_prompts(files / "prompts")
    few = prompts["few-shot"]
    assert [m["role"] for m in few.messages_for("T")] == ["system", "user", "assistant", "user"]
    assert few.messages_for("a {b}")[-1]["content"] == "<document>\na {b}\n</document>\n"
    assert few.messages_for("x")[0]["content"] == 'Annotate. Answer with JSON {"entities": []}.\n'
    before = prompts["zero-shot"].sha256
    (files / "prompts" / "system.md").write_text("Other.\n", encoding="utf-8")
    assert load_prompts(files / "prompts")["zero-shot"].sha256 != before


@pytest.mark.parametrize("change, message", [
    (lambda m: m["prompts"][0]["messages"][1].pop("template"), "exactly one template message"),
    (lambda m: m["prompts"][0]["messages"][0].update(file="../x.md"), "a path inside the prompts folder"),
    (lambda m: m["prompts"][0]["messages"][0].update(role="tool"), "'prompts[0].messages[0].role' must be"),
    (lambda m: m.update(placeholder="{text}"), "must contain the placeholder '{text}'"),
])  # fmt: skip
def test_bad_manifest_is_one_line(files, change, message):
    """A malformed manifest names the field and what was expected."""
    path = files / "prompts" / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))
    with pytest.raises(InputError, match=re.escape(message)):
        load_prompts(files / "prompts")


def test_unknown_prompt_name_is_exit_2(files, capsys):
    """--prompt must name a prompt of the manifest."""
    assert main(["llm", "--dump-requests", str(files / "d"), "--prompt", "one-shot", "--gold",
                 str(files / "gold.jsonl"), "--prompts", str(files / "prompts")]) == 2  # fmt: skip
    assert "'--prompt' must be one of ['few-shot', 'zero-shot'] (got 'one-shot')" in capsys.readouterr().err


def test_cache_entries_round_trip_and_are_checked(tmp_path):
    """An entry reads back equal; an entry edited to answer another key is refused."""
    cache = Cache(tmp_path)
    key = Key("http://x/v1", "m", "0" * 64, "000", "1" * 64)
    entry = Entry(key, "zero-shot", "text", "api", {"temperature": 0.0}, {"id": "r"})
    path = cache.put(entry)
    assert cache.get(key) == entry and path.name == key.filename
    assert cache.get(Key("http://y/v1", "m", "0" * 64, "000", "1" * 64)) is None
    value = json.loads(path.read_text())
    value["model"] = "n"
    path.write_text(json.dumps(value))
    with pytest.raises(InputError, match="must answer the key of its name"):
        cache.get(key)
    path.write_text("{")
    with pytest.raises(InputError, match="cache entry must be JSON"):
        cache.get(key)


# --------------------------------------------------------------------------------------------
# Responses produced without an API: dump, import, replay, submission
# --------------------------------------------------------------------------------------------
def test_dump_import_and_submission_replay_the_same_parser(tmp_path, capsys):
    """The dumped messages are exactly what would be sent; response texts imported into a
    submission's responses/ replay offline (same parser as a live run) into a valid `llm`
    submission; the gold given as answers scores 100 strict."""
    from sgie.annotations.gold import load_gold
    from sgie.annotations.store import gold_documents
    from sgie.corpus.manifest import default_corpus_dir, load_corpus
    from sgie.leaderboard.submissions import load_submissions
    from sgie.scoring import evaluate
    from sgie.scoring.predictions import read_predictions

    corpus = load_corpus(default_corpus_dir())
    texts = {d.id: d.text for d in corpus.documents}
    assert main(["llm", "--dump-requests", str(tmp_path / "req"), "--prompt", "few-shot"]) == 0
    prompt = load_prompt("few-shot", default_corpus_dir().parent / "eval" / "prompts")
    for doc_id, text in texts.items():
        dumped = json.loads((tmp_path / "req" / f"{doc_id}.few-shot.messages.json").read_text())
        assert dumped["messages"] == prompt.messages_for(text) and dumped["prompt_sha256"] == prompt.sha256
        assert (tmp_path / "req" / f"{doc_id}.few-shot.prompt.txt").read_text().startswith("=== system ===\n")

    (tmp_path / "answers").mkdir()
    for doc_id, doc in gold_documents(corpus=corpus).items():
        answer = {k: v for k, v in text_only_gold(doc).items() if k != "id"}
        text = "```json\n" + json.dumps(answer, ensure_ascii=False) + "\n```\n"
        (tmp_path / "answers" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    sub = tmp_path / "subs" / "llm-test"
    job = ["--model", "test-model", "--base-url", "ai-session", "--prompt", "few-shot"]
    assert main(["llm", "--import-responses", str(tmp_path / "answers"), *job, "--produced-by",
                 "a test", "--cache", str(sub / "responses")]) == 0  # fmt: skip
    assert len(list((sub / "responses").glob("*.json"))) == len(texts)
    info = ["--name", "Test LLM", "--description", "Gold as answers.", "--provenance", "A test.",
            "--date", "2026-12-03"]  # fmt: skip
    assert main(["llm", "--submission", str(sub), *job, *info]) == 0
    gold = load_gold("test")
    split_texts = {s: {d.id: d.text for d in corpus.split(s)} for s in ("train", "validation")}
    (loaded,) = load_submissions(tmp_path / "subs", gold, split_texts)
    assert loaded.info.type == "llm" and loaded.info.layers == ("entities", "proposals", "attributions")
    preds = read_predictions(sub / "predictions.jsonl", gold.texts)
    result = evaluate(gold.docs, preds.docs, gold.texts, ungrounded=preds.ungrounded).to_json()
    assert result["entities"]["strict"]["f1"] == 1.0  # type: ignore[index]
    replay = tmp_path / "replay.jsonl"
    assert main(["llm", *job, "--cache", str(sub / "responses"), "--offline", "--output", str(replay)]) == 0
    assert replay.read_bytes() == (sub / "predictions.jsonl").read_bytes()


def _llm_submissions() -> list[Path]:
    root = Path(__file__).resolve().parents[1] / "eval" / "submissions"
    return sorted(p for p in root.iterdir() if (p / "responses").is_dir())


@pytest.mark.parametrize("folder", _llm_submissions(), ids=lambda p: p.name)
def test_committed_llm_submissions_replay_from_their_responses(folder):
    """Each committed submission with responses/ is exactly what `sgie llm --submission`
    makes of them now: the same parser, the current prompt, every split."""
    from sgie.corpus.manifest import default_corpus_dir, load_corpus
    from sgie.llm.run import RESPONSES, job_of, submission_files

    info = json.loads((folder / "system.json").read_text(encoding="utf-8"))
    assert info["type"] == "llm"
    prompts = load_prompts(default_corpus_dir().parent / "eval" / "prompts")
    job = job_of(Cache(folder / RESPONSES), prompts)
    files = submission_files(folder, job, load_corpus(default_corpus_dir()), info)
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run sgie llm --submission"


def test_submission_takes_prompt_model_and_endpoint_from_the_responses(tmp_path, capsys):
    """--submission needs no --model/--base-url/--prompt; one that contradicts the responses
    is refused; responses of an old prompt text are refused."""
    from sgie.corpus.manifest import default_corpus_dir, load_corpus

    corpus = load_corpus(default_corpus_dir())
    prompt = load_prompt("zero-shot", default_corpus_dir().parent / "eval" / "prompts")
    cache = Cache(tmp_path / "sub" / "responses")
    for d in corpus.documents:
        key = Key("ai-session", "fam", prompt.sha256, d.id, sha256_of(d.text))
        cache.put(Entry(key, "zero-shot", '{"entities": []}', "a test"))
    info = ["--name", "N", "--description", "D.", "--provenance", "P.", "--date", "2026-12-03"]
    assert main(["llm", "--submission", str(tmp_path / "sub"), *info]) == 0
    assert json.loads((tmp_path / "sub" / "predictions.jsonl").read_text().splitlines()[0])["entities"] == []
    assert main(["llm", "--submission", str(tmp_path / "sub"), "--model", "other", *info]) == 2
    assert "'--model' must be the responses' 'fam' (got 'other')" in capsys.readouterr().err
    stale = Entry(Key("ai-session", "fam", "0" * 64, "000", "1" * 64), "zero-shot", "{}", "a test")
    cache.put(stale)
    assert main(["llm", "--submission", str(tmp_path / "sub"), *info]) == 2
    assert "must all answer one prompt, model and endpoint (got 2" in capsys.readouterr().err


def test_temperature_none_is_not_sent(files):
    """--temperature none leaves the parameter out (models that refuse it); the default is 0."""
    with ChatServer(good) as server:
        assert run(files, server.url, "--temperature", "none") == 0
        assert all("temperature" not in r for r in server.requests)
    with ChatServer(good) as server:
        assert run(files, server.url, "--cache", str(files / "other-cache")) == 0
        assert all(r["temperature"] == 0 for r in server.requests)
