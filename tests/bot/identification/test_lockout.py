"""Identification lockout persisted per submitted reference, on SQLite and PostgreSQL (the `demo_store` fixture)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from bot.cases import CaseStore
from bot.cases.db import get_engine
from bot.cases.demo import load_demo_data
from bot.cases.models import IdentificationAttempts
from bot.compliance.check import check_text
from bot.identification import MAX_ATTEMPTS, Outcome, Status, verify_turn
from bot.identification.lockout import locked_reply, lockout_duration, retry_time
from bot.identification.verification import FAILED

NOW = datetime(2026, 11, 26, 22, 14, 30)
LOCKOUT = timedelta(minutes=30)
UNKNOWN = "REC-1999-999999"
CASE = load_demo_data().cases[0]
BIRTH = CASE.debtor.birth_date.strftime("%d/%m/%Y")
WRONG = "je suis né le 01/01/1901"


def _turn(store: CaseStore, text: str, reference: str | None, attempts: int = 0, now: datetime = NOW) -> Outcome:
    return verify_turn(store, text, reference, attempts, now=now, lockout=LOCKOUT)


def _fail_three_times(store: CaseStore, reference: str, now: datetime = NOW) -> list[Outcome]:
    """Three failures, each in a NEW conversation (attempts 0): only the store can count them."""
    return [_turn(store, WRONG, reference, 0, now + timedelta(minutes=minute)) for minute in range(3)]


def _assert_discloses_nothing(outcome: Outcome) -> None:
    for secret in (CASE.debtor.last_name, CASE.debtor.first_name, CASE.debtor.postcode, BIRTH):
        assert secret not in outcome.reply
    assert outcome.display_name is None


def test_three_failures_in_separate_conversations_lock_the_reference(demo_store: CaseStore) -> None:
    first, second, third = _fail_three_times(demo_store, CASE.reference)
    assert (first.status, first.attempts) == (Status.FAILED, 1)
    assert (second.status, second.attempts) == (Status.FAILED, 2)
    assert third.status is Status.LOCKED
    assert third.locked_until == NOW + timedelta(minutes=2) + LOCKOUT
    assert "du lundi au vendredi, de 9 h à 18 h" in third.reply
    assert "Vous pourrez réessayer à partir de 22 h 47." in third.reply

    # While locked, even the right factor is not checked, and nothing is said about the case.
    right = _turn(demo_store, f"né le {BIRTH}", CASE.reference, 0, NOW + timedelta(minutes=10))
    assert right.status is Status.LOCKED and right.reply == third.reply
    _assert_discloses_nothing(right)
    only_reference = _turn(demo_store, f"mon dossier {CASE.reference}", None, 0, NOW + timedelta(minutes=10))
    assert only_reference.status is Status.LOCKED


def test_the_lock_survives_a_restart(demo_store: CaseStore) -> None:
    _fail_three_times(demo_store, CASE.reference)
    get_engine(demo_store.url).dispose()  # every pooled connection closed, as when the action server restarts
    restarted = CaseStore(demo_store.url)
    outcome = _turn(restarted, f"né le {BIRTH}", CASE.reference, 0, NOW + timedelta(minutes=20))
    assert outcome.status is Status.LOCKED
    _assert_discloses_nothing(outcome)


def test_the_lock_ends_after_the_configured_time_and_success_resets_the_count(demo_store: CaseStore) -> None:
    third = _fail_three_times(demo_store, CASE.reference)[-1]
    assert third.locked_until is not None
    just_before = _turn(demo_store, f"né le {BIRTH}", CASE.reference, 0, third.locked_until - timedelta(seconds=1))
    assert just_before.status is Status.LOCKED

    verified = _turn(demo_store, f"né le {BIRTH}", CASE.reference, 0, third.locked_until)
    assert verified.status is Status.VERIFIED and verified.attempts == 0

    # The success forgot the failures: two new failures do not lock.
    later = third.locked_until + timedelta(minutes=1)
    outcomes = [_turn(demo_store, WRONG, CASE.reference, 0, later) for _ in range(MAX_ATTEMPTS - 1)]
    assert [outcome.status for outcome in outcomes] == [Status.FAILED, Status.FAILED]


def test_an_expired_lock_gives_three_new_attempts(demo_store: CaseStore) -> None:
    until = _fail_three_times(demo_store, CASE.reference)[-1].locked_until
    assert until is not None
    again = [_turn(demo_store, WRONG, CASE.reference, 0, until + timedelta(minutes=minute)) for minute in range(3)]
    assert [outcome.status for outcome in again] == [Status.FAILED, Status.FAILED, Status.LOCKED]


def test_old_failures_are_forgotten(demo_store: CaseStore) -> None:
    _turn(demo_store, WRONG, CASE.reference, 0, NOW)
    _turn(demo_store, WRONG, CASE.reference, 0, NOW + timedelta(minutes=1))
    much_later = NOW + timedelta(minutes=1) + LOCKOUT
    outcome = _turn(demo_store, WRONG, CASE.reference, 0, much_later)
    assert (outcome.status, outcome.attempts) == (Status.FAILED, 1)


def test_failures_count_per_reference_and_locks_only_that_one(demo_store: CaseStore) -> None:
    other = load_demo_data().cases[1]
    _fail_three_times(demo_store, CASE.reference)
    other_birth = other.debtor.birth_date.strftime("%d/%m/%Y")
    outcome = _turn(demo_store, f"né le {other_birth}", other.reference, 0, NOW + timedelta(minutes=5))
    assert outcome.status is Status.VERIFIED


def test_the_reference_is_normalised_before_counting(demo_store: CaseStore) -> None:
    digits = CASE.reference.split("-")
    spellings = [f"rec {digits[1]} {digits[2]}", f"Rec-{digits[1]}-{digits[2]}", CASE.reference]
    outcomes = [_turn(demo_store, f"dossier {spelling}, né le 01/01/1901", None) for spelling in spellings]
    assert [outcome.status for outcome in outcomes] == [Status.FAILED, Status.FAILED, Status.LOCKED]
    with demo_store.session() as session:
        rows = session.execute(select(IdentificationAttempts.reference)).scalars().all()
    assert rows == [CASE.reference]


def test_three_failures_in_one_conversation_lock_even_across_references(demo_store: CaseStore) -> None:
    first = _turn(demo_store, WRONG, "REC-2000-000001", 0)
    second = _turn(demo_store, WRONG, "REC-2000-000002", first.attempts)
    third = _turn(demo_store, WRONG, CASE.reference, second.attempts)
    assert [first.status, second.status, third.status] == [Status.FAILED, Status.FAILED, Status.LOCKED]
    assert _turn(demo_store, f"né le {BIRTH}", CASE.reference, third.attempts).status is Status.LOCKED


@contextmanager
def _statements(store: CaseStore) -> Iterator[list[str]]:
    """The SQL the store sends (text only, parameters left out) while the block runs."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        seen.append(re.sub(r"\s+", " ", statement).strip())

    engine = get_engine(store.url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_unknown_references_get_the_same_replies_through_the_same_path(demo_store: CaseStore) -> None:
    """A known reference with a wrong factor and an unknown one: same replies, same queries, same lock."""
    conversation = [
        ("bonjour, mon dossier est {reference}", 0),
        (WRONG, 1),
        ("mon code postal est 00000", 2),
        ("je suis né le 02/02/1902", 3),
        (f"né le {BIRTH}", 20),  # the right factor of the known case, while locked
    ]
    runs = {}
    for reference in (CASE.reference, UNKNOWN):
        outcomes, queries, slot, remembered = [], [], 0, None
        for text, minute in conversation:
            with _statements(demo_store) as seen:
                outcome = _turn(
                    demo_store, text.format(reference=reference), remembered, slot, NOW + timedelta(minutes=minute)
                )
            outcomes.append(
                (outcome.status, outcome.reply, outcome.attempts, outcome.locked_until, outcome.display_name)
            )
            queries.append(seen)
            slot, remembered = outcome.attempts, outcome.reference
        runs[reference] = outcomes, queries
    known_outcomes, known_queries = runs[CASE.reference]
    unknown_outcomes, unknown_queries = runs[UNKNOWN]
    assert known_outcomes == unknown_outcomes
    assert [status for status, *_ in known_outcomes] == [
        Status.NEED_FACTOR,
        Status.FAILED,
        Status.FAILED,
        Status.LOCKED,
        Status.LOCKED,
    ]
    assert known_queries == unknown_queries
    assert all(queries for queries in known_queries[1:4])  # the failures did go to the database


def test_concurrent_failures_on_one_reference_are_all_counted(demo_store: CaseStore) -> None:
    def fail(_: int) -> Outcome:
        return verify_turn(CaseStore(demo_store.url), WRONG, UNKNOWN, 0, now=NOW, lockout=LOCKOUT)

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(fail, range(6)))
    statuses = sorted(outcome.status.value for outcome in outcomes)
    assert statuses.count(Status.FAILED.value) == MAX_ATTEMPTS - 1
    assert statuses.count(Status.LOCKED.value) == 6 - (MAX_ATTEMPTS - 1)
    state = demo_store.register_identification_failure(UNKNOWN, now=NOW, lockout=LOCKOUT, max_attempts=MAX_ATTEMPTS)
    assert state.failures == MAX_ATTEMPTS and state.locked_until == NOW + LOCKOUT


