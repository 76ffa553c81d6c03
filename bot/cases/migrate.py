"""Alembic migrations of the case store, run from code (no alembic.ini to carry around)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.cases.db import get_engine
from bot.settings import database_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def _run(operation: Callable[[Config, str], None], url: str | None, revision: str) -> None:
    """Runs an Alembic command on the store's engine, in one transaction."""
    engine = get_engine(url or database_url())
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        operation(config, revision)


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Brings the database at `url` to `revision` (idempotent)."""
    _run(command.upgrade, url, revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    _run(command.downgrade, url, revision)
