from datetime import date

import pytest

from bot.cases import CaseStore
from bot.cases.demo import load_demo_data
from bot.identification import Status, verify_turn
from bot.identification.verification import find_birth_date, find_postcode, find_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je suis née le 3 mars 1985", date(1985, 3, 3)),
        ("03/03/1985", date(1985, 3, 3)),
        ("ma date de naissance : 1er janvier 1960", date(1960, 1, 1)),
        ("née le 12.04.1987", date(1987, 4, 12)),
        ("le 31/02/1990", None),
        ("REC-2026-000101", None),
    ],
)
def test_find_birth_date(text: str, expected: date | None) -> None:
    assert find_birth_date(text) == expected


def test_find_reference_and_postcode() -> None:
    assert find_reference("mon dossier c'est rec 2025 000987 merci") == "REC-2025-000987"
    assert find_postcode("REC-2025-000987 et j'habite au 69003") == "69003"
    assert find_postcode("REC-2025-000987") is None


def test_identification_flow_reveals_nothing_before_a_match(sqlite_demo_store: CaseStore) -> None:
    case = load_demo_data().cases[0]
    unknown = verify_turn(sqlite_demo_store, "mon dossier REC-1999-999999", None, 0)
    known = verify_turn(sqlite_demo_store, f"mon dossier {case.reference}", None, 0)
    assert unknown.status is known.status is Status.NEED_FACTOR
    assert unknown.reply == known.reply
    assert case.debtor.last_name not in known.reply

    wrong = verify_turn(sqlite_demo_store, "né le 01/01/1901", case.reference, 0)
    wrong_unknown = verify_turn(sqlite_demo_store, "né le 01/01/1901", "REC-1999-999999", 0)
    assert wrong.status is Status.FAILED and wrong.attempts == 1
    assert wrong.reply == wrong_unknown.reply

    birth = case.debtor.birth_date.strftime("%d/%m/%Y")
    verified = verify_turn(sqlite_demo_store, f"je suis né le {birth}", case.reference, 1)
    assert verified.status is Status.VERIFIED
    assert case.debtor.last_name in verified.reply


def test_three_failures_lock(sqlite_demo_store: CaseStore) -> None:
    case = load_demo_data().cases[0]
    outcome = verify_turn(sqlite_demo_store, "code postal 00000", case.reference, 2)
    assert outcome.status is Status.LOCKED
    birth = case.debtor.birth_date.strftime("%d/%m/%Y")
    still_locked = verify_turn(sqlite_demo_store, birth, case.reference, outcome.attempts)
    assert still_locked.status is Status.LOCKED
    assert case.debtor.last_name not in still_locked.reply
