"""`action_ecouter`: the reformulation (and empathy) that opens the bot's turn before any question or proposal."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handover import hand_over
from actions.store import case_store, off_loop, turn_key
from bot.handover import ANGER_TURNS, HandoverReason, angry_streak
from bot.journal import Journal, JournalKind
from bot.listening import ListeningHistory, Need, listen
from bot.negotiation.dialogue import RAISON
from bot.negotiation.interruptions import anger_handover

LISTENING_SLOT = "ecoute"
# What a debtor explains about their situation is always reflected, whatever the emotion. Figures of the budget
# (informer_budget) are acknowledged by the budget form instead: reflecting them too would say them twice.
SITUATION_INTENTS = frozenset(
    {
        "difficultes_financieres",
        "signaler_vulnerabilite",
        "contester_dette",
        "deja_paye",
        "se_plaindre",
        "refus_de_payer",
        "refuser_proposition",
        "demander_delai",
    }
)
REASON_INTENTS = frozenset({"difficultes_financieres", "signaler_vulnerabilite"})
FORM_REFLECTION_MIN_WORDS = 5


def history_of(tracker: Tracker) -> ListeningHistory:
    saved = tracker.get_slot(LISTENING_SLOT) or {}
    known = {Need(value) for value in saved.get("known", []) if value in Need._value2member_map_}
    return ListeningHistory(used=frozenset(saved.get("used", [])), known=frozenset(known))


def saved(history: ListeningHistory) -> dict[str, list[str]]:
    return {"used": sorted(history.used), "known": sorted(need.value for need in history.known)}


class ActionEcouter(Action):
    def name(self) -> str:
        return "action_ecouter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await journal_turn(tracker)
        events = await reflect_if_needed(dispatcher, tracker)
        await hand_over_if_still_angry(dispatcher, tracker)
        return events


async def hand_over_if_still_angry(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The third angry message in a row (two empathic answers did not help): a person takes over."""
    if angry_streak(tracker.events) == ANGER_TURNS:
        due = await hand_over(tracker, HandoverReason.COLERE, f"colere:{tracker.sender_id}:{len(tracker.events)}")
        dispatcher.utter_message(text=anger_handover(due))


async def journal_turn(tracker: Tracker) -> None:
    """Records the debtor's latest message on the case (intent, emotion, masked text) once identified."""
    reference = tracker.get_slot("reference_dossier")
    if not tracker.get_slot("identite_verifiee") or not reference:
        return
    message = tracker.latest_message or {}
    await off_loop(
        lambda: Journal(case_store()).record(
            reference,
            JournalKind.INTENT,
            dedup_key=turn_key(tracker, "tour"),
            intent=(message.get("intent") or {}).get("name"),
            emotion=(message.get("emotion") or {}).get("name"),
            text=message.get("text"),
        )
    )


async def reflect_if_needed(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, in_form: bool = False
) -> list[dict[str, Any]]:
    """Says the reformulation (and empathy) of the latest message when it explains a situation or shows a
    feeling; nothing otherwise. Used by `action_ecouter` and by the budget form's validation, where a short
    answer with a figure is acknowledged by the form itself rather than reflected."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent = (message.get("intent") or {}).get("name")
    history = history_of(tracker)
    reply = listen(text, message, history)
    situations = frozenset() if in_form else SITUATION_INTENTS  # a figure given in the form is acknowledged
    emotional = reply.emotion != "neutre" and (not in_form or len(text.split()) >= FORM_REFLECTION_MIN_WORDS)
    if intent not in situations and not emotional:
        return []
    # A complex reflection already names the feeling: an empathy sentence on top would say it twice.
    empathy = reply.empathy if reply.kind != "complexe" else None
    spoken = " ".join(part for part in (reply.reformulation, empathy) if part)
    if not spoken:
        return []
    dispatcher.utter_message(text=spoken)
    # The open question is left to the next step (form or reply): only what was said is recorded.
    said = replace(reply, open_question=None, empathy=empathy)
    events: list[dict[str, Any]] = [SlotSet(LISTENING_SLOT, saved(history.after(said)))]
    if intent in REASON_INTENTS and reply.content and not tracker.get_slot(RAISON):
        events.append(SlotSet(RAISON, reply.content))
    return events
