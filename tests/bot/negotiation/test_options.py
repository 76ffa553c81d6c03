from datetime import date, timedelta
from decimal import Decimal

from bot.negotiation import OptionKind, Profile, ProfileKind, declared_capacity, propose_options, unknown_capacity
from bot.negotiation.options import BANQUE_DE_FRANCE_POINTER, POINTS_CONSEIL_BUDGET_POINTER
from bot.negotiation.profile import TONES
from tests.bot.negotiation.helpers import FINAMEA, MOBILYS, NO_DISCOUNT, TODAY, case_view, policy


def schedule(option) -> list[tuple[date, Decimal]]:  # type: ignore[no-untyped-def]
    return [(line.date, line.amount) for line in option.schedule]


def profile(kind: ProfileKind) -> Profile:
    return Profile(kind=kind, evidence=["test"], tone=TONES[kind])


def test_demo_case_with_80_a_month_on_the_5th() -> None:
    options = propose_options(case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, None)
    assert [o.kind for o in options] == [OptionKind.PAIEMENT_INTEGRAL, OptionKind.ECHEANCIER, OptionKind.ECHEANCIER]
    assert [o.rank for o in options] == [1, 2, 3]
    full, short, long = options
    # 10 % of 187.82 = 18.782, rounded down to the cent
    assert (full.total, full.discount) == (Decimal("169.04"), Decimal("18.78"))
    assert schedule(full) == [(date(2026, 11, 29), Decimal("169.04"))]
    # 2 months would need 93.91 > 80: 3 months, 62.61 + 62.61 + 62.60
    assert schedule(short) == [
        (date(2026, 12, 5), Decimal("62.61")),
        (date(2027, 1, 5), Decimal("62.61")),
        (date(2027, 2, 5), Decimal("62.60")),
    ]
    assert short.label == "Échéancier en 3 mensualités"
    # the lightest plan the policy allows: 12 × 15.66 (last 15.56), every line ≥ 15.00
    assert long.instalments == 12 and long.schedule[0].amount == Decimal("15.66")
    assert long.schedule[-1].amount == Decimal("15.56") and long.schedule[-1].date == date(2027, 11, 5)


def test_summary_reads_like_the_product_brief() -> None:
    options = propose_options(Decimal("270.00"), NO_DISCOUNT, declared_capacity("45"), date(2026, 11, 20), 5, None)
    plan = next(o for o in options if o.kind is OptionKind.ECHEANCIER)
    assert plan.summary == "6 mensualités de 45,00\xa0€ du 5 décembre 2026 au 5 mai 2027"


def test_no_discount_policy_gives_plain_full_payment() -> None:
    options = propose_options(Decimal("120.00"), NO_DISCOUNT, declared_capacity("200"), TODAY, 5, None)
    full = options[0]
    assert full.kind is OptionKind.PAIEMENT_INTEGRAL and full.discount == 0 and full.total == Decimal("120.00")
    assert full.label == "Paiement en une fois"


def test_the_instalment_never_exceeds_the_capacity_by_a_cent() -> None:
    options = propose_options(case_view(), MOBILYS, declared_capacity("62.60"), TODAY, 5, None)
    plan = next(o for o in options if o.kind is OptionKind.ECHEANCIER)
    assert plan.instalments == 4  # 62.61 would be one cent too much
    assert max(line.amount for line in plan.schedule) <= Decimal("62.60")


def test_full_payment_is_left_out_when_far_beyond_the_capacity() -> None:
    options = propose_options(Decimal("1000.00"), FINAMEA, declared_capacity("100"), TODAY, 5, None)
    assert OptionKind.PAIEMENT_INTEGRAL not in [o.kind for o in options]
    said_so = propose_options(
        Decimal("1000.00"), FINAMEA, declared_capacity("100", can_pay_in_full=True), TODAY, 5, None
    )
    assert said_so[0].kind is OptionKind.PAIEMENT_INTEGRAL and said_so[0].total == Decimal("800.00")


def test_preferred_date_later_than_pay_day_is_used_when_allowed() -> None:
    options = propose_options(case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, date(2026, 12, 12))
    plan = next(o for o in options if o.kind is OptionKind.ECHEANCIER)
    assert [d for d, _ in schedule(plan)] == [date(2026, 12, 12), date(2027, 1, 12), date(2027, 2, 12)]
    too_late = propose_options(case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, date(2027, 3, 1))
    plan = next(o for o in too_late if o.kind is OptionKind.ECHEANCIER)
    assert plan.schedule[0].date == date(2026, 12, 5)
    earlier = propose_options(case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, date(2026, 11, 25))
    assert next(o for o in earlier if o.kind is OptionKind.ECHEANCIER).schedule[0].date == date(2026, 12, 5)


