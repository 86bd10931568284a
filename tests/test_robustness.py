"""Hostile input to every reader (issue 14, "Robustness"): each case is one line, exit status
2, no traceback and nothing written -- deep nesting, huge integers, lone surrogates, FIFOs,
pipes and ``/dev/stdin``, non-UTF-8 file names, a file as ``--corpus``, huge values quoted in
messages, extractors that print, and ``--output`` naming an input."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sgie import safeio
from sgie.cli import main
from sgie.errors import QUOTE_LIMIT, InputError, quote

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "sample_gold.jsonl"
PREDICTIONS = ROOT / "eval" / "sample_predictions.jsonl"
DEEP = "[" * 10_000 + "]" * 10_000
HUGE_INT = "9" * 5_000
SRC = str(ROOT / "src")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the sha256 of its bytes, but Python's bytecode cache
    (``__pycache__``: the interpreter writes it when ``--extractor`` imports a module from
    the folder, unless ``PYTHONDONTWRITEBYTECODE`` is set; sgie writes none)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.relative_to(folder).parts}  # fmt: skip


def fails(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str, says: str = "") -> str:
    """Run ``sgie argv``: status 2, one line on stderr, no traceback, nothing written to
    ``folder``, nothing on stdout but ``says``; returns the line."""
    before = snapshot(folder)
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status == 2, err
    assert out == says
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip() and "extracting:" not in line]
    assert len(lines) == 1 and lines[0].startswith("sgie: error: "), err[:500]
    assert snapshot(folder) == before
    return lines[0]


def scores(out: str) -> dict[str, object]:
    """A --json result without the names of its input files."""
    return {k: v for k, v in json.loads(out).items() if k not in ("gold", "predictions")}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- 10,000-level nesting and integers of thousands of digits --------------------------------


@pytest.mark.parametrize("value", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_predictions_deep_or_huge(tmp_path, capsys, value):
    """A predictions line nested 10,000 deep, or with a 5,000-digit integer, is one line."""
    p = write(tmp_path / "P.jsonl", f'{{"id": "000", "entities": {value}}}\n')
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(p))
    expected = ("must nest arrays and objects at most 512 levels deep (got 10001 levels)"
                if value == DEEP else "integers must have at most 4300 digits (got one of 5000)")  # fmt: skip
    assert err == f"sgie: error: {'line ' if value == DEEP else ''}{expected} in {p} line 1"


@pytest.mark.parametrize("value", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_gold_deep_or_huge(tmp_path, capsys, value):
    """A gold line nested 10,000 deep, or with a 5,000-digit offset, is one line."""
    entity = f'[{{"id": "e", "start": {value}, "end": 2, "text": "US", "label": "GPE"}}]'
    g = write(tmp_path / "G.jsonl", f'{{"id": "000", "text": "US", "entities": '
                                    f'{DEEP if value == DEEP else entity}}}\n')  # fmt: skip
    p = write(tmp_path / "P.jsonl", '{"id": "000", "entities": []}\n')
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(g), "--predictions", str(p))
    assert err.endswith(f"in {g} line 1")
    assert "512 levels deep" in err if value == DEEP else "at most 4300 digits" in err


@pytest.mark.parametrize("value", [DEEP, HUGE_INT], ids=["deep", "huge-int"])
def test_system_json_deep_or_huge(tmp_path, capsys, value):
    """A submission's system.json nested 10,000 deep or with a huge integer is one line."""
    sub = tmp_path / "subs" / "x"
    shutil.copytree(ROOT / "eval" / "submissions" / "rules", sub)
    write(sub / "system.json", f'{{"name": {value}}}')
    summary = f"0 valid submission(s) in {sub.parent}; 1 problem(s)\n"  # --validate's count, on stdout
    err = fails(capsys, tmp_path, "leaderboard", "--validate", "--submissions", str(sub.parent), says=summary)
    assert err.endswith(f"in {sub / 'system.json'}")
    assert ("file must nest arrays and objects at most 512 levels deep" in err if value == DEEP
            else "integers must have at most 4300 digits" in err)  # fmt: skip


