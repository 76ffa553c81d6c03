"""Builders shared by the negotiation tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.cases.models import (
    ArrangementKind,
    ArrangementStatus,
    CaseStatus,
    Channel,
    DisputeStatus,
    PaymentMethod,
    Sector,
)
from bot.cases.schemas import ArrangementView, CaseView, DisputeIn, PaymentIn, Policy, ScheduleLineView

TODAY = date(2026, 11, 22)


def policy(min_instalment: str = "15.00", months: int = 12, discount: str = "10.00", deferral: int = 30) -> Policy:
    return Policy(
        min_instalment=min_instalment,
        max_duration_months=months,
        max_discount_pct=Decimal(discount),
        max_deferral_days=deferral,
    )


MOBILYS = policy()  # the demo telecom creditor's policy
FINAMEA = policy("30.00", 24, "20.00", 60)
NO_DISCOUNT = policy("25.00", 24, "0.00", 30)


def arrangement(status: ArrangementStatus) -> ArrangementView:
    return ArrangementView(
        kind=ArrangementKind.ECHEANCIER,
        status=status,
        channel=Channel.CHAT,
        discount=Decimal("0.00"),
        total=Decimal("60.00"),
        lines=[ScheduleLineView(seq=1, due_date=date(2026, 6, 5), amount=Decimal("60.00"), paid=False)],
    )


def case_view(
    *,
    principal: str = "184.70",
    interest: str = "3.12",
    accessories: str = "0.00",
    paid: str = "0.00",
    due_date: date = date(2026, 9, 15),
    arrangements: tuple[ArrangementStatus, ...] = (),
    dispute: DisputeStatus | None = None,
) -> CaseView:
    total = Decimal(principal) + Decimal(interest) + Decimal(accessories)
    payments = (
        [PaymentIn(amount=paid, paid_on=date(2026, 10, 1), method=PaymentMethod.VIREMENT)] if Decimal(paid) else []
    )
    return CaseView(
        reference="REC-2026-000101",
        status=CaseStatus.OUVERT,
        creditor_name="Mobilys Télécom",
        creditor_sector=Sector.TELECOM,
        policy=MOBILYS,
        debtor_display_name="Madame Benali",
        debtor_first_name="Nadia",
        debtor_last_name="Benali",
        nature="Factures mobiles impayées",
        principal=Decimal(principal),
        interest=Decimal(interest),
        accessories=Decimal(accessories),
        total_claimed=total,
        amount_paid=Decimal(paid),
        amount_due=total - Decimal(paid),
        due_date=due_date,
        payments=payments,
        arrangements=[arrangement(status) for status in arrangements],
        disputes=[DisputeIn(reason="Montant contesté", opened_on=date(2026, 10, 2), status=dispute)] if dispute else [],
        complaints=[],
    )
