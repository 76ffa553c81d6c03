import json
from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli import main

DEMO = "REC-2026-000101"  # Mobilys Télécom, 187,82 € due, min 15 €, 12 months, 10 % discount


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One demo database for the module (the command only reads), built with the `cases` commands."""
    url = f"sqlite:///{tmp_path_factory.mktemp('options') / 'demo.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMIABLE_DB_URL", url)
        assert run(["cases", "migrate"]) == 0
        assert run(["cases", "seed"]) == 0
    return url


@pytest.fixture
def demo(demo_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AMIABLE_DB_URL", demo_url)
    capsys.readouterr()


def run(argv: list[str]) -> int:
    """Through the real `amiable` entry point."""
    return main(argv)


@pytest.mark.usefixtures("demo")
def test_options_for_the_demo_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", DEMO, "--capacity", "80", "--pay-day", "5", "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert f"Dossier {DEMO} — Mobilys Télécom — reste dû 187,82\xa0€" in out
    assert "Option 1 — Paiement en une fois avec une remise de 18,78\xa0€" in out
    assert "169,04\xa0€ en une fois, au plus tard le 29 novembre 2026" in out
    assert "Option 2 — Échéancier en 3 mensualités" in out
    assert "3 mensualités de 62,61\xa0€ du 5 décembre 2026 au 5 février 2027 (la dernière de 62,60\xa0€)" in out
    assert "Option 3 — Échéancier allégé en 12 mensualités" in out
    assert "Option 4" not in out


@pytest.mark.usefixtures("demo")
def test_options_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", DEMO.lower(), "--capacity", "80", "--pay-day", "5", "--today", "2026-11-22", "--json"]) == 0
    options = json.loads(capsys.readouterr().out)
    assert [o["kind"] for o in options] == ["paiement_integral", "echeancier", "echeancier"]
    assert options[0]["total"] == "169.04" and options[0]["discount"] == "18.78"
    assert options[1]["schedule"] == [
        {"date": "2026-12-05", "amount": "62.61", "first_step": False},
        {"date": "2027-01-05", "amount": "62.61", "first_step": False},
        {"date": "2027-02-05", "amount": "62.60", "first_step": False},
    ]
    for option in options:
        assert {"kind", "label", "total", "discount", "schedule"} <= option.keys()
        assert sum(Decimal(line["amount"]) for line in option["schedule"]) == Decimal(option["total"])


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("amount", ["250,50", "250 €", "250.50"])
def test_french_amounts_are_accepted(amount: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", DEMO, "--capacity", amount, "--today", "2026-11-22", "--json"]) == 0
    options = json.loads(capsys.readouterr().out)
    # 187,82 € fits in one payment of 250 €: full payment first, then the shortest plan (2 × 93,91 €)
    assert options[0]["kind"] == "paiement_integral"
    assert options[1]["schedule"][0]["amount"] == "93.91"


@pytest.mark.usefixtures("demo")
def test_without_capacity_the_options_follow_the_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", DEMO, "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "Capacité : non renseignée" in out and "Échéancier en 3 mensualités" in out


@pytest.mark.usefixtures("demo")
def test_low_capacity_shows_the_first_step_and_the_pointers(capsys: pytest.CaptureFixture[str]) -> None:
    # REC-2024-001973: Finaméa Crédit, 13 766,22 € due, min 30 €
    assert run(["options", "REC-2024-001973", "--capacity", "20", "--pay-day", "10", "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "Un premier versement de 20,00\xa0€" in out and "(premier versement)" in out
    assert "Point d'étape : 10 janvier 2027" in out
    assert "surendettement de la Banque de France" in out and "Point conseil budget" in out


@pytest.mark.usefixtures("demo")
def test_a_settled_case_has_no_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", "REC-2026-000012", "--capacity", "80"]) == 0
    assert "soldé" in capsys.readouterr().out
    assert run(["options", "REC-2026-000012", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.usefixtures("demo")
def test_an_open_dispute_shows_the_contestation_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", "REC-2025-003654", "--capacity", "100", "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "Profil : contestation (contestation ouverte le" in out
    assert "examiner d'abord la contestation" in out


@pytest.mark.usefixtures("demo")
def test_unknown_and_malformed_references(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["options", "REC-1999-000000"]) == 1
    assert "Aucun dossier REC-1999-000000." in capsys.readouterr().err
    assert run(["options", "dossier-12"]) == 2
    assert "Référence invalide" in capsys.readouterr().err


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--capacity", "abc"], "Montant invalide « abc »"),
        (["--capacity", "12,345"], "Montant invalide « 12,345 »"),
        (["--pay-day", "32"], "Jour de paie invalide « 32 »"),
        (["--pay-day", "0"], "Jour de paie invalide « 0 »"),
        (["--pay-day", "cinq"], "Jour de paie invalide « cinq »"),
        (["--today", "22/11/2026"], "Date invalide « 22/11/2026 »"),
    ],
)
def test_bad_arguments_are_explained_in_french(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["options", DEMO, *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_store_not_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AMIABLE_DB_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert run(["options", DEMO]) == 1
    assert "amiable cases migrate" in capsys.readouterr().err
