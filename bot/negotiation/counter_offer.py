"""A counter-offer (`proposer_paiement`) evaluated against the creditor's policy.

The debtor may give an amount per month, a number of months, a date, or several of them. The answer is either
"accepted", with the schedule it makes, or the closest acceptable option and a short French "why".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel

from bot.cases.schemas import CaseView, Policy
from bot.negotiation.capacity import declared_capacity, unknown_capacity
from bot.negotiation.models import Capacity, Option
from bot.negotiation.options import (
    BANQUE_DE_FRANCE_POINTER,
    FIRST_PAYMENT_WINDOW_DAYS,
    IMMEDIATE_PAYMENT_DAYS,
    POINTS_CONSEIL_BUDGET_POINTER,
    Start,
    amount_due_of,
    as_capacity,
    first_step_option,
    fits_within_legal_max,
    full_payment_option,
    longest_plan,
    normal_start,
    plan_is_valid,
    plan_option,
    shortest_plan,
)
from bot.negotiation.schedule import ceil_cent, floor_cent
from bot.text import format_date, format_euros


class CounterOfferOutcome(BaseModel):
    accepted: bool
    option: Option | None  # the accepted schedule, or the closest acceptable option
    why: str


def _months(count: int) -> str:
    return f"{count} mois"


def _accepted(option: Option) -> CounterOfferOutcome:
    return CounterOfferOutcome(accepted=True, option=option, why=f"C'est possible : {option.summary}.")


def _closest(option: Option | None, why: str) -> CounterOfferOutcome:
    if option is not None:
        why = f"{why} Ce qui s'en approche le plus : {option.summary}."
    return CounterOfferOutcome(accepted=False, option=option, why=why)


def _months_needed(amount: Decimal, monthly: Decimal) -> int:
    """The smallest number of months whose instalment (rounded up to the cent) fits within `monthly`."""
    months = max(1, int(amount // monthly))
    while ceil_cent(amount / months) > monthly:
        months += 1
    return months


def _pointers(amount: Decimal, monthly: Decimal) -> list[str]:
    """The over-indebtedness pointers when even 24 months at this amount could not settle the debt."""
    if fits_within_legal_max(amount, monthly):
        return []
    return [BANQUE_DE_FRANCE_POINTER, POINTS_CONSEIL_BUDGET_POINTER]


def _latest_start(today: dt.date, policy: Policy) -> dt.date:
    return today + dt.timedelta(days=max(FIRST_PAYMENT_WINDOW_DAYS, policy.max_deferral_days))


def _evaluate_date_only(amount: Decimal, policy: Policy, today: dt.date, on: dt.date) -> CounterOfferOutcome:
    latest = today + dt.timedelta(days=max(IMMEDIATE_PAYMENT_DAYS, policy.max_deferral_days))
    if on == today:
        return _accepted(full_payment_option(amount, policy, today))  # paying now: the immediate-payment window
    if on < today:
        return _closest(full_payment_option(amount, policy, today), f"La date du {format_date(on)} est déjà passée.")
    if on <= latest:
        return _accepted(full_payment_option(amount, policy, today, on=on))
    return _closest(
        full_payment_option(amount, policy, today, on=latest),
        f"Le report d'un paiement en une fois est possible jusqu'au {format_date(latest)}.",
    )


def _evaluate_months(amount: Decimal, policy: Policy, today: dt.date, start: Start, months: int) -> CounterOfferOutcome:
    capacity = unknown_capacity()
    if months == 1:
        return _accepted(full_payment_option(amount, policy, today, on=start.first))
    if months > policy.max_duration_months:
        longest = longest_plan(amount, policy, None, above=1)
        option = (
            plan_option(amount, longest, start, capacity) if longest else full_payment_option(amount, policy, today)
        )
        return _closest(option, f"Un échéancier peut durer au plus {_months(policy.max_duration_months)}.")
    if plan_is_valid(amount, months, policy, None):
        return _accepted(plan_option(amount, months, start, capacity))
    base = ceil_cent(amount / months)
    last = amount - base * (months - 1)
    # the regular instalment when it is the one under the minimum, else the (smaller) last one
    instalment = base if base < policy.min_instalment else last if last > 0 else floor_cent(amount / months)
    shorter = next((n for n in range(months - 1, 0, -1) if plan_is_valid(amount, n, policy, None)), None)
    if shorter is None or shorter == 1:
        option = full_payment_option(amount, policy, today, on=start.first)
    else:
        option = plan_option(amount, shorter, start, capacity)
    return _closest(
        option,
        f"Sur {_months(months)}, une échéance serait de {format_euros(instalment)}, en dessous du minimum de"
        f" {format_euros(policy.min_instalment)} par mois.",
    )


def _evaluate_monthly(
    amount: Decimal,
    policy: Policy,
    today: dt.date,
    start: Start,
    monthly: Decimal,
    capacity: Capacity,
) -> CounterOfferOutcome:
    if monthly >= amount:
        return _accepted(full_payment_option(amount, policy, today, on=start.first))
    if monthly < policy.min_instalment:
        return _closest(
            first_step_option(amount, monthly, start, pointers=_pointers(amount, monthly)),
            f"Une mensualité doit être d'au moins {format_euros(policy.min_instalment)}, mais"
            f" {format_euros(monthly)} peut être un premier versement.",
        )
    needed = _months_needed(amount, monthly)
    if needed > policy.max_duration_months:
        # Never above what the debtor can bear: their offer, or their stated capacity when it is higher.
        ceiling = monthly if capacity.monthly is None else max(monthly, capacity.monthly)
        longest = longest_plan(amount, policy, ceiling, above=1)
        if longest is not None:
            option = plan_option(amount, longest, start, declared_capacity(ceiling))
        else:
            option = first_step_option(amount, monthly, start, pointers=_pointers(amount, ceiling))
        return _closest(
            option,
            f"À {format_euros(monthly)} par mois, il faudrait {_months(needed)}, et un échéancier peut durer au plus"
            f" {_months(policy.max_duration_months)}.",
        )
    fitting = shortest_plan(amount, policy, monthly, at_least=max(needed, 2))
    if fitting is not None:
        return _accepted(plan_option(amount, fitting, start, declared_capacity(monthly)))
    return _closest(
        first_step_option(amount, monthly, start, pointers=_pointers(amount, monthly)),
        "Ce montant ne permet pas de répartir le solde en mensualités égales au-dessus du minimum.",
    )


def evaluate_counter_offer(
    case_view_or_amount: CaseView | Decimal | str | int,
    policy: Policy,
    today: dt.date,
    pay_day: int | None = None,
    *,
    monthly_amount: Decimal | None = None,
    months: int | None = None,
    on_date: dt.date | None = None,
    capacity: Capacity | Decimal | str | int | None = None,
) -> CounterOfferOutcome:
    """Accept the debtor's proposal when the policy allows it, else answer with the closest acceptable option."""
    if monthly_amount is None and months is None and on_date is None:
        raise ValueError("proposition vide : un montant, un nombre de mois ou une date est nécessaire")
    if months is not None and months < 1:
        raise ValueError("le nombre de mois doit être d'au moins 1")
    if monthly_amount is not None and monthly_amount <= 0:
        raise ValueError("le montant proposé doit être positif")
    amount = amount_due_of(case_view_or_amount)
    if amount <= 0:
        return CounterOfferOutcome(accepted=False, option=None, why="Il ne reste rien à régler sur ce dossier.")
    known = as_capacity(capacity)
    if monthly_amount is None and months is None:
        assert on_date is not None
        return _evaluate_date_only(amount, policy, today, on_date)

    start = normal_start(today, pay_day)
    date_note = ""
    if on_date is not None:
        latest = _latest_start(today, policy)
        if today < on_date <= latest:
            start = Start(first=on_date, day=on_date.day)
        else:
            start = Start(first=latest, day=latest.day) if on_date > latest else start
            date_note = (
                f" Le premier paiement peut avoir lieu au plus tard le {format_date(latest)}."
                if on_date > latest
                else f" La date du {format_date(on_date)} est déjà passée."
            )
    if monthly_amount is not None and months is not None and monthly_amount * months < amount:
        outcome = _evaluate_monthly(amount, policy, today, start, monthly_amount, known)
        short = f"{months} × {format_euros(monthly_amount)} font {format_euros(monthly_amount * months)}"
        missing = format_euros(amount - monthly_amount * months)
        return _closest(outcome.option, f"{short}, il manquerait {missing} sur {format_euros(amount)}.{date_note}")
    if months is not None:
        outcome = _evaluate_months(amount, policy, today, start, months)
    else:
        assert monthly_amount is not None
        outcome = _evaluate_monthly(amount, policy, today, start, monthly_amount, known)
    if date_note and outcome.accepted:
        return _closest(outcome.option, date_note.strip())
    if date_note:
        return CounterOfferOutcome(accepted=False, option=outcome.option, why=f"{date_note.strip()} {outcome.why}")
    return outcome
