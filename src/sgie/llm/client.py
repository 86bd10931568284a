"""One chat-completions request through the ``openai`` package, to any compatible endpoint.

What it does
    ``ChatClient`` wraps ``openai.OpenAI`` (the ``llm`` extra): the base URL and API key
    default to ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` exactly as that package does, so
    vLLM, llama.cpp's server, Ollama and hosted APIs are all reached the same way.
    ``complete(model, messages)`` sends one request and returns the response text, finish
    reason and the server's whole response (``Completion``).

    * **Structured output.** With ``structured="auto"`` (default) the request asks for JSON
      matching ``sgie.llm.answers.answer_schema()`` (``response_format`` of type
      ``json_schema``); if the server rejects that parameter (HTTP 400/422 naming it), the
      request is sent again without it and structured output stays off for the rest of the
      run. ``"on"`` never falls back; ``"off"`` never asks.
    * **Retry and back-off** are the ``openai`` package's own: ``retries`` more attempts with
      exponential back-off (and the server's ``Retry-After``) on connection errors, time-outs
      (``timeout`` seconds per attempt), 408, 409, 429 and 5xx.
    * **Failures** that remain raise ``ServiceError`` with one line (the command prints it and
      exits with status 1): unreachable endpoint, refused key, unknown model, a request the
      server rejects, a server that keeps failing.

What it does not do
    No caching (``sgie.llm.cache``), no concurrency (``sgie.llm.run``), no parsing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sgie.llm.prompts import ChatMessage
from sgie.records import JSON, JSONObject

STRUCTURED = ("auto", "on", "off")


class ServiceError(Exception):
    """The endpoint could not give a response (a one-line message)."""


@dataclass(frozen=True)
class Completion:
    """A response: its text (``""`` if the server sent none), finish reason, raw form, and
    whether structured output was asked for."""

    text: str
    finish_reason: str | None
    raw: JSON
    structured: bool


def _short(message: object, limit: int = 200) -> str:
    s = " ".join(str(message).split())
    return s if len(s) <= limit else s[:limit] + "..."


class ChatClient:
    """Requests to one endpoint (see the module docstring)."""

    def __init__(self, *, base_url: str | None, api_key: str | None, schema: JSONObject,
                 structured: str = "auto", timeout: float = 600.0, retries: int = 4,
                 params: JSONObject | None = None):  # fmt: skip
        try:
            import openai
        except ImportError:
            raise ServiceError("sgie llm needs the openai package: pip install 'sgie[llm]'") from None
        self._openai = openai
        try:
            self.client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout,
                                        max_retries=retries)  # fmt: skip
        except openai.OpenAIError as err:
            hint = " (a local server accepts any key, e.g. --api-key EMPTY)" if "api_key" in str(err) else ""
            raise ServiceError(f"cannot set up the OpenAI client: {_short(err)}{hint}") from None
        self.endpoint = str(self.client.base_url).rstrip("/")
        self.schema = schema
        self.structured = structured
        self.params: JSONObject = dict(params or {})
        self._lock = threading.Lock()

    def _format(self) -> dict[str, object] | None:
        with self._lock:
            use = self.structured != "off"
        if not use:
            return None
        return {"type": "json_schema",
                "json_schema": {"name": "sgie_answer", "schema": self.schema, "strict": False}}  # fmt: skip

    def complete(self, model: str, messages: list[ChatMessage]) -> Completion:
        """One response for ``messages`` (``ServiceError`` if there is none)."""
        openai = self._openai
        response_format = self._format()
        try:
            try:
                result = self._create(model, messages, response_format)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as err:
                if response_format is None or self.structured == "on" or not _about_format(err):
                    raise
                with self._lock:
                    self.structured = "off"
                response_format = None
                result = self._create(model, messages, None)
        except openai.AuthenticationError as err:
            raise ServiceError(f"{self.endpoint} refused the API key ({_status(err)})") from None
        except openai.PermissionDeniedError as err:
            raise ServiceError(f"{self.endpoint} denied access ({_status(err)})") from None
        except openai.NotFoundError as err:
            raise ServiceError(f"{self.endpoint} has no model {model!r} or no chat-completions "
                               f"route ({_status(err)})") from None  # fmt: skip
        except openai.APITimeoutError:
            raise ServiceError(f"{self.endpoint} did not answer in time (after all retries)") from None
        except openai.APIConnectionError as err:
            raise ServiceError(f"cannot reach {self.endpoint}: {_short(err.__cause__ or err)}") from None
        except openai.APIStatusError as err:
            raise ServiceError(f"{self.endpoint} failed the request ({_status(err)})") from None
        except openai.OpenAIError as err:
            raise ServiceError(f"{self.endpoint}: {_short(err)}") from None
        choice = result.choices[0] if result.choices else None
        text = (choice.message.content or "") if choice is not None else ""
        return Completion(text, choice.finish_reason if choice is not None else None,
                          result.model_dump(mode="json"), response_format is not None)  # fmt: skip

    def _create(self, model: str, messages: list[ChatMessage], response_format: dict[str, object] | None):
        extra: dict[str, object] = dict(self.params)
        if response_format is not None:
            extra["response_format"] = response_format
        return self.client.chat.completions.create(model=model, messages=messages, **extra)  # type: ignore[call-overload]


def _status(err: Exception) -> str:
    code = getattr(err, "status_code", None)
    return f"HTTP {code}: {_short(getattr(err, 'message', err))}" if code else _short(err)


def _about_format(err: Exception) -> bool:
    text = str(getattr(err, "message", err)).lower()
    return any(w in text for w in ("response_format", "json_schema", "structured", "guided"))
