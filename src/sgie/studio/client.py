"""Find a Label Studio server and talk to it through ``label_studio_sdk`` 2.x.

What it does
    ``resolve_server(url, token)`` picks the server: explicit ``--url``/``--token``, else the
    ``SGIE_STUDIO_URL``/``SGIE_STUDIO_TOKEN`` environment variables, else the state file that a
    running ``sgie studio serve`` leaves in the cache folder (``server.json``, mode 0600, never
    in the repository; ignored when its process is gone). ``connect`` returns a checked
    ``LabelStudio`` client (one line: ``ServiceError`` when the server is unreachable,
    ``InputError`` when the token is refused); ``api_errors`` turns what the SDK raises into the
    same one-line errors (a server that dies mid-request is a ``ServiceError``). The state file
    is refused inside the repository (it holds the token). Helpers: the project with a title,
    organization members by email, creating the annotator accounts
    ``annotator-<name>@sgie.invalid`` so ``completed_by`` can name them; ``server_id`` reads
    the id of an SDK object (typed by the ``Identified`` protocol).

What it does not do
    No starting of servers (``sgie.studio.server``); no task or export logic.

Inputs / outputs
    URL and token (or nothing) -> ``ServerAddress`` -> a ``label_studio_sdk.LabelStudio``.

Notes (checked against label-studio 1.23.2 / SDK 2.1.2)
    * ``completed_by`` on import must be a member's integer id or ``{"email": ...}``; a bare
      email string is refused with 400.
    * ``organizations.members.list`` breaks when iterated across pages: one large page is used.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from label_studio_sdk._extensions.pager_ext import SyncPagerExt
from label_studio_sdk.client import LabelStudio
from label_studio_sdk.types import AllRolesProjectList

from sgie.annotations.store import ANNOTATORS, annotator_email
from sgie.errors import InputError, ServiceError
from sgie.studio.server import cache_root, check_token, generate_password

URL_ENV = "SGIE_STUDIO_URL"
TOKEN_ENV = "SGIE_STUDIO_TOKEN"
DEFAULT_PROJECT = "SGIE"
PAGE_SIZE = 100_000


def state_path() -> Path:
    return cache_root() / "studio" / "server.json"


def write_state(url: str, token: str, pid: int) -> Path:
    """Record a running ``sgie studio serve`` for push/pull in other terminals (mode 0600;
    refused inside the repository, where the token could be committed)."""
    path = state_path()  # cache_root refuses a folder inside the repository
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".server.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"url": url, "token": token, "pid": pid, "serve_pid": os.getpid()}, fh)
    os.replace(tmp, path)
    return path


def clear_state(pid: int) -> None:
    """Remove the state file if it still describes the server with ``pid``."""
    path = state_path()
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == pid:
            path.unlink()
    except (OSError, ValueError):
        pass


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state() -> tuple[str, str] | None:
    try:
        state = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or not _alive(state.get("pid")):
        return None
    return str(state["url"]), str(state["token"])


@dataclass(frozen=True)
class ServerAddress:
    url: str
    token: str
    source: str  # where it came from, for messages


def resolve_server(url: str | None, token: str | None) -> ServerAddress:
    """The server to use: arguments, then environment, then a running ``sgie studio serve``."""
    if url or token:
        url = url or os.environ.get(URL_ENV)
        token = token or os.environ.get(TOKEN_ENV)
        source = "--url/--token"
    elif os.environ.get(URL_ENV):
        url, token = os.environ[URL_ENV], os.environ.get(TOKEN_ENV)
        source = f"${URL_ENV}/${TOKEN_ENV}"
    else:
        state = read_state()
        if state is None:
            raise InputError("no Label Studio server: run `sgie studio serve` in another terminal, "
                             f"or pass --url and --token (or set ${URL_ENV} and ${TOKEN_ENV})")  # fmt: skip
        url, token = state
        source = f"`sgie studio serve` ({state_path()})"
    if not url:
        raise InputError(f"a server URL must be given with the token (--url or ${URL_ENV})")
    if not token:
        raise InputError(f"an API token must be given for {url} (--token or ${TOKEN_ENV})")
    return ServerAddress(url.rstrip("/"), check_token(token), source)


def connect(address: ServerAddress) -> LabelStudio:
    """A ``LabelStudio`` client whose token the server accepted."""
    from label_studio_sdk import LabelStudio
    from label_studio_sdk.core.api_error import ApiError

    client = LabelStudio(base_url=address.url, api_key=address.token, timeout=120)
    try:
        client.users.whoami()
    except ApiError as err:
        if (err.status_code or 0) >= 500:
            raise ServiceError(f"Label Studio at {address.url} failed (HTTP {err.status_code}: "
                               f"{_summary(err.body)})") from None  # fmt: skip
        raise InputError(f"Label Studio at {address.url} refused the token from {address.source} "
                         f"(HTTP {err.status_code})") from None  # fmt: skip
    except Exception as err:  # httpx connection errors and the like
        raise ServiceError(f"Label Studio at {address.url} must be reachable "
                           f"(got {_cause(err)})") from None  # fmt: skip
    return client


def _cause(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0] if lines else 'no details'}"[:300]


def _summary(body: object) -> str:
    if isinstance(body, dict):
        for key in ("validation_errors", "detail", "message"):
            if body.get(key):
                return json.dumps(body[key], ensure_ascii=False)[:300]
    text = str(body).strip()
    return (text.splitlines()[0] if text else "no details")[:300]


@contextlib.contextmanager
def api_errors(what: str) -> Iterator[None]:
    """Turn what the SDK raises while doing ``what`` into one line: a refused request (HTTP
    4xx) is an ``InputError``; a server error (5xx), a dropped connection or a timeout (the
    server died, the download was cut) a ``ServiceError``."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield
    except ApiError as err:
        status = err.status_code or 0
        kind = ServiceError if status >= 500 or status == 0 else InputError
        raise kind(f"Label Studio refused to {what} (HTTP {err.status_code}: "
                   f"{_summary(err.body)})") from None  # fmt: skip
    except (httpx.HTTPError, httpx.StreamError) as err:
        raise ServiceError(f"Label Studio stopped answering while trying to {what} "
                           f"({_cause(err)})") from None  # fmt: skip


