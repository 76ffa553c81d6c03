"""What the channels served by the Rasa server share: the token check, French JSON errors, a JSON body that is an
object or nothing, text fields and path parameters read defensively, and French JSON error pages for what Sanic
answers itself (unknown address, wrong method, unreadable body, body too large, unexpected failure)."""

from __future__ import annotations

import hmac
import re
from typing import Any
from urllib.parse import unquote

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings

UNAUTHORISED = "jeton manquant ou invalide"
# C0 and C1 control characters, DEL; tab, line feed and carriage return are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

SANIC_ERRORS = {
    400: "requête invalide : le corps doit être un objet JSON lisible",
    401: "authentification requise",
    403: "accès refusé",
    404: "adresse introuvable",
    405: "méthode non autorisée pour cette adresse",
    408: "délai de requête dépassé",
    413: "requête trop volumineuse",
    414: "adresse trop longue",
    416: "plage demandée invalide",
    431: "en-têtes de requête trop volumineux",
    503: "service momentanément indisponible : réessayez dans un instant",
}
CLIENT_ERROR = "requête refusée"
SERVER_ERROR = "erreur interne du serveur : réessayez dans un instant"
_INSTALLED = "amiable_french_error_pages"


def authorised(request: Request) -> bool:
    """The API token (`AMIABLE_API_TOKEN`), given as `Authorization: Bearer …` or `?token=`."""
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or request.args.get("token")
    if not given:
        return False
    # A header may carry any byte (decoded as surrogates): compare bytes, never fail on the encoding.
    return hmac.compare_digest(str(given).encode("utf-8", "surrogatepass"), settings.api_token().encode())


def error(message: str, status: int) -> HTTPResponse:
    return response.json({"erreur": message}, status=status)


def json_object(request: Request) -> dict[str, Any] | None:
    """The request's JSON body when it is an object; None when it is missing, malformed or another type."""
    try:
        body = request.json
    except Exception:  # noqa: BLE001 — sanic raises its own error types for bad JSON
        return None
    return body if isinstance(body, dict) else None


def valid_unicode(value: str) -> bool:
    """False when `value` holds a lone surrogate (JSON allows "\\ud800"; it cannot be stored or shown)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(value: Any) -> str | None:
    """A non-empty text with its control characters turned into spaces; None for another type, a text that is
    empty once cleaned, or one that is not valid Unicode."""
    if not isinstance(value, str) or not valid_unicode(value):
        return None
    cleaned = _CONTROL.sub(" ", value)
    return cleaned if cleaned.strip() else None


def text_field(body: dict[str, Any], name: str) -> str | None:
    return clean_text(body.get(name))


def path_parameter(raw: str) -> str | None:
    """A path parameter as the client meant it (Sanic leaves it percent-encoded); None when it does not decode
    to valid UTF-8."""
    try:
        value = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    return value if valid_unicode(value) else None


def french_error_message(status: int) -> str:
    if status in SANIC_ERRORS:
        return SANIC_ERRORS[status]
    return SERVER_ERROR if status >= 500 else CLIENT_ERROR


def install_error_pages(app: Sanic, *_: Any) -> None:
    """Makes every error Sanic answers itself a French JSON `{"erreur": …}` (instead of its English text or HTML
    page), for the whole Rasa server. Sanic's own handler still logs the failure and sets the status and headers
    (e.g. `Allow`); its body, which may repeat the request's address, is dropped. Rasa's API keeps its own error
    answers (they are handled before this one). A `before_server_start` listener, idempotent."""
    if getattr(app.ctx, _INSTALLED, False):
        return
    handler = app.error_handler

    def french_error(request: Request | None, exception: Exception) -> HTTPResponse:
        if request is None:  # the request line itself could not be read
            status = getattr(exception, "status_code", 500) if isinstance(exception, SanicException) else 500
            return response.json({"erreur": french_error_message(status)}, status=status)
        sanic_answer = handler.default(request, exception)
        headers = {
            name: value
            for name, value in sanic_answer.headers.items()
            if name.lower() not in ("content-type", "content-length")
        }
        status = sanic_answer.status
        return response.json({"erreur": french_error_message(status)}, status=status, headers=headers)

    handler.add(Exception, french_error)
    app.register_middleware(guard_rasa_text_routes, "request")
    setattr(app.ctx, _INSTALLED, True)


RASA_TEXT_ROUTES = re.compile(r"^/(?:model/parse|conversations/[^/]+/messages)/?$")
RASA_TEXT_EXPECTED = 'attendu : un objet JSON {"text": "…"} (et "sender" : une chaîne, pour /messages)'


async def guard_rasa_text_routes(request: Request) -> HTTPResponse | None:
    """Rasa's own `POST /model/parse` and `POST /conversations/<id>/messages` answer 500 (with Python's error
    text) to a body that is not an object with a text; an authorised request with such a body gets a French 400
    here instead. Everything else goes on to Rasa untouched (an unauthorised one gets Rasa's 401)."""
    if request.method != "POST" or not RASA_TEXT_ROUTES.match(request.path) or not authorised(request):
        return None
    body = json_object(request)
    text, sender = (body.get("text"), body.get("sender", "user")) if body is not None else (None, None)
    if not isinstance(text, str) or not valid_unicode(text) or not isinstance(sender, str):
        return error(RASA_TEXT_EXPECTED, 400)
    return None