@pytest.mark.parametrize("command", [
    ["annotations", "summary", "--annotations"],
    ["agreement", "--annotations"],
    ["build", "--out", "{out}", "--annotations"],
])  # fmt: skip
def test_export_deep(tmp_path, capsys, command):
    """An annotations export nested 10,000 deep is one line for every command reading it."""
    folder = tmp_path / "annotations"
    folder.mkdir()
    write(folder / "export.json", DEEP)
    argv = [a.format(out=tmp_path / "out") for a in command]
    says = f"building the SGIE dataset from {ROOT} into {tmp_path / 'out'}\n" if "build" in argv else ""
    err = fails(capsys, tmp_path, *argv, str(folder), says=says)
    assert err == (f"sgie: error: file must nest arrays and objects at most 512 levels deep "
                   f"(got 10000 levels) in {folder / 'export.json'}")  # fmt: skip


def test_export_huge_integer(tmp_path, capsys):
    """A task id of 5,000 digits in the export is one line."""
    folder = tmp_path / "annotations"
    folder.mkdir()
    write(folder / "export.json", f'[{{"id": {HUGE_INT}}}]')
    err = fails(capsys, tmp_path, "annotations", "summary", "--annotations", str(folder))
    assert "integers must have at most 4300 digits (got one of 5000)" in err


def test_corpus_files_deep(tmp_path, capsys, corpus_copy):
    """A corpus manifest line or similarity.json nested 10,000 deep: one line naming the file."""
    similarity = corpus_copy / "similarity.json"
    similarity.write_text(DEEP, encoding="utf-8")
    err = fails(capsys, corpus_copy, "corpus", "check", "--corpus", str(corpus_copy))
    assert err == (f"sgie: error: file must nest arrays and objects at most 512 levels deep "
                   f"(got 10000 levels) in {similarity}")  # fmt: skip
    manifest = corpus_copy / "documents.jsonl"
    manifest.write_text(DEEP + "\n", encoding="utf-8")
    err = fails(capsys, corpus_copy, "corpus", "check", "--corpus", str(corpus_copy))
    assert err.endswith(f"512 levels deep (got 10000 levels) in {manifest} line 1")


def test_studio_push_predictions_deep(tmp_path, capsys, monkeypatch):
    """`sgie studio push --predictions` with a 10,000-deep line: one line, the server untouched."""
    import sgie.studio.client as client

    contacted: list[str] = []
    monkeypatch.setattr(client, "resolve_server", lambda url, token: (url, token))
    monkeypatch.setattr(client, "connect", lambda server: contacted.append("connect") or object())
    p = write(tmp_path / "P.jsonl", f'{{"id": "000", "entities": {DEEP}}}\n')
    err = fails(capsys, tmp_path, "studio", "push", "--predictions", str(p))
    assert err.endswith(f"512 levels deep (got 10001 levels) in {p} line 1")


def test_numbers_beyond_float_are_refused(tmp_path, capsys):
    """1e999 (infinity once decoded) is refused like NaN."""
    p = write(tmp_path / "P.jsonl", '{"id": "000", "entities": [], "x": 1e999}\n')
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(p))
    assert err == f"sgie: error: line must hold finite numbers (got '1e999') in {p} line 1"


# --- lone surrogates ---------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    '{"id": "\\ud800", "entities": []}',
    '{"id": "000", "entities": [{"id": "x", "text": "\\udc00abc", "label": "GPE"}]}',
])  # fmt: skip
def test_lone_surrogate_in_predictions_with_json(tmp_path, capsys, line):
    """A lone surrogate (escaped) in a prediction is refused before any --json output."""
    p = write(tmp_path / "P.jsonl", line + "\n")
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(p), "--json")
    assert "strings must be Unicode text (got a lone surrogate" in err and err.endswith(f"{p} line 1")


def test_escaped_surrogate_pair_is_fine():
    """A proper surrogate pair escape is one character, not an error."""
    assert safeio.loads('{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}


def test_lone_surrogate_from_an_extractor(tmp_path, capsys, monkeypatch):
    """An extractor returning a lone surrogate: one line naming it and the document."""
    write(tmp_path / "surrogate_extractor.py",
          'def run(doc_id, text):\n    return {"entities": [{"id": "\\ud800", "text": "US", '
          '"label": "GPE"}]}\n')  # fmt: skip
    monkeypatch.chdir(tmp_path)
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--extractor",
                "surrogate_extractor:run", "--output", str(tmp_path / "out.jsonl"), "--json")  # fmt: skip
    assert err == ("sgie: error: strings must be Unicode text (got a lone surrogate '\\ud800' in "
                   "'\\ud800') in output of surrogate_extractor:run for document '000'")  # fmt: skip


