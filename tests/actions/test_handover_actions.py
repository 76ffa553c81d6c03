"""Hand-over triggers in the actions: persistent anger, two misunderstandings, a wish to speak to a person."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import handover, interruptions, listening, store
from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import CallbackTask


def user(intent: str, emotion: str = "neutre", text: str = "…") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "emotion": {"name": emotion}}}


def tracker(events: list[dict[str, Any]], **slots: Any) -> Tracker:
    latest = events[-1]
    return Tracker(
        sender_id="handover-test",
        slots=slots,
        latest_message={"text": latest["text"], **latest["parse_data"], "message_id": str(len(events))},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


@pytest.fixture(autouse=True)
def _demo_store(sqlite_demo_store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (store, handover, interruptions, listening):
        monkeypatch.setattr(module, "case_store", lambda: sqlite_demo_store, raising=False)


def tasks(case_store: CaseStore) -> list[CallbackTask]:
    with case_store.session() as session:
        rows = session.scalars(select(CallbackTask).order_by(CallbackTask.id)).all()
        session.expunge_all()
        return list(rows)


async def run(action: Any, current: Tracker) -> list[str]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, current, {})
    return [message["text"] for message in dispatcher.messages if message.get("text")]


async def test_the_third_angry_message_in_a_row_hands_over(sqlite_demo_store: CaseStore) -> None:
    reference = load_demo_data().cases[0].reference
    verified = {"identite_verifiee": True, "reference_dossier": reference}
    angry = [user("se_plaindre", "colere", "vous m'appelez sans arrêt, c'est insupportable")]
    before = len(tasks(sqlite_demo_store))
    await run(listening.ActionEcouter(), tracker(angry * 2, **verified))
    assert len(tasks(sqlite_demo_store)) == before
    said = await run(listening.ActionEcouter(), tracker(angry * 3, **verified))
    created = tasks(sqlite_demo_store)[before:]
    assert [task.reason for task in created] == ["colere"]
    assert created[0].summary.startswith("Motif du rappel : colère persistante")
    assert any("conseiller vous rappelle" in text for text in said)


async def test_the_second_misunderstanding_in_a_row_hands_over(sqlite_demo_store: CaseStore) -> None:
    before = len(tasks(sqlite_demo_store))
    assert await run(interruptions.ActionIncomprehension(), tracker([user("nlu_fallback")])) == []
    said = await run(interruptions.ActionIncomprehension(), tracker([user("nlu_fallback")] * 2))
    created = tasks(sqlite_demo_store)[before:]
    assert [(task.reason, task.case_id) for task in created] == [("incomprehension", None)]
    assert any("conseiller vous rappelle" in text for text in said)


async def test_asking_for_a_person_and_a_contestation_each_create_a_callback(sqlite_demo_store: CaseStore) -> None:
    reference = load_demo_data().cases[2].reference
    verified = {"identite_verifiee": True, "reference_dossier": reference}
    before = len(tasks(sqlite_demo_store))
    await run(interruptions.ActionDemanderConseiller(), tracker([user("demander_conseiller")], **verified))
    contest = [user("demander_conseiller"), user("contester_dette", text="ce n'est pas ma dette")]
    await run(interruptions.ActionEnregistrerContestation(), tracker(contest, **verified))
    assert [task.reason for task in tasks(sqlite_demo_store)[before:]] == ["conseiller", "contestation"]
