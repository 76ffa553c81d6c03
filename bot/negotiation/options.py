"""Two or three repayment options computed from the case, the creditor's policy and the debtor's capacity.

Rules:
- full payment within `IMMEDIATE_PAYMENT_DAYS`, with the policy's discount (rounded down to the cent); offered when
  the debtor said they can pay in full, when the capacity is unknown, or when the discounted amount is within
  `FULL_PAYMENT_REACH_MONTHS` months of capacity (within reach with a little effort) — never as a monthly amount;
  held back for a durable difficulty or a vulnerability unless the debtor said they can pay in full;
- the short plan: the smallest number of months n ≥ 2 such that ceil-to-cent(amount / n) ≤ capacity and every
  line ≥ the minimum instalment, n ≤ the policy's maximum duration; equal instalments, the remainder on the last;
- the long plan: the lightest instalments the policy allows (largest valid n), when longer than the short plan;
- a deferral then a plan, when the debtor expects income later than the normal first date (≤ max deferral);
- a first step (foot-in-the-door) of the capacity amount when no plan fits, with a review date one month later;
- an orientation towards a human adviser when nothing can be paid now (or as the alternative to a single option);
- pointers to the Banque de France over-indebtedness procedure and the Points conseil budget when no plan at the
  capacity could fit within 24 months (article 1343-5 of the Code civil), or for a durable difficulty.

The first instalment falls on the next pay day strictly after today, or on the preferred date when it is later
and within `FIRST_PAYMENT_WINDOW_DAYS` (or the policy's maximum deferral if longer); the following ones fall on
the same day of each month, clamped to the month's end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from bot.cases.schemas import CaseView, Policy
from bot.negotiation.capacity import declared_capacity, unknown_capacity
from bot.negotiation.models import ZERO, Capacity, Option, OptionKind, ScheduleLine
from bot.negotiation.profile import DEFAULT_ORDER, Profile, ProfileKind, Slot
from bot.negotiation.schedule import (
    build_schedule,
    ceil_cent,
    equal_instalments,
    floor_cent,
    monthly_dates,
    next_pay_date,
    pay_date_on_or_after,
)
from bot.text import format_date, format_euros

IMMEDIATE_PAYMENT_DAYS = 7
FULL_PAYMENT_REACH_MONTHS = 3
FIRST_PAYMENT_WINDOW_DAYS = 31
LEGAL_MAX_MONTHS = 24  # article 1343-5 of the Code civil: a judge may defer or spread a debt over two years
UNKNOWN_CAPACITY_SHORT_MONTHS = 3
REMINDER_DAYS_BEFORE = 2
MAX_OPTIONS = 3

BANQUE_DE_FRANCE_POINTER = (
    "Si vos dettes dépassent durablement vos moyens, la procédure de surendettement de la Banque de France peut"
    " vous aider : le dépôt d'un dossier est gratuit (banque-france.fr)."
)
POINTS_CONSEIL_BUDGET_POINTER = (
    "Un Point conseil budget peut faire le point avec vous sur votre budget, gratuitement et en toute"
    " confidentialité (liste sur mesquestionsdargent.fr)."
)


@dataclass(frozen=True)
class Start:
    """Where a plan's dates begin: the first date, and the day of the month the following dates fall on."""

    first: dt.date
    day: int


def amount_due_of(case_view_or_amount: CaseView | Decimal | str | int) -> Decimal:
    if isinstance(case_view_or_amount, CaseView):
        return case_view_or_amount.amount_due
    return Decimal(str(case_view_or_amount)).quantize(Decimal("0.01"))


def as_capacity(capacity: Capacity | Decimal | str | int | None) -> Capacity:
    if capacity is None:
        return unknown_capacity()
    if isinstance(capacity, Capacity):
        return capacity
    return declared_capacity(capacity)


def normal_start(today: dt.date, pay_day: int | None) -> Start:
    """The next pay day strictly after today (unknown pay day: the same day next month)."""
    day = pay_day if pay_day is not None else today.day
    first = next_pay_date(today, day)
    return Start(first=first, day=day)


def plan_start(
    today: dt.date, pay_day: int | None, preferred_date: dt.date | None, policy: Policy
) -> tuple[Start, bool]:
    """The start of a plan and whether the preferred date was used."""
    start = normal_start(today, pay_day)
    latest = today + dt.timedelta(days=max(FIRST_PAYMENT_WINDOW_DAYS, policy.max_deferral_days))
    if preferred_date is not None and start.first < preferred_date <= latest:
        return Start(first=preferred_date, day=preferred_date.day), True
    return start, False