def test_pay_day_31_in_february() -> None:
    options = propose_options(Decimal("300.00"), MOBILYS, declared_capacity("100"), date(2027, 1, 31), 31, None)
    plan = next(o for o in options if o.kind is OptionKind.ECHEANCIER)
    assert [d for d, _ in schedule(plan)] == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_deferral_then_plan_when_income_is_expected() -> None:
    options = propose_options(
        Decimal("600.00"), FINAMEA, declared_capacity("200"), TODAY, 5, None, expects_income_on=date(2027, 1, 3)
    )
    deferral = next(o for o in options if o.kind is OptionKind.REPORT_PUIS_ECHEANCIER)
    # first pay day on or after the income date, within the 60 days allowed
    assert schedule(deferral) == [
        (date(2027, 1, 5), Decimal("200.00")),
        (date(2027, 2, 5), Decimal("200.00")),
        (date(2027, 3, 5), Decimal("200.00")),
    ]
    assert deferral.justification == (
        "Vous attendez des revenus le 3 janvier 2027 : rien à régler d'ici là, les paiements commencent le"
        " 5 janvier 2027."
    )


def test_deferral_is_capped_by_the_policy() -> None:
    options = propose_options(
        Decimal("600.00"), MOBILYS, declared_capacity("200"), TODAY, 5, None, expects_income_on=date(2027, 3, 1)
    )
    deferral = next(o for o in options if o.kind is OptionKind.REPORT_PUIS_ECHEANCIER)
    assert deferral.schedule[0].date == TODAY + timedelta(days=30)
    assert "reporté au 22 décembre 2026, le plus long délai possible" in deferral.justification


def test_no_deferral_without_expected_income_or_allowed_delay() -> None:
    kinds = [o.kind for o in propose_options(Decimal("600.00"), FINAMEA, declared_capacity("200"), TODAY, 5, None)]
    assert OptionKind.REPORT_PUIS_ECHEANCIER not in kinds
    no_delay = policy(deferral=0)
    options = propose_options(
        Decimal("600.00"), no_delay, declared_capacity("200"), TODAY, 5, None, expects_income_on=date(2027, 1, 3)
    )
    assert OptionKind.REPORT_PUIS_ECHEANCIER not in [o.kind for o in options]
    before_pay_day = propose_options(
        Decimal("600.00"), FINAMEA, declared_capacity("200"), TODAY, 5, None, expects_income_on=date(2026, 11, 30)
    )
    assert OptionKind.REPORT_PUIS_ECHEANCIER not in [o.kind for o in before_pay_day]


def test_capacity_below_minimum_gives_a_first_step_and_a_review() -> None:
    options = propose_options(Decimal("100.00"), MOBILYS, declared_capacity("10"), TODAY, 5, None)
    first = next(o for o in options if o.kind is OptionKind.PREMIER_PAS)
    assert schedule(first) == [(date(2026, 12, 5), Decimal("10.00"))]
    assert first.schedule[0].first_step
    assert first.review_date == date(2027, 1, 5)
    assert first.remaining == Decimal("90.00") and first.total == Decimal("10.00")
    assert first.pointers == []  # 24 × 10 € would cover 100 €: no over-indebtedness pointer
    assert OptionKind.ECHEANCIER not in [o.kind for o in options]


def test_no_plan_within_24_months_points_to_banque_de_france_and_points_conseil_budget() -> None:
    options = propose_options(Decimal("1500.00"), MOBILYS, declared_capacity("10"), TODAY, 5, None)
    first = options[0]
    assert first.kind is OptionKind.PREMIER_PAS and first.total == Decimal("10.00")
    assert first.pointers == [BANQUE_DE_FRANCE_POINTER, POINTS_CONSEIL_BUDGET_POINTER]
    assert "surendettement" in first.pointers[0] and "Point conseil budget" in first.pointers[1]


def test_plan_too_long_for_the_policy_but_capacity_above_minimum_is_a_first_step() -> None:
    options = propose_options(Decimal("1000.00"), MOBILYS, declared_capacity("50"), TODAY, 5, None)
    assert options[0].kind is OptionKind.PREMIER_PAS and options[0].total == Decimal("50.00")
    assert options[0].pointers == []  # 1000 / 24 = 41.67 ≤ 50: a 24-month plan would fit


