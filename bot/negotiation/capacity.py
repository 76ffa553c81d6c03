"""The debtor's monthly capacity: an amount they state, or what their budget leaves above a living-cost floor."""

from __future__ import annotations

import os
from decimal import Decimal

from bot.cases.schemas import parse_money
from bot.negotiation.models import ZERO, Capacity, CapacitySource

# Living-cost floor kept out of any repayment: the RSA "montant forfaitaire" for one person living alone,
# without children, as revalued on 1 April 2025 (646,52 €; sources: service-public.fr and caf.fr, fiche
# « Revenu de solidarité active (RSA) », revalorisation annuelle du 1er avril 2025). Override with the
# AMIABLE_LIVING_FLOOR environment variable when the amount is revalued.
RSA_SINGLE_PERSON_2025_04 = Decimal("646.52")
LIVING_FLOOR_ENV = "AMIABLE_LIVING_FLOOR"


def living_floor() -> Decimal:
    """The living-cost floor in force: `AMIABLE_LIVING_FLOOR` when set, else the RSA amount above."""
    raw = os.environ.get(LIVING_FLOOR_ENV, "").strip()
    if not raw:
        return RSA_SINGLE_PERSON_2025_04
    try:
        return parse_money(raw)
    except ValueError as error:
        raise ValueError(f"{LIVING_FLOOR_ENV} invalide : {error}") from None


def declared_capacity(amount: object, *, can_pay_in_full: bool = False) -> Capacity:
    """The amount the debtor says they can bear each month ("80", "250,50", "250 €")."""
    return Capacity(monthly=parse_money(amount), source=CapacitySource.DECLAREE, can_pay_in_full=can_pay_in_full)


def budget_capacity(income: object, charges: object, *, floor: Decimal | None = None) -> Capacity:
    """Income − charges − living-cost floor, never below zero."""
    income_amount = parse_money(income)
    charges_amount = parse_money(charges)
    floor_amount = living_floor() if floor is None else parse_money(floor)
    left = max(ZERO, income_amount - charges_amount - floor_amount)
    return Capacity(
        monthly=left,
        source=CapacitySource.BUDGET,
        income=income_amount,
        charges=charges_amount,
        living_floor=floor_amount,
    )


def unknown_capacity(*, can_pay_in_full: bool = False) -> Capacity:
    """Nothing said about the budget yet."""
    return Capacity(monthly=None, source=CapacitySource.INCONNUE, can_pay_in_full=can_pay_in_full)
