"""A conversation's turns as the agent console shows them, read from the Rasa tracker's events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.shared.core.events import BotUttered, Event, UserUttered

DEBTOR, AGENT, ASSISTANT = "debtor", "agent", "assistant"


def _turn(event: Event) -> dict[str, Any] | None:
    if isinstance(event, UserUttered) and event.text is not None:
        turn: dict[str, Any] = {"speaker": DEBTOR, "text": event.text, "at": event.timestamp}
        assist = (event.metadata or {}).get("assist")
        if assist:
            turn["assist"] = assist
        return turn
    if isinstance(event, BotUttered) and event.text:
        author = (event.metadata or {}).get("author")
        return {"speaker": AGENT if author == AGENT else ASSISTANT, "text": event.text, "at": event.timestamp}
    return None


def conversation_turns(events: Iterable[Event], since: int = 0) -> list[dict[str, Any]]:
    """The debtor's, the agent's and the assistant's turns, numbered from 0, from index `since` on."""
    turns = [turn for turn in map(_turn, events) if turn is not None]
    return [{"index": index, **turn} for index, turn in enumerate(turns) if index >= since]
