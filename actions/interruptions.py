"""Interruptions of the negotiation: contestation, payment already made, vulnerability, counsellor, complaint.

Each one is written once in the case store (idempotency key: conversation + turn), then answered.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handover import hand_over
from actions.listening import hand_over_if_still_angry
from actions.store import case_store, off_loop, turn_key, verified_reference
from bot.handover import FALLBACK_TURNS, HandoverReason, fallback_streak, satisfaction
from bot.handover.satisfaction import rating_in
from bot.negotiation import interruptions as say
from bot.nlu.reference_date import reference_date

ON_HOLD = [SlotSet("options_proposees", None), SlotSet("option_choisie", None)]


def _text(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("text") or "").strip()


class ActionEnregistrerContestation(Action):
    """`contester_dette` / `deja_paye`: a dispute is opened, collection is on hold, the proofs to send are listed."""

    def name(self) -> str:
        return "action_enregistrer_contestation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or "contester_dette"
        reference = verified_reference(tracker)
        if reference is None:
            dispatcher.utter_message(response=f"utter_{intent}")
            return []
        prefix = "Déjà payé selon le débiteur" if intent == "deja_paye" else "Contestation"
        record = await off_loop(
            lambda: case_store().open_dispute(
                reference,
                reason=f"{prefix} : {_text(tracker)}"[:500],
                idempotency_key=turn_key(tracker, "litige"),
                today=reference_date(),
            )
        )
        await hand_over(tracker, HandoverReason.CONTESTATION, turn_key(tracker, "rappel"))
        dispatcher.utter_message(text=say.dispute_recorded(intent, reference, record.created))
        return ON_HOLD


class ActionSignalerVulnerabilite(Action):
    """`signaler_vulnerabilite`: no proposal is pushed; a human callback is offered and recorded."""

    def name(self) -> str:
        return "action_signaler_vulnerabilite"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        due = await hand_over(tracker, HandoverReason.VULNERABILITE, turn_key(tracker, "rappel"))
        dispatcher.utter_message(text=say.vulnerability_callback(due))
        return ON_HOLD


class ActionDemanderConseiller(Action):
    """`demander_conseiller`: a callback by a person is recorded."""

    def name(self) -> str:
        return "action_demander_conseiller"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        due = await hand_over(tracker, HandoverReason.CONSEILLER, turn_key(tracker, "rappel"))
        dispatcher.utter_message(text=say.counsellor_callback(due))
        return []


class ActionEnregistrerReclamation(Action):
    """`se_plaindre`: the complaint is recorded on the case (identified debtor), else we ask what happened."""

    def name(self) -> str:
        return "action_enregistrer_reclamation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        reference = verified_reference(tracker)
        if reference is None:
            dispatcher.utter_message(response="utter_se_plaindre")
            return []
        record = await off_loop(
            lambda: case_store().record_complaint(
                reference, text=_text(tracker)[:2000], idempotency_key=turn_key(tracker, "reclamation"),
                today=reference_date(),
            )
        )
        dispatcher.utter_message(text=say.complaint_recorded(record.created))
        return []


class ActionIncomprehension(Action):
    """After `utter_default`: the second message in a row the bot did not understand hands over to a person."""

    def name(self) -> str:
        return "action_incomprehension"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if fallback_streak(tracker.events) == FALLBACK_TURNS:
            due = await hand_over(tracker, HandoverReason.INCOMPREHENSION, turn_key(tracker, "rappel"))
            dispatcher.utter_message(text=say.misunderstanding_handover(due))
        else:
            await hand_over_if_still_angry(dispatcher, tracker)
        return []


class ValidateFormulaireSatisfaction(FormValidationAction):
    """Any answer ends the question: a rating from 1 to 5, or skipped."""

    def name(self) -> str:
        return "validate_formulaire_satisfaction"

    async def extract_note_satisfaction(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "note_satisfaction":
            return {}
        return {"note_satisfaction": rating_in(_text(tracker))}


class ActionAskNoteSatisfaction(Action):
    def name(self) -> str:
        return "action_ask_note_satisfaction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=satisfaction.QUESTION)
        return [SlotSet("satisfaction_demandee", True)]


class ActionEnregistrerSatisfaction(Action):
    """Records the rating once per conversation (a second rating replaces the first)."""

    def name(self) -> str:
        return "action_enregistrer_satisfaction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rating = int(tracker.get_slot("note_satisfaction") or satisfaction.SKIPPED)
        if 1 <= rating <= 5:
            await off_loop(
                lambda: case_store().record_satisfaction(tracker.sender_id[:80], rating, verified_reference(tracker))
            )
            dispatcher.utter_message(text=satisfaction.THANKS)
        return [SlotSet("satisfaction_demandee", True)]
