from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import identification, store
from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import JournalKind
from bot.compliance.check import check_text, first_contact_mentions
from bot.identification import verification
from bot.journal import Journal


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


async def test_the_opening_follows_verification_with_every_first_contact_mention(
    sqlite_demo_store: CaseStore,
) -> None:
    case = load_demo_data().cases[0]
    texts, _ = await _run(
        identification.ActionVerifierIdentite(),
        _tracker(case.debtor.postcode, reference_dossier=case.reference, tentatives_verification=0),
    )
    assert texts[1] == "Comment puis-je vous aider ?"  # no broken promise on this case
    view = sqlite_demo_store.case_view(case.reference)
    assert view is not None and first_contact_mentions(texts[0], view) == []
    assert "démarche amiable" in texts[0] and "Vos réponses servent uniquement" in texts[0]
    assert check_text(texts[0]) == []


async def test_each_verification_attempt_is_journalled_on_the_case(sqlite_demo_store: CaseStore) -> None:
    case = load_demo_data().cases[3]
    await _run(identification.ActionVerifierIdentite(), _tracker("00000", reference_dossier=case.reference))
    entries = [e for e in Journal(sqlite_demo_store).entries(case.reference) if e.kind is JournalKind.VERIFICATION]
    assert [e.details for e in entries] == [{"verified": False, "conversation": "test"}]


# ---------------------------------------------------------------- lockout persisted across conversations


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def]
        return datetime(2026, 11, 26, 21, 40, 10)


async def _identify(text: str, sender: str, **slots: Any) -> tuple[list[str], dict[str, Any]]:
    tracker = _tracker(text, **slots)
    tracker.sender_id = sender
    texts, events = await _run(identification.ActionVerifierIdentite(), tracker)
    return texts, {event["name"]: event["value"] for event in events}


async def test_three_failures_in_three_conversations_lock_known_and_unknown_references_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(verification, "datetime", _FixedClock)
    monkeypatch.delenv("AMIABLE_LOCKOUT_MINUTES", raising=False)
    case = load_demo_data().cases[0]
    birth = case.debtor.birth_date.strftime("%d/%m/%Y")
    seen = {}
    for reference in (case.reference, "REC-1999-999999"):
        replies = []
        for conversation in range(3):  # a new conversation each time: nothing carried in the slots
            texts, slots = await _identify(
                f"{reference} né le 01/01/1901", f"{reference}-{conversation}", tentatives_verification=0
            )
            replies.append((texts, slots["identite_verifiee"], slots["nom_debiteur"]))
        texts, slots = await _identify(f"{reference} né le {birth}", f"{reference}-4", tentatives_verification=0)
        replies.append((texts, slots["identite_verifiee"], slots["nom_debiteur"]))
        seen[reference] = replies
    assert seen[case.reference] == seen["REC-1999-999999"]
    locked_texts, verified, name = seen[case.reference][-1]
    assert verified is False and name is None and len(locked_texts) == 1
    assert "Vous pourrez réessayer à partir de 22 h 11." in locked_texts[0]
    assert "du lundi au vendredi, de 9 h à 18 h" in locked_texts[0]
    assert case.debtor.last_name not in locked_texts[0]
    assert seen[case.reference][2][0] == locked_texts  # locked from the third failure on
