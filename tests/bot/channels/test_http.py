"""What the channels share (bot/channels/http.py): text fields and path parameters read defensively, a token check
that never fails on odd bytes, and French JSON error pages for what Sanic answers itself — on a real Sanic server."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.http import (
    SANIC_ERRORS,
    SERVER_ERROR,
    authorised,
    clean_text,
    french_error_message,
    install_error_pages,
    json_object,
    path_parameter,
)
from tests.bot.channels.serving import free_port, running_app

TOKEN = "jeton-http"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("je ne peux pas payer", "je ne peux pas payer"),
        ("a\x00b\x1fc\x7fd\x85e", "a b c d e"),
        ("ligne 1\nligne 2\tfin\r", "ligne 1\nligne 2\tfin\r"),
        ("لا أستطيع \u202e😀", "لا أستطيع \u202e😀"),
        ("\x00\x01\x1b", None),
        ("   \n ", None),
        ("", None),
        ("payer \ud800", None),
        ("\udfff", None),
        (12, None),
        (None, None),
        (["bonjour"], None),
        ({"text": "bonjour"}, None),
        (True, None),
    ],
)
def test_clean_text(value: Any, expected: str | None) -> None:
    assert clean_text(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("conv-1", "conv-1"),
        ("dossier%201", "dossier 1"),
        ("%C3%A9t%C3%A9", "été"),
        ("..%2F..%2Fetc", "../../etc"),
        ("a%22b'", "a\"b'"),
        ("%FF", None),
        ("%ED%A0%80", None),  # an encoded lone surrogate
        ("%C3", None),
    ],
)
def test_path_parameter_decodes_strictly(raw: str, expected: str | None) -> None:
    assert path_parameter(raw) == expected


@pytest.mark.parametrize(
    ("headers", "args", "expected"),
    [
        ({"authorization": f"Bearer {TOKEN}"}, {}, True),
        ({}, {"token": TOKEN}, True),
        ({"authorization": "Bearer \udcff\udcfe"}, {}, False),  # bytes 0xFF 0xFE as Sanic decodes them
        ({"authorization": "Bearer \ud800"}, {}, False),
        ({}, {"token": "\ufffd"}, False),
        ({"authorization": "Bearer " + "x" * 10_000}, {}, False),
        ({}, {}, False),
    ],
)
def test_the_token_check_never_fails_on_odd_bytes(
    monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], args: dict[str, str], expected: bool
) -> None:
    monkeypatch.setenv("AMIABLE_API_TOKEN", TOKEN)
    assert authorised(SimpleNamespace(headers=headers, args=args)) is expected  # type: ignore[arg-type]


def test_every_error_status_has_a_french_message() -> None:
    assert french_error_message(404) == SANIC_ERRORS[404]
    assert french_error_message(418) == "requête refusée"
    assert french_error_message(500) == french_error_message(502) == SERVER_ERROR


class Refused(Exception):
    """Stands for Rasa's ErrorResponse, which has its own handler."""



@pytest.fixture
async def base_url(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    def prepare(app: Sanic, _: int) -> None:
        app.config.REQUEST_MAX_SIZE = 1000

        @app.exception(Refused)
        async def refused(_: Request, exception: Exception) -> HTTPResponse:
            return response.json({"status": "failure", "message": str(exception)}, status=409)

        pages = Blueprint("pages_test", url_prefix="/webhooks/test")
        pages.listener("before_server_start")(install_error_pages)
        pages.listener("before_server_start")(install_error_pages)  # two channels install it: once is enough

        @pages.route("/only-post", methods=["POST"])
        async def only_post(request: Request) -> HTTPResponse:
            return response.json({"body": json_object(request)})

        @pages.route("/sanic-json", methods=["POST"])
        async def sanic_json(request: Request) -> HTTPResponse:
            return response.json({"body": request.json})  # Sanic's own InvalidUsage for a malformed body

        @pages.route("/boom", methods=["GET"])
        async def boom(_: Request) -> HTTPResponse:
            raise RuntimeError("secret internal detail")

        @pages.route("/refused", methods=["GET"])
        async def refuse(_: Request) -> HTTPResponse:
            raise Refused("refusé par Rasa")

        app.blueprint(pages)

    async with running_app(monkeypatch, prepare=prepare, before_start=True) as base:
        yield base


async def _send(method: str, url: str, data: bytes | None = None) -> tuple[int, dict[str, str], Any]:
    headers = {"Accept": "text/html", "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session, session.request(method, url, data=data, headers=headers) as answer:
        assert answer.content_type == "application/json", await answer.text()
        return answer.status, dict(answer.headers), await answer.json()


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("GET", "/inconnu/%3Cscript%3Ealert(1)%3C%2Fscript%3E", None, 404),
        ("GET", "/webhooks/test/only-post", None, 405),
        ("POST", "/webhooks/test/sanic-json", b'{"text": ', 400),
        ("GET", "/webhooks/test/boom", None, 500),
        ("POST", "/webhooks/test/only-post", b'{"text": "' + b"x" * 2000 + b'"}', 413),
    ],
)
async def test_sanic_errors_become_french_json_without_details(
    base_url: str, method: str, path: str, data: bytes | None, status: int
) -> None:
    got, headers, body = await _send(method, base_url + path, data)
    assert got == status and body == {"erreur": french_error_message(status)}
    text = str(body)
    assert "script" not in text and "secret" not in text and "RuntimeError" not in text and "URL" not in text
    if status == 405:
        assert "POST" in headers.get("Allow", "")


async def test_a_handler_of_our_own_or_of_rasa_still_answers(base_url: str) -> None:
    status, _, body = await _send("GET", f"{base_url}/webhooks/test/refused")
    assert status == 409 and body == {"status": "failure", "message": "refusé par Rasa"}
    status, _, body = await _send("POST", f"{base_url}/webhooks/test/only-post", b"[1, 2]")
    assert status == 200 and body == {"body": None}


def test_rasa_serves_the_channels_with_sanic_debug_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """`rasa run` (what `amiable run` and the stack start) builds the app with our credentials.yml and runs Sanic
    without debug: Sanic's error pages would otherwise carry tracebacks."""
    from rasa.core import run as rasa_run

    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")
    monkeypatch.setattr(Sanic, "test_mode", True)
    started: dict[str, Any] = {}

    def fake_run(app: Sanic, *_: Any, **options: Any) -> None:
        started.update(options, app=app)

    monkeypatch.setattr(Sanic, "run", fake_run)
    rasa_run.serve_application(credentials="credentials.yml", enable_api=True, auth_token=TOKEN, port=free_port())
    assert started, "Sanic was not started"
    assert not started.get("debug", False) and not started.get("auto_reload", False)
    assert started["app"].debug is False


def test_an_error_without_a_request_still_gets_french_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanic may report an error before it has a request (an unreadable request line)."""
    from sanic.exceptions import InvalidUsage

    monkeypatch.setattr(Sanic, "test_mode", True)
    app = Sanic(f"http_test_{uuid.uuid4().hex[:8]}", configure_logging=False)
    install_error_pages(app)
    for exception, status in ((InvalidUsage("Bad Request"), 400), (RuntimeError("secret"), 500)):
        handler = app.error_handler.lookup(exception, None)
        assert handler is not None
        answer = handler(None, exception)
        assert answer.status == status and b"secret" not in answer.body
        assert json.loads(answer.body) == {"erreur": french_error_message(status)}
