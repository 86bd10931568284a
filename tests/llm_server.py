"""A small OpenAI-compatible chat-completions server for tests, on 127.0.0.1 (any free port).

What it does
    ``ChatServer(reply)`` serves ``POST /v1/chat/completions`` the way the ``openai`` package
    expects (JSON in, a ``chat.completion`` object out) from a thread. ``reply(request, n)``
    (the decoded request body and the 1-based number of the request) returns a ``Reply``:
    the assistant's text, or an HTTP error status with an OpenAI-style error body, and a
    delay before answering (to make the client time out and retry). ``requests`` lists every
    request body received. Use as a context manager; ``url`` is the base URL (``.../v1``).

What it does not do
    No streaming, no other routes (404), no authentication beyond what ``reply`` decides.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Reply:
    text: str = ""
    status: int = 200
    error: str = ""
    delay: float = 0.0


Handler = Callable[[dict, int], Reply]


class ChatServer:
    def __init__(self, reply: Handler):
        self.reply = reply
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                    n = len(server.requests)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "no such route", "type": "not_found"}})
                r = server.reply(body, n)
                if r.delay:
                    time.sleep(r.delay)
                if r.status != 200:
                    return self._send(r.status, {"error": {"message": r.error or "error", "type": "error",
                                                           "param": None, "code": None}})
                self._send(200, {
                    "id": f"chatcmpl-{n}", "object": "chat.completion", "created": 0,
                    "model": body.get("model", ""),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": r.text},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (time-out)
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
