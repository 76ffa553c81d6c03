"""What the debtor said so far that shapes the assist's options: a monthly amount, a pay day."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.assist.heard import Heard, heard


def parse(text: str, intent: str, **entities: str) -> dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent},
        "entities": [{"entity": name, "value": value} for name, value in entities.items()],
    }


def test_nothing_said_yet() -> None:
    assert heard([]) == Heard() and heard([parse("bonjour", "saluer")]) == Heard()


def test_a_monthly_offer_is_a_declared_capacity_and_the_latest_wins() -> None:
    said = heard(
        [
            parse("je peux mettre 60 euros par mois", "proposer_paiement", montant="60.00"),
            parse("non en fait 45 € chaque mois", "proposer_paiement", montant="45.00"),
        ]
    )
    assert said.capacity is not None and said.capacity.monthly == Decimal("45.00") and said.pay_day is None


def test_an_income_or_a_one_off_amount_is_not_a_monthly_capacity() -> None:
    assert heard([parse("je touche 980 euros", "informer_budget", montant="980.00")]).capacity is None
    assert heard([parse("je vous envoie 100 euros demain", "proposer_paiement", montant="100.00")]).capacity is None


def test_the_pay_day_from_an_income_statement_not_from_a_payment_already_made() -> None:
    assert heard([parse("je suis payée le 12", "informer_budget", date="2026-12-12")]).pay_day == 12
    assert heard([parse("ma paie arrive le 5", "informer_budget")]).pay_day == 5
    assert heard([parse("j'ai payé le 3", "deja_paye", date="2026-11-03")]).pay_day is None
    assert heard([parse("le 8", "proposer_paiement")]).pay_day is None  # a date offered, not a pay day