def full_discount(amount: Decimal, policy: Policy) -> Decimal:
    """The discount for immediate full payment, rounded down to the cent."""
    return floor_cent(amount * policy.max_discount_pct / 100)


def plan_is_valid(amount: Decimal, months: int, policy: Policy, capacity: Decimal | None) -> bool:
    """Every line ≥ the minimum instalment, the instalment ≤ the capacity, within the maximum duration."""
    if not 1 <= months <= policy.max_duration_months:
        return False
    try:
        lines = equal_instalments(amount, months)
    except ValueError:
        return False
    if min(lines) < policy.min_instalment:
        return False
    return capacity is None or max(lines) <= capacity


def shortest_plan(amount: Decimal, policy: Policy, capacity: Decimal | None, *, at_least: int = 2) -> int | None:
    """The smallest valid number of months ≥ `at_least` (None: no plan fits)."""
    for months in range(at_least, policy.max_duration_months + 1):
        if plan_is_valid(amount, months, policy, capacity):
            return months
    return None


def longest_plan(amount: Decimal, policy: Policy, capacity: Decimal | None, *, above: int) -> int | None:
    """The largest valid number of months > `above` (lightest instalments), None when there is none."""
    for months in range(policy.max_duration_months, above, -1):
        if plan_is_valid(amount, months, policy, capacity):
            return months
    return None


def fits_within_legal_max(amount: Decimal, capacity: Decimal | None) -> bool:
    """Whether a plan at the capacity could settle the amount within 24 months, whatever the policy."""
    return capacity is None or (capacity > 0 and ceil_cent(amount / LEGAL_MAX_MONTHS) <= capacity)


def describe_schedule(schedule: list[ScheduleLine]) -> str:
    """ "3 mensualités de 62,61 € du 5 décembre 2026 au 5 février 2027 (la dernière de 62,60 €)"."""
    if len(schedule) == 1:
        return f"{format_euros(schedule[0].amount)} le {format_date(schedule[0].date)}"
    first, last = schedule[0], schedule[-1]
    text = (
        f"{len(schedule)} mensualités de {format_euros(first.amount)} du {format_date(first.date)}"
        f" au {format_date(last.date)}"
    )
    if last.amount != first.amount:
        text += f" (la dernière de {format_euros(last.amount)})"
    return text


def _capacity_clause(capacity: Capacity) -> str:
    if capacity.monthly is None:
        return ""
    return f", dans la limite des {format_euros(capacity.monthly)} que vous pouvez consacrer chaque mois"


def full_payment_option(amount: Decimal, policy: Policy, today: dt.date, *, on: dt.date | None = None) -> Option:
    """Everything at once; the policy's discount applies when paid within the immediate-payment window."""
    deadline = today + dt.timedelta(days=IMMEDIATE_PAYMENT_DAYS)
    when = on or deadline
    discount = full_discount(amount, policy) if when <= deadline else ZERO
    total = amount - discount
    if discount:
        label = f"Paiement en une fois avec une remise de {format_euros(discount)}"
        summary = (
            f"{format_euros(total)} en une fois, au plus tard le {format_date(when)}, au lieu de {format_euros(amount)}"
        )
        justification = (
            f"Vous réglez votre dossier en une seule fois et bénéficiez d'une remise de {format_euros(discount)}"
            " pour un paiement rapide."
        )
    else:
        label = "Paiement en une fois"
        summary = f"{format_euros(total)} en une fois, le {format_date(when)}"
        justification = "Vous réglez votre dossier en une seule fois, sans autre échéance à suivre."
    return Option(
        kind=OptionKind.PAIEMENT_INTEGRAL,
        rank=1,
        label=label,
        summary=summary,
        justification=justification,
        schedule=[ScheduleLine(date=when, amount=total)],
        amount_due=amount,
        total=total,
        discount=discount,
    )


