"""Start and stop a local, isolated Label Studio server (``sgie studio serve``, the tests).

What it does
    ``StudioServer`` is a context manager around one ``label-studio start`` process:

    * bound to 127.0.0.1 only (``--internal-host``; ``--host`` would only set the public URL),
      on a port chosen free and then verified: Label Studio silently moves to PORT+1 when PORT
      is busy, so after ``/health`` answers the server must also accept *this* server's own
      random token (``whoami`` returns its admin), else it is stopped and another port tried;
    * its data dir (``LABEL_STUDIO_BASE_DATA_DIR``), ``HOME`` and log in a temporary folder
      outside the repository (removed on stop), or a persistent ``data_dir`` the caller names
      (refused when inside the repository); the environment is built from scratch, so no
      ``LABEL_STUDIO_*`` / ``USERNAME`` / ``PORT`` variables of the caller leak in;
    * an admin user and API token created non-interactively (``LABEL_STUDIO_USERNAME`` /
      ``_PASSWORD`` / ``_USER_TOKEN``, legacy tokens enabled so the SDK's token works); the
      token comes from the caller (``SGIE_STUDIO_TOKEN`` in the CLI) or is generated; a
      persistent data dir keeps its credentials in ``<data_dir>/.sgie-credentials.json``;
    * no outbound calls: version check, Sentry and analytics (which otherwise posts every API
      request to a telemetry host) are switched off, and as a safety net the process gets
      ``HTTP(S)_PROXY`` pointing at a closed local port with ``NO_PROXY`` for loopback, so any
      remaining HTTP call from the server fails at once instead of leaving the machine;
    * start-up reuses a pre-migrated data dir template (``label-studio user`` run once on an
      empty data dir, cached under ``~/.cache/sgie/label-studio-template/<version>``, or
      ``$SGIE_STUDIO_CACHE``): a fresh server then answers in about 3-5 s instead of ~30 s;
    * stopped by its own PID only: SIGTERM, then SIGKILL after ``stop_timeout``. On Linux the
      child also gets SIGTERM if the process that started it dies (``PR_SET_PDEATHSIG``);
    * nothing left behind: the server's ``TMPDIR`` (where it writes every export, ``tmp*.json``)
      is inside the temporary folder, which is removed on stop and on a start interrupted by
      Ctrl-C; a start that fails, or a server that dies, leaves only its log there. A requested
      port that is already in use is refused before starting (label-studio would move to
      PORT+1 silently). The cache folder is refused inside the repository.

What it does not do
    No projects, tasks or exports (``sgie.studio.push`` / ``pull``); no discovery of a server
    started elsewhere (``sgie.studio.client``).

Inputs / outputs
    ``StudioServer(port=None, data_dir=None, token=None, password=None)`` -> ``.url``,
    ``.token``, ``.username``, ``.password``, ``.pid``, ``.log_path``.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.metadata
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from sgie.corpus.manifest import default_corpus_dir
from sgie.errors import InputError, MissingExtra, ServiceError

ADMIN_EMAIL = "admin@sgie.invalid"
HOST = "127.0.0.1"
TEMPLATE_MARKER = ".sgie-template"
CREDENTIALS_FILE = ".sgie-credentials.json"
DATABASE_FILE = "label_studio.sqlite3"
#: A loopback port nothing listens on: proxied outbound HTTP fails at once, locally.
_DEAD_PROXY = "http://127.0.0.1:9"


# --------------------------------------------------------------------------------------------
# Installation, paths, credentials
# --------------------------------------------------------------------------------------------
def label_studio_executable() -> str | None:
    """The ``label-studio`` script of this interpreter's environment (else on PATH), or None."""
    here = Path(sys.executable).parent / "label-studio"
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which("label-studio")


def label_studio_version() -> str | None:
    """The installed ``label-studio`` version (read from metadata: ``label-studio --version``
    would start a server on 0.0.0.0:8080)."""
    try:
        return importlib.metadata.version("label-studio")
    except importlib.metadata.PackageNotFoundError:
        return None


def is_installed() -> bool:
    return label_studio_version() is not None and label_studio_executable() is not None


def require_installed() -> str:
    exe = label_studio_executable()
    if label_studio_version() is None or exe is None:
        raise MissingExtra("studio", "the Label Studio server 'label-studio'")
    return exe


CACHE_ENV = "SGIE_STUDIO_CACHE"


def cache_root() -> Path:
    """``$SGIE_STUDIO_CACHE``, else ``$XDG_CACHE_HOME/sgie``, else ``~/.cache/sgie``; refused
    inside the repository (the server state there holds the API token)."""
    if os.environ.get(CACHE_ENV):
        root = Path(os.environ[CACHE_ENV])
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "sgie"
    ensure_outside_repo(root, f"the sgie cache folder (${CACHE_ENV}, else $XDG_CACHE_HOME/sgie)")
    return root


def repo_root() -> Path:
    return default_corpus_dir().resolve().parent


