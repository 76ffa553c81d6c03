"""What the token-protected channels (assist API, role-play API) share: the token check, French JSON errors, a
JSON body that is an object or nothing."""

from __future__ import annotations

import hmac
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings

UNAUTHORISED = "jeton manquant ou invalide"


def authorised(request: Request) -> bool:
    """The API token (`AMIABLE_API_TOKEN`), given as `Authorization: Bearer …` or `?token=`."""
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or request.args.get("token")
    return bool(given) and hmac.compare_digest(str(given).encode(), settings.api_token().encode())


def error(message: str, status: int) -> HTTPResponse:
    return response.json({"erreur": message}, status=status)


def json_object(request: Request) -> dict[str, Any] | None:
    """The request's JSON body when it is an object; None when it is missing, malformed or another type."""
    try:
        body = request.json
    except Exception:  # noqa: BLE001 — sanic raises its own error types for bad JSON
        return None
    return body if isinstance(body, dict) else None


def text_field(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    return value if isinstance(value, str) and value.strip() else None
