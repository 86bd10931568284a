"""Label Studio faults without a real server: what `sgie studio pull` protects (regions per
annotator, layer and document), a server that dies or a download cut short during a pull, and
`sgie studio serve` with a fake label-studio that dies on its own, a Ctrl-C during start-up, a
port held by another HTTP server, and a cache folder inside the repository.

Each: one line, exit 2 (bad input) or 1 (failed service), the export file untouched, nothing
left behind (no state file with the token, no server folder but a log)."""

from __future__ import annotations

import http.server
import json
import os
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from label_studio_sdk.core.api_error import ApiError

from sgie.annotations.store import annotator_email
from sgie.cli import main
from sgie.studio import client as studio_client
from sgie.studio import server as studio_server

ROOT = Path(__file__).resolve().parents[1]
USER_IDS = {"a": 7, "b": 3, "gold": 12}
TOKEN = "t" * 40


# --------------------------------------------------------------------------------------------
# A fake SDK client serving an export
# --------------------------------------------------------------------------------------------
def committed() -> list[dict]:
    return json.loads((ROOT / "annotations" / "export.json").read_text(encoding="utf-8"))


def as_exported(tasks: list[dict]) -> bytes:
    """What the server exports for normalized ``tasks``: user ids, server ids."""
    out = []
    for n, task in enumerate(tasks):
        anns = [dict(a, completed_by=USER_IDS[a["completed_by"]], id=10 * n + k)
                for k, a in enumerate(task["annotations"])]  # fmt: skip
        out.append(dict(task, id=n + 1, annotations=anns, drafts=[]))
    return json.dumps(out).encode()


def fake_client(data: bytes, *, download: Callable[[bytes], Iterator[bytes]] | None = None,
                projects: Callable[[], object] | None = None) -> SimpleNamespace:  # fmt: skip
    """Just what pull calls; ``download`` / ``projects`` inject faults."""
    snapshot = SimpleNamespace(id=5, status="completed")
    members = [SimpleNamespace(user=SimpleNamespace(id=uid, email=annotator_email(name)))
               for name, uid in USER_IDS.items()]  # fmt: skip
    exports = SimpleNamespace(
        create=lambda *a, **k: snapshot, get=lambda *a, **k: snapshot, delete=lambda *a, **k: None,
        download=lambda *a, **k: (download or (lambda d: iter([d[: len(d) // 2], d[len(d) // 2 :]])))(data),
    )  # fmt: skip
    member_list = SimpleNamespace(list=lambda **k: SimpleNamespace(items=members))
    listing = projects or (lambda: SimpleNamespace(items=[SimpleNamespace(id=1, title="SGIE")]))
    return SimpleNamespace(
        projects=SimpleNamespace(list=lambda **k: listing(), exports=exports),
        users=SimpleNamespace(whoami=lambda: SimpleNamespace(active_organization=1)),
        organizations=SimpleNamespace(members=member_list),
    )  # fmt: skip


@pytest.fixture()
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    path.write_bytes((ROOT / "annotations" / "export.json").read_bytes())
    return path


def pull(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], client: object,
         output: Path, *extra: str) -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr(studio_client, "connect", lambda address: client)
    capsys.readouterr()
    code = main(["studio", "pull", "--url", "http://127.0.0.1:9", "--token", TOKEN,
                 "--output", str(output), *extra])  # fmt: skip
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> None:
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_an_unchanged_project_pulls_to_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], export_file: Path
) -> None:
    """The fake export of the committed tasks pulls back byte-identical (the fake is faithful)."""
    before = export_file.read_bytes()
    code, out, err = pull(monkeypatch, capsys, fake_client(as_exported(committed())), export_file)
    assert code == 0, err
    assert out.startswith("unchanged:") and export_file.read_bytes() == before


def test_pull_refuses_to_wipe_the_gold_of_a_document(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], export_file: Path
) -> None:
    """Every gold region of 002 deleted in the UI (result []): the annotation objects are all
    still there, but the regions are not -- refused, saying what would be lost; --force writes."""
    tasks = committed()
    task = next(t for t in tasks if t["data"]["doc_id"] == "002")
    gold = next(a for a in task["annotations"] if a["completed_by"] == "gold")
    layers = {r["from_name"] for r in gold["result"] if r["type"] == "labels"}
    counts = {k: sum(1 for r in gold["result"] if r.get("from_name") == k and r["type"] == "labels")
              for k in layers}  # fmt: skip
    gold["result"] = []
    before = export_file.read_bytes()
    code, out, err = pull(monkeypatch, capsys, fake_client(as_exported(tasks)), export_file)
    assert code == 2 and out == ""
    one_line(err)
    assert "the export loses regions" in err and "--force" in err
    for layer, n in counts.items():
        assert f"gold {layer} regions of 002: {n} -> 0" in err
    assert export_file.read_bytes() == before
    code, out, err = pull(monkeypatch, capsys, fake_client(as_exported(tasks)), export_file, "--force")
    assert code == 0 and "loses regions (--force)" in err
    assert export_file.read_bytes() != before


def test_pull_refuses_to_lose_one_region_and_the_whole_gold(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], export_file: Path
) -> None:
    """One entity of annotator b gone, or every gold region of every document: refused; the
    message stays one line (the first losses, then how many more)."""
    tasks = committed()
    ann = next(a for a in tasks[1]["annotations"] if a["completed_by"] == "b")
    linked = {r.get(k) for r in ann["result"] if r["type"] == "relation" for k in ("from_id", "to_id")}
    entity = next(r for r in ann["result"] if r.get("from_name") == "entity" and r["id"] not in linked)
    ann["result"] = [r for r in ann["result"] if r.get("id") != entity["id"]]
    before = export_file.read_bytes()
    code, _, err = pull(monkeypatch, capsys, fake_client(as_exported(tasks)), export_file)
    assert code == 2 and f"b entity regions of {tasks[1]['data']['doc_id']}: " in err
    tasks = committed()
    for task in tasks:
        for a in task["annotations"]:
            if a["completed_by"] == "gold":
                a["result"] = []
    code, _, err = pull(monkeypatch, capsys, fake_client(as_exported(tasks)), export_file)
    assert code == 2 and "; and 9 more); pass --force" in err
    one_line(err)
    assert export_file.read_bytes() == before


