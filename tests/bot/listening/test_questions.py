"""Open questions chosen by what the negotiation still needs; closed questions only to confirm."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.listening import Need, confirmation_question, is_open, needs_answered, open_question
from bot.listening.questions import CONFIRMATIONS, NEGOTIATION_ORDER, OPEN_QUESTIONS, next_need

CLOSED_OPENERS = re.compile(r"^(Est-ce|Pouvez|Avez|Êtes|Voulez|Souhaitez|Ai-je|Auriez|Seriez|Vous )", re.IGNORECASE)


def test_every_need_has_open_phrasings() -> None:
    assert set(OPEN_QUESTIONS) == set(Need)
    for need, phrasings in OPEN_QUESTIONS.items():
        assert len(phrasings) >= 2, need
        for question in phrasings:
            assert is_open(question), question
            assert not CLOSED_OPENERS.match(question), question
            assert not re.search(r"\b(tu|te|ton|ta|tes)\b", question), question


def test_confirmation_is_the_only_closed_question() -> None:
    for question in CONFIRMATIONS:
        assert question.endswith("?") and not is_open(question)
    assert not is_open("Vous pouvez payer 100 € ?")  # labels.yml: question_fermee
    assert is_open("Qu'est-ce qui vous permettrait de régler ce solde ?")  # labels.yml: question_ouverte
    assert confirmation_question() == CONFIRMATIONS[0]
    assert confirmation_question([CONFIRMATIONS[0]]) == CONFIRMATIONS[1]


def test_needs_are_asked_in_the_negotiation_order() -> None:
    known: set[Need] = set()
    asked = []
    while (question := open_question(known)) is not None:
        asked.append(question.need)
        assert question.text in OPEN_QUESTIONS[question.need]
        known.add(question.need)
    assert asked == list(NEGOTIATION_ORDER)
    assert asked[:3] == [Need.RAISON, Need.REVENUS, Need.CHARGES]


def test_what_is_known_is_not_asked() -> None:
    assert open_question({Need.RAISON, Need.REVENUS}).need == Need.CHARGES
    assert open_question({"raison", "revenus", "charges"}).need == Need.JOUR_DE_PAIE  # slot names work too
    assert next_need(set(Need)) is None and open_question(set(Need)) is None


def test_a_question_already_asked_is_phrased_differently() -> None:
    first = open_question({Need.RAISON})
    second = open_question({Need.RAISON}, used=[first.text])
    assert first.need == second.need == Need.REVENUS and first.text != second.text


def _parse(intent: str, *entities: str) -> dict[str, Any]:
    return {"intent": {"name": intent, "confidence": 0.9}, "entities": [{"entity": e} for e in entities]}


@pytest.mark.parametrize(
    ("text", "parse", "expected"),
    [
        ("J'ai perdu mon emploi", _parse("difficultes_financieres"), {Need.RAISON}),
        ("je sors de l'hôpital", _parse("signaler_vulnerabilite"), {Need.RAISON}),
        ("je gagne 1200 euros par mois", _parse("informer_budget", "montant"), {Need.REVENUS}),
        ("mon loyer fait 650 €", _parse("informer_budget", "montant"), {Need.CHARGES}),
        ("je peux mettre 50 euros par mois", _parse("proposer_paiement", "montant"), {Need.MONTANT_SUPPORTABLE}),
        ("je vous paie le 5 décembre", _parse("proposer_paiement", "date"), {Need.DATE_SOUHAITEE}),
        ("mon salaire tombe le 5", _parse("informer_budget", "date"), {Need.JOUR_DE_PAIE}),
        ("je préfère payer par virement", _parse("demander_moyens_paiement"), set()),
        ("je paierai par virement", _parse("affirmer"), {Need.MOYEN_DE_PAIEMENT}),
        ("bonjour", _parse("saluer"), set()),
    ],
)
def test_what_a_message_answers(text: str, parse: dict[str, Any], expected: set[Need]) -> None:
    assert needs_answered(text, parse) == expected


def test_an_unanswered_need_is_not_asked_forever() -> None:
    used: list[str] = []
    while (question := open_question({Need.REVENUS, Need.CHARGES, Need.JOUR_DE_PAIE}, used)) is not None:
        assert question.text not in used
        used.append(question.text)
    unknown = set(Need) - {Need.REVENUS, Need.CHARGES, Need.JOUR_DE_PAIE}
    assert len(used) == sum(len(OPEN_QUESTIONS[need]) for need in unknown)
