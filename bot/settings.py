"""Runtime settings read from the environment (one place, documented in the README)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_PATH = Path("var") / "amiable.db"


def database_url() -> str:
    """The case store's SQLAlchemy URL: `AMIABLE_DB_URL`, else a SQLite file under ./var."""
    url = os.environ.get("AMIABLE_DB_URL", "").strip()
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


def api_token() -> str:
    """Token protecting Rasa's HTTP API (`AMIABLE_API_TOKEN`); a fixed local default for development."""
    return os.environ.get("AMIABLE_API_TOKEN", "amiable-dev-token")


def rasa_port() -> int:
    return int(os.environ.get("AMIABLE_RASA_PORT", "5005"))


def action_port() -> int:
    return int(os.environ.get("AMIABLE_ACTION_PORT", "5055"))


def rasa_host() -> str:
    """The interface `rasa run` listens on (`AMIABLE_RASA_HOST`): loopback unless a deployment opens it."""
    return os.environ.get("AMIABLE_RASA_HOST", "").strip() or "127.0.0.1"


def action_host() -> str:
    """The interface the action server listens on (`AMIABLE_ACTION_HOST`): loopback by default, so that only the
    Rasa server of this machine can call the actions (in containers, the compose file opens it to its network)."""
    return os.environ.get("AMIABLE_ACTION_HOST", "").strip() or "127.0.0.1"


def cors_origins() -> list[str]:
    """Other web origins allowed to call the Rasa server from a browser (`AMIABLE_CORS_ORIGINS`, comma-separated);
    none by default: the web chat, the console and the role-play page are served by Rasa itself."""
    return [origin.strip() for origin in os.environ.get("AMIABLE_CORS_ORIGINS", "").split(",") if origin.strip()]


DEFAULT_LOCKOUT_MINUTES = 30
MAX_LOCKOUT_MINUTES = 7 * 24 * 60
MAX_MESSAGE_CHARS = 1000


def _positive_int(name: str, default: int, maximum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ValueError(f"{name} doit être un nombre entier entre 1 et {maximum} (valeur lue : « {raw} »)")
    return value


def lockout_minutes() -> int:
    """How long a reference stays locked after three failed identifications (`AMIABLE_LOCKOUT_MINUTES`, 30)."""
    return _positive_int("AMIABLE_LOCKOUT_MINUTES", DEFAULT_LOCKOUT_MINUTES, MAX_LOCKOUT_MINUTES)


def max_message_chars() -> int:
    """The longest debtor message the bot reads (`AMIABLE_MAX_MESSAGE_CHARS`, default `MAX_MESSAGE_CHARS`)."""
    return _positive_int("AMIABLE_MAX_MESSAGE_CHARS", MAX_MESSAGE_CHARS, 100_000)
