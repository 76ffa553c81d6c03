"""A conversation continues after the Rasa server restarts: the tracker lives in the SQL tracker store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cases.demo import load_demo_data
from bot.serving import Stack, StackConfig
from tests.e2e.conftest import MODEL, TODAY, free_port, say

pytestmark = pytest.mark.e2e


def _stack(workdir: Path, database: str) -> Stack:
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  url: ${ACTION_SERVER_URL}\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {workdir / 'tracker.db'}\n",
        encoding="utf-8",
    )
    return Stack(
        StackConfig(
            model=MODEL,
            rasa_port=free_port(),
            action_port=free_port(),
            endpoints=endpoints,
            log_dir=workdir / "log",
            environment={"AMIABLE_DB_URL": database, "AMIABLE_TODAY": TODAY},
        )
    )


def test_the_conversation_goes_on_after_a_restart(tmp_path: Path, e2e_database: str) -> None:
    case = load_demo_data().cases[4]
    with _stack(tmp_path, e2e_database) as first:
        say(first, "restart-1", case.reference)
        verified = say(first, "restart-1", case.debtor.birth_date.strftime("%d/%m/%Y"))
        assert any("identité est vérifiée" in text for text in verified), verified
    with _stack(tmp_path, e2e_database) as second:  # new processes, same tracker store
        balance = say(second, "restart-1", "je voudrais connaître le détail de ma dette")
    assert any(case.reference in text and "Il reste" in text for text in balance), balance
