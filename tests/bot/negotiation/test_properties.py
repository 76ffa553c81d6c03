"""Property-based tests of the options engine and of counter-offers (hypothesis)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cases.schemas import Policy
from bot.compliance import check_text
from bot.negotiation import (
    Capacity,
    Option,
    OptionKind,
    Profile,
    ProfileKind,
    declared_capacity,
    evaluate_counter_offer,
    propose_options,
    unknown_capacity,
)
from bot.negotiation.profile import TONES
from bot.negotiation.schedule import build_schedule, day_in_month

CENT = Decimal("0.01")
# AMIABLE_HYPOTHESIS_EXAMPLES=5000 for a longer hunt; 300 keeps the suite fast.
PROPERTY_SETTINGS = settings(max_examples=int(os.environ.get("AMIABLE_HYPOTHESIS_EXAMPLES", "300")), deadline=None)

cents = st.integers(min_value=1, max_value=2_000_000).map(lambda n: Decimal(n) * CENT)
policies = st.builds(
    lambda minimum, months, discount, deferral: Policy(
        min_instalment=Decimal(minimum) * CENT,
        max_duration_months=months,
        max_discount_pct=Decimal(discount) * CENT,
        max_deferral_days=deferral,
    ),
    st.integers(min_value=100, max_value=10_000),
    st.integers(min_value=1, max_value=24),
    st.integers(min_value=0, max_value=5_000),
    st.integers(min_value=0, max_value=180),
)
capacities = st.one_of(
    st.builds(unknown_capacity, can_pay_in_full=st.booleans()),
    st.builds(
        lambda amount, full: declared_capacity(Decimal(amount) * CENT, can_pay_in_full=full),
        st.integers(min_value=0, max_value=300_000),
        st.booleans(),
    ),
)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31))
pay_days = st.one_of(st.none(), st.integers(min_value=1, max_value=31))
offsets = st.one_of(st.none(), st.integers(min_value=-10, max_value=200))
profiles = st.one_of(
    st.none(), st.sampled_from(list(ProfileKind)).map(lambda k: Profile(kind=k, evidence=[], tone=TONES[k]))
)


def _later(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + timedelta(days=offset)


def assert_option_invariants(option: Option, amount: Decimal, policy: Policy, today: date) -> None:
    lines = option.schedule
    # exact money: the schedule sums to what is owed minus any discount, minus what is left for later
    assert sum((line.amount for line in lines), Decimal("0")) == option.total
    assert option.total + option.discount + option.remaining == amount
    if option.kind in (OptionKind.PREMIER_PAS, OptionKind.ORIENTATION):
        assert option.remaining > 0
    else:
        assert option.remaining == 0 and lines
    if option.kind is OptionKind.PAIEMENT_INTEGRAL:
        assert len(lines) == 1
        assert option.discount <= (amount * policy.max_discount_pct / 100).quantize(CENT, rounding=ROUND_FLOOR)
    else:
        assert option.discount == 0
    # never longer than the policy allows
    assert len(lines) <= policy.max_duration_months
    # no instalment below the minimum, except the declared first step (and full payment, which is no instalment)
    for line in lines:
        assert line.amount > 0 and line.amount == line.amount.quantize(CENT)
        if option.kind is not OptionKind.PAIEMENT_INTEGRAL and not line.first_step:
            assert line.amount >= policy.min_instalment
    assert sum(line.first_step for line in lines) == (1 if option.kind is OptionKind.PREMIER_PAS else 0)
    # dates strictly increasing and in the future
    dates = [line.date for line in lines]
    assert all(earlier < later for earlier, later in zip(dates, dates[1:]))
    assert all(day > today for day in dates)
    if option.review_date is not None:
        assert option.review_date > dates[-1]
    assert all(day > today for day in option.reminder_dates)


@PROPERTY_SETTINGS
@given(cents, policies, capacities, days, pay_days, offsets, offsets, profiles)
def test_every_proposed_option_keeps_the_invariants(
    amount: Decimal,
    policy: Policy,
    capacity: Capacity,
    today: date,
    pay_day: int | None,
    preferred: int | None,
    income: int | None,
    profile: Profile | None,
) -> None:
    options = propose_options(
        amount, policy, capacity, today, pay_day, _later(today, preferred), _later(today, income), profile
    )
    assert 1 <= len(options) <= 3
    assert [option.rank for option in options] == list(range(1, len(options) + 1))
    for option in options:
        assert_option_invariants(option, amount, policy, today)
        # never a monthly amount above the capacity; full payment only when in reach, unknown, or asked for
        if capacity.monthly is not None and option.kind is not OptionKind.PAIEMENT_INTEGRAL:
            assert all(line.amount <= capacity.monthly for line in option.schedule)
        # everything the debtor reads passes the compliance check
        for text in option.texts():
            assert check_text(text) == [], text
    if capacity.can_pay_in_full:
        assert any(option.kind is OptionKind.PAIEMENT_INTEGRAL for option in options)


@PROPERTY_SETTINGS
@given(cents, policies, days, pay_days, st.integers(min_value=100, max_value=400_000))
def test_the_short_plan_is_the_fastest_within_the_capacity(
    amount: Decimal, policy: Policy, today: date, pay_day: int | None, monthly_cents: int
) -> None:
    monthly = Decimal(monthly_cents) * CENT
    plans = [
        option
        for option in propose_options(amount, policy, declared_capacity(monthly), today, pay_day, None)
        if option.kind is OptionKind.ECHEANCIER
    ]
    if not plans:
        return
    fastest = min(plan.instalments for plan in plans)
    for months in range(2, fastest):  # no shorter plan would have fitted
        base = (amount / months).quantize(CENT, rounding="ROUND_CEILING")
        last = amount - base * (months - 1)
        assert base > monthly or min(base, last) < policy.min_instalment


@PROPERTY_SETTINGS
@given(cents, st.integers(min_value=1, max_value=24), days, st.integers(min_value=1, max_value=31))
def test_schedules_sum_exactly_and_fall_on_the_pay_day(amount: Decimal, count: int, first: date, day: int) -> None:
    try:
        lines = build_schedule(amount, count, first, day)
    except ValueError:
        assert amount < count * CENT * count  # only tiny amounts over many lines are refused
        return
    assert sum(line.amount for line in lines) == amount
    assert len({line.amount for line in lines[:-1]}) <= 1 and lines[-1].amount <= lines[0].amount
    for line in lines[1:]:
        assert line.date == day_in_month(line.date.year, line.date.month, day)
    assert all(a.date < b.date for a, b in zip(lines, lines[1:]))


@PROPERTY_SETTINGS
@given(
    cents,
    policies,
    days,
    pay_days,
    st.one_of(st.none(), st.integers(min_value=1, max_value=200_000).map(lambda n: Decimal(n) * CENT)),
    st.one_of(st.none(), st.integers(min_value=1, max_value=36)),
    offsets,
)
def test_counter_offers_answer_with_a_policy_compliant_option(
    amount: Decimal,
    policy: Policy,
    today: date,
    pay_day: int | None,
    monthly: Decimal | None,
    months: int | None,
    on: int | None,
) -> None:
    if monthly is None and months is None and on is None:
        return
    outcome = evaluate_counter_offer(
        amount, policy, today, pay_day, monthly_amount=monthly, months=months, on_date=_later(today, on)
    )
    assert outcome.why and check_text(outcome.why) == []
    assert outcome.option is not None
    assert_option_invariants(outcome.option, amount, policy, today)
    if outcome.accepted and monthly is not None and outcome.option.kind is OptionKind.ECHEANCIER:
        assert all(line.amount <= monthly for line in outcome.option.schedule)
    if outcome.accepted and months is not None and outcome.option.kind is OptionKind.ECHEANCIER:
        assert outcome.option.instalments <= months
    if not outcome.accepted and monthly is not None and outcome.option.kind is not OptionKind.PAIEMENT_INTEGRAL:
        assert all(line.amount <= monthly for line in outcome.option.schedule) or months is not None
