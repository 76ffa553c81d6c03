"""Migration 0003: identification lockout and satisfaction tables, up, down and up again on both backends."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.cases import CaseStore, migrate
from bot.cases.db import get_engine
from bot.cases.demo import load_demo_data, seed
from bot.cases.models import Base

NEW_TABLES = {"identification_attempts", "satisfaction_ratings"}


def test_migration_0003_up_down_up(empty_store_url: str) -> None:
    engine = get_engine(empty_store_url)
    migrate.upgrade(empty_store_url, "0002")
    store = CaseStore(empty_store_url)
    with store.session() as session:
        seed(session, load_demo_data())
    assert not NEW_TABLES & set(inspect(engine).get_table_names())

    migrate.upgrade(empty_store_url)
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) >= NEW_TABLES
    assert {c["name"] for c in inspector.get_columns("satisfaction_ratings")} == {
        "id",
        "case_id",
        "conversation_id",
        "rating",
        "created_at",
    }
    assert [fk["referred_table"] for fk in inspector.get_foreign_keys("satisfaction_ratings")] == ["cases"]
    assert not inspector.get_foreign_keys("identification_attempts")  # unknown references are counted too
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []

    now = datetime(2026, 11, 26, 22, 0)
    state = store.register_identification_failure(
        "REC-1999-999999", now=now, lockout=timedelta(minutes=30), max_attempts=3
    )
    assert state.failures == 1
    store.record_satisfaction("web-1", 4, reference="REC-2026-000101")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text("INSERT INTO identification_attempts (reference, failures) VALUES ('REC-1999-999999', 0)")
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("INSERT INTO identification_attempts (reference, failures) VALUES ('REC-1', -1)"))

    migrate.downgrade(empty_store_url, "0002")
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    with engine.connect() as connection:  # the case store itself is untouched
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar_one() == len(load_demo_data().cases)
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"

    migrate.upgrade(empty_store_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.execute(text("SELECT count(*) FROM satisfaction_ratings")).scalar_one() == 0
