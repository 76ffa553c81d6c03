"""The agent console page, served by the Rasa server itself (declared in credentials.yml as
`bot.channels.console.AgentConsolePage`, at /webhooks/console/).

Three static files (HTML, CSS, plain JS; nothing fetched from elsewhere). The page holds no data: it asks the
agent for the access token and then calls the token-protected assist API on the same origin
(/webhooks/assist/...): conversation, suggestions, case panel, draft check. Every text is set with
`textContent`, so a debtor message containing markup or script is shown as text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from bot.channels import CONSOLE_ROUTE
from bot.channels.http import install_error_pages
from bot.channels.pages import CSS, HTML, JS, Asset, StaticPage

_INDEX = Asset("console.html", HTML)
CONSOLE_PAGE = StaticPage(
    {
        "": _INDEX,
        "index.html": _INDEX,
        "console.js": Asset("console.js", JS),
        "console.css": Asset("console.css", CSS),
    }
)


class AgentConsolePage(InputChannel):
    """Serves the agent console; the page itself talks to the assist channel."""

    @classmethod
    def name(cls) -> str:
        return CONSOLE_ROUTE

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("amiable_agent_console")
        page.listener("before_server_start")(install_error_pages)  # French JSON for Sanic's own errors
        CONSOLE_PAGE.add_routes(page)
        return page
