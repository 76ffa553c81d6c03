"""Reformulation-synthèse of the situation gathered so far, with French amounts and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from bot.listening import Need, SituationFacts, summarize
from bot.text import format_date, format_euros


def test_nothing_known_nothing_said() -> None:
    assert summarize(SituationFacts()) is None
    assert SituationFacts().known_needs() == set()


def test_full_summary_in_the_negotiation_order() -> None:
    facts = SituationFacts(
        reason="vous avez perdu votre emploi en septembre",
        monthly_income=Decimal("1234.50"),
        monthly_charges=Decimal("950"),
        pay_day=1,
        bearable_amount=Decimal("80"),
        preferred_date=date(2026, 12, 5),
        payment_method="virement",
    )
    text = summarize(facts)
    assert text.startswith("Pour résumer : vous avez perdu votre emploi en septembre ;")
    for part in (
        format_euros(Decimal("1234.50")),
        format_euros(Decimal("950.00")),
        format_euros(Decimal("284.50")),  # what is left once the charges are paid, to the cent
        "le 1er du mois",
        f"un versement de {format_euros(Decimal('80.00'))} par mois",
        format_date(date(2026, 12, 5)),
        "par virement",
    ):
        assert part in text, part
    positions = [text.index(p) for p in ("emploi", "1\u202f234,50", "1er du mois", "80,00", "5 décembre", "virement")]
    assert positions == sorted(positions)
    assert text.endswith("Est-ce bien cela ?")
    assert summarize(facts, confirm=False).endswith("virement.")
    assert facts.known_needs() == set(Need)


def test_charges_above_income_are_said_without_judgement() -> None:
    text = summarize(SituationFacts(monthly_income=Decimal("900"), monthly_charges=Decimal("950")), confirm=False)
    assert "absorbent donc la totalité de vos revenus" in text and "soit" not in text


def test_partial_facts() -> None:
    facts = SituationFacts(monthly_charges=Decimal("640.10"), preferred_date=date(2027, 1, 15))
    assert summarize(facts, confirm=False) == (
        f"Pour résumer : vos charges s'élèvent à {format_euros(Decimal('640.10'))} par mois ; "
        "vous souhaitez commencer le 15 janvier 2027."
    )
    assert facts.known_needs() == {Need.CHARGES, Need.DATE_SOUHAITEE}


@pytest.mark.parametrize(
    "fields",
    [
        {"monthly_income": Decimal("-1")},
        {"bearable_amount": Decimal("10.005")},
        {"pay_day": 32},
        {"payment_method": "bitcoin"},
    ],
)
def test_invalid_facts_are_refused(fields: dict) -> None:
    with pytest.raises(ValidationError):
        SituationFacts(**fields)
