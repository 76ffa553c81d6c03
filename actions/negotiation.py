"""The negotiation: budget form, options, choice, confirmation, counter-offers (logic in `bot.negotiation.dialogue`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from actions.listening import LISTENING_SLOT, history_of, journal_turn, reflect_if_needed, saved
from actions.store import case_store, off_loop, verified_case
from bot.cases.models import Channel
from bot.cases.schemas import CaseView
from bot.cases.store import CaseOnHold, StaleOption
from bot.journal import Journal, JournalKind
from bot.listening import Need
from bot.listening.questions import ask
from bot.negotiation import Option
from bot.negotiation import dialogue as talk
from bot.negotiation.interruptions import callback_due, counsellor_callback
from bot.nlu.reference_date import reference_date

logger = logging.getLogger(__name__)
ACKNOWLEDGED = "Très bien. Dites-m'en un peu plus : qu'est-ce qui vous amène aujourd'hui ?"
DECLINED = "D'accord. Qu'est-ce qui vous conviendrait le mieux ?"
NO_OPTION_YET = (
    "Je n'ai pas encore de proposition à vous soumettre. Qu'est-ce qui serait réaliste pour vous chaque mois ?"
)
NOT_VERIFIED = (
    "Pour vous proposer une solution adaptée, j'ai d'abord besoin de vérifier votre identité. "
    "Pouvez-vous m'indiquer la référence de votre dossier (REC-AAAA-NNNNNN) ?"
)
NOT_RECORDED = (
    "Désolé, un incident technique m'a empêché d'enregistrer votre accord : rien n'a été enregistré pour l'instant."
    " Pouvez-vous me le confirmer à nouveau dans un instant en répondant « oui » ?"
)
# The case store's failures that leave nothing written (the unit of work rolls back): database unreachable,
# connection lost, pool exhausted.
STORE_ERRORS = (DBAPIError, SQLAlchemyTimeoutError)
BUDGET_SLOTS = (talk.MONTANT_SUPPORTABLE, talk.REVENUS, talk.CHARGES, talk.JOUR_PAIE)


async def _verified_case_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker) -> CaseView | None:
    """The identified debtor's case; otherwise asks for the identification and returns None."""
    case = await off_loop(verified_case, tracker)
    if case is None:
        dispatcher.utter_message(text=NOT_VERIFIED)
    return case


def _slots(tracker: Tracker) -> dict[str, Any]:
    names = (*BUDGET_SLOTS, talk.RAISON, talk.OPTIONS, talk.OPTION_CHOISIE, talk.PAIEMENT_INTEGRAL)
    return {name: tracker.get_slot(name) for name in names}


def _seen(tracker: Tracker, key: str) -> list[str]:
    """Intents or emotions of the debtor's messages so far (for the profile)."""
    found = []
    for event in tracker.events:
        if event.get("event") == "user":
            value = (event.get("parse_data") or {}).get(key) or {}
            if value.get("name"):
                found.append(value["name"])
    return found


def _user_parses(tracker: Tracker) -> list[dict[str, Any]]:
    return [event.get("parse_data") or {} for event in tracker.events if event.get("event") == "user"]


def _say(dispatcher: CollectingDispatcher, messages: list[str]) -> None:
    for message in messages:
        dispatcher.utter_message(text=message)


