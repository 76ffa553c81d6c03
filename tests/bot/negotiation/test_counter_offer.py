from datetime import date
from decimal import Decimal

import pytest

from bot.negotiation import OptionKind, declared_capacity, evaluate_counter_offer
from bot.negotiation.options import BANQUE_DE_FRANCE_POINTER
from tests.bot.negotiation.helpers import MOBILYS, TODAY, case_view

DUE = Decimal("187.82")


def test_monthly_amount_within_policy_is_accepted_with_its_schedule() -> None:
    outcome = evaluate_counter_offer(case_view(), MOBILYS, TODAY, 5, monthly_amount=Decimal("20"))
    assert outcome.accepted
    assert outcome.option is not None and outcome.option.kind is OptionKind.ECHEANCIER
    # 187.82 / 9 = 20.87 > 20: ten months, 18.79 each and 18.71 last
    amounts = [line.amount for line in outcome.option.schedule]
    assert amounts == [Decimal("18.79")] * 9 + [Decimal("18.71")]
    assert outcome.option.schedule[0].date == date(2026, 12, 5)
    assert outcome.why.startswith("C'est possible : 10 mensualités de 18,79")


def test_monthly_amount_below_the_minimum_becomes_a_first_step() -> None:
    outcome = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, monthly_amount=Decimal("10"))
    assert not outcome.accepted
    assert outcome.option is not None and outcome.option.kind is OptionKind.PREMIER_PAS
    assert outcome.option.total == Decimal("10.00") and outcome.option.schedule[0].first_step
    assert "au moins 15,00" in outcome.why and "premier versement" in outcome.why


def test_monthly_amount_too_small_for_the_maximum_duration() -> None:
    outcome = evaluate_counter_offer(Decimal("587.82"), MOBILYS, TODAY, 5, monthly_amount=Decimal("20"))
    assert not outcome.accepted
    assert "30 mois" in outcome.why and "au plus 12 mois" in outcome.why
    # never more than the debtor offered: a first step of 20 €, not a 49 € plan
    assert outcome.option is not None and outcome.option.kind is OptionKind.PREMIER_PAS
    assert outcome.option.total == Decimal("20.00")


def test_stated_capacity_above_the_offer_allows_the_closest_plan() -> None:
    outcome = evaluate_counter_offer(
        Decimal("587.82"), MOBILYS, TODAY, 5, monthly_amount=Decimal("20"), capacity=declared_capacity("60")
    )
    assert not outcome.accepted
    assert outcome.option is not None and outcome.option.instalments == 12
    assert outcome.option.schedule[0].amount == Decimal("48.99")
    assert "Ce qui s'en approche le plus : 12 mensualités de 48,99" in outcome.why


def test_first_step_for_a_hopeless_offer_carries_the_pointers() -> None:
    outcome = evaluate_counter_offer(Decimal("5000.00"), MOBILYS, TODAY, 5, monthly_amount=Decimal("12"))
    assert outcome.option is not None and BANQUE_DE_FRANCE_POINTER in outcome.option.pointers


def test_number_of_months() -> None:
    accepted = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, months=3)
    assert accepted.accepted and accepted.option is not None
    assert [line.amount for line in accepted.option.schedule] == [Decimal("62.61"), Decimal("62.61"), Decimal("62.60")]
    too_long = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, months=18)
    assert not too_long.accepted and "au plus 12 mois" in too_long.why
    assert too_long.option is not None and too_long.option.instalments == 12


def test_too_many_months_for_a_small_amount_gives_the_longest_plan_above_the_minimum() -> None:
    outcome = evaluate_counter_offer(Decimal("100.00"), MOBILYS, TODAY, 5, months=12)
    assert not outcome.accepted
    assert "8,34" in outcome.why and "15,00" in outcome.why
    # 100 / 6 = 16.67 (last 16.65) is the longest plan with every line ≥ 15.00
    assert outcome.option is not None and outcome.option.instalments == 6


def test_one_month_is_a_full_payment() -> None:
    outcome = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, months=1)
    assert outcome.accepted and outcome.option is not None
    assert outcome.option.kind is OptionKind.PAIEMENT_INTEGRAL and outcome.option.total == DUE  # 5 Dec: no discount


def test_a_date_alone_is_a_full_payment_on_that_date() -> None:
    soon = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, on_date=date(2026, 11, 27))
    assert soon.accepted and soon.option is not None
    assert soon.option.total == Decimal("169.04") and soon.option.discount == Decimal("18.78")  # within 7 days
    later = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, on_date=date(2026, 12, 15))
    assert later.accepted and later.option is not None
    assert later.option.discount == 0 and later.option.schedule[0].date == date(2026, 12, 15)


def test_a_date_beyond_the_deferral_gets_the_latest_allowed_one() -> None:
    outcome = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, on_date=date(2027, 3, 1))
    assert not outcome.accepted
    assert outcome.option is not None and outcome.option.schedule[0].date == date(2026, 12, 22)
    assert "22 décembre 2026" in outcome.why


def test_a_past_date_is_refused_and_today_is_the_immediate_payment() -> None:
    outcome = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, on_date=date(2026, 11, 1))
    assert not outcome.accepted and "La date du 1er novembre 2026 est déjà passée." in outcome.why
    now = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, on_date=TODAY)
    assert now.accepted and now.option is not None and now.option.discount == Decimal("18.78")
    assert "au plus tard le 29 novembre 2026" in now.why


def test_amount_and_date_start_the_plan_on_that_date() -> None:
    outcome = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, monthly_amount=Decimal("100"), on_date=date(2026, 12, 10))
    assert outcome.accepted and outcome.option is not None
    assert [line.date for line in outcome.option.schedule] == [date(2026, 12, 10), date(2027, 1, 10)]
    assert [line.amount for line in outcome.option.schedule] == [Decimal("93.91"), Decimal("93.91")]


def test_amount_and_months_that_do_not_cover_the_debt() -> None:
    outcome = evaluate_counter_offer(Decimal("587.82"), MOBILYS, TODAY, 5, monthly_amount=Decimal("50"), months=3)
    assert not outcome.accepted
    assert "il manquerait 437,82" in outcome.why
    assert outcome.option is not None and outcome.option.instalments == 12  # 48.99 ≤ 50


def test_amount_covering_everything_is_a_full_payment() -> None:
    outcome = evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, monthly_amount=Decimal("200"))
    assert outcome.accepted and outcome.option is not None and outcome.option.kind is OptionKind.PAIEMENT_INTEGRAL


def test_empty_or_absurd_offers_are_refused() -> None:
    with pytest.raises(ValueError, match="proposition vide"):
        evaluate_counter_offer(DUE, MOBILYS, TODAY, 5)
    with pytest.raises(ValueError):
        evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, months=0)
    with pytest.raises(ValueError):
        evaluate_counter_offer(DUE, MOBILYS, TODAY, 5, monthly_amount=Decimal("-5"))
    settled = evaluate_counter_offer(Decimal("0"), MOBILYS, TODAY, 5, months=3)
    assert not settled.accepted and settled.option is None
