from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import identification, store
from bot.cases import CaseStore
from bot.cases.demo import load_demo_data


def _tracker(text: str, **slots: Any) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=slots,
        latest_message={"text": text, "intent": {"name": "x"}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


@pytest.fixture(autouse=True)
def _use_demo_store(sqlite_demo_store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "case_store", lambda: sqlite_demo_store)
    monkeypatch.setattr(identification, "case_store", lambda: sqlite_demo_store)


async def _run(action: Any, tracker: Tracker) -> tuple[list[str], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return [message["text"] for message in dispatcher.messages], events


async def test_greeting_before_verification_asks_for_the_reference() -> None:
    texts, _ = await _run(identification.ActionSaluer(), _tracker("bonjour"))
    assert "référence" in texts[0] and "REC" in texts[0]


async def test_verification_then_greeting_and_balance_by_name() -> None:
    case = load_demo_data().cases[0]
    birth = case.debtor.birth_date.strftime("%d/%m/%Y")
    texts, events = await _run(
        identification.ActionVerifierIdentite(),
        _tracker(f"né le {birth}", reference_dossier=case.reference, tentatives_verification=0),
    )
    slots = {event["name"]: event["value"] for event in events}
    assert slots["identite_verifiee"] is True and case.debtor.last_name in texts[0]

    verified = {"identite_verifiee": True, "reference_dossier": case.reference}
    texts, _ = await _run(identification.ActionSaluer(), _tracker("bonjour", **verified))
    assert texts == [f"Bonjour {case.debtor.civility} {case.debtor.last_name} ! Comment puis-je vous aider ?"]

    texts, _ = await _run(identification.ActionDonnerSolde(), _tracker("combien je dois", **verified))
    assert case.reference in texts[0] and "Il reste" in texts[0]


async def test_balance_is_never_given_before_verification() -> None:
    case = load_demo_data().cases[0]
    texts, _ = await _run(
        identification.ActionDonnerSolde(),
        _tracker("combien je dois", reference_dossier=case.reference, identite_verifiee=False),
    )
    assert case.reference not in texts[0] and "€" not in texts[0]


async def test_a_broken_promise_is_raised_kindly_right_after_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIABLE_TODAY", "2026-11-22")
    case = next(c for c in load_demo_data().cases if c.reference == "REC-2026-000136")
    texts, _ = await _run(
        identification.ActionVerifierIdentite(),
        _tracker(f"{case.debtor.postcode}", reference_dossier=case.reference, tentatives_verification=0),
    )
    assert len(texts) == 2 and "3 échéances de votre accord n'ont pas pu être réglées" in texts[1]
    assert texts[1].endswith("?") and "Cela peut arriver" in texts[1]


async def test_no_broken_promise_message_for_a_case_without_one() -> None:
    case = load_demo_data().cases[0]
    texts, _ = await _run(
        identification.ActionVerifierIdentite(),
        _tracker(case.debtor.postcode, reference_dossier=case.reference, tentatives_verification=0),
    )
    assert len(texts) == 1
