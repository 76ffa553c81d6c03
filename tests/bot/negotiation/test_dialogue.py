"""The negotiation conversation without Rasa: budget answers, summary, proposal, choice, recap, counter-offer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from bot.cases.demo import load_demo_data
from bot.cases.models import CaseStatus
from bot.cases.schemas import CaseView
from bot.cases.store import CaseStore
from bot.listening import is_open
from bot.negotiation import dialogue as talk

TODAY = dt.date(2026, 11, 22)


def parse(text: str, intent: str = "informer_budget", **entities: Any) -> dict[str, Any]:
    found = []
    for name, values in entities.items():
        for value in values if isinstance(values, list) else [values]:
            found.append({"entity": name, "value": value})
    return {"text": text, "intent": {"name": intent}, "entities": found}


@pytest.fixture
def case(sqlite_demo_store: CaseStore) -> CaseView:
    view = sqlite_demo_store.case_view(load_demo_data().cases[0].reference)
    assert view is not None
    return view


def test_an_amount_answers_the_question_asked() -> None:
    filled = talk.budget_answer(
        parse("je pourrais mettre 60 euros", "proposer_paiement", montant="60.00"), talk.MONTANT_SUPPORTABLE, {}
    )
    assert filled == {talk.MONTANT_SUPPORTABLE: "60.00"}
    assert talk.budget_answer(parse("mon loyer c'est 700", montant="700.00"), talk.CHARGES, {}) == {
        talk.CHARGES: "700.00"
    }


def test_income_then_charges_give_the_bearable_amount_above_the_living_floor() -> None:
    income = talk.budget_answer(parse("je touche 1400 euros", montant="1400.00"), talk.MONTANT_SUPPORTABLE, {})
    assert income == {talk.REVENUS: "1400.00"}
    assert talk.required_budget_slots(income)[:2] == [talk.REVENUS, talk.CHARGES]
    charges = talk.budget_answer(parse("700 de loyer et charges", montant="700.00"), talk.CHARGES, income)
    assert charges[talk.CHARGES] == "700.00"
    assert Decimal(charges[talk.MONTANT_SUPPORTABLE]) == Decimal("1400") - Decimal("700") - Decimal("646.52")


def test_a_refused_amount_is_not_a_capacity_and_nothing_means_zero() -> None:
    refusal = parse("non, 200 par mois je ne peux pas", "refuser_proposition", montant="200.00")
    assert talk.budget_answer(refusal, talk.MONTANT_SUPPORTABLE, {}) == {}
    nothing = parse("rien du tout pour l'instant", "difficultes_financieres")
    assert talk.budget_answer(nothing, talk.MONTANT_SUPPORTABLE, {}) == {talk.MONTANT_SUPPORTABLE: "0.00"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("le 5", 5.0),
        ("vers le 28", 28.0),
        ("début de mois", 1.0),
        ("le premier", 1.0),
        ("je sais pas, ça varie", 0.0),
        ("je suis payée le cinq", 5.0),
        ("le vingt-cinq normalement", 25.0),
        ("le trente et un", 31.0),
        ("je suis payé le vingt", 20.0),
    ],
)
def test_pay_day_answers(text: str, day: float) -> None:
    assert talk.pay_day_answer(parse(text, "hors_sujet"), talk.JOUR_PAIE) == day


def test_pay_day_is_not_read_from_an_amount_or_when_not_asked() -> None:
    assert talk.pay_day_answer(parse("je peux 25 euros", "proposer_paiement", montant="25.00"), talk.JOUR_PAIE) is None
    assert talk.pay_day_answer(parse("le 5", "hors_sujet"), talk.MONTANT_SUPPORTABLE) is None


@pytest.mark.parametrize("text", ["je suis payée le 12", "ma paie arrive le 12", "la CAF me verse le 12"])
def test_a_pay_day_said_with_its_income_is_heard_even_when_not_asked(text: str) -> None:
    assert talk.pay_day_answer(parse(text, "informer_budget"), talk.MONTANT_SUPPORTABLE) == 12.0
    assert talk.pay_day_answer(parse("le vingt euros", "proposer_paiement"), talk.JOUR_PAIE) is None
    assert talk.pay_day_answer(parse("le quarante", "hors_sujet"), talk.JOUR_PAIE) is None  # not a day
    assert talk.pay_day_answer(parse("le matin", "hors_sujet"), talk.JOUR_PAIE) is None


def test_proposal_sums_up_then_numbers_the_options(case: CaseView) -> None:
    slots = {talk.MONTANT_SUPPORTABLE: "60.00", talk.JOUR_PAIE: 5.0, talk.RAISON: "vous avez perdu votre emploi"}
    proposal = talk.propose(case, slots, TODAY)
    summary, options, question = proposal.messages
    assert summary.startswith("Pour résumer : vous avez perdu votre emploi") and "60,00" in summary
    assert options.splitlines()[1].startswith("1. ") and options.splitlines()[2].startswith("2. ")
    assert is_open(question) and 2 <= len(proposal.options) <= 3
    plans = [option for option in proposal.options if option["kind"] == "echeancier"]
    assert plans
    for option in plans:
        assert all(dt.date.fromisoformat(line["date"]).day == 5 for line in option["schedule"])


def test_choice_by_number_or_by_words_then_a_recap_with_one_closed_question(case: CaseView) -> None:
    options = talk.propose(case, {talk.MONTANT_SUPPORTABLE: "80.00"}, TODAY).options
    assert talk.chosen(options, parse("la deuxième", "choisir_option", option="2")) == options[1]
    full = next(option for option in options if option["kind"] == "paiement_integral")
    assert talk.chosen(options, parse("celle en une fois avec la remise", "choisir_option")) == full
    recap = talk.recap(full)
    assert recap.endswith("Confirmez-vous cet accord ?") and "remise" in recap
    assert talk.chosen(options, parse("euh je sais pas", "choisir_option")) is None


def test_counter_offer_below_the_minimum_gets_the_closest_option_and_a_recap(case: CaseView) -> None:
    answer = talk.counter_offer(case, {}, parse("10 euros par mois", "proposer_paiement", montant="10.00"), TODAY)
    assert len(answer.options) == 1 and answer.options[0]["kind"] == "premier_pas"
    assert "minimum" in answer.messages[0] or "au moins" in answer.messages[0]
    assert answer.messages[-1].endswith("Confirmez-vous cet accord ?")


def test_counter_offer_within_policy_is_accepted(case: CaseView) -> None:
    answer = talk.counter_offer(case, {}, parse("60 euros par mois", "proposer_paiement", montant="60.00"), TODAY)
    assert answer.messages[0] == "Votre proposition est tout à fait possible."
    assert sum(Decimal(str(line["amount"])) for line in answer.options[0]["schedule"]) == case.amount_due


def test_no_proposal_while_a_contestation_is_examined(case: CaseView) -> None:
    on_hold = case.copy(update={"status": CaseStatus.LITIGE})
    assert talk.propose(on_hold, {}, TODAY).messages == [talk.ON_HOLD]
    assert talk.counter_offer(on_hold, {}, parse("50 €", "proposer_paiement", montant="50.00"), TODAY).options == []


def test_a_request_for_time_with_a_date_or_a_duration_gives_a_deferral(sqlite_demo_store: CaseStore) -> None:
    later = parse("attendez la fin du mois", "demander_delai", date="2026-11-30")
    months = parse("il me faudrait deux mois", "demander_delai", duree="2")
    assert talk.expected_income_date([later], TODAY) == dt.date(2026, 11, 30)
    assert talk.expected_income_date([months], TODAY) == dt.date(2027, 1, 22)
    assert talk.expected_income_date([parse("je peux payer 20 €", "proposer_paiement")], TODAY) is None
    case = next(c for c in sqlite_demo_store.case_views() if c.policy.max_deferral_days >= 60 and c.amount_due > 300)
    monthly = (case.amount_due / 3).quantize(Decimal("1")) + 1  # a three-month plan fits
    slots = {talk.MONTANT_SUPPORTABLE: f"{monthly:.2f}", talk.JOUR_PAIE: 5.0}
    proposal = talk.propose(case, slots, TODAY, expects_income_on=dt.date(2027, 1, 10))
    assert "report_puis_echeancier" in [option["kind"] for option in proposal.options]


def test_the_agreement_recap_lists_every_payment(case: CaseView) -> None:
    option = talk.propose(case, {talk.MONTANT_SUPPORTABLE: "60.00", talk.JOUR_PAIE: 5.0}, TODAY).options[-1]
    recap = talk.agreement_recap(case, option)
    assert recap.startswith(f"Récapitulatif de votre accord — dossier {case.reference}")
    assert recap.count("\n• ") == len(option["schedule"]) and "Total :" in recap


def test_a_charge_given_alone_is_a_charge_and_income_is_asked_next() -> None:
    filled = talk.budget_answer(parse("800 euros de loyer et de charges", montant="800.00"), None, {})
    assert filled == {talk.CHARGES: "800.00"}
    assert talk.required_budget_slots(filled)[:2] == [talk.REVENUS, talk.CHARGES]