def test_last_line_below_minimum_is_not_proposed() -> None:
    # 3 × 15.00 would leave 14.98 on the last line, under the 15.00 minimum
    options = propose_options(Decimal("44.98"), MOBILYS, declared_capacity("15"), TODAY, 5, None)
    assert OptionKind.ECHEANCIER not in [o.kind for o in options]
    assert options[0].kind is OptionKind.PAIEMENT_INTEGRAL  # 40.49 is within three months of capacity
    assert any(o.kind is OptionKind.PREMIER_PAS for o in options)


def test_nothing_to_spare_gives_orientation_only() -> None:
    options = propose_options(Decimal("800.00"), MOBILYS, declared_capacity("0"), TODAY, 5, None)
    assert [o.kind for o in options] == [OptionKind.ORIENTATION]
    assert options[0].schedule == [] and options[0].remaining == Decimal("800.00")
    assert BANQUE_DE_FRANCE_POINTER in options[0].pointers


def test_unknown_capacity_offers_full_payment_and_plans() -> None:
    options = propose_options(case_view(), MOBILYS, unknown_capacity(), TODAY, None, None)
    assert [o.kind for o in options] == [OptionKind.PAIEMENT_INTEGRAL, OptionKind.ECHEANCIER, OptionKind.ECHEANCIER]
    assert options[1].instalments == 3 and options[2].instalments == 12
    assert options[1].schedule[0].date == date(2026, 12, 22)  # unknown pay day: the same day next month
    assert "que vous pouvez consacrer" not in options[1].justification


def test_settled_case_has_no_option() -> None:
    assert propose_options(case_view(paid="187.82"), MOBILYS, declared_capacity("80"), TODAY, 5, None) == []


def test_small_debt_gets_full_payment_and_a_human_alternative() -> None:
    options = propose_options(Decimal("12.00"), MOBILYS, declared_capacity("80"), TODAY, 5, None)
    assert [o.kind for o in options] == [OptionKind.PAIEMENT_INTEGRAL, OptionKind.ORIENTATION]


def test_durable_difficulty_puts_the_long_plan_first_with_pointers() -> None:
    options = propose_options(
        case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, None, profile=profile(ProfileKind.DIFFICULTE_DURABLE)
    )
    assert options[0].kind is OptionKind.ECHEANCIER and options[0].instalments == 12
    assert all(BANQUE_DE_FRANCE_POINTER in o.pointers for o in options)
    assert OptionKind.PAIEMENT_INTEGRAL not in [o.kind for o in options]


def test_forgetful_debtor_gets_full_payment_first_and_reminders() -> None:
    options = propose_options(
        case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, None, profile=profile(ProfileKind.OUBLI)
    )
    assert [o.kind for o in options][:2] == [OptionKind.PAIEMENT_INTEGRAL, OptionKind.ECHEANCIER]
    assert options[0].reminder_dates == [date(2026, 11, 27)]
    assert options[1].reminder_dates == [date(2026, 12, 3), date(2027, 1, 3), date(2027, 2, 3)]


def test_temporary_difficulty_puts_the_deferral_first() -> None:
    options = propose_options(
        Decimal("600.00"),
        FINAMEA,
        declared_capacity("200"),
        TODAY,
        5,
        None,
        expects_income_on=date(2027, 1, 3),
        profile=profile(ProfileKind.DIFFICULTE_PONCTUELLE),
    )
    assert options[0].kind is OptionKind.REPORT_PUIS_ECHEANCIER


def test_vulnerability_offers_a_human_first_and_no_full_payment() -> None:
    options = propose_options(
        case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, None, profile=profile(ProfileKind.VULNERABILITE)
    )
    assert options[0].kind is OptionKind.ORIENTATION
    assert OptionKind.PAIEMENT_INTEGRAL not in [o.kind for o in options]


def test_json_shape() -> None:
    option = propose_options(case_view(), MOBILYS, declared_capacity("80"), TODAY, 5, None)[1]
    data = option.as_json()
    assert data["kind"] == "echeancier" and data["total"] == "187.82" and data["discount"] == "0.00"
    assert data["schedule"][0] == {"date": "2026-12-05", "amount": "62.61", "first_step": False}
