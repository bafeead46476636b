"""The LLM backend: an OpenAI-compatible ``/chat/completions`` endpoint, streamed.

Works with Ollama, vLLM, llama.cpp's server and anything else that speaks the same API.
Configured from the environment (read when a backend is built, never at import):

    BUILDREAL_LLM_URL      base URL, e.g. http://127.0.0.1:11434/v1 (unset: no LLM)
    BUILDREAL_LLM_MODEL    model name the server knows, e.g. llama3.1:8b
    BUILDREAL_LLM_KEY      optional bearer token
    BUILDREAL_LLM_TIMEOUT  seconds for the whole reply, default 20

The engine has already chosen the move; the model is asked only to say the draft in the
lab's persona. Whatever goes wrong (connection refused, slow server, HTTP error, broken
stream, malformed JSON, an empty or overlong answer, one that repeats material the
learner has not earned) raises ``BackendError`` and the engine uses the draft.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from buildreal.tutor.backends import BackendError, PhraseRequest
from buildreal.tutor.text import words

MAX_REPLY_CHARS = 2000
LEAK_NGRAM = 6  # a run of this many words from unearned material counts as a leak

SYSTEM_PROMPT = """You are the lab partner in a deep learning course. Persona: {persona}
The decision the learner must make: {decision}
You will be given DRAFT, the message to send next. Say the same thing in your own voice
and persona: keep every question it asks and every fact it states, add no new facts,
hints or answers, never list grading criteria, and never agree to change scores or mark
anything complete. Keep it under 120 words. Reply with the message only."""


@dataclass(frozen=True)
class LLMConfig:
    url: str
    model: str
    key: str = ""
    timeout: float = 20.0

    @classmethod
    def from_env(cls) -> LLMConfig | None:
        """The configured endpoint, or None when BUILDREAL_LLM_URL is unset."""
        url = os.environ.get("BUILDREAL_LLM_URL", "").strip()
        if not url:
            return None
        model = os.environ.get("BUILDREAL_LLM_MODEL", "").strip()
        if not model:
            raise ValueError(
                "BUILDREAL_LLM_URL is set but BUILDREAL_LLM_MODEL is not; set it to a model "
                "name your server knows (for Ollama, e.g. BUILDREAL_LLM_MODEL=llama3.1:8b)"
            )
        raw = os.environ.get("BUILDREAL_LLM_TIMEOUT", "20").strip()
        try:
            timeout = float(raw)
        except ValueError:
            timeout = -1.0
        if not timeout > 0:
            raise ValueError(f"BUILDREAL_LLM_TIMEOUT={raw!r} must be a positive number of seconds")
        return cls(url, model, os.environ.get("BUILDREAL_LLM_KEY", "").strip(), timeout)

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    toks = words(text)
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def leaks(message: str, secrets: tuple[str, ...], draft: str) -> bool:
    """Whether ``message`` repeats a run of words from ``secrets`` that the draft lacks."""
    said = _ngrams(message, LEAK_NGRAM) - _ngrams(draft, LEAK_NGRAM)
    return any(said & _ngrams(secret, LEAK_NGRAM) for secret in secrets)


class LLMBackend:
    name = "llm"

    def __init__(self, config: LLMConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        self._client = client or httpx.Client()

    def _payload(self, request: PhraseRequest) -> dict:
        messages = [{"role": "system", "content": SYSTEM_PROMPT.format(
            persona=request.persona, decision=request.decision)}]
        for turn in request.history:
            role = "assistant" if turn.role == "partner" else "user"
            messages.append({"role": role, "content": turn.text[:1500]})
        messages.append({"role": "user", "content": f"DRAFT:\n{request.draft}"})
        return {"model": self.config.model, "messages": messages, "stream": True,
                "temperature": 0.4}

    def stream(self, request: PhraseRequest) -> Iterator[str]:
        """Yield content deltas as they arrive; raise BackendError on any failure."""
        deadline = time.monotonic() + self.config.timeout
        headers = {"Accept": "text/event-stream"}
        if self.config.key:
            headers["Authorization"] = f"Bearer {self.config.key}"
        said: list[str] = []
        try:
            with self._client.stream(
                "POST", self.config.endpoint, json=self._payload(request), headers=headers,
                timeout=httpx.Timeout(self.config.timeout),
            ) as response:
                if response.status_code != 200:
                    raise BackendError(f"LLM server answered HTTP {response.status_code}")
                kind = response.headers.get("content-type", "")
                if "text/event-stream" not in kind:
                    text = self._whole(response.read())
                    said.append(text)
                    yield from self._checked(text, said, request)
                    return
                finished = False
                for line in response.iter_lines():
                    if time.monotonic() > deadline:
                        raise BackendError("LLM reply took longer than BUILDREAL_LLM_TIMEOUT")
                    delta, finished = self._event(line)
                    if delta:
                        said.append(delta)
                        if sum(map(len, said)) > MAX_REPLY_CHARS:
                            raise BackendError("LLM reply is too long")
                        yield delta
                    if finished:
                        break
                if not finished:
                    raise BackendError("LLM stream ended before [DONE]")
        except httpx.HTTPError as exc:
            raise BackendError(f"LLM request failed: {exc!r}") from exc
        message = "".join(said).strip()
        if not message:
            raise BackendError("LLM returned an empty message")
        if leaks(message, request.secrets, request.draft):
            raise BackendError("LLM message repeated material the learner has not earned")

    def _checked(self, text: str, said: list[str], request: PhraseRequest) -> Iterator[str]:
        if not text.strip() or len(text) > MAX_REPLY_CHARS:
            raise BackendError("LLM returned an empty or overlong message")
        if leaks(text, request.secrets, request.draft):
            raise BackendError("LLM message repeated material the learner has not earned")
        yield text

    @staticmethod
    def _event(line: str) -> tuple[str, bool]:
        """(content delta, finished) for one SSE line."""
        line = line.strip()
        if not line or line.startswith(":") or not line.startswith("data:"):
            return "", False
        data = line[len("data:"):].strip()
        if data == "[DONE]":
            return "", True
        try:
            event = json.loads(data)
            choice = event["choices"][0]
            delta = choice.get("delta") or {}
            content = delta.get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise BackendError(f"malformed event from the LLM server: {data[:80]!r}") from exc
        if not isinstance(content, str):
            raise BackendError("LLM event content is not text")
        return content, False

    @staticmethod
    def _whole(body: bytes) -> str:
        """A server that ignored ``stream: true`` and sent one JSON answer."""
        try:
            content = json.loads(body)["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendError("malformed JSON answer from the LLM server") from exc
        if not isinstance(content, str):
            raise BackendError("LLM answer content is not text")
        return content


def backend_from_env() -> LLMBackend | None:
    config = LLMConfig.from_env()
    return LLMBackend(config) if config else None
