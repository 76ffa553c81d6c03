"""Greeting and identification actions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.store import case_store, off_loop, turn_key, verified_case
from bot.cases.store import broken_arrangement_of
from bot.identification import Status, verify_turn
from bot.identification.opening import breakdown, opening
from bot.journal import Journal, JournalKind
from bot.negotiation.interruptions import broken_promise_opening
from bot.nlu.reference_date import reference_date
from bot.text import format_euros

GREETING_UNVERIFIED = (
    "Bonjour, je suis Amiable, l'assistant en ligne du service de recouvrement amiable. Je suis là pour "
    "vous aider à faire le point sur votre dossier et trouver une solution adaptée. Pour commencer, "
    "pouvez-vous m'indiquer la référence de votre dossier (elle commence par REC) ?"
)


class ActionSaluer(Action):
    def name(self) -> str:
        return "action_saluer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case = await off_loop(verified_case, tracker)
        if case is None:
            dispatcher.utter_message(text=GREETING_UNVERIFIED)
        else:
            dispatcher.utter_message(text=f"Bonjour {case.debtor_display_name} ! Comment puis-je vous aider ?")
        return []


class ActionVerifierIdentite(Action):
    def name(self) -> str:
        return "action_verifier_identite"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("identite_verifiee"):
            dispatcher.utter_message(text="Votre identité est déjà vérifiée. Comment puis-je vous aider ?")
            return []
        outcome = await off_loop(
            verify_turn,
            case_store(),
            tracker.latest_message.get("text") or "",
            tracker.get_slot("reference_dossier"),
            int(tracker.get_slot("tentatives_verification") or 0),
        )
        verified = outcome.status is Status.VERIFIED and outcome.reference
        if outcome.reference:  # internal record on the case only (nothing is said about it to the person)
            await off_loop(_journal_verification, tracker, outcome.reference, bool(verified))
        if not verified:
            dispatcher.utter_message(text=outcome.reply)
        else:
            case = await off_loop(case_store().case_view, outcome.reference)
            thanks = f"Merci {outcome.display_name}, votre identité est vérifiée."
            dispatcher.utter_message(text=f"{thanks} {opening(case)}" if case else outcome.reply)
            broken = broken_arrangement_of(case, reference_date()) if case else None
            if broken is not None and broken.missed_lines:
                missed = [(line.due_date, format_euros(line.amount)) for line in broken.missed_lines]
                dispatcher.utter_message(text=broken_promise_opening(missed))
            else:
                dispatcher.utter_message(text="Comment puis-je vous aider ?")
        return [
            SlotSet("reference_dossier", outcome.reference),
            SlotSet("tentatives_verification", float(outcome.attempts)),
            SlotSet("identite_verifiee", outcome.status is Status.VERIFIED),
            SlotSet("nom_debiteur", outcome.display_name),
        ]


def _journal_verification(tracker: Tracker, reference: str, verified: bool) -> None:
    Journal(case_store()).record(
        reference,
        JournalKind.VERIFICATION,
        dedup_key=turn_key(tracker, "verification"),
        details={"verified": verified, "conversation": tracker.sender_id},
    )


class ActionDonnerSolde(Action):
    def name(self) -> str:
        return "action_donner_solde"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case = await off_loop(verified_case, tracker)
        if case is None:
            dispatcher.utter_message(
                text="Je pourrai vous donner le détail de votre dossier dès que votre identité sera vérifiée. "
                "Pouvez-vous m'indiquer sa référence (REC-AAAA-NNNNNN) ?"
            )
            return []
        dispatcher.utter_message(
            text=(
                f"Votre dossier {case.reference}, pour le compte de {case.creditor_name}, porte sur : "
                f"{case.nature}. La créance s'élève à {format_euros(case.total_claimed)} ({breakdown(case)})"
                f". Il reste {format_euros(case.amount_due)} à régler."
            )
        )
        return []
