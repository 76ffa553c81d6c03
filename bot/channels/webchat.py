"""The debtors' after-hours web chat page, served by the Rasa server itself.

A page of our own rather than rasa-webchat (npm): three small static files (HTML, CSS, plain JS, no build,
no framework, nothing fetched from a CDN), so the page works offline on the loopback and in CI, is
reviewable line by line, and is accessible by construction (French `lang`, labelled field, keyboard only,
`aria-live` log). Debtor and bot texts are only ever set with `textContent`, never parsed as markup.

Declared in credentials.yml as a Rasa input channel (`bot.channels.webchat.WebChatPage`), the page is
served by `rasa run` under `/webhooks/webchat/`, on the same origin as the REST channel it talks to
(`/webhooks/rest/webhook`): no CORS, no extra port or process, started and stopped with the Rasa server.
This channel receives no messages itself; it only serves a fixed list of files (no path is ever joined
from the request, so there is no directory traversal).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import WEBCHAT_ROUTE

STATIC_DIR = Path(__file__).with_name("static")


@dataclass(frozen=True)
class Asset:
    filename: str
    content_type: str


_PAGE = Asset("index.html", "text/html; charset=utf-8")
ASSETS: dict[str, Asset] = {
    "": _PAGE,
    "index.html": _PAGE,
    "chat.js": Asset("chat.js", "text/javascript; charset=utf-8"),
    "chat.css": Asset("chat.css", "text/css; charset=utf-8"),
}

# Only our own files may run or be fetched; the page may only call its own origin (the REST webhook).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
NOT_FOUND = "Page introuvable."


def find_asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and content type served for `name` (relative to the page's URL), or None when not listed."""
    asset = ASSETS.get(name)
    if asset is None:
        return None
    return (STATIC_DIR / asset.filename).read_bytes(), asset.content_type


def serve(name: str) -> HTTPResponse:
    found = find_asset(name)
    if found is None:
        return response.text(NOT_FOUND, status=404, headers=SECURITY_HEADERS)
    body, content_type = found
    return response.raw(body, content_type=content_type, headers=SECURITY_HEADERS)


class WebChatPage(InputChannel):
    """Serves the web chat page; the page itself sends the debtor's messages to the REST channel."""

    @classmethod
    def name(cls) -> str:
        return WEBCHAT_ROUTE

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("amiable_webchat")

        @page.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            if not request.path.endswith("/"):  # relative links (chat.js, the webhook) need the slash
                return response.redirect(f"{request.path}/", status=301, headers=SECURITY_HEADERS)
            return serve("")

        @page.route("/<name>", methods=["GET"])
        async def asset(request: Request, name: str) -> HTTPResponse:
            return serve(name)

        return page
