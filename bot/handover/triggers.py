"""When the bot hands over: the debtor asks for a person, disputes, is vulnerable, stays angry after two
empathic turns, or is not understood twice in a row."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

ANGER_TURNS = 3  # the third angry message in a row: two empathic answers did not help
FALLBACK_TURNS = 2  # the second message in a row the bot did not understand


class HandoverReason(str, enum.Enum):
    CONSEILLER = "conseiller"
    CONTESTATION = "contestation"
    VULNERABILITE = "vulnerabilite"
    COLERE = "colere"
    INCOMPREHENSION = "incomprehension"
    BUDGET = "budget"

    @property
    def label(self) -> str:
        return {
            HandoverReason.CONSEILLER: "demande à parler à un conseiller",
            HandoverReason.CONTESTATION: "contestation de la créance",
            HandoverReason.VULNERABILITE: "situation de vulnérabilité",
            HandoverReason.COLERE: "colère persistante malgré deux réponses empathiques",
            HandoverReason.INCOMPREHENSION: "l'assistant n'a pas compris deux fois de suite",
            HandoverReason.BUDGET: "aucun versement possible pour l'instant",
        }[self]


def _user_turns(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [event.get("parse_data") or {} for event in events if event.get("event") == "user"]


def _streak(events: Iterable[Mapping[str, Any]], matches: Any) -> int:
    count = 0
    for parse in reversed(_user_turns(events)):
        if not matches(parse):
            break
        count += 1
    return count


def angry_streak(events: Iterable[Mapping[str, Any]]) -> int:
    """How many of the debtor's latest messages in a row were angry."""
    return _streak(events, lambda parse: (parse.get("emotion") or {}).get("name") == "colere")


def fallback_streak(events: Iterable[Mapping[str, Any]]) -> int:
    """How many of the debtor's latest messages in a row the bot did not understand."""
    return _streak(events, lambda parse: (parse.get("intent") or {}).get("name") == "nlu_fallback")