def test_the_lockout_duration_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMIABLE_LOCKOUT_MINUTES", raising=False)
    assert lockout_duration() == timedelta(minutes=30)
    monkeypatch.setenv("AMIABLE_LOCKOUT_MINUTES", "45")
    assert lockout_duration() == timedelta(minutes=45)
    for wrong in ("0", "-5", "trente", "1.5"):
        monkeypatch.setenv("AMIABLE_LOCKOUT_MINUTES", wrong)
        with pytest.raises(ValueError, match="AMIABLE_LOCKOUT_MINUTES"):
            lockout_duration()


def test_verify_turn_uses_the_configured_lockout(sqlite_demo_store: CaseStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMIABLE_LOCKOUT_MINUTES", "5")
    outcomes = [verify_turn(sqlite_demo_store, WRONG, UNKNOWN, 0, now=NOW) for _ in range(MAX_ATTEMPTS)]
    assert outcomes[-1].locked_until == NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (datetime(2026, 11, 26, 22, 44, 30), "à partir de 22 h 45"),
        (datetime(2026, 11, 26, 9, 5), "à partir de 9 h 05"),
        (datetime(2026, 11, 26, 23, 59, 59), "demain à partir de 0 h 00"),
        (datetime(2026, 11, 27, 0, 10), "demain à partir de 0 h 10"),
        (datetime(2026, 12, 1, 8, 0), "à partir du 1er décembre 2026 à 8 h 00"),
    ],
)
def test_retry_time_in_french_never_before_the_end_of_the_lock(until: datetime, expected: str) -> None:
    assert retry_time(until, NOW) == expected


def test_the_texts_are_compliant() -> None:
    for text in (locked_reply(NOW + LOCKOUT, NOW), FAILED):
        assert check_text(text) == []
