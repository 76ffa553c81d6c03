"""What the debtor notices in the trainee's words: keywords, topics of questions, payment proposals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.roleplay.cues import Proposal, matches, proposal_in, talks_payment, topic_scores

DUE = Decimal("212.40")


@pytest.mark.parametrize(
    ("text", "monthly", "months", "lump_sum", "explicit"),
    [
        ("Je vous propose trois mensualités de 70,80 € à partir du 28.", "70.80", 3, False, True),
        ("On pourrait partir sur 80 euros par mois ?", "80.00", 3, False, True),
        ("Sur les 212,40 €, je vous propose 3 fois 70,80 €.", "70.80", 3, False, True),
        ("Je vous propose de payer les 212,40 € en 4 fois.", "53.10", 4, False, True),
        ("Un premier versement de 30 € ce mois-ci ?", "30.00", 8, False, True),
        ("Vous pouvez régler les 191,16 € en une fois, remise comprise.", "191.16", 1, True, True),
        ("Le solde est de 212,40 €, soit 191,16 € en une fois avec la remise.", "191.16", 1, True, True),
        ("Le solde est de 212,40 €.", "212.40", 1, True, False),
        ("Je peux vous proposer 20 €.", "20.00", 11, False, False),
    ],
)
def test_proposals(text: str, monthly: str, months: int, lump_sum: bool, explicit: bool) -> None:
    assert proposal_in(text, DUE) == Proposal(Decimal(monthly), months, lump_sum, explicit)


def test_no_amount_no_proposal() -> None:
    assert proposal_in("Qu'est-ce qui serait possible pour vous chaque mois ?", DUE) is None
    assert proposal_in("Je peux vous proposer un échéancier.", DUE) is None


def test_topics_of_questions() -> None:
    def top(text: str) -> str:
        scores = topic_scores(text)
        return max(scores, key=scores.__getitem__)

    assert top("Comment se répartissent vos revenus ?") == "monthly_income"
    assert top("À quel moment du mois touchez-vous votre salaire ?") == "pay_day"
    assert top("Quelles sont vos principales charges ?") == "monthly_charges"
    assert top("Qu'est-ce qui serait réaliste pour vous chaque mois ?") == "bearable_monthly_amount"
    assert top("Pourquoi les paiements se sont-ils arrêtés ?") == "reason"
    assert topic_scores("Bonjour madame.") == {}


def test_scenario_keywords_add_topics() -> None:
    scores = topic_scores("Vous aviez prévenu le service client ?", {"rib_envoye": ["service client", "prévenu"]})
    assert scores["rib_envoye"] == 4


def test_keywords_match_without_accents_and_at_word_starts() -> None:
    assert matches("Je vous présente mes CONDOLEANCES.", ["condoléances"]) == ["condoléances"]
    assert matches("Vos revenus ?", ["revenu", "venu"]) == ["revenu"]
    assert matches("Rien à voir.", ["", "charge"]) == []


def test_payment_talk() -> None:
    assert talks_payment("On peut mettre en place un échéancier.")
    assert talks_payment("Vous pourriez régler une partie ?")
    assert not talks_payment("Je vous propose qu'une conseillère vous rappelle.")