def test_extractor_too_deep(tmp_path, capsys, monkeypatch):
    """An extractor returning a structure too deep to serialise: one line."""
    write(tmp_path / "deep_extractor.py",
          "def run(doc_id, text):\n    x = []\n    for _ in range(100_000):\n        x = [x]\n"
          "    return {'entities': x}\n")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--extractor", "deep_extractor:run",
                "--output", str(tmp_path / "out.jsonl"))  # fmt: skip
    assert "record must nest at most 512 levels deep" in err


def test_extractor_printing_keeps_json_clean(tmp_path):
    """What an extractor prints (print and file descriptor 1) goes to stderr; stdout is JSON."""
    write(tmp_path / "chatty_extractor.py",
          "import os\nprint('imported')\n"
          "def run(doc_id, text):\n    print('hello', doc_id)\n    os.write(1, b'raw\\n')\n"
          "    return {'entities': []}\n")  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "sgie.cli", "evaluate", "--gold", str(GOLD), "--extractor",
         "chatty_extractor:run", "--output", "out.jsonl", "--json"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["gold"] == str(GOLD)
    assert "imported" in proc.stderr and "hello 000" in proc.stderr and "raw" in proc.stderr


# --- FIFOs, pipes, /dev/stdin, devices --------------------------------------------------------


def test_fifo_without_writer_is_refused(tmp_path, capsys, monkeypatch):
    """A named FIFO nobody writes to is refused after FIFO_WAIT seconds, not waited on forever."""
    monkeypatch.setattr(safeio, "FIFO_WAIT", 0.2)
    fifo = tmp_path / "P.jsonl"
    os.mkfifo(fifo)
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(fifo))
    assert err == ("sgie: error: file must be a regular file or a FIFO that is written to "
                   f"(got a FIFO with no data within 0.2 s) in {fifo}")  # fmt: skip


def test_fifo_with_writer_is_read_as_a_stream(tmp_path, capsys):
    """A named FIFO with a writer is read to its end, like the file it carries."""
    fifo = tmp_path / "P.jsonl"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(PREDICTIONS.read_bytes()))
    writer.start()
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(fifo), "--json"]) == 0
    writer.join()
    from_fifo = scores(capsys.readouterr().out)
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--json"]) == 0
    assert from_fifo == scores(capsys.readouterr().out)


def sgie(tmp_path: Path, *argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sgie.cli", *argv], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120,
                          **kwargs)  # fmt: skip


def test_stdin_and_pipes_are_read_as_streams(tmp_path):
    """`--predictions /dev/stdin` (a pipe) and a `<(...)`-style /dev/fd path are read."""
    reference = sgie(tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(PREDICTIONS), "--json")
    assert reference.returncode == 0
    piped = sgie(tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", "/dev/stdin", "--json",
                 input=PREDICTIONS.read_text(encoding="utf-8"))  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert scores(piped.stdout) == scores(reference.stdout)
    read, written = os.pipe()
    os.write(written, GOLD.read_bytes())  # fits in the pipe's buffer
    os.close(written)
    try:
        substituted = sgie(tmp_path, "evaluate", "--gold", f"/dev/fd/{read}", "--predictions",
                           str(PREDICTIONS), "--json", pass_fds=(read,))  # fmt: skip
    finally:
        os.close(read)
    assert substituted.returncode == 0, substituted.stderr
    assert scores(substituted.stdout) == scores(reference.stdout)


def test_device_is_refused(tmp_path, capsys):
    """A character device (/dev/null; a terminal as /dev/stdin) is refused in one line."""
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", "/dev/null")
    assert err == "sgie: error: file must be a regular file or a pipe (got a character device) in /dev/null"


def test_directory_and_unreadable_file(tmp_path, capsys):
    """A folder, or a file without read permission, is one line."""
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(tmp_path))
    assert err == f"sgie: error: file must be a file (got a directory) in {tmp_path}"
    if os.geteuid() != 0:  # root reads anything
        p = write(tmp_path / "P.jsonl", PREDICTIONS.read_text(encoding="utf-8"))
        p.chmod(0)
        err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(p))
        assert err == f"sgie: error: file must be readable (got permission denied) in {p}"


# --- names and quoting ---------------------------------------------------------------------------