class ValidateFormulaireBudget(FormValidationAction):
    """Fills the budget slots from what the debtor says; asks income then charges only when no amount was given."""

    def name(self) -> str:
        return "validate_formulaire_budget"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Reads the debtor's answer; reflects it first when it shows a feeling or explains the situation.

        An interruption (contestation, question about the consequences…) answers nothing: the form rejects it
        and the in-form rules handle it. Anything else that answers nothing (a "non", a remark, a difficulty
        without figures) is reflected when it calls for it, and the form asks its question again, differently.
        """
        await journal_turn(tracker)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        activating = tracker.get_slot("requested_slot") is None  # the form opens: action_ecouter has just reflected
        form_dispatcher = CollectingDispatcher()
        events = await super().run(form_dispatcher, tracker, domain)
        answered = any(event.get("name") in BUDGET_SLOTS and event.get("value") is not None for event in events)
        if not answered and intent in talk.INTERRUPTIONS:
            return events
        reflection = [] if activating else await reflect_if_needed(dispatcher, tracker, in_form=answered)
        dispatcher.messages.extend(form_dispatcher.messages)
        if not answered and not activating and not reflection:
            # Keeps the form going (no rejection): its next question is asked in other words.
            reflection = [SlotSet(LISTENING_SLOT, saved(history_of(tracker)))]
        return reflection + events

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return talk.required_budget_slots(_slots(tracker))

    async def extract_montant_supportable(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        requested = tracker.get_slot("requested_slot")
        filled = talk.budget_answer(tracker.latest_message or {}, requested, _slots(tracker))
        acknowledgement = talk.acknowledgement(filled)
        if acknowledgement:
            dispatcher.utter_message(text=acknowledgement)
        return filled

    async def extract_jour_paie(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = talk.pay_day_answer(tracker.latest_message or {}, tracker.get_slot("requested_slot"))
        if day is None or tracker.get_slot(talk.JOUR_PAIE) is not None:
            return {}
        dispatcher.utter_message(text=talk.pay_day_acknowledgement(day))
        return {talk.JOUR_PAIE: day}


class ActionProposerOptions(Action):
    """Summary of the situation, then the numbered options."""

    def name(self) -> str:
        return "action_proposer_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case = await _verified_case_or_ask(dispatcher, tracker)
        if case is None:
            return []
        slots = _slots(tracker)
        if (tracker.latest_message.get("intent") or {}).get("name") == "payer_totalite":
            slots[talk.PAIEMENT_INTEGRAL] = True
        proposal = talk.propose(
            case,
            slots,
            reference_date(),
            _seen(tracker, "intent"),
            _seen(tracker, "emotion"),
            expects_income_on=talk.expected_income_date(_user_parses(tracker), reference_date()),
        )
        _say(dispatcher, proposal.messages)
        if proposal.options:
            await off_loop(
                lambda: Journal(case_store()).record(
                    case.reference,
                    JournalKind.PROPOSAL,
                    dedup_key=f"proposition:{tracker.sender_id}:{len(tracker.events)}",
                    text="Options proposées : " + " ; ".join(str(o["label"]) for o in proposal.options),
                    details={"options": [{k: o[k] for k in ("kind", "label", "total")} for o in proposal.options]},
                )
            )
        return [
            SlotSet(talk.OPTIONS, proposal.options or None),
            SlotSet(talk.OPTION_CHOISIE, None),
            SlotSet(talk.PAIEMENT_INTEGRAL, slots.get(talk.PAIEMENT_INTEGRAL)),
        ]


class ActionChoisirOption(Action):
    """The debtor designates an option: recap and a confirmation question."""

    def name(self) -> str:
        return "action_choisir_option"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        options = tracker.get_slot(talk.OPTIONS) or []
        if not options:
            verified = tracker.get_slot("identite_verifiee")
            dispatcher.utter_message(text=NO_OPTION_YET if verified else NOT_VERIFIED)
            return []
        option = talk.chosen(options, tracker.latest_message or {})
        if option is None:
            numbers = ", ".join(str(index) for index in range(1, len(options) + 1))
            dispatcher.utter_message(text=f"Laquelle choisissez-vous ? Indiquez-moi son numéro ({numbers}).")
            return []
        dispatcher.utter_message(text=talk.recap(option))
        return [SlotSet(talk.OPTION_CHOISIE, float(options.index(option) + 1))]


class ActionContreProposition(Action):
    """The debtor's own figures: accepted, or the closest acceptable option with the reason."""

    def name(self) -> str:
        return "action_contre_proposition"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case = await _verified_case_or_ask(dispatcher, tracker)
        if case is None:
            return []
        proposal = talk.counter_offer(case, _slots(tracker), tracker.latest_message or {}, reference_date())
        _say(dispatcher, proposal.messages)
        if not proposal.options:
            return []
        return [SlotSet(talk.OPTIONS, proposal.options), SlotSet(talk.OPTION_CHOISIE, 1.0)]


def _record(reference: str, option: Mapping[str, Any], key: str) -> Any:
    return case_store().record_arrangement(
        reference, Option.parse_obj(option), channel=Channel.CHAT, idempotency_key=key, today=reference_date()
    )


