"""Reformulation-synthèse: the debtor's situation as gathered so far, said back before a proposal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, validator

from bot.listening.questions import Need
from bot.text.french import format_date, format_euros

CENT = Decimal("0.01")

PAYMENT_METHODS: dict[str, str] = {
    "virement": "par virement",
    "carte": "par carte bancaire",
    "prelevement": "par prélèvement",
    "cheque": "par chèque",
    "especes": "en espèces",
}


class SituationFacts(BaseModel):
    """What the debtor told us; every field may still be unknown (None). Amounts are monthly, in euros."""

    reason: str | None = None  # in the second person, as reformulated: "vous avez perdu votre emploi en septembre"
    monthly_income: Decimal | None = None
    monthly_charges: Decimal | None = None
    pay_day: int | None = None  # day of the month the income arrives
    bearable_amount: Decimal | None = None  # per month
    preferred_date: dt.date | None = None
    payment_method: str | None = None  # a key of PAYMENT_METHODS
    nothing_possible_now: bool = False  # the debtor said no payment is possible for the moment
    left_after_living_floor: Decimal | None = None  # income − charges − the living-cost floor, when computed

    class Config:
        allow_mutation = False

    @validator("monthly_income", "monthly_charges", "bearable_amount")
    def _exact_cents(cls, value: Decimal | None) -> Decimal | None:  # noqa: N805
        if value is None:
            return None
        if value < 0:
            raise ValueError("un montant ne peut pas être négatif")
        if value != value.quantize(CENT):
            raise ValueError(f"montant au-delà du centime : {value}")
        return value.quantize(CENT)

    @validator("pay_day")
    def _day_of_month(cls, value: int | None) -> int | None:  # noqa: N805
        if value is not None and not 1 <= value <= 31:
            raise ValueError(f"jour du mois invalide : {value}")
        return value

    @validator("payment_method")
    def _known_method(cls, value: str | None) -> str | None:  # noqa: N805
        if value is not None and value not in PAYMENT_METHODS:
            raise ValueError(f"moyen de paiement inconnu : {value} (attendu : {', '.join(PAYMENT_METHODS)})")
        return value

    @validator("reason")
    def _reason_text(cls, value: str | None) -> str | None:  # noqa: N805
        if value is None:
            return None
        value = value.strip().rstrip(".")
        return value or None

    def known_needs(self) -> set[Need]:
        """The needs of the negotiation these facts already answer (for `questions.open_question`)."""
        pairs = (
            (Need.RAISON, self.reason),
            (Need.REVENUS, self.monthly_income),
            (Need.CHARGES, self.monthly_charges),
            (Need.JOUR_DE_PAIE, self.pay_day),
            (Need.MONTANT_SUPPORTABLE, self.bearable_amount),
            (Need.DATE_SOUHAITEE, self.preferred_date),
            (Need.MOYEN_DE_PAIEMENT, self.payment_method),
        )
        return {need for need, value in pairs if value is not None}


def _budget(facts: SituationFacts) -> str | None:
    income, charges = facts.monthly_income, facts.monthly_charges
    if income is not None and charges is not None:
        left = income - charges
        text = f"vos revenus sont de {format_euros(income)} par mois pour {format_euros(charges)} de charges"
        if left > 0:
            return f"{text}, soit {format_euros(left)} une fois ces charges réglées"
        return f"{text}, qui absorbent donc la totalité de vos revenus"
    if income is not None:
        return f"vos revenus sont de {format_euros(income)} par mois"
    if charges is not None:
        return f"vos charges s'élèvent à {format_euros(charges)} par mois"
    return None


def _day(day: int) -> str:
    return "1er" if day == 1 else str(day)


def summary_parts(facts: SituationFacts) -> list[str]:
    """Each known fact as a clause in the second person, in the order of the negotiation."""
    parts = []
    if facts.reason:
        parts.append(facts.reason[:1].lower() + facts.reason[1:])
    budget = _budget(facts)
    if budget:
        parts.append(budget)
    if facts.left_after_living_floor is not None:
        left = facts.left_after_living_floor
        parts.append(
            f"en gardant le minimum pour vivre, environ {format_euros(left)} par mois pourraient aller au remboursement"
            if left > 0
            else "une fois le minimum pour vivre mis de côté, il ne reste rien pour le remboursement"
        )
    if facts.pay_day is not None:
        parts.append(f"vos revenus arrivent le {_day(facts.pay_day)} du mois")
    if facts.bearable_amount is not None:
        parts.append(f"un versement de {format_euros(facts.bearable_amount)} par mois vous paraît supportable")
    elif facts.nothing_possible_now:
        parts.append("aucun versement n'est possible pour vous en ce moment")
    if facts.preferred_date is not None:
        parts.append(f"vous souhaitez commencer le {format_date(facts.preferred_date)}")
    if facts.payment_method is not None:
        parts.append(f"vous préférez régler {PAYMENT_METHODS[facts.payment_method]}")
    return parts


def summarize(facts: SituationFacts, confirm: bool = True) -> str | None:
    """ "Pour résumer : vous avez perdu votre emploi ; vos revenus sont de 1 200,00 € par mois … Est-ce bien
    cela ?" — None when nothing is known yet."""
    parts = summary_parts(facts)
    if not parts:
        return None
    text = "Pour résumer : " + " ; ".join(parts) + "."
    return f"{text} Est-ce bien cela ?" if confirm else text