def test_non_utf8_file_name(tmp_path, capsys):
    """A file name that is not UTF-8 is shown escaped in messages and in --json output."""
    name = os.fsdecode(b"P\xff.jsonl")
    shutil.copy(PREDICTIONS, tmp_path / name)
    assert main(["evaluate", "--gold", str(GOLD), "--predictions", str(tmp_path / name), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["predictions"] == f"{tmp_path}/P\\xff.jsonl"
    write(tmp_path / name, "not json\n")
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(tmp_path / name))
    assert err.endswith(f"in {tmp_path}/P\\xff.jsonl line 1")


def test_corpus_naming_a_file(tmp_path, capsys):
    """`--corpus FILE` is one line, for evaluate and for corpus check."""
    f = write(tmp_path / "corpus.txt", "x")
    expected = f"sgie: error: corpus must be a folder holding documents.jsonl (got a file: {str(f)!r})"
    assert fails(capsys, tmp_path, "evaluate", "--predictions", str(PREDICTIONS),
                 "--corpus", str(f)) == expected  # fmt: skip
    assert fails(capsys, tmp_path, "corpus", "check", "--corpus", str(f)) == expected


def test_huge_id_is_quoted_short(tmp_path, capsys):
    """A 20 MB id gives an error line of ordinary length that still shows its ends."""
    p = write(tmp_path / "P.jsonl", '{"id": "' + "a" * 20_000_000 + 'z", "entities": []}\n')
    err = fails(capsys, tmp_path, "evaluate", "--gold", str(GOLD), "--predictions", str(p))
    assert len(err) < 200 + len(str(p))
    assert err.startswith("sgie: error: 'id' must be a known document id ['000', '004'] (got 'aaa")
    assert err.endswith(f"aaz' (20000001 characters)) in {p} line 1")


@pytest.mark.parametrize("value", [
    "x" * 10**6, ["y" * 1000] * 1000, {"k" * 500: ["v"] * 500}, 10**5000, b"\xff" * 500, "\ud800" * 300,
], ids=["str", "list", "dict", "int", "bytes", "surrogates"])  # fmt: skip
def test_quote_is_short(value):
    """quote() never gives more than about QUOTE_LIMIT characters, and short values are repr()."""
    assert len(quote(value)) <= QUOTE_LIMIT + 30
    assert quote("abc") == "'abc'" and quote(["a", 1]) == "['a', 1]"


def test_input_error_caps_its_message():
    """The last resort: an InputError message built without quote() still stays short."""
    err = InputError("'x' must be short (got '" + "q" * 10**6 + "')", file="f.jsonl", line=3)
    assert len(str(err)) < 1100 and str(err).endswith("q') in f.jsonl line 3")


# --- outputs ---------------------------------------------------------------------------------------


def test_output_must_not_be_an_input(tmp_path, capsys, monkeypatch):
    """`--output` naming the gold file (directly, by another path or by a link) is refused."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    gold = tmp_path / "G.jsonl"
    shutil.copy(GOLD, gold)
    (tmp_path / "link.jsonl").symlink_to(gold)
    for output in (gold, tmp_path / "sub" / ".." / "G.jsonl", tmp_path / "link.jsonl"):
        err = fails(capsys, tmp_path, "evaluate", "--gold", str(gold), "--extractor",
                    "example_extractor:extract", "--output", str(output))  # fmt: skip
        assert err == (f"sgie: error: '--output' must not be an input file (got {str(output)!r}, "
                       f"which is {str(gold)!r})")  # fmt: skip


def test_output_must_not_be_a_corpus_file(tmp_path, capsys, monkeypatch, corpus_copy):
    """With --split, the corpus files are inputs too."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    target = corpus_copy / "documents.jsonl"
    err = fails(capsys, corpus_copy, "evaluate", "--split", "test", "--corpus", str(corpus_copy),
                "--extractor", "example_extractor:extract", "--output", str(target))  # fmt: skip
    assert "'--output' must not be an input file" in err


def test_leaderboard_output_must_not_hold_an_input(tmp_path, capsys):
    """`sgie leaderboard --output DIR` is refused when a file it would write is an input."""
    shutil.copytree(ROOT / "eval" / "submissions" / "rules", tmp_path / "subs" / "rules")
    out = tmp_path / "out"
    out.mkdir()
    gold = out / "LEADERBOARD.md"
    shutil.copy(GOLD, gold)
    err = fails(capsys, tmp_path, "leaderboard", "--submissions", str(tmp_path / "subs"), "--gold", str(gold),
                "--output", str(out), "--resamples", "10")  # fmt: skip
    assert err == (f"sgie: error: '--output' must not be an input file (got {str(gold)!r}, "
                   f"which is {str(gold)!r})")  # fmt: skip