def _dies_midway(data: bytes) -> Iterator[bytes]:
    yield data[:1000]
    raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


@pytest.mark.parametrize("fault, message", [
    (dict(download=_dies_midway), "stopped answering while trying to export"),
    (dict(download=lambda d: iter([d[: len(d) // 3]])), "must be complete JSON"),
    (dict(projects=lambda: (_ for _ in ()).throw(httpx.ConnectError("Connection refused"))),
     "stopped answering"),
    (dict(projects=lambda: (_ for _ in ()).throw(ApiError(status_code=502, body="Bad Gateway"))),
     "HTTP 502"),
])  # fmt: skip
def test_a_failing_server_during_pull_is_one_line_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], export_file: Path,
    fault: dict, message: str,
) -> None:  # fmt: skip
    """The server dying mid-download, a truncated download, a refused connection, a 502:
    exit 1, one line, the export file untouched."""
    before = export_file.read_bytes()
    code, out, err = pull(monkeypatch, capsys, fake_client(as_exported(committed()), **fault), export_file)
    assert code == 1 and out == "" and message in err
    one_line(err)
    assert export_file.read_bytes() == before


def test_an_unreachable_server_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing listening on the URL: the real connect says so in one line, exit 1."""
    port = studio_server.free_port()
    code = main(["studio", "pull", "--url", f"http://127.0.0.1:{port}", "--token", TOKEN,
                 "--output", str(tmp_path / "x.json")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "must be reachable" in err
    one_line(err)
    assert not (tmp_path / "x.json").exists()


# --------------------------------------------------------------------------------------------
# `sgie studio serve` with a fake label-studio
# --------------------------------------------------------------------------------------------
FAKE = '''\
import http.server, json, os, sys, tempfile, time, threading
port = int(sys.argv[sys.argv.index("--port") + 1])
open({pidfile!r}, "w").write(str(os.getpid()))
fd, _ = tempfile.mkstemp(suffix=".json")  # what label-studio leaves after an export
os.write(fd, b"[]"); os.close(fd)
if {answer}:
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = self.headers.get("Authorization") == "Token " + os.environ["LABEL_STUDIO_USER_TOKEN"]
            body = json.dumps({{"email": os.environ["LABEL_STUDIO_USERNAME"]}}).encode()
            self.send_response(200 if self.path == "/health" or ok else 401)
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *a): pass
    srv = http.server.HTTPServer(("127.0.0.1", port), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
print("fake label-studio up", flush=True)
time.sleep({lifetime})
os._exit(3)
'''


@pytest.fixture()
def fake_studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Install a fake label-studio (returns its pid file); TMPDIR and the cache in tmp_path."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("SGIE_STUDIO_CACHE", str(tmp_path / "cache"))
    for name in ("SGIE_STUDIO_URL", "SGIE_STUDIO_TOKEN", "SGIE_STUDIO_PASSWORD"):
        monkeypatch.delenv(name, raising=False)

    def install(answer: bool = True, lifetime: float = 2.0) -> Path:
        pidfile = tmp_path / "fake.pid"
        script = tmp_path / "label-studio"
        script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(FAKE).format(
            pidfile=str(pidfile), answer=answer, lifetime=lifetime))  # fmt: skip
        script.chmod(0o755)
        monkeypatch.setattr(studio_server, "label_studio_executable", lambda: str(script))
        return pidfile

    return install


def leftovers(tmp_path: Path) -> list[str]:
    """What sgie left in TMPDIR: server folders and their files."""
    return sorted(str(p.relative_to(tmp_path / "tmp")) for p in (tmp_path / "tmp").rglob("*"))


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_server_that_dies_is_reported_with_its_pid_and_cleaned_up(
    tmp_path: Path, fake_studio: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """label-studio exits on its own: one line naming its real pid, exit 1; server.json (with
    the token) removed; only the log is left; its temporary export is gone."""
    pidfile = fake_studio(lifetime=2.0)
    code = main(["studio", "serve", "--no-template"])
    out, err = capsys.readouterr()
    pid = int(pidfile.read_text())
    assert code == 1 and f"label-studio (pid {pid}) exited on its own" in err, (out, err)
    one_line(err)
    assert f"(pid {pid})" in out
    assert not (tmp_path / "cache" / "studio" / "server.json").exists()
    left = leftovers(tmp_path)
    assert len(left) == 2 and left[1].endswith("/label-studio.log"), left  # the folder and its log


def test_ctrl_c_during_start_up_leaves_nothing(
    tmp_path: Path, fake_studio: Callable[..., Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Ctrl-C while waiting for the server to answer: the child is stopped, the sgie-studio-*
    folder (database, secret key, its temporary files) removed, no state file."""
    pidfile = fake_studio(answer=False, lifetime=60)
    calls = [0]

    def interrupted(*args: object, **kwargs: object) -> tuple[int, bytes]:
        calls[0] += 1
        if calls[0] >= 6 and pidfile.exists():
            raise KeyboardInterrupt
        return 0, b""

    monkeypatch.setattr(studio_server, "_http_status", interrupted)
    assert main(["studio", "serve", "--no-template"]) == 0
    assert "stopped Label Studio" in capsys.readouterr().out
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(pid)
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "cache" / "studio" / "server.json").exists()


def test_a_port_held_by_another_http_server_is_refused_at_once(
    tmp_path: Path, fake_studio: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--port P with another HTTP server on P: exit 2 at once, one line, nothing started."""
    pidfile = fake_studio()
    other = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        port = other.server_address[1]
        started = time.monotonic()
        code = main(["studio", "serve", "--no-template", "--port", str(port)])
        err = capsys.readouterr().err
        assert code == 2 and f"port {port} on 127.0.0.1 must be free" in err and str(port + 1) in err
        one_line(err)
        assert time.monotonic() - started < 10 and not pidfile.exists()
        assert leftovers(tmp_path) == []
    finally:
        other.shutdown()
        other.server_close()


@pytest.mark.parametrize("variable", ["SGIE_STUDIO_CACHE", "XDG_CACHE_HOME"])
def test_a_cache_inside_the_repository_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_studio: Callable[..., Path],
    variable: str,
) -> None:  # fmt: skip
    """The state file holds the API token: a cache folder inside the repository is refused
    (serve before starting, and the state helpers), nothing written there."""
    pidfile = fake_studio()
    inside = studio_server.repo_root() / ".studio-cache-test"
    monkeypatch.delenv("SGIE_STUDIO_CACHE", raising=False)
    monkeypatch.setenv(variable, str(inside))
    assert main(["studio", "serve", "--no-template"]) == 2
    err = capsys.readouterr().err
    assert "must be outside the repository" in err and "$XDG_CACHE_HOME" in err
    one_line(err)
    with pytest.raises(Exception, match="outside the repository"):
        studio_client.write_state("http://127.0.0.1:1", TOKEN, os.getpid())
    assert not inside.exists() and not pidfile.exists()


def test_the_server_gets_its_own_tmpdir(tmp_path: Path) -> None:
    """label-studio writes every export to TMPDIR: its TMPDIR is inside the server's folder,
    which stop() removes."""
    server = studio_server.StudioServer(use_template=False)
    server.root = tmp_path
    server.data_dir = tmp_path / "data"
    assert server._env()["TMPDIR"] == str(tmp_path / "tmp")