def ensure_outside_repo(path: Path, what: str) -> None:
    """``InputError`` if ``path`` is inside the repository (server state must never be there)."""
    root = repo_root()
    resolved = path.resolve()
    if resolved == root or root in resolved.parents:
        raise InputError(f"{what} must be outside the repository {root} (got {resolved})")


def generate_token() -> str:
    """A new 40-character API token (Label Studio's token column holds 40)."""
    return secrets.token_hex(20)


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def check_token(token: str) -> str:
    if not 6 <= len(token) <= 40 or any(c.isspace() for c in token):
        raise InputError(f"the API token must be 6 to 40 characters without spaces "
                         f"(got {len(token)} characters)")  # fmt: skip
    return token


def port_in_use(port: int) -> bool:
    """Whether something already listens on ``HOST:port`` (label-studio would silently move to
    ``port + 1`` while we poll ``port``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return True
    return False


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the caller verifies the server really got it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _minimal_env(home: Path) -> dict[str, str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", os.defpath)}
    for key in ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update({
        # no outbound calls
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_SENTRY_DSN": "",
        "SENTRY_DSN": "",
        "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
        "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
        "HTTP_PROXY": _DEAD_PROXY, "HTTPS_PROXY": _DEAD_PROXY,
        "http_proxy": _DEAD_PROXY, "https_proxy": _DEAD_PROXY,
        "NO_PROXY": "127.0.0.1,localhost,::1", "no_proxy": "127.0.0.1,localhost,::1",
        "PYTHONUNBUFFERED": "1",
    })  # fmt: skip
    return env


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """preexec_fn: SIGTERM this child when the process that started it dies (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _http_status(url: str, token: str | None = None, timeout: float = 2.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Token {token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as err:
        return int(err.code), b""
    except (urllib.error.URLError, OSError):
        return 0, b""


def _tail(path: Path, lines: int = 1) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:])


# --------------------------------------------------------------------------------------------
# The pre-migrated data dir template
# --------------------------------------------------------------------------------------------
def template_dir(version: str | None = None) -> Path:
    return cache_root() / "label-studio-template" / (version or label_studio_version() or "unknown")


def ensure_template(timeout: float = 300.0) -> Path | None:
    """The migrated, user-less data dir template, built once per Label Studio version.

    Built by ``label-studio user`` (which migrates the database and prints that the user does
    not exist, without starting a server) in an isolated environment, then renamed into
    place atomically. Returns None (start-up then migrates, ~30 s) if it cannot be built.
    """
    exe = require_installed()
    target = template_dir()
    if (target / TEMPLATE_MARKER).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        (work / "home").mkdir()
        (work / "tmp").mkdir()
        data = work / "data"
        env = _minimal_env(work / "home")
        env["TMPDIR"] = str(work / "tmp")
        env["LABEL_STUDIO_BASE_DATA_DIR"] = str(data)
        done = subprocess.run(
            [exe, "user", "--username", "template@sgie.invalid"], env=env, cwd=work,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=timeout, check=False,
        )  # fmt: skip
        if done.returncode != 0 or not (data / DATABASE_FILE).is_file():
            return None
        (data / ".env").unlink(missing_ok=True)  # holds a SECRET_KEY: each server makes its own
        (data / TEMPLATE_MARKER).write_text(f"label-studio {label_studio_version()}\n", encoding="utf-8")
        try:
            os.rename(data, target)
        except OSError:  # another process won the race
            if not (target / TEMPLATE_MARKER).is_file():
                return None
        return target
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------
class StudioServer:
    """One local Label Studio process; use as ``with StudioServer() as server: ...``."""

    def __init__(
        self,
        *,
        port: int | None = None,
        data_dir: Path | str | None = None,
        token: str | None = None,
        password: str | None = None,
        use_template: bool = True,
        startup_timeout: float = 300.0,
        stop_timeout: float = 15.0,
    ) -> None:
        self.requested_port = port
        self.data_dir_arg = Path(data_dir) if data_dir else None
        self.token = check_token(token) if token else None
        self.password = password
        self.username = ADMIN_EMAIL
        self.use_template = use_template
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.root: Path | None = None
        self.data_dir: Path | None = None
        self.log_path: Path | None = None
        self.port: int | None = None
        self.template_used = False
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid: int | None = None
        self._log: BinaryIO | None = None
        self._keep_log = False

    # -- properties ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("server not started")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The process id of the last launched label-studio (kept after it stopped)."""
        return self._pid

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- set-up -------------------------------------------------------------------------------
    def _prepare_data_dir(self) -> None:
        assert self.root is not None
        if self.data_dir_arg is None:
            self.data_dir = self.root / "data"
        else:
            ensure_outside_repo(self.data_dir_arg, "the Label Studio data dir")
            self.data_dir = self.data_dir_arg.resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        creds_path = self.data_dir / CREDENTIALS_FILE
        has_db = (self.data_dir / DATABASE_FILE).is_file()
        if has_db:
            if not creds_path.is_file():
                raise InputError(f"data dir {self.data_dir} holds a Label Studio database that "
                                 f"sgie did not create (no {CREDENTIALS_FILE}); use another")  # fmt: skip
            creds = json.loads(creds_path.read_text(encoding="utf-8"))
            for key in ("token", "password"):
                given = getattr(self, key)
                if given is not None and given != creds[key]:
                    raise InputError(f"data dir {self.data_dir} was created with another {key}; "
                                     f"omit it to reuse the stored one")  # fmt: skip
            self.token, self.password = creds["token"], creds["password"]
            return
        self.token = self.token or generate_token()
        self.password = self.password or generate_password()
        if self.use_template:
            template = ensure_template()
            if template is not None:
                shutil.copytree(template, self.data_dir, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(TEMPLATE_MARKER, ".env"))  # fmt: skip
                self.template_used = True
        if self.data_dir_arg is not None:
            fd = os.open(creds_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"username": self.username, "password": self.password,
                           "token": self.token}, fh)  # fmt: skip

    def _env(self) -> dict[str, str]:
        assert self.root is not None and self.data_dir is not None
        env = _minimal_env(self.root / "home")
        env.update({
            "TMPDIR": str(self.root / "tmp"),  # its exports (tmp*.json) go away with the folder
            "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir),
            "LABEL_STUDIO_DATABASE_NAME": str(self.data_dir / DATABASE_FILE),
            "LABEL_STUDIO_USERNAME": self.username,
            "LABEL_STUDIO_PASSWORD": str(self.password),
            "LABEL_STUDIO_USER_TOKEN": str(self.token),
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        })  # fmt: skip
        return env

    def _launch(self, exe: str, port: int) -> bool:
        """Start on ``port``; True when it answers there with our token, False to retry."""
        assert self.root is not None and self.log_path is not None
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen(
            [exe, "start", "--no-browser", "--internal-host", HOST, "--port", str(port)],
            env=self._env(), cwd=self.root, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )  # fmt: skip
        self._pid = self._proc.pid
        self.port = port
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise ServiceError(f"label-studio exited with status {self._proc.returncode} before "
                                 f"answering (last log line: {_tail(self.log_path)!r}; "
                                 f"log: {self.log_path})")  # fmt: skip
            status, _ = _http_status(f"{self.url}/health")
            if status == 200:
                status, body = _http_status(f"{self.url}/api/current-user/whoami", self.token)
                if status == 200 and json.loads(body or b"{}").get("email") == self.username:
                    return True
                return False  # something else holds the port: ours moved to PORT+1
            time.sleep(0.25)
        raise ServiceError(f"label-studio did not answer on {self.url}/health within "
                         f"{self.startup_timeout:.0f} s (log: {self.log_path})")  # fmt: skip

    def start(self) -> StudioServer:
        if self._proc is not None:
            raise RuntimeError("server already started")
        exe = require_installed()
        self.root = Path(tempfile.mkdtemp(prefix="sgie-studio-"))
        try:
            ensure_outside_repo(self.root, "the server's temporary folder (TMPDIR)")
            (self.root / "home").mkdir()
            (self.root / "tmp").mkdir()
            self.log_path = self.root / "label-studio.log"
            if self.requested_port and port_in_use(self.requested_port):
                raise InputError(f"port {self.requested_port} on {HOST} must be free (got one in use "
                                 f"by another process; label-studio would silently move to "
                                 f"{self.requested_port + 1}): pick another --port or omit it")  # fmt: skip
            self._prepare_data_dir()
            for attempt in range(3):
                port = self.requested_port if (self.requested_port and attempt == 0) else free_port()
                if self._launch(exe, port):
                    return self
                self._terminate()
                if self.requested_port:
                    raise InputError(f"port {port} on {HOST} is taken by another server")
            raise ServiceError(f"could not start label-studio on a free port (log: {self.log_path})")
        except BaseException as err:
            # a start that failed on its own keeps its log (only); Ctrl-C or SIGTERM keeps nothing
            launched = self.log_path is not None and self.log_path.is_file()
            self.stop(keep_log=launched and isinstance(err, (InputError, ServiceError)))
            raise

    # -- tear-down ----------------------------------------------------------------------------
    def _terminate(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # by its own PID
            try:
                proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self, keep_log: bool = False) -> None:
        """Stop the process (SIGTERM, then SIGKILL) and remove the temporary folder (database,
        secret key, home, the server's temporary exports).

        With ``keep_log`` (a failed start, a server that died) only the log stays in it.
        """
        self._terminate()
        self._keep_log = self._keep_log or keep_log
        root, log = self.root, self.log_path
        if root is None:
            return
        if self._keep_log and log is not None and log.is_file():
            for child in root.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                elif child != log:
                    child.unlink()
        else:
            shutil.rmtree(root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> StudioServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
