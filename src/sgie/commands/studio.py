"""``sgie studio config|serve|open|push|pull``: the Label Studio round trip.

What it does
    Registers the ``studio`` subcommands. Each function only parses arguments, calls
    ``sgie.studio`` / ``sgie.annotations`` and prints; ``serve``/``open`` also turn SIGTERM
    and SIGINT into a clean stop of the server and record it for push/pull in other terminals.
    The SDK and the server modules are imported lazily so other commands stay fast.

What it does not do
    No logic of its own (see ``sgie.studio``); bad input is an ``InputError`` (one line, exit 2).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from sgie.annotations.store import ANNOTATORS, EXPORT_FILE, default_annotations_dir
from sgie.atomic import write_text_atomic
from sgie.corpus.manifest import default_corpus_dir, load_corpus
from sgie.errors import InputError, ServiceError

if TYPE_CHECKING:
    from label_studio_sdk.client import LabelStudio

DEFAULT_PROJECT = "SGIE"


def _server_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=None,
                   help="an existing server instead of a local one (else $SGIE_STUDIO_URL, else "
                   "the server of a running `sgie studio serve`)")  # fmt: skip
    p.add_argument("--token", default=None, help="its API token (else $SGIE_STUDIO_TOKEN)")


def _project_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", default=DEFAULT_PROJECT, metavar="TITLE",
                   help=f"project title (default {DEFAULT_PROJECT!r})")  # fmt: skip


def _push_args(p: argparse.ArgumentParser) -> None:
    _project_arg(p)
    p.add_argument("--annotations", type=Path, default=None,
                   help="annotations folder holding export.json (default: the repository's)")  # fmt: skip
    p.add_argument("--config", type=Path, default=None,
                   help="labeling config XML (default: annotations/labeling_config.xml)")  # fmt: skip
    p.add_argument("--predictions", type=Path, default=None, metavar="FILE",
                   help="documents-format JSONL of an extractor's output, imported as "
                   "predictions")  # fmt: skip
    p.add_argument("--model-version", default=None,
                   help="model_version of those predictions (default: the file's stem)")  # fmt: skip
    p.add_argument("--replace", action="store_true",
                   help="delete the project's existing tasks (and unpulled UI work) before "
                   "importing")  # fmt: skip


def _serve_args(p: argparse.ArgumentParser) -> None:
    _server_args(p)
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="keep the server's data here (outside the repository; default: a "
                   "temporary folder removed on exit)")  # fmt: skip
    p.add_argument("--no-template", action="store_true",
                   help="do not reuse the cached pre-migrated data dir (slower start)")  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:
    studio = subparsers.add_parser("studio", help="review and correct annotations in Label Studio")
    sub = studio.add_subparsers(dest="studio_command", metavar="ACTION", required=True)

    c = sub.add_parser("config", help="write annotations/labeling_config.xml from the schema")
    c.add_argument("--output", type=Path, default=None, help="where to write it")
    c.add_argument("--check", action="store_true", help="only check the file is up to date")
    c.set_defaults(func=cmd_config)

    s = sub.add_parser("serve", help="start a local Label Studio on 127.0.0.1 until Ctrl-C")
    _serve_args(s)
    s.add_argument("--push", action="store_true", help="push the project once the server is up")
    _push_args(s)
    s.set_defaults(func=cmd_serve, open=False, extra="studio")

    o = sub.add_parser("open", help="serve and push: the whole project in a local Label Studio")
    _serve_args(o)
    _push_args(o)
    o.set_defaults(func=cmd_serve, open=True, push=True, extra="studio")

    p = sub.add_parser("push", help="create/update the project: corpus, annotations, predictions")
    _server_args(p)
    _push_args(p)
    p.set_defaults(func=cmd_push, extra="studio")

    pl = sub.add_parser("pull", help="export the project into annotations/export.json, validated")
    _server_args(pl)
    _project_arg(pl)
    pl.add_argument("--output", type=Path, default=None,
                    help="where to write (default: annotations/export.json)")  # fmt: skip
    pl.add_argument("--force", action="store_true",
                    help="write even if the export fails validation or has fewer annotations")  # fmt: skip
    pl.add_argument("--assign-others", choices=ANNOTATORS, default=None, metavar="NAME",
                    help="count annotations by other users (e.g. the admin) as annotator NAME's")  # fmt: skip
    pl.add_argument("--without-predictions", action="store_true",
                    help="leave the project's predictions out of the written export")  # fmt: skip
    pl.set_defaults(func=cmd_pull, extra="studio")


# --------------------------------------------------------------------------------------------
def cmd_config(args: argparse.Namespace) -> int:
    from sgie.annotations.config import default_config_path, labeling_config

    path = args.output or default_config_path()
    text = labeling_config()
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if args.check:
        if current != text:
            raise InputError("labeling config must equal the one generated from the schema "
                             "(run `sgie studio config`)", file=str(path))  # fmt: skip
        print(f"{path}: up to date")
        return 0
    if current != text:
        write_text_atomic(path, text)
        print(f"wrote {path}")
    else:
        print(f"{path}: unchanged")
    return 0


def _do_push(args: argparse.Namespace, client: LabelStudio) -> None:
    from sgie.studio.push import push

    summary = push(
        client, load_corpus(default_corpus_dir()), project_title=args.project,
        annotations_dir=args.annotations, config_path=args.config,
        predictions_file=args.predictions, model_version=args.model_version, replace=args.replace,
    )  # fmt: skip
    verb = "created" if summary.created else "updated"
    extra = f" (deleted {summary.replaced_tasks} old tasks first)" if summary.replaced_tasks else ""
    print(f"{verb} project {summary.project_title!r} (id {summary.project_id}): imported "
          f"{summary.tasks} tasks, {summary.annotations} annotations, "
          f"{summary.predictions} predictions{extra}")  # fmt: skip


def cmd_push(args: argparse.Namespace) -> int:
    from sgie.studio.client import connect, resolve_server

    client = connect(resolve_server(args.url, args.token))
    _do_push(args, client)
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from sgie.studio.client import connect, resolve_server
    from sgie.studio.pull import pull

    client = connect(resolve_server(args.url, args.token))
    output = args.output or default_annotations_dir() / EXPORT_FILE
    summary = pull(
        client, load_corpus(default_corpus_dir()), project_title=args.project, output=output,
        force=args.force, assign_others=args.assign_others,
        without_predictions=args.without_predictions,
    )  # fmt: skip
    for warning in summary.warnings:
        print(f"sgie: warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{n}={c}" for n, c in summary.annotations.items())
    state = "wrote" if summary.changed else "unchanged:"
    print(f"{state} {output}: {summary.tasks} tasks, {summary.total} annotations ({counts}), "
          f"{summary.predictions} predictions")  # fmt: skip
    return 0


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def cmd_serve(args: argparse.Namespace) -> int:
    from sgie.studio.client import (
        ServerAddress,
        clear_state,
        connect,
        resolve_server,
        state_path,
        write_state,
    )
    from sgie.studio.server import (
        TEMPLATE_MARKER,
        StudioServer,
        label_studio_version,
        require_installed,
        template_dir,
    )

    if args.url:  # an existing server: check it (and push), nothing to start or stop
        address = resolve_server(args.url, args.token)
        client = connect(address)
        print(f"Label Studio at {address.url} answers with the given token; nothing started")
        if args.push:
            _do_push(args, client)
        return 0

    require_installed()  # before saying anything about starting it
    state_path()  # the cache folder must be outside the repository: refused before starting
    token = args.token or os.environ.get("SGIE_STUDIO_TOKEN")
    password = os.environ.get("SGIE_STUDIO_PASSWORD")
    server = StudioServer(port=args.port or None, data_dir=args.data_dir, token=token,
                          password=password, use_template=not args.no_template)  # fmt: skip
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)  # even if inherited ignored
    try:
        print(f"starting Label Studio {label_studio_version()} on 127.0.0.1 ...", flush=True)
        if not args.no_template and not (template_dir() / TEMPLATE_MARKER).is_file():
            print(f"(first start: migrating a database once, about a minute; cached in "
                  f"{template_dir()})", flush=True)  # fmt: skip
        with server:
            pid = int(server.pid or 0)
            write_state(server.url, str(server.token), pid)
            try:
                if args.push:
                    _do_push(args, connect(ServerAddress(server.url, str(server.token), "serve")))
                where = (f"{server.data_dir} (kept)" if args.data_dir
                         else f"{server.data_dir} (removed on exit: pull before stopping)")  # fmt: skip
                print(f"Label Studio is running at {server.url} (pid {pid})")
                print(f"  log in as:  {server.username}"
                      + ("" if password else f"  password: {server.password}"))  # fmt: skip
                print("  API token:  " + ("(from $SGIE_STUDIO_TOKEN)" if token else str(server.token)))
                print(f"  data dir:   {where}")
                print("  `sgie studio push` / `sgie studio pull` in another terminal use this server")
                print("Press Ctrl-C to stop.", flush=True)
                while server.running():
                    time.sleep(0.5)
                server.stop(keep_log=True)
                raise ServiceError(f"label-studio (pid {pid}) exited on its own "
                                   f"(log: {server.log_path})")  # fmt: skip
            finally:
                clear_state(pid)
    except (KeyboardInterrupt, _Stop):
        print("stopped Label Studio", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
