"""The case store shared by the actions, and a helper to call it off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from rasa_sdk import Tracker

from bot.cases import CaseStore
from bot.cases.schemas import CaseView

Result = TypeVar("Result")


@lru_cache(maxsize=1)
def case_store() -> CaseStore:
    return CaseStore()


def verified_reference(tracker: Tracker) -> str | None:
    """The case reference once the debtor is identified; None before."""
    return tracker.get_slot("reference_dossier") if tracker.get_slot("identite_verifiee") else None


def verified_case(tracker: Tracker) -> CaseView | None:
    """The identified debtor's case (blocking: call it through `off_loop`); None before identification."""
    reference = verified_reference(tracker)
    return case_store().case_view(reference) if reference else None


def turn_key(tracker: Tracker, what: str) -> str:
    """One idempotency key per conversation, debtor message and kind of write: a retry writes nothing twice."""
    message_id = (tracker.latest_message or {}).get("message_id") or str(len(tracker.events))
    return f"{what}:{tracker.sender_id}:{message_id}"[:80]


async def off_loop(function: Callable[..., Result], *arguments: object) -> Result:
    """Runs blocking case-store work in a thread so that other conversations keep flowing."""
    return await asyncio.to_thread(function, *arguments)
