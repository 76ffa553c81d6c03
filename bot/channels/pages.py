"""Static pages served by a Rasa input channel: a fixed table of files (no path is ever joined from the
request, so there is no directory traversal), with strict security headers (only our own scripts and styles
run; the page may only call its own origin)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

STATIC_DIR = Path(__file__).with_name("static")

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


@dataclass(frozen=True)
class Asset:
    filename: str
    content_type: str


HTML, JS, CSS = "text/html; charset=utf-8", "text/javascript; charset=utf-8", "text/css; charset=utf-8"


class StaticPage:
    """One page and its assets, by the name the page's relative links use."""

    def __init__(self, assets: dict[str, Asset]) -> None:
        if "" not in assets:
            raise ValueError("a static page needs an index asset under the empty name")
        self.assets = assets

    def find(self, name: str) -> tuple[bytes, str] | None:
        """The bytes and content type served for `name` (relative to the page's URL), or None when not listed."""
        asset = self.assets.get(name)
        if asset is None:
            return None
        return (STATIC_DIR / asset.filename).read_bytes(), asset.content_type

    def serve(self, name: str) -> HTTPResponse:
        found = self.find(name)
        if found is None:
            return response.text(NOT_FOUND, status=404, headers=SECURITY_HEADERS)
        body, content_type = found
        return response.raw(body, content_type=content_type, headers=SECURITY_HEADERS)

    def index(self, request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):  # relative links (scripts, the API) need the slash
            return response.redirect(f"{request.path}/", status=301, headers=SECURITY_HEADERS)
        return self.serve("")

    def add_routes(self, blueprint: Blueprint) -> Blueprint:
        """GET / (the page) and GET /<name> (its assets) on a channel's blueprint."""

        async def index(request: Request) -> HTTPResponse:
            return self.index(request)

        async def asset(request: Request, name: str) -> HTTPResponse:
            return self.serve(name)

        blueprint.add_route(index, "/", methods=["GET"], name="page_index")
        blueprint.add_route(asset, "/<name>", methods=["GET"], name="page_asset")
        return blueprint
