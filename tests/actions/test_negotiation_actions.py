"""The confirmation action when the case store fails: nothing partial is written, the debtor is told so in
French and asked to confirm again, and the retry records the arrangement exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from actions import negotiation, store
from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.cases.models import Arrangement, Case, JournalEntry, JournalKind, ScheduleLine
from bot.compliance.check import check_text
from bot.negotiation import dialogue as talk

TODAY = "2026-11-22"


@pytest.fixture(autouse=True)
def _demo_store(sqlite_demo_store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIABLE_TODAY", TODAY)
    for module in (store, negotiation):
        monkeypatch.setattr(module, "case_store", lambda: sqlite_demo_store, raising=False)


def _lose_connection(_: Session) -> None:
    raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection unexpectedly"))


@contextmanager
def commits_failing() -> Iterator[None]:
    """Every commit of the case store fails, as when the database connection is lost at COMMIT."""
    event.listen(Session, "before_commit", _lose_connection)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", _lose_connection)


def _confirming(case_store: CaseStore, case_index: int = 0) -> tuple[str, Tracker]:
    """A tracker where the identified debtor chose option 2 and is about to say "oui"."""
    reference = load_demo_data().cases[case_index].reference
    case = case_store.case_view(reference)
    assert case is not None
    slots: dict[str, Any] = {talk.MONTANT_SUPPORTABLE: "60.00", talk.JOUR_PAIE: 5.0}
    options = talk.propose(case, slots, dt.date.fromisoformat(TODAY)).options
    assert len(options) >= 2
    tracker = Tracker(
        sender_id="confirm-test",
        slots={
            **slots,
            "identite_verifiee": True,
            "reference_dossier": reference,
            talk.OPTIONS: options,
            talk.OPTION_CHOISIE: 2.0,
        },
        latest_message={"text": "oui", "intent": {"name": "affirmer"}, "message_id": "m1"},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )
    return reference, tracker


async def _run(current: Tracker) -> tuple[list[str], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await negotiation.ActionConfirmer().run(dispatcher, current, {})
    return [message["text"] for message in dispatcher.messages], events


def _counts(case_store: CaseStore, reference: str) -> tuple[int, int, int, str]:
    """Arrangements, schedule lines, agreement journal entries and the case's status."""
    with case_store.session() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        arrangements = session.scalar(select(func.count()).select_from(Arrangement).where(Arrangement.case == case))
        lines = session.scalar(
            select(func.count()).select_from(ScheduleLine).join(Arrangement).where(Arrangement.case == case)
        )
        agreements = session.scalar(
            select(func.count())
            .select_from(JournalEntry)
            .where(JournalEntry.case == case, JournalEntry.kind == JournalKind.AGREEMENT)
        )
        return arrangements, lines, agreements, case.status.value


async def test_a_lost_database_at_commit_records_nothing_and_says_so(sqlite_demo_store: CaseStore) -> None:
    reference, tracker = _confirming(sqlite_demo_store)
    before = _counts(sqlite_demo_store, reference)
    with commits_failing():
        said, events = await _run(tracker)
    assert said == [negotiation.NOT_RECORDED]
    assert events == []  # the chosen option is kept, "accord_enregistre" is not set
    assert _counts(sqlite_demo_store, reference) == before


async def test_the_retry_after_the_failure_records_the_arrangement_once(sqlite_demo_store: CaseStore) -> None:
    reference, tracker = _confirming(sqlite_demo_store, case_index=1)
    before = _counts(sqlite_demo_store, reference)
    with commits_failing():
        assert (await _run(tracker))[0] == [negotiation.NOT_RECORDED]
    assert _counts(sqlite_demo_store, reference) == before
    said, events = await _run(tracker)
    assert any("Votre accord est enregistré" in text for text in said), said
    assert {"event": "slot", "name": "accord_enregistre", "value": True, "timestamp": None} in events
    arrangements, _, agreements, status = _counts(sqlite_demo_store, reference)
    assert (arrangements, agreements) == (before[0] + 1, before[2] + 1) and status == "accord"
    said, _ = await _run(tracker)  # the same confirmation delivered again: nothing more
    assert any("était déjà enregistré" in text for text in said), said
    assert _counts(sqlite_demo_store, reference)[0] == before[0] + 1


async def test_an_unreachable_database_is_a_clear_message_too(monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_store = store.case_store()
    _, tracker = _confirming(sqlite_store)
    down = CaseStore("postgresql+psycopg2://nobody@127.0.0.1:9/nothing?connect_timeout=2")
    monkeypatch.setattr(store, "case_store", lambda: down)
    monkeypatch.setattr(negotiation, "case_store", lambda: down)
    said, events = await _run(tracker)
    assert said == [negotiation.NOT_RECORDED] and events == []


async def test_a_plain_yes_without_a_chosen_option_needs_no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    _, tracker = _confirming(store.case_store())
    tracker.slots[talk.OPTION_CHOISIE] = None
    monkeypatch.setattr(store, "case_store", lambda: pytest.fail("the case store was called"))
    said, _ = await _run(tracker)
    assert said == [negotiation.ACKNOWLEDGED]


def test_the_message_is_french_compliant_and_asks_to_confirm_again() -> None:
    assert check_text(negotiation.NOT_RECORDED) == []
    assert "rien n'a été enregistré" in negotiation.NOT_RECORDED and "oui" in negotiation.NOT_RECORDED