class ActionConfirmer(Action):
    """`affirmer`: confirms the chosen option (the arrangement is written once), or a plain acknowledgement.

    When the case store fails (database unreachable, connection cut during the write), the write's transaction
    is rolled back: nothing is recorded, the debtor is told so and asked to confirm again; the chosen option is
    kept and "accord_enregistre" is not set, so the next "oui" records it (once: same idempotency key).
    """

    def name(self) -> str:
        return "action_confirmer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        options = tracker.get_slot(talk.OPTIONS) or []
        index = int(tracker.get_slot(talk.OPTION_CHOISIE) or (1 if len(options) == 1 else 0))
        if not 1 <= index <= len(options):
            dispatcher.utter_message(text=ACKNOWLEDGED)
            return []
        try:
            return await self._confirm(dispatcher, tracker, options[index - 1])
        except STORE_ERRORS as error:
            logger.warning("Arrangement not recorded, the case store failed: %s", type(error).__name__)
            dispatcher.utter_message(text=NOT_RECORDED)
            return []

    async def _confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, option: dict[str, Any]
    ) -> list[dict[str, Any]]:
        case = await off_loop(verified_case, tracker)
        if case is None:
            dispatcher.utter_message(text=ACKNOWLEDGED)
            return []
        if option["kind"] == "orientation":  # nothing to pay now: a person looks at the budget with the debtor
            due = callback_due(dt.datetime.combine(reference_date(), dt.datetime.now().time()))
            await off_loop(
                lambda: case_store().request_callback(
                    case.reference,
                    reason="budget",
                    summary="Aucun versement possible pour l'instant : faire le point sur le budget.",
                    idempotency_key=f"orientation:{tracker.sender_id}:{case.reference}"[:80],
                    due_at=due,
                )
            )
            dispatcher.utter_message(text=counsellor_callback(due))
            return [SlotSet(talk.OPTION_CHOISIE, None)]
        key = f"{tracker.sender_id}:{case.reference}:{option['kind']}:{option['total']}:{len(option['schedule'])}"
        try:
            record = await off_loop(_record, case.reference, option, key[:80])
        except CaseOnHold:
            dispatcher.utter_message(text=talk.ON_HOLD)
            return [SlotSet(talk.OPTION_CHOISIE, None)]
        except StaleOption:  # a payment arrived since the options were computed: propose again on the new amount
            dispatcher.utter_message(text=talk.STALE)
            proposal = talk.propose(case, _slots(tracker), reference_date())
            _say(dispatcher, proposal.messages)
            return [SlotSet(talk.OPTIONS, proposal.options or None), SlotSet(talk.OPTION_CHOISIE, None)]
        details = talk.schedule_text(option)
        done = "Votre accord est enregistré" if record.created else "Votre accord était déjà enregistré"
        ending = f", {details}." if details else "."
        dispatcher.utter_message(text=f"C'est noté, merci ! {done} : {option['label']}{ending}")
        dispatcher.utter_message(text=talk.agreement_recap(case, option))
        dispatcher.utter_message(text=talk.payment_ways(case))
        return [SlotSet(talk.OPTION_CHOISIE, None), SlotSet("accord_enregistre", True)]


class ActionInfirmer(Action):
    """`nier`: the debtor does not confirm the recap — ask what to change; otherwise a plain reply."""

    def name(self) -> str:
        return "action_infirmer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if tracker.get_slot(talk.OPTION_CHOISIE):
            dispatcher.utter_message(
                text="Entendu, rien n'est enregistré. Qu'est-ce que vous aimeriez changer dans cette proposition ?"
            )
            return [SlotSet(talk.OPTION_CHOISIE, None)]
        dispatcher.utter_message(text=DECLINED)
        return []


class ActionReouvrirBudget(Action):
    """After a refusal: forget the bearable amount so that the budget form asks again what is realistic."""

    def name(self) -> str:
        return "action_reouvrir_budget"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [SlotSet(talk.MONTANT_SUPPORTABLE, None), SlotSet(talk.OPTION_CHOISIE, None)]


class _AskBudget:
    """The form's question for one budget slot: an open question never asked before in the conversation.

    Not an `Action` itself (rasa-sdk registers every Action subclass): the concrete classes below are.
    """

    slot: str
    need: Need

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        history = history_of(tracker)
        question = ask(self.need, history.used)
        dispatcher.utter_message(text=question)
        return [SlotSet(LISTENING_SLOT, saved(replace(history, used=history.used | {question})))]


class ActionAskMontantSupportable(_AskBudget, Action):
    slot, need = talk.MONTANT_SUPPORTABLE, Need.MONTANT_SUPPORTABLE


class ActionAskRevenus(_AskBudget, Action):
    slot, need = talk.REVENUS, Need.REVENUS


class ActionAskCharges(_AskBudget, Action):
    slot, need = talk.CHARGES, Need.CHARGES


class ActionAskJourPaie(_AskBudget, Action):
    slot, need = talk.JOUR_PAIE, Need.JOUR_DE_PAIE
