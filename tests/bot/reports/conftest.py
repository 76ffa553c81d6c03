from __future__ import annotations

from pathlib import Path

import pytest

from bot.cases import CaseStore
from tests.bot.reports import dataset


@pytest.fixture
def sqlite_store(tmp_path: Path) -> CaseStore:
    """A migrated, empty SQLite case store."""
    store = CaseStore(f"sqlite:///{tmp_path / 'kpis.db'}")
    store.migrate()
    return store


@pytest.fixture
def kpi_store(sqlite_store: CaseStore) -> CaseStore:
    """The hand-built dataset of `tests/bot/reports/dataset.py` in a SQLite store."""
    dataset.build(sqlite_store)
    return sqlite_store