def plan_option(amount: Decimal, months: int, start: Start, capacity: Capacity, *, lightest: bool = False) -> Option:
    schedule = build_schedule(amount, months, start.first, start.day)
    summary = describe_schedule(schedule)
    if months == 1:
        label = "Paiement en une fois à votre prochaine date de revenus"
        justification = f"Vous réglez la totalité le {format_date(start.first)}{_capacity_clause(capacity)}."
    elif lightest:
        label = f"Échéancier allégé en {months} mensualités"
        justification = (
            f"La mensualité la plus légère possible, {format_euros(schedule[0].amount)}, pour garder de la marge"
            " dans votre budget."
        )
    else:
        label = f"Échéancier en {months} mensualités"
        justification = f"Votre dossier est réglé en {months} mois{_capacity_clause(capacity)}."
    return Option(
        kind=OptionKind.ECHEANCIER,
        rank=1,
        label=label,
        summary=summary,
        justification=justification,
        schedule=schedule,
        amount_due=amount,
        total=amount,
    )


def deferral_option(amount: Decimal, months: int, start: Start, income_on: dt.date) -> Option:
    schedule = build_schedule(amount, months, start.first, start.day)
    what = "un paiement" if months == 1 else f"{months} mensualités"
    if start.first >= income_on:
        justification = (
            f"Vous attendez des revenus le {format_date(income_on)} : rien à régler d'ici là, les paiements"
            f" commencent le {format_date(start.first)}."
        )
    else:
        justification = (
            f"Vous attendez des revenus le {format_date(income_on)} : le premier paiement est reporté au"
            f" {format_date(start.first)}, le plus long délai possible sur ce dossier."
        )
    return Option(
        kind=OptionKind.REPORT_PUIS_ECHEANCIER,
        rank=1,
        label=f"Report jusqu'au {format_date(start.first)}, puis {what}",
        summary=f"Rien à régler avant le {format_date(start.first)}, puis {describe_schedule(schedule)}",
        justification=justification,
        schedule=schedule,
        amount_due=amount,
        total=amount,
    )


def first_step_option(amount: Decimal, step: Decimal, start: Start, *, pointers: list[str]) -> Option:
    """A small first payment now, and a review one month later to build the rest together."""
    review = monthly_dates(start.first, 2, start.day)[1]
    return Option(
        kind=OptionKind.PREMIER_PAS,
        rank=1,
        label=f"Un premier versement de {format_euros(step)}",
        summary=(
            f"{format_euros(step)} le {format_date(start.first)}, puis un point ensemble le {format_date(review)}"
            " pour construire la suite"
        ),
        justification=(
            "Un premier pas à votre portée pour commencer ; nous regarderons ensuite avec vous ce qui sera possible"
            " pour le reste."
        ),
        schedule=[ScheduleLine(date=start.first, amount=step, first_step=True)],
        amount_due=amount,
        total=step,
        remaining=amount - step,
        review_date=review,
        pointers=pointers,
    )


def orientation_option(amount: Decimal, *, pointers: list[str]) -> Option:
    return Option(
        kind=OptionKind.ORIENTATION,
        rank=1,
        label="Faire le point avec un conseiller",
        summary="Un conseiller vous rappelle pour regarder votre situation avec vous, sans engagement",
        justification=(
            "Rien n'est à régler tout de suite : un conseiller peut chercher avec vous la solution la plus adaptée."
        ),
        schedule=[],
        amount_due=amount,
        total=ZERO,
        remaining=amount,
        pointers=pointers,
    )


def _budget_pointers(amount: Decimal, capacity: Capacity, profile: Profile | None) -> list[str]:
    if not fits_within_legal_max(amount, capacity.monthly) or (profile and profile.wants_budget_pointers):
        return [BANQUE_DE_FRANCE_POINTER, POINTS_CONSEIL_BUDGET_POINTER]
    return []


def _orientation(amount: Decimal, capacity: Capacity, profile: Profile | None) -> Option:
    return orientation_option(
        amount, pointers=_budget_pointers(amount, capacity, profile) or [POINTS_CONSEIL_BUDGET_POINTER]
    )


def _reminders(option: Option, today: dt.date) -> list[dt.date]:
    """A reminder a couple of days before each payment (none in the past or today)."""
    days = [line.date - dt.timedelta(days=REMINDER_DAYS_BEFORE) for line in option.schedule]
    return [day for day in days if day > today]


def _deferral_start(
    today: dt.date, pay_day: int | None, income_on: dt.date | None, policy: Policy, normal: Start
) -> Start | None:
    """The start of a deferred plan: the first pay day on/after the expected income, within the max deferral."""
    if income_on is None or policy.max_deferral_days <= 0:
        return None
    latest = today + dt.timedelta(days=policy.max_deferral_days)
    end = min(income_on, latest)
    on_pay_day = pay_date_on_or_after(end, normal.day)
    start = Start(on_pay_day, normal.day) if on_pay_day <= latest else Start(end, end.day)
    return start if start.first > normal.first else None


