from datetime import date

import pytest

from bot.nlu.entities import extract_entities

TODAY = date(2026, 11, 22)  # a Sunday


def found(text: str, intent: str | None = None) -> set[tuple[str, str, str]]:
    return {(e.entity, e.text(text), e.value) for e in extract_entities(text, TODAY, intent)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je peux mettre deux cent cinquante euros", ("montant", "deux cent cinquante euros", "250.00")),
        ("250€ ça va ?", ("montant", "250€", "250.00")),
        ("je vous vire 250,50 € demain", ("montant", "250,50 €", "250.50")),
        ("300 balles max", ("montant", "300 balles", "300.00")),
        ("1 200 euros par mois", ("montant", "1 200 euros", "1200.00")),
        ("mon loyer fait 650 et je touche le RSA", ("montant", "650", "650.00")),
        ("il me faudrait 2k", ("montant", "2k", "2000.00")),
        ("si je gagne les 15 millions d'euros", ("montant", "15 millions d'euros", "15000000.00")),
        ("je paierai vendredi prochain", ("date", "vendredi prochain", "2026-11-27")),
        ("je paie le 5", ("date", "5", "2026-12-05")),
        ("j'ai payé le 5", ("date", "5", "2026-11-05")),
        ("à la fin du mois", ("date", "fin du mois", "2026-11-30")),
        ("j'ai fait un virement le 2 octobre", ("date", "2 octobre", "2026-10-02")),
        ("je suis née le 3 mars 1985", ("date", "3 mars 1985", "1985-03-03")),
        ("je réglerai le 15/01", ("date", "15/01", "2027-01-15")),
        ("dans 10 jours", ("date", "dans 10 jours", "2026-12-02")),
        ("en 10 fois", ("duree", "10 fois", "10")),
        ("sur un an", ("duree", "un an", "12")),
        ("un an et demi", ("duree", "un an et demi", "18")),
        ("j'ai besoin de deux mois", ("duree", "deux mois", "2")),
        ("mon dossier rec 2025 000987", ("reference_dossier", "rec 2025 000987", "REC-2025-000987")),
        ("je prends la deuxième", ("option", "deuxième", "2")),
        ("l'option 3 svp", ("option", "3", "3")),
    ],
)
def test_entities_are_found_and_normalised(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "je pourrai payer après ma paie",
        "bientôt, promis",
        "je l'ai déjà dit trois fois",
        "arrêtez de m'appeler 5 fois par jour",
        "j'habite 12 rue Pasteur 25000 Besançon",
        "des appels à 21h30",
        "la première fois que je vous écris",
        "payer en une seule fois",
    ],
)
def test_no_entity_where_there_is_none(text: str) -> None:
    assert found(text) == set()


def test_a_lone_number_is_an_option_only_when_choosing() -> None:
    assert found("2", "choisir_option") == {("option", "2", "2")}
    assert found("2", "hors_sujet") == set()


def test_robust_on_hostile_text() -> None:
    for text in ["", "😡" * 50, "<script>alert(1)</script>", "x" * 5000, "1" * 400, "\u202e\u0000"]:
        extract_entities(text, TODAY)
