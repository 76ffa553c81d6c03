"""Shared fixtures: case stores on SQLite and on the local PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from bot.cases import CaseStore
from bot.cases.db import get_engine
from bot.cases.demo import load_demo_data, seed

POSTGRES_ADMIN_URL = os.environ.get("AMIABLE_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away database on the local PostgreSQL server, dropped at the end of the run."""
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"amiable_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"PostgreSQL injoignable sur {POSTGRES_ADMIN_URL} : {error}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    get_engine(url).dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_store_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The URL of an empty database (no tables) on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cases.db'}"
    url = request.getfixturevalue("postgres_database")
    _reset_postgres(url)
    return url


@pytest.fixture
def store(empty_store_url: str) -> CaseStore:
    """A migrated, empty case store."""
    case_store = CaseStore(empty_store_url)
    case_store.migrate()
    return case_store


@pytest.fixture
def demo_store(store: CaseStore) -> CaseStore:
    """A case store holding the demo data."""
    with store.session() as session:
        seed(session, load_demo_data())
    return store


@pytest.fixture
def sqlite_demo_store(tmp_path) -> CaseStore:  # type: ignore[no-untyped-def]
    case_store = CaseStore(f"sqlite:///{tmp_path / 'demo.db'}")
    case_store.migrate()
    with case_store.session() as session:
        seed(session, load_demo_data())
    return case_store