def candidate_options(
    amount: Decimal,
    policy: Policy,
    capacity: Capacity,
    today: dt.date,
    pay_day: int | None,
    preferred_date: dt.date | None,
    expects_income_on: dt.date | None,
    profile: Profile | None,
) -> dict[Slot, Option]:
    """Every option that applies, keyed by its slot, before ranking."""
    monthly = capacity.monthly
    start, _ = plan_start(today, pay_day, preferred_date, policy)
    candidates: dict[Slot, Option] = {}
    full = full_payment_option(amount, policy, today)
    within_reach = monthly is not None and full.total <= monthly * FULL_PAYMENT_REACH_MONTHS
    # A durable difficulty or a vulnerability is not pushed towards paying everything at once, unless asked for.
    held_back = profile is not None and profile.kind in (ProfileKind.DIFFICULTE_DURABLE, ProfileKind.VULNERABILITE)
    if capacity.can_pay_in_full or (not held_back and (monthly is None or within_reach)):
        candidates[Slot.FULL] = full

    if monthly is None:
        preferred_short = min(UNKNOWN_CAPACITY_SHORT_MONTHS, policy.max_duration_months)
        valid = preferred_short >= 2 and plan_is_valid(amount, preferred_short, policy, None)
        short = preferred_short if valid else shortest_plan(amount, policy, None)
    else:
        short = shortest_plan(amount, policy, monthly)
    if short is not None:
        candidates[Slot.SHORT] = plan_option(amount, short, start, capacity)
        long = longest_plan(amount, policy, monthly, above=short)
        if long is not None:
            candidates[Slot.LONG] = plan_option(amount, long, start, capacity, lightest=True)

    deferred = _deferral_start(today, pay_day, expects_income_on, policy, normal_start(today, pay_day))
    deferred_months = short if monthly is None else shortest_plan(amount, policy, monthly, at_least=1)
    if deferred is not None and deferred_months is not None and expects_income_on is not None:
        candidates[Slot.DEFERRAL] = deferral_option(amount, deferred_months, deferred, expects_income_on)

    pointers = _budget_pointers(amount, capacity, profile)
    if monthly is not None and short is None and ZERO < monthly < amount:
        candidates[Slot.FIRST_STEP] = first_step_option(amount, monthly, start, pointers=pointers)
    nothing_fits = monthly is not None and short is None and Slot.FIRST_STEP not in candidates
    vulnerable = profile is not None and profile.kind is ProfileKind.VULNERABILITE
    if nothing_fits or vulnerable:
        candidates[Slot.ORIENTATION] = _orientation(amount, capacity, profile)
    return candidates


def propose_options(
    case_view_or_amount: CaseView | Decimal | str | int,
    policy: Policy,
    capacity: Capacity | Decimal | str | int | None,
    today: dt.date,
    pay_day: int | None = None,
    preferred_date: dt.date | None = None,
    expects_income_on: dt.date | None = None,
    profile: Profile | None = None,
) -> list[Option]:
    """Two or three ranked options (one when nothing else applies; none when nothing is due)."""
    amount = amount_due_of(case_view_or_amount)
    if amount <= 0:
        return []
    capacity = as_capacity(capacity)
    candidates = candidate_options(amount, policy, capacity, today, pay_day, preferred_date, expects_income_on, profile)
    order = profile.order if profile else DEFAULT_ORDER
    ranked = [candidates[slot] for slot in order if slot in candidates][:MAX_OPTIONS]
    full = candidates.get(Slot.FULL)
    if capacity.can_pay_in_full and full is not None and full not in ranked:
        ranked = ranked[: MAX_OPTIONS - 1] + [full]  # the debtor said so: settling at once stays on the table
    if len(ranked) < 2 and not any(option.kind is OptionKind.ORIENTATION for option in ranked):
        ranked.append(_orientation(amount, capacity, profile))
    options: list[Option] = []
    for rank, option in enumerate(ranked, start=1):
        update: dict[str, object] = {"rank": rank}
        if profile is not None and profile.wants_reminders and option.schedule:
            update["reminder_dates"] = _reminders(option, today)
        if profile is not None and profile.wants_budget_pointers and not option.pointers:
            update["pointers"] = _budget_pointers(amount, capacity, profile)
        options.append(option.copy(update=update))
    return options
