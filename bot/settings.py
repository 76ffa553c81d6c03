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
