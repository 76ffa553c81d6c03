from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.cases import CaseStore, migrate
from bot.cases.db import get_engine
from bot.cases.models import Base


def test_migrations_build_exactly_the_models_schema(empty_store_url: str) -> None:
    CaseStore(empty_store_url).migrate()
    with get_engine(empty_store_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrate_is_idempotent_and_reversible(empty_store_url: str) -> None:
    store = CaseStore(empty_store_url)
    store.migrate()
    store.migrate()
    tables = set(inspect(get_engine(empty_store_url)).get_table_names())
    assert {
        "cases",
        "debtors",
        "creditors",
        "arrangements",
        "schedule_lines",
        "payments",
        "disputes",
        "callback_tasks",
        "complaints",
        "journal_entries",
    } <= tables
    migrate.downgrade(empty_store_url)
    assert set(inspect(get_engine(empty_store_url)).get_table_names()) <= {"alembic_version"}
