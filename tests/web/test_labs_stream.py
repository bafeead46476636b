"""Streamed turns when an LLM phrases the partner: a loopback stand-in for an
OpenAI-compatible server, and the page's newline-delimited JSON endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils.html import escape

from buildreal.labs import services
from buildreal.labs.models import LabSession

LAB = ("sample", "m1-l1-lab")
PIECES = ["Fair call. ", "Eight thousand rows ", "is not much. Why not a neural net?"]
COMMIT = ("OK, I'd go with gradient boosting: with only 8,000 appointments a deep network "
          "has little to learn that a simpler model cannot capture.")


class StandIn(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        pieces = PIECES if self.server.healthy else PIECES[:1]
        for piece in pieces:
            event = {"choices": [{"delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
        if self.server.healthy:
            self.wfile.write(b"data: [DONE]\n\n")
        # unhealthy: the connection closes after one piece, with no [DONE]


@pytest.fixture
def llm(monkeypatch) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.daemon_threads = True
    server.healthy = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.setenv("BUILDREAL_LLM_URL", f"http://{host}:{port}/v1")
    monkeypatch.setenv("BUILDREAL_LLM_MODEL", "stand-in")
    monkeypatch.setenv("BUILDREAL_LLM_TIMEOUT", "5")
    services.reset_engine()
    yield server
    services.reset_engine()
    server.shutdown()
    server.server_close()


def stream(client, text: str) -> list[dict]:
    response = client.post(reverse("labs:stream", args=LAB), {"message": text})
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


@pytest.mark.django_db
def test_the_page_offers_streaming_only_when_an_llm_is_configured(alice_client, monkeypatch):
    monkeypatch.setenv("BUILDREAL_TUTOR_MATCHER", "lexical")
    monkeypatch.delenv("BUILDREAL_LLM_URL", raising=False)
    services.reset_engine()
    page = alice_client.get(reverse("catalog:item", args=LAB)).content.decode()
    assert "data-stream-url" not in page
    services.reset_engine()


@pytest.mark.django_db
def test_the_llms_words_stream_to_the_page_and_are_saved(llm, alice_client, alice):
    page = alice_client.get(reverse("catalog:item", args=LAB)).content.decode()
    assert f'data-stream-url="{reverse("labs:stream", args=LAB)}"' in page
    lines = stream(alice_client, COMMIT)
    assert [line["text"] for line in lines[:-1]] == PIECES
    assert lines[-1]["done"] is True and "Why not a neural net?" in lines[-1]["html"]
    session = LabSession.objects.get(user=alice)
    assert session.transcript[-1]["text"] == "".join(PIECES).strip()
    assert session.state["choice"] == "classical"  # the analysis, not the LLM, moved it


@pytest.mark.django_db
def test_a_stream_that_breaks_is_replaced_by_the_default_wording(llm, alice_client, alice):
    llm.healthy = False
    lines = stream(alice_client, COMMIT)
    assert lines[0]["text"] == PIECES[0]
    replacement = lines[-2]
    assert replacement["replace"] is True
    assert replacement["text"].startswith("Right, the size of the data set")  # the draft
    session = LabSession.objects.get(user=alice)
    assert session.transcript[-1]["text"] == replacement["text"]
    assert escape(replacement["text"]) in lines[-1]["html"]


@pytest.mark.django_db
def test_a_bad_message_is_refused_before_anything_streams(llm, alice_client, alice):
    response = alice_client.post(reverse("labs:stream", args=LAB), {"message": "  "})
    assert response.status_code == 400
    assert response.json()["code"] == "empty"
    assert [t["role"] for t in LabSession.objects.get(user=alice).transcript] == ["partner"]
