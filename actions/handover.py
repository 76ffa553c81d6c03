"""Hand-over to a person: a callback task with the conversation's summary, recorded once per key."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Tracker

from actions.store import case_store, off_loop, verified_reference
from bot.handover import HandoverReason, conversation_summary
from bot.negotiation.interruptions import callback_due
from bot.nlu.reference_date import reference_date


def _slots(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.slots)


async def hand_over(tracker: Tracker, reason: HandoverReason, key: str) -> dt.datetime:
    """Records a callback task with the conversation's summary; returns when the debtor will be called."""
    due = callback_due(dt.datetime.combine(reference_date(), dt.datetime.now().time()))
    summary = conversation_summary(tracker.events, _slots(tracker), reason.label)
    await off_loop(
        lambda: case_store().request_callback(
            verified_reference(tracker), reason=reason.value, summary=summary, idempotency_key=key[:80], due_at=due
        )
    )
    return due


