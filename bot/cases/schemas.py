"""pydantic (v1) models at the case store's boundaries: demo data, CSV import rows, case views.

Validation messages are in French: they are shown to the person importing a file.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field, root_validator, validator

from bot.cases.models import (
    ArrangementKind,
    ArrangementStatus,
    CaseStatus,
    Channel,
    ContactChannel,
    ContactHours,
    DisputeStatus,
    PaymentMethod,
    Sector,
)

REFERENCE_PATTERN = re.compile(r"^REC-\d{4}-\d{6}$")
CENT = Decimal("0.01")


def parse_money(value: object) -> Decimal:
    """A euro amount from "1 234,56", "1234.56", "12 €" or a number; exact to the cent, not negative."""
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        text = text.removesuffix("€").removesuffix("EUR").replace(",", ".")
        if not text:
            raise ValueError("montant manquant")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"montant illisible : « {value} »") from None
    if not amount.is_finite():
        raise ValueError(f"montant illisible : « {value} »")
    if amount < 0:
        raise ValueError("un montant ne peut pas être négatif")
    if amount != amount.quantize(CENT):
        raise ValueError(f"montant au-delà du centime : « {value} »")
    return amount.quantize(CENT)


def normalise_reference(value: object) -> str:
    reference = str(value).strip().upper().replace(" ", "-")
    if not REFERENCE_PATTERN.match(reference):
        raise ValueError(f"référence invalide « {value} » (format attendu : REC-AAAA-NNNNNN)")
    return reference


class Policy(BaseModel):
    min_instalment: Decimal
    max_duration_months: int = Field(..., ge=1, le=24)
    max_discount_pct: Decimal = Field(Decimal("0"), ge=0, le=50)
    max_deferral_days: int = Field(0, ge=0, le=180)

    _money = validator("min_instalment", pre=True, allow_reuse=True)(parse_money)


class CreditorIn(BaseModel):
    key: str = Field(..., regex=r"^[a-z0-9_]+$")
    name: str = Field(..., min_length=2)
    sector: Sector
    policy: Policy


def _civility(value: object) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip().capitalize()
    aliases = {"Mme": "Madame", "M.": "Monsieur", "M": "Monsieur", "Mr": "Monsieur"}
    text = aliases.get(text, text)
    if text not in ("Madame", "Monsieur"):
        raise ValueError(f"civilité inconnue « {value} » (Madame ou Monsieur)")
    return text


def _postcode(value: object) -> str:
    text = str(value).strip()
    if not re.fullmatch(r"\d{5}", text):
        raise ValueError(f"code postal invalide « {value} » (5 chiffres)")
    return text


def _birth_date(value: date) -> date:
    if not date(1900, 1, 1) <= value <= date.today():
        raise ValueError(f"date de naissance invraisemblable : {value.isoformat()}")
    return value


def _email(value: str | None) -> str | None:
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value, flags=re.I):
        raise ValueError(f"adresse e-mail invalide « {value} »")
    return value or None


class DebtorIn(BaseModel):
    civility: str | None = None
    first_name: str = Field(..., min_length=1, max_length=80)
    last_name: str = Field(..., min_length=1, max_length=80)
    birth_date: date
    postcode: str
    city: str | None = None
    email: str | None = None
    phone: str | None = None
    preferred_channel: ContactChannel | None = None
    preferred_hours: ContactHours | None = None

    _civility = validator("civility", pre=True, allow_reuse=True)(_civility)
    _postcode = validator("postcode", pre=True, allow_reuse=True)(_postcode)
    _birth_date = validator("birth_date", allow_reuse=True)(_birth_date)
    _email = validator("email", allow_reuse=True)(_email)


class PaymentIn(BaseModel):
    amount: Decimal
    paid_on: date
    method: PaymentMethod

    _money = validator("amount", pre=True, allow_reuse=True)(parse_money)


class ScheduleLineIn(BaseModel):
    due_date: date
    amount: Decimal
    paid: bool = False

    _money = validator("amount", pre=True, allow_reuse=True)(parse_money)


class ArrangementIn(BaseModel):
    kind: ArrangementKind
    status: ArrangementStatus
    channel: Channel
    created_on: date
    discount: Decimal = Decimal("0.00")
    lines: list[ScheduleLineIn] = Field(..., min_items=1)

    _money = validator("discount", pre=True, allow_reuse=True)(parse_money)


class DisputeIn(BaseModel):
    reason: str = Field(..., min_length=3)
    opened_on: date
    status: DisputeStatus = DisputeStatus.OUVERT


class ComplaintIn(BaseModel):
    text: str = Field(..., min_length=3)
    received_on: date


class CaseAmounts(BaseModel):
    """The claim's breakdown; collection fees are not a field: they are never charged to the debtor."""

    principal: Decimal
    interest: Decimal = Decimal("0.00")
    accessories: Decimal = Decimal("0.00")

    _money = validator("principal", "interest", "accessories", pre=True, allow_reuse=True)(parse_money)

    @validator("principal")
    def _principal_positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("le principal doit être supérieur à zéro")
        return value

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.accessories


