"""The options engine's data: capacity, options and their schedule lines (pydantic v1, exact cents)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from pydantic import BaseModel, Field, validator

from bot.cases.models import ArrangementKind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _cents(value: Decimal) -> Decimal:
    amount = Decimal(value)
    if amount != amount.quantize(CENT):
        raise ValueError(f"montant au-delà du centime : {value}")
    return amount.quantize(CENT)


class OptionKind(str, enum.Enum):
    PAIEMENT_INTEGRAL = "paiement_integral"
    ECHEANCIER = "echeancier"
    REPORT_PUIS_ECHEANCIER = "report_puis_echeancier"
    PREMIER_PAS = "premier_pas"
    ORIENTATION = "orientation"  # no payment now: a human looks at the budget with the debtor

    @property
    def arrangement_kind(self) -> ArrangementKind | None:
        """The case store's arrangement kind an accepted option is recorded as (None: nothing to record)."""
        return {
            OptionKind.PAIEMENT_INTEGRAL: ArrangementKind.PAIEMENT_TOTAL,
            OptionKind.ECHEANCIER: ArrangementKind.ECHEANCIER,
            OptionKind.REPORT_PUIS_ECHEANCIER: ArrangementKind.REPORT,
            OptionKind.PREMIER_PAS: ArrangementKind.PREMIER_PAS,
        }.get(self)


class CapacitySource(str, enum.Enum):
    DECLAREE = "declaree"  # an amount the debtor says they can bear each month
    BUDGET = "budget"  # income − charges − living-cost floor
    INCONNUE = "inconnue"  # nothing said yet


class Capacity(BaseModel):
    """What the debtor can put towards the debt each month (None: not known yet)."""

    monthly: Decimal | None
    source: CapacitySource
    income: Decimal | None = None
    charges: Decimal | None = None
    living_floor: Decimal | None = None
    can_pay_in_full: bool = False  # the debtor said they can settle everything at once

    @validator("monthly", "income", "charges", "living_floor")
    def _exact(cls, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        if value < 0:
            raise ValueError("un montant ne peut pas être négatif")
        return _cents(value)

    @property
    def known(self) -> bool:
        return self.monthly is not None


class ScheduleLine(BaseModel):
    date: dt.date
    amount: Decimal
    first_step: bool = False  # the declared foot-in-the-door payment, allowed below the minimum instalment

    @validator("amount")
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("une échéance doit être positive")
        return _cents(value)


class Option(BaseModel):
    """One repayment option as proposed to the debtor.

    Invariant: `total + discount + remaining == amount_due`; `total` is the sum of the schedule; `remaining`
    is zero except for a first step (what is left is settled after the review date) or an orientation.
    """

    kind: OptionKind
    rank: int = Field(..., ge=1)
    label: str
    summary: str
    justification: str
    schedule: list[ScheduleLine]
    amount_due: Decimal
    total: Decimal
    discount: Decimal = ZERO
    remaining: Decimal = ZERO
    review_date: dt.date | None = None
    reminder_dates: list[dt.date] = []
    pointers: list[str] = []

    _money = validator("amount_due", "total", "discount", "remaining", allow_reuse=True)(_cents)

    @property
    def instalments(self) -> int:
        return len(self.schedule)

    @property
    def settles(self) -> bool:
        """True when following the schedule settles the whole case."""
        return self.remaining == ZERO and bool(self.schedule)

    def texts(self) -> list[str]:
        """Every French text of the option the debtor may read (for the compliance check)."""
        return [self.label, self.summary, self.justification, *self.pointers]

    def as_json(self) -> dict[str, object]:
        """A JSON-ready dict: amounts as strings with two decimals, dates in ISO form."""
        return {
            "rank": self.rank,
            "kind": self.kind.value,
            "label": self.label,
            "summary": self.summary,
            "justification": self.justification,
            "total": f"{self.total:.2f}",
            "discount": f"{self.discount:.2f}",
            "remaining": f"{self.remaining:.2f}",
            "schedule": [
                {"date": line.date.isoformat(), "amount": f"{line.amount:.2f}", "first_step": line.first_step}
                for line in self.schedule
            ],
            "review_date": self.review_date.isoformat() if self.review_date else None,
            "reminder_dates": [day.isoformat() for day in self.reminder_dates],
            "pointers": list(self.pointers),
        }