class Identified(Protocol):
    """An SDK object with a server id (projects, users, export snapshots)."""

    @property
    def id(self) -> int | None: ...


def server_id(thing: Identified, what: str) -> int:
    """``thing.id``; a ``ServiceError`` if the server did not send one."""
    if thing.id is None:
        raise ServiceError(f"Label Studio must return an id for the {what} (got none)")
    return thing.id


def organization_id(client: LabelStudio) -> int:
    org = client.users.whoami().active_organization
    if not isinstance(org, int):
        raise InputError("the token's user must belong to an organization (got none)")
    return org


def member_emails(client: LabelStudio) -> dict[int, str]:
    """Organization members: user id -> email (one large page; paging is broken in the SDK)."""
    pager = client.organizations.members.list(id=organization_id(client), page_size=PAGE_SIZE)
    items = pager.items if pager.items is not None else list(pager)
    return {m.user.id: m.user.email for m in items
            if m.user is not None and m.user.id is not None and m.user.email is not None}  # fmt: skip


def ensure_annotators(client: LabelStudio) -> dict[str, int]:
    """The Label Studio user id of every annotator (``a``, ``b``, ``gold``), created if absent."""
    by_email = {email: uid for uid, email in member_emails(client).items()}
    ids: dict[str, int] = {}
    for name in ANNOTATORS:
        email = annotator_email(name)
        if email not in by_email:
            user = client.users.create(username=f"annotator-{name}", email=email,
                                       password=generate_password())  # fmt: skip
            by_email[email] = server_id(user, f"new user {email}")
        ids[name] = by_email[email]
    return ids


def find_project(client: LabelStudio, title: str) -> AllRolesProjectList | None:
    """The one project called ``title``, or None; two such projects are an error."""
    pager: SyncPagerExt[AllRolesProjectList] = client.projects.list(page_size=PAGE_SIZE)
    projects = [p for p in (pager.items if pager.items is not None else pager) if p.title == title]
    if len(projects) > 1:
        raise InputError(f"project title {title!r} must be unique on the server "
                         f"(got ids {[p.id for p in projects]})")  # fmt: skip
    return projects[0] if projects else None
