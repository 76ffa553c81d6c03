"""One identification turn: what the debtor gave, what is still missing, and the French reply.

Nothing in a reply depends on whether the reference exists until a factor matches, so a failed
attempt never discloses a case.

Failed attempts are counted in the case store per submitted reference (normalised, known or not), so neither a
new conversation nor a restart resets them: three failures lock that reference for `AMIABLE_LOCKOUT_MINUTES`.
An unknown reference goes through exactly the same steps (lock check, factor check, failure count) as a known
one with a wrong factor, and gets the same replies.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

from bot.cases import CaseStore
from bot.cases.schemas import REFERENCE_PATTERN
from bot.identification.lockout import locked_reply, lockout_duration

MAX_ATTEMPTS = 3
REFERENCE_IN_TEXT = re.compile(r"\brec[\s-]?(\d{4})[\s-]?(\d{6})\b", re.IGNORECASE)
POSTCODE_IN_TEXT = re.compile(r"(?<!\d)(\d{5})(?!\d)")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
DATE_PARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
}


class Status(str, enum.Enum):
    NEED_REFERENCE = "need_reference"
    NEED_FACTOR = "need_factor"
    VERIFIED = "verified"
    FAILED = "failed"
    LOCKED = "locked"


@dataclass(frozen=True)
class Outcome:
    """One turn's result. `attempts` is the conversation's failure count to remember (the slot): back to 0 once
    a lock is set (the store then holds it) or after a success."""

    status: Status
    reply: str
    reference: str | None
    attempts: int
    display_name: str | None = None
    locked_until: datetime | None = None


def find_reference(text: str) -> str | None:
    match = REFERENCE_IN_TEXT.search(text)
    return f"REC-{match.group(1)}-{match.group(2)}" if match else None


def normalise_reference(reference: str | None) -> str | None:
    if not reference:
        return None
    found = find_reference(reference)
    return found if found and REFERENCE_PATTERN.match(found) else None


def find_birth_date(text: str) -> date | None:
    """A full date (day, month, year) in French: "3 mars 1985", "03/03/1985", "le 3/3/85" is refused."""
    numeric = NUMERIC_DATE.search(text)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    without_reference = REFERENCE_IN_TEXT.sub(" ", text)
    match = re.search(r"\b\d{1,2}(?:er)?\s+[a-zéû]+\.?\s+\d{4}\b", without_reference, flags=re.IGNORECASE)
    if not match:
        return None
    parsed = dateparser.parse(match.group(0), languages=["fr"], settings=DATE_PARSER_SETTINGS)
    return parsed.date() if parsed else None


def find_postcode(text: str) -> str | None:
    match = POSTCODE_IN_TEXT.search(REFERENCE_IN_TEXT.sub(" ", text))
    return match.group(1) if match else None


ASK_REFERENCE = (
    "Pour protéger vos données, j'ai d'abord besoin de retrouver votre dossier : pouvez-vous m'indiquer "
    "sa référence (elle commence par REC, par exemple REC-2026-000123) ?"
)
ASK_FACTOR = (
    "Merci. Pour vérifier votre identité, pouvez-vous m'indiquer votre date de naissance "
    "(par exemple 14/02/1980) ou le code postal de votre adresse ?"
)
FAILED = (
    "Je ne parviens pas à vérifier ces informations. Pouvez-vous vérifier la référence du dossier et "
    "m'indiquer à nouveau votre date de naissance ou votre code postal ?"
)


def verify_turn(
    store: CaseStore,
    text: str,
    reference: str | None,
    attempts: int,
    *,
    now: datetime | None = None,
    lockout: timedelta | None = None,
) -> Outcome:
    """Takes the reference and factor found in `text` (or remembered) and checks them against the store.

    `attempts` is what the conversation has failed so far (on any reference); `now` and `lockout` default to the
    clock and the configured pause.
    """
    now = now or datetime.now()
    lockout = lockout or lockout_duration()
    reference = find_reference(text) or normalise_reference(reference)
    if reference is None:
        return Outcome(Status.NEED_REFERENCE, ASK_REFERENCE, None, attempts)
    locked_until = store.identification_locked_until(reference, now=now)
    if locked_until is not None:
        return Outcome(Status.LOCKED, locked_reply(locked_until, now), reference, 0, locked_until=locked_until)
    birth_date, postcode = find_birth_date(text), find_postcode(text)
    if birth_date is None and postcode is None:
        return Outcome(Status.NEED_FACTOR, ASK_FACTOR, reference, attempts)
    if store.verify(reference, birth_date=birth_date, postcode=postcode):
        store.clear_identification_failures(reference)
        case = store.case_view(reference)
        assert case is not None
        reply = f"Merci {case.debtor_display_name}, votre identité est vérifiée. Comment puis-je vous aider ?"
        return Outcome(Status.VERIFIED, reply, reference, 0, case.debtor_display_name)
    state = store.register_identification_failure(
        reference, now=now, lockout=lockout, max_attempts=MAX_ATTEMPTS, conversation_failures=attempts
    )
    if state.locked_until is not None:
        return Outcome(
            Status.LOCKED, locked_reply(state.locked_until, now), reference, 0, locked_until=state.locked_until
        )
    return Outcome(Status.FAILED, FAILED, reference, max(state.failures, attempts + 1))
