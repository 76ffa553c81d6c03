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
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from bot.channels import WEBCHAT_ROUTE
from bot.channels.http import install_error_pages
from bot.channels.pages import CSS, HTML, JS, Asset, StaticPage

_INDEX = Asset("index.html", HTML)
WEBCHAT_PAGE = StaticPage(
    {"": _INDEX, "index.html": _INDEX, "chat.js": Asset("chat.js", JS), "chat.css": Asset("chat.css", CSS)}
)


class WebChatPage(InputChannel):
    """Serves the web chat page; the page itself sends the debtor's messages to the REST channel."""

    @classmethod
    def name(cls) -> str:
        return WEBCHAT_ROUTE

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("amiable_webchat")
        page.listener("before_server_start")(install_error_pages)  # French JSON for Sanic's own errors
        WEBCHAT_PAGE.add_routes(page)
        return page
