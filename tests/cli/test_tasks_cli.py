"""`amiable tasks list|done`: the callback tasks in French, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cases import CaseStore
from bot.cli import main

CASE = "REC-2026-000101"


def amiable(argv: Sequence[str]) -> int:
    """`amiable tasks …` through the real entry point."""
    return main(list(argv))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CaseStore:
    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["cases", "migrate"]) == 0
    assert main(["cases", "seed"]) == 0
    return CaseStore()


def _callbacks(store: CaseStore) -> dict[str, int]:
    soon = datetime.now() + timedelta(days=1)
    ids = {
        "later": store.request_callback(
            CASE,
            reason="vulnerabilite",
            summary="Signale une hospitalisation ; aucune proposition faite.",
            idempotency_key="k-later",
            due_at=soon.replace(hour=10, minute=0, second=0, microsecond=0),
        ).id,
        "overdue": store.request_callback(
            None,
            reason="conseiller",
            summary="Demande un conseiller avant toute identification.\x1b[31m rouge\x1b[0m\nligne 2 " + "x" * 80,
            idempotency_key="k-overdue",
            due_at=datetime(2020, 1, 6, 9, 5),
        ).id,
        "done": store.request_callback(
            CASE, reason="budget", summary="Point budget.", idempotency_key="k-done", due_at=datetime(2021, 3, 1, 10)
        ).id,
    }
    store.mark_callback_done(ids["done"])
    return ids


def test_list_shows_the_tasks_to_do_first_due_first(store: CaseStore, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _callbacks(store)
    capsys.readouterr()
    assert amiable(["tasks", "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["N°", "Rappel", "prévu", "Motif", "Dossier", "Statut", "Résumé"]
    overdue, continued, later = lines[1], lines[2:4], lines[4]
    assert overdue.startswith(str(ids["overdue"])) and later.startswith(str(ids["later"]))
    assert "06/01/2020 9 h 05" in overdue and "demande à parler à un conseiller" in overdue
    assert "non identifié" in overdue and "à faire (en retard)" in overdue
    assert "\x1b" not in out  # no terminal escape sequence reaches the terminal
    column = overdue.index("Demande un conseiller")
    assert all(not line[:column].strip() and len(line) <= column + 60 for line in continued)  # wrapped in place
    summary = " ".join(line[column:] for line in [overdue, *continued])
    assert (
        summary.replace("x ", "x")
        == "Demande un conseiller avant toute identification. [31m rouge [0m ligne 2 " + "x" * 80
    )
    assert lines[5] == "" and len(lines) == 7
    assert CASE in later and "situation de vulnérabilité" in later and "Signale une hospitalisation" in later
    assert "10 h 00" in later and "en retard" not in later
    assert "Point budget" not in out  # done: only with --all
    assert out.rstrip().endswith("2 rappels à faire.")


def test_list_all_and_json(store: CaseStore, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _callbacks(store)
    capsys.readouterr()
    assert amiable(["tasks", "list", "--all"]) == 0
    out = capsys.readouterr().out
    done_line = next(line for line in out.splitlines() if line.startswith(str(ids["done"])))
    assert "point sur le budget" in done_line and "fait" in done_line and "à faire" not in done_line
    assert out.rstrip().endswith("2 rappels à faire sur 3.")

    assert amiable(["tasks", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [task["id"] for task in data] == [ids["overdue"], ids["later"]]
    assert data[0]["reference"] is None and data[0]["reason"] == "conseiller" and data[0]["status"] == "a_faire"
    assert data[0]["summary"].endswith("x" * 80) and "\x1b[31m" in data[0]["summary"]  # full text, JSON-escaped
    assert data[0]["due_at"] == "2020-01-06T09:05"
    assert data[1]["reference"] == CASE and data[1]["reason_label"] == "situation de vulnérabilité"
    assert amiable(["tasks", "list", "--all", "--json"]) == 0
    assert {task["status"] for task in json.loads(capsys.readouterr().out)} == {"a_faire", "fait"}


def test_done_marks_a_task_once_and_refuses_an_unknown_one(
    store: CaseStore, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _callbacks(store)
    capsys.readouterr()
    assert amiable(["tasks", "done", str(ids["later"])]) == 0
    assert (
        capsys.readouterr().out.strip()
        == f"Rappel n° {ids['later']} (situation de vulnérabilité, dossier {CASE}) marqué comme fait."
    )
    assert amiable(["tasks", "done", str(ids["later"])]) == 0
    assert capsys.readouterr().out.strip() == f"Le rappel n° {ids['later']} était déjà marqué comme fait."
    assert [task.id for task in store.callback_tasks()] == [ids["overdue"]]
    assert amiable(["tasks", "done", "999"]) == 1
    assert capsys.readouterr().err.strip() == "Aucun rappel n° 999."
    with pytest.raises(SystemExit):
        amiable(["tasks", "done", "premier"])
    assert "numéro de rappel invalide « premier »" in capsys.readouterr().err


def test_empty_lists(store: CaseStore, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert amiable(["tasks", "list"]) == 0
    assert capsys.readouterr().out.strip() == "Aucun rappel à faire."
    assert amiable(["tasks", "list", "--all"]) == 0
    assert capsys.readouterr().out.strip() == "Aucun rappel enregistré."
    assert amiable(["tasks", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