class DemoCaseIn(CaseAmounts):
    reference: str
    creditor: str
    debtor: DebtorIn
    nature: str = Field(..., min_length=3, max_length=200)
    due_date: date
    status: CaseStatus = CaseStatus.OUVERT
    payments: list[PaymentIn] = []
    arrangement: ArrangementIn | None = None
    dispute: DisputeIn | None = None
    complaint: ComplaintIn | None = None

    _reference = validator("reference", pre=True, allow_reuse=True)(normalise_reference)

    @root_validator(skip_on_failure=True)
    def _payments_within_claim(cls, values: dict) -> dict:
        paid = sum((payment.amount for payment in values["payments"]), Decimal("0"))
        total = values["principal"] + values["interest"] + values["accessories"]
        if paid > total:
            raise ValueError(f"les paiements ({paid} €) dépassent la créance ({total} €)")
        return values


class DemoData(BaseModel):
    creditors: list[CreditorIn]
    cases: list[DemoCaseIn]


class CaseImportRow(DebtorIn, CaseAmounts):
    """One CSV row of `amiable cases import`: a case and its debtor; the creditor must exist."""

    reference: str
    creditor: str
    nature: str = Field(..., min_length=3, max_length=200)
    due_date: date
    amount_due: Decimal | None = None

    _reference = validator("reference", pre=True, allow_reuse=True)(normalise_reference)

    @validator("amount_due", pre=True)
    def _amount_due(cls, value: object) -> Decimal | None:
        return None if value in (None, "") else parse_money(value)

    @validator("birth_date", "due_date", pre=True)
    def _french_date(cls, value: object) -> object:
        """Accepts ISO dates and French ones (JJ/MM/AAAA)."""
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", value.strip()):
            day, month, year = (int(part) for part in value.strip().split("/"))
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"date impossible « {value} »") from None
        return value

    @root_validator(skip_on_failure=True)
    def _amount_due_matches(cls, values: dict) -> dict:
        total = values["principal"] + values["interest"] + values["accessories"]
        if values.get("amount_due") is not None and values["amount_due"] != total:
            raise ValueError(
                f"montant dû {values['amount_due']} € différent de principal + intérêts + accessoires ({total} €)"
            )
        return values

    def debtor(self) -> DebtorIn:
        return DebtorIn(**self.dict(include=set(DebtorIn.__fields__)))


class ScheduleLineView(BaseModel):
    seq: int
    due_date: date
    amount: Decimal
    paid: bool


class ArrangementView(BaseModel):
    kind: ArrangementKind
    status: ArrangementStatus
    channel: Channel
    discount: Decimal
    total: Decimal
    lines: list[ScheduleLineView]


class CaseView(BaseModel):
    """A case as the actions, the API and the CLI see it."""

    reference: str
    status: CaseStatus
    creditor_name: str
    creditor_sector: Sector
    policy: Policy
    debtor_display_name: str
    debtor_first_name: str
    debtor_last_name: str
    nature: str
    principal: Decimal
    interest: Decimal
    accessories: Decimal
    total_claimed: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    due_date: date
    payments: list[PaymentIn]
    arrangements: list[ArrangementView]
    disputes: list[DisputeIn]
    complaints: list[ComplaintIn]
